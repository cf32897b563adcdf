// Running requests: MDCache::dispatch_request for leaders (re-run acquire_locks from the top,
// as C_MDS_RetryRequest does) and Server::dispatch_peer_request for peers.
import type { MDRequest } from '../request/MDRequest.js';
import { RDLOCK, WRLOCK, XLOCK } from '../request/LockOp.js';
import { OP_XLOCK, OP_XLOCKACK, OP_WRLOCKACK } from '../messages/index.js';
import { assertMds, lockOf, requestEvent, send, type Ctx } from './context.js';
import { acquire_locks } from './acquire.js';
import { encode_for_replica } from './scatterData.js';
import { dispatch_client_request } from '../server/dispatch.js';
import { handle_peer_request } from './peer.js';
import { lockOpText } from '../server/lockvec.js';
import { dispatch_export_dir } from '../migration/exporter.js';

export function retry_request(ctx: Ctx, reqid: string): void {
  const mdr = ctx.mds.requests[reqid];
  if (!mdr || mdr.status === 'finished') return; // a finished request's stale waiter
  dispatch_request(ctx, mdr);
}

export function dispatch_request(ctx: Ctx, mdr: MDRequest): void {
  assertMds(ctx, mdr.waiting_on_peer.length === 0, `dispatch of ${mdr.reqid} while it waits on a peer`);
  if (mdr.is_peer()) return dispatch_peer_request(ctx, mdr);
  if (mdr.client_request) return dispatch_client_request(ctx, mdr);
  if (mdr.export_dir !== null) return dispatch_export_dir(ctx, mdr);
  if (mdr.status === 'granted') return;
  if (acquire_locks(ctx, mdr, mdr.wanted)) {
    mdr.status = 'granted';
    requestEvent(ctx, mdr.reqid, 'granted');
  } else {
    requestEvent(ctx, mdr.reqid, 'waiting');
  }
}

/** Server::dispatch_peer_request for OP_XLOCK / OP_WRLOCK: lock, then acknowledge. */
export function dispatch_peer_request(ctx: Ctx, mdr: MDRequest): void {
  if (mdr.peer_request_msg) return handle_peer_request(ctx, mdr.peer_request_msg); // an auth pin or prepare that waited
  const pending = mdr.peer_op;
  if (!pending) return;
  const want = pending.op === OP_XLOCK ? XLOCK : WRLOCK;
  const ops = mdr.locks.filter((o) => o.flags & (XLOCK | WRLOCK) && !(o.flags & RDLOCK))
    .map((o) => ({ lock: o.lock, flags: o.flags & (XLOCK | WRLOCK), wrlock_target: -1 }));
  ops.push({ lock: pending.lock, flags: want, wrlock_target: -1 });
  requestEvent(ctx, mdr.reqid, `acquire_locks: ${ops.map(lockOpText).join(', ')}`, true);
  if (!acquire_locks(ctx, mdr, ops)) {
    requestEvent(ctx, mdr.reqid, 'waiting', true);
    return;
  }
  mdr.peer_op = null;
  const lock = lockOf(ctx, pending.lock);
  send(ctx, {
    kind: 'peer', from: ctx.mds.id, to: mdr.peer_to, op: want === XLOCK ? OP_XLOCKACK : OP_WRLOCKACK,
    reqid: mdr.reqid, lockType: pending.lock.type, path: pending.lock.path,
    data: want === XLOCK ? encode_for_replica(lock) : null,
  });
}
