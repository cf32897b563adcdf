// Peer requests (Server::handle_peer_request, handle_peer_auth_pin and the leader's
// handle_peer_request_reply / handle_peer_auth_pin_ack), as far as locking needs them.
import { parseReqid } from '../cluster/names.js';
import {
  OP_AUTHPIN, OP_AUTHPINACK, OP_XLOCK, OP_XLOCKACK, OP_WRLOCK, OP_WRLOCKACK, OP_UNXLOCK,
  OP_UNWRLOCK, OP_DROPLOCKS, OP_FINISH, OP_LINKPREP, OP_UNLINKPREP, OP_RMDIRPREP, OP_RENAMEPREP,
  OP_RENAMENOTIFY, OP_RENAMENOTIFYACK, OP_LINKPREPACK, OP_RMDIRPREPACK, OP_RENAMEPREPACK, OP_COMMITTED,
  type MMDSPeerRequest,
} from '../messages/index.js';
import { handle_client_request } from '../server/dispatch.js';
import { handle_peer_prep, handle_prep_ack, peer_commit } from '../server/peerPrep.js';
import { MDRequest } from '../request/MDRequest.js';
import { REMOTE_WRLOCK, XLOCK, WRLOCK, type LockRef } from '../request/LockOp.js';
import { assertMds, lockOf, log, requestEvent, send, type Ctx } from './context.js';
import { dispatch_peer_request, dispatch_request } from './dispatch.js';
import { decode_from_auth } from './scatterData.js';
import { drop_locks, drop_local_auth_pins } from './acquire.js';
import { add_object_waiter, can_auth_pin, unfreeze, WAIT_FROZEN, WAIT_UNFREEZE } from './freeze.js';
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
    case OP_AUTHPIN: return handle_peer_auth_pin(ctx, peer_request(ctx, m), m);
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
      if (mdr.peer_prep?.phase === 'prepared') return peer_commit(ctx, mdr); // a witness commits first
      return peer_cleanup(ctx, mdr);
    }
    case OP_LINKPREP: case OP_UNLINKPREP: case OP_RMDIRPREP: case OP_RENAMEPREP:
      return handle_peer_prep(ctx, peer_request(ctx, m), m);
    case OP_RENAMENOTIFY:
      // a bystander answers at once: the ack orders every earlier message from the srcdn auth before it
      send(ctx, { kind: 'peer', from: ctx.mds.id, to: m.from, op: OP_RENAMENOTIFYACK, reqid: m.reqid });
      return;
    case OP_RENAMENOTIFYACK: {
      const mdr = ctx.mds.requests[m.reqid];
      if (!mdr) return;
      mdr.waiting_on_peer = mdr.waiting_on_peer.filter((r) => r !== m.from);
      if (mdr.waiting_on_peer.length === 0 && mdr.peer_request_msg) handle_peer_request(ctx, mdr.peer_request_msg);
      return;
    }
    case OP_LINKPREPACK: case OP_RMDIRPREPACK: case OP_RENAMEPREPACK: {
      const mdr = ctx.mds.requests[m.reqid];
      if (!mdr || mdr.status === 'finished') return;
      return handle_prep_ack(ctx, mdr, m);
    }
    case OP_COMMITTED: return; // the leader's record of uncommitted peers: recovery bookkeeping only
    // ---- on the leader ----
    case OP_AUTHPINACK: {
      const mdr = ctx.mds.requests[m.reqid];
      if (!mdr || mdr.status === 'finished') return;
      if (m.blocked) {
        // Server::handle_peer_auth_pin_ack, REQBLOCKED: the pin waits on a frozen object; let go of every lock meanwhile
        drop_locks(ctx, mdr);
        requestEvent(ctx, mdr.reqid, `mds.${m.from} cannot auth-pin yet: drops its locks while it waits`);
        return;
      }
      for (const p of Object.keys(mdr.remote_auth_pins)) if (mdr.remote_auth_pins[p] === m.from) delete mdr.remote_auth_pins[p];
      for (const p of m.objects ?? []) mdr.remote_auth_pins[p] = m.from;
      if (m.authpin_freeze) mdr.remote_frozen = m.authpin_freeze;
      else if (mdr.remote_frozen && mdr.remote_auth_pins[mdr.remote_frozen] === m.from) mdr.remote_frozen = null;
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

/**
 * Server::handle_peer_auth_pin: pin the objects for the leader, freezing the rename's inode
 * if asked (freeze_auth_pin). An object frozen by another request makes the peer let go of its
 * pins and wait; a leader that holds locks is told once (REQBLOCKED) so it drops them.
 */
export function handle_peer_auth_pin(ctx: Ctx, mdr: MDRequest, m: MMDSPeerRequest): void {
  const objects = (m.objects ?? []).map((k) => ctx.mds.object(k)).filter((o) => o !== undefined && o.is_auth());
  const blocked = objects.find((o) => !mdr.auth_pins.includes(o!.key) && !can_auth_pin(ctx.mds, o!, mdr.reqid));
  if (blocked) {
    const notify = m.notify_blocking && mdr.peer_request_msg !== m;
    mdr.peer_request_msg = m;
    add_object_waiter(blocked, WAIT_UNFREEZE, mdr.reqid);
    drop_local_auth_pins(ctx, mdr);
    requestEvent(ctx, mdr.reqid, `waits to auth-pin ${blocked.key}, frozen by ${blocked.frozen_by}`, true);
    if (notify) send(ctx, { kind: 'peer', from: ctx.mds.id, to: m.from, op: OP_AUTHPINACK, reqid: m.reqid, blocked: true });
    return;
  }
  mdr.peer_request_msg = null;
  for (const obj of objects) {
    if (mdr.auth_pins.includes(obj!.key)) continue;
    obj!.auth_pin();
    mdr.auth_pins.push(obj!.key);
  }
  let frozen: string | undefined;
  if (m.authpin_freeze) {
    const obj = ctx.mds.object(m.authpin_freeze);
    if (obj?.is_auth()) {
      // MDRequestImpl::freeze_auth_pin: freeze_inode(1), so no new pin is taken, and wait for
      // every other pin (requests', unstable locks') to go before acknowledging
      obj.frozen_by = mdr.reqid;
      mdr.freeze_authpin = frozen = obj.key;
      if (obj.auth_pins > 1) {
        mdr.peer_request_msg = m;
        add_object_waiter(obj, WAIT_FROZEN, mdr.reqid);
        requestEvent(ctx, mdr.reqid, `freezing ${obj.key}: waits for ${obj.auth_pins - 1} other auth pin(s) to go`, true);
        return;
      }
      mdr.peer_request_msg = null;
    }
  }
  send(ctx, { kind: 'peer', from: ctx.mds.id, to: m.from, op: OP_AUTHPINACK, reqid: m.reqid, objects: [...mdr.auth_pins], ...(frozen ? { authpin_freeze: frozen } : {}) });
}

/**
 * MDCache::request_finish of a peer request: its locks and pins go; a client request for the
 * same reqid that arrived meanwhile (a forward that won the race) is handled now.
 */
export function peer_cleanup(ctx: Ctx, mdr: MDRequest): void {
  mdr.peer_op = null;
  mdr.peer_request_msg = null;
  mdr.status = 'finished';
  drop_locks(ctx, mdr);
  drop_local_auth_pins(ctx, mdr);
  // an aborted rename's prepared freeze (Ceph's rollback unfreezes it; mdslock does not roll back)
  const frozen = mdr.frozen_inode ? ctx.mds.object(mdr.frozen_inode) : undefined;
  if (frozen?.frozen_by === mdr.reqid) unfreeze(ctx, frozen);
  delete ctx.mds.requests[mdr.reqid];
  requestEvent(ctx, mdr.reqid, 'finished', true);
  for (const w of mdr.waiting_for_finish) handle_client_request(ctx, mdr.reqid, w.client, w.op, w.num_fwd);
}

function peer_replied(ctx: Ctx, mdr: MDRequest, from: number): void {
  if (!mdr.peers.includes(from)) mdr.peers.push(from);
  mdr.waiting_on_peer = mdr.waiting_on_peer.filter((r) => r !== from);
  if (mdr.waiting_on_peer.length > 0) return;
  dispatch_request(ctx, mdr);
}
