// Peer requests (Server::handle_peer_request, handle_peer_auth_pin and the leader's
// handle_peer_request_reply / handle_peer_auth_pin_ack), as far as locking needs them.
import { parseReqid } from '../cluster/names.js';
import {
  OP_AUTHPIN, OP_AUTHPINACK, OP_XLOCK, OP_XLOCKACK, OP_WRLOCK, OP_WRLOCKACK, OP_UNXLOCK,
  OP_UNWRLOCK, OP_DROPLOCKS, OP_FINISH, type MMDSPeerRequest,
} from '../messages/index.js';
import { MDRequest } from '../request/MDRequest.js';
import { REMOTE_WRLOCK, XLOCK, WRLOCK, type LockRef } from '../request/LockOp.js';
import { assertMds, lockOf, log, requestEvent, send, type Ctx } from './context.js';
import { dispatch_peer_request, dispatch_request } from './dispatch.js';
import { decode_from_auth } from './scatterData.js';
import { drop_locks, drop_local_auth_pins, request_finish } from './acquire.js';
import { finish_locking, xlock_finish } from './xlock.js';
import { issue_caps_set, type NeedIssue } from './issue.js';
import { wrlock_finish } from './wrlock.js';

function peer_request(ctx: Ctx, m: MMDSPeerRequest): MDRequest {
  let mdr = ctx.mds.requests[m.reqid];
  if (!mdr) {
    mdr = new MDRequest(m.reqid, parseReqid(m.reqid)?.client ?? -1, ctx.mds.id, [], m.from);
    ctx.mds.requests[m.reqid] = mdr;
  }
  return mdr;
}

const refOfMsg = (m: MMDSPeerRequest): LockRef => ({ path: m.path!, type: m.lockType! });

export function handle_peer_request(ctx: Ctx, m: MMDSPeerRequest): void {
  switch (m.op) {
    // ---- on the auth (peer side) ----
    case OP_AUTHPIN: {
      const mdr = peer_request(ctx, m);
      for (const key of m.objects ?? []) {
        const obj = ctx.mds.object(key);
        if (obj && obj.is_auth() && !mdr.auth_pins.includes(key)) {
          obj.auth_pin();
          mdr.auth_pins.push(key);
        }
      }
      send(ctx, { kind: 'peer', from: ctx.mds.id, to: m.from, op: OP_AUTHPINACK, reqid: m.reqid, objects: [...mdr.auth_pins] });
      return;
    }
    case OP_XLOCK: case OP_WRLOCK: {
      const obj = ctx.mds.objectOf(refOfMsg(m));
      assertMds(ctx, obj !== undefined, `peer ${m.reqid}: no object ${m.path}`);
      if (m.op === OP_XLOCK && !obj.is_auth()) {
        requestEvent(ctx, m.reqid, `OP_XLOCK on non-auth ${m.path} dropped`, true); // the leader is left waiting
        return;
      }
      const mdr = peer_request(ctx, m);
      mdr.peer_op = { op: m.op, lock: refOfMsg(m) };
      dispatch_peer_request(ctx, mdr);
      return;
    }
    case OP_UNXLOCK: case OP_UNWRLOCK: {
      const mdr = ctx.mds.requests[m.reqid];
      const ref = refOfMsg(m);
      const flag = m.op === OP_UNXLOCK ? XLOCK : WRLOCK;
      assertMds(ctx, mdr !== undefined && mdr.isHeld(ref, flag), `peer ${m.reqid}: ${m.op === OP_UNXLOCK ? 'unxlock' : 'unwrlock'} of a lock it does not hold`);
      const lock = lockOf(ctx, ref);
      const need: NeedIssue = [];
      if (flag === XLOCK) xlock_finish(ctx, lock, mdr, need);
      else wrlock_finish(ctx, lock, mdr, need);
      issue_caps_set(ctx, need); // Server::handle_peer_request: issue once the lock is released
      return;
    }
    case OP_DROPLOCKS: {
      const mdr = ctx.mds.requests[m.reqid];
      if (mdr) drop_locks(ctx, mdr); // auth pins are kept
      return;
    }
    case OP_FINISH: {
      const mdr = ctx.mds.requests[m.reqid];
      if (!mdr) return;
      mdr.peer_op = null;
      mdr.status = 'finished';
      drop_locks(ctx, mdr);
      drop_local_auth_pins(ctx, mdr);
      delete ctx.mds.requests[m.reqid];
      requestEvent(ctx, m.reqid, 'finished', true);
      return;
    }
    // ---- on the leader ----
    case OP_AUTHPINACK: {
      const mdr = ctx.mds.requests[m.reqid];
      if (!mdr || mdr.status === 'finished') return;
      for (const p of Object.keys(mdr.remote_auth_pins)) if (mdr.remote_auth_pins[p] === m.from) delete mdr.remote_auth_pins[p];
      for (const p of m.objects ?? []) mdr.remote_auth_pins[p] = m.from;
      return peer_replied(ctx, mdr, m.from);
    }
    case OP_XLOCKACK: {
      const mdr = ctx.mds.requests[m.reqid];
      if (!mdr || mdr.status === 'finished') return;
      const ref = refOfMsg(m);
      const lock = lockOf(ctx, ref);
      decode_from_auth(lock, m.data ?? null);
      mdr.addHeld(ref, XLOCK);
      finish_locking(ctx, mdr, ref);
      lock.get_xlock(mdr.reqid, mdr.client);
      log(ctx, 'handle_peer_request_reply', lock, -1, 'the auth granted the remote xlock');
      return peer_replied(ctx, mdr, m.from);
    }
    case OP_WRLOCKACK: {
      const mdr = ctx.mds.requests[m.reqid];
      if (!mdr || mdr.status === 'finished') return;
      mdr.addHeld(refOfMsg(m), REMOTE_WRLOCK, m.from);
      finish_locking(ctx, mdr, refOfMsg(m));
      return peer_replied(ctx, mdr, m.from);
    }
  }
}

function peer_replied(ctx: Ctx, mdr: MDRequest, from: number): void {
  if (!mdr.peers.includes(from)) mdr.peers.push(from);
  mdr.waiting_on_peer = mdr.waiting_on_peer.filter((r) => r !== from);
  if (mdr.waiting_on_peer.length > 0) return;
  if (mdr.aborted) request_finish(ctx, mdr); // killed while it waited: OP_FINISH to its peers now
  else dispatch_request(ctx, mdr);
}
