// Write locks: Locker::wrlock_start, wrlock_try, wrlock_force, wrlock_finish, and the
// leader side of remote wrlocks (remote_wrlock_start / remote_wrlock_finish).
import { LOCK_MIX } from '../../statemachines/index.js';
import { WAIT_STABLE, type LocalLock, type SimpleLock, type ScatterLock } from '../locks/index.js';
import { LOCK_AC_REQSCATTER, OP_WRLOCK, OP_UNWRLOCK } from '../messages/index.js';
import type { MDRequest } from '../request/MDRequest.js';
import { REMOTE_WRLOCK, STATE_PIN, WRLOCK, type LockOp, type LockRef } from '../request/LockOp.js';
import { assertMds, inodeOf, isScatter, lockOf, log, parentOf, refOf, send, sendToAuth, type Ctx } from './context.js';
import { auth_takes_requests, peer_active, peer_rejoined, wait_for_active_peer } from './peerState.js';
import { start_locking } from './xlock.js';
import { add_waiter } from './waiters.js';
import { local_wrlock_finish, local_wrlock_grab, local_wrlock_start } from './local.js';
import { scatter_mix } from './scatter.js';
import { simple_lock } from './simple.js';
import { eval_gather } from './eval_gather.js';
import { try_eval } from './eval.js';
import type { NeedIssue } from './issue.js';
import { rule } from '../rules/active.js';

const isLocal = (lock: SimpleLock) => lock.lt.cls === 'LocalLock';

/** Locker::wrlock_start. Waiters wait for WAIT_STABLE only. */
export function wrlock_start(ctx: Ctx, op: LockOp, lock: SimpleLock, mdr: MDRequest): boolean {
  if (isLocal(lock)) return local_wrlock_start(ctx, lock as LocalLock, mdr);
  assertMds(ctx, isScatter(lock), `wrlock_start on ${lock.lt.name} ${lock.parent}: simplelocks take wrlocks only by wrlock_force`);
  const client = op.flags & STATE_PIN ? lock.excl_client : mdr.client;
  const inode = inodeOf(ctx, lock)!;
  const want_scatter = lock.auth && (inode.has_subtree_or_exporting_dirfrag || lock.get_scatter_wanted());
  for (;;) {
    if (lock.can_wrlock(client) && (!want_scatter || lock.state === LOCK_MIX)) {
      lock.get_wrlock();
      mdr.addHeld(refOf(lock), WRLOCK | (op.flags & STATE_PIN));
      log(ctx, 'wrlock_start', lock);
      return true;
    }
    if (!lock.is_stable()) break;
    if (lock.auth) {
      if (want_scatter) scatter_mix(ctx, lock as ScatterLock);
      else simple_lock(ctx, lock);
    } else {
      // to an auth not back, no REQSCATTER and no wait for it: Ceph main parks the request on
      // the lock alone (the bug PR #71408 fixes by waiting for the auth and retrying)
      const auth = parentOf(ctx, lock).authority;
      if (auth_takes_requests(ctx, auth)) sendToAuth(ctx, lock, LOCK_AC_REQSCATTER);
      else if (rule('replica-wrlock-waits-for-active-auth')) {
        wait_for_active_peer(ctx, auth, mdr.reqid);
        return false;
      }
      break;
    }
  }
  add_waiter(ctx, lock, WAIT_STABLE, mdr.reqid);
  return false;
}

/** Locker::wrlock_try: never waits. */
export function wrlock_try(ctx: Ctx, lock: SimpleLock, mdr: MDRequest, client = mdr.client): boolean {
  for (;;) {
    if (lock.can_wrlock(client)) {
      lock.get_wrlock();
      mdr.addHeld(refOf(lock), WRLOCK);
      log(ctx, 'wrlock_try', lock);
      return true;
    }
    const inode = inodeOf(ctx, lock);
    if (!lock.is_stable() || !lock.auth || (isScatter(lock) && (lock.is_dirty() || lock.get_scatter_wanted())) ||
      (inode && inode.has_subtree_or_exporting_dirfrag)) return false;
    simple_lock(ctx, lock);
  }
}

/** Locker::wrlock_force: take a wrlock whatever the state (journaled cap updates). */
export function wrlock_force(ctx: Ctx, lock: SimpleLock, mdr: MDRequest): void {
  if (isLocal(lock)) return local_wrlock_grab(ctx, lock as LocalLock, mdr);
  lock.get_wrlock(true);
  // emplace_lock finds a remote wrlock's record: the WRLOCK flag must still be set on it
  if (!(rule('wrlock-force-keeps-record-flags') && mdr.findHeld(refOf(lock)))) mdr.addHeld(refOf(lock), WRLOCK);
  log(ctx, 'wrlock_force', lock);
}

/** Locker::wrlock_finish. */
export function wrlock_finish(ctx: Ctx, lock: SimpleLock, mdr: MDRequest, pneed_issue: NeedIssue | null): void {
  if (isLocal(lock)) return local_wrlock_finish(ctx, lock as LocalLock, mdr);
  lock.put_wrlock();
  mdr.removeHeld(refOf(lock), WRLOCK | STATE_PIN);
  log(ctx, 'wrlock_finish', lock);
  if (lock.is_wrlocked()) {
    if (!lock.is_stable() && isScatter(lock) && lock.is_flushed() && lock.auth) eval_gather(ctx, lock, false, pneed_issue);
  } else if (!lock.is_stable()) {
    eval_gather(ctx, lock, false, pneed_issue);
  } else if (lock.auth) {
    try_eval(ctx, lock, pneed_issue);
  }
}

/** Locker::remote_wrlock_start: ask the auth (`target`) for a wrlock held on its copy. */
export function remote_wrlock_start(ctx: Ctx, ref: LockRef, target: number, mdr: MDRequest): void {
  if (!peer_active(ctx, target)) {
    if (mdr.waiting_on_peer.length === 0) wait_for_active_peer(ctx, target, mdr.reqid);
    return;
  }
  start_locking(ctx, mdr, lockOf(ctx, ref), target);
  if (!mdr.peers.includes(target)) mdr.peers.push(target);
  send(ctx, { kind: 'peer', from: ctx.mds.id, to: target, op: OP_WRLOCK, reqid: mdr.reqid, lockType: ref.type, path: ref.path });
  assertMds(ctx, !mdr.waiting_on_peer.includes(target), `remote_wrlock_start: ${mdr.reqid} already waits on mds.${target}`);
  mdr.waiting_on_peer.push(target);
}

/** Locker::remote_wrlock_finish. */
export function remote_wrlock_finish(ctx: Ctx, lock: LockRef, target: number, mdr: MDRequest): void {
  mdr.removeHeld(lock, REMOTE_WRLOCK);
  if (peer_rejoined(ctx, target)) send(ctx, { kind: 'peer', from: ctx.mds.id, to: target, op: OP_UNWRLOCK, reqid: mdr.reqid, lockType: lock.type, path: lock.path });
}
