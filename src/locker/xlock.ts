// Exclusive locks: Locker::xlock_start (auth path and remote xlock), xlock_finish,
// _finish_xlock, set_xlocks_done, cancel_locking.
import {
  LOCK_LOCK, LOCK_XLOCK, LOCK_XLOCKDONE, LOCK_LOCK_XLOCK, LOCK_PREXLOCK, LOCK_XLOCKSNAP, LOCK_EXCL,
  CEPH_LOCK_DN, CEPH_LOCK_DVERSION, CEPH_LOCK_ISNAP, CEPH_LOCK_IPOLICY, CEPH_LOCK_IFILE,
} from '../../statemachines/index.js';
import { WAIT_RD, WAIT_STABLE, WAIT_WR, type LocalLock, type SimpleLock } from '../locks/index.js';
import { OP_XLOCK, OP_UNXLOCK } from '../messages/index.js';
import type { MDRequest } from '../request/MDRequest.js';
import { XLOCK, lockRefName, sameLock, type LockRef } from '../request/LockOp.js';
import { assertMds, inodeOf, lockOf, log, parentOf, refOf, send, type Ctx } from './context.js';
import { peer_active, peer_rejoined, wait_for_active_peer } from './peerState.js';
import { issued_caps_need_gather } from './caps.js';
import { need_issue, type NeedIssue } from './issue.js';
import { get_target_loner } from './loner.js';
import { add_waiter, finish_waiters, is_waiter_for } from './waiters.js';
import { local_xlock_finish, local_xlock_start } from './local.js';
import { kick_object, WAIT_FROZEN } from './freeze.js';
import { simple_lock, simple_xlock } from './simple.js';
import { eval_gather } from './eval_gather.js';
import { try_eval } from './eval.js';
import { rule } from '../rules/active.js';

const isLocal = (lock: SimpleLock) => lock.lt.cls === 'LocalLock';

/** Locker::xlock_start. On a replica, the remote xlock path (OP_XLOCK to the auth). */
export function xlock_start(ctx: Ctx, lock: SimpleLock, mdr: MDRequest): boolean {
  if (isLocal(lock)) return local_xlock_start(ctx, lock as LocalLock, mdr);
  const client = mdr.client;
  if (lock.auth) {
    const inode = lock.lt.capShift > 0 ? inodeOf(ctx, lock) : null;
    // the request records that it moves the lock toward PREXLOCK, so cancel_locking can undo it
    const bracketed = !rule('xlock-unbracketed');
    for (;;) {
      // Ceph tests only that the request is locking something: acquire_locks has cancelled
      // any other lock in progress before calling here.
      if ((mdr.locking !== null || !bracketed) && lock.can_xlock(client) &&
        !(lock.state === LOCK_LOCK_XLOCK && inode && issued_caps_need_gather(ctx, inode, lock))) {
        lock.set_state(LOCK_XLOCK);
        lock.get_xlock(mdr.reqid, client);
        mdr.addHeld(refOf(lock), XLOCK);
        if (bracketed) finish_locking(ctx, mdr, refOf(lock));
        log(ctx, 'xlock_start', lock);
        return true;
      }
      if (!lock.is_stable() && !(lock.state === LOCK_XLOCKDONE && lock.xlock_by_client === client &&
        !is_waiter_for(ctx, lock, WAIT_STABLE))) break;
      if (lock.state === LOCK_XLOCKDONE && lock.type === CEPH_LOCK_IFILE) break;
      if (lock.state === LOCK_LOCK || lock.state === LOCK_XLOCKDONE) {
        if (bracketed) start_locking(ctx, mdr, lock);
        simple_xlock(ctx, lock);
      } else {
        simple_lock(ctx, lock);
      }
    }
    add_waiter(ctx, lock, WAIT_WR | WAIT_STABLE, mdr.reqid);
    return false;
  }
  // replica: remote xlock
  assertMds(ctx, lock.sm.can_remote_xlock, `xlock_start: ${lock.lt.name} cannot be xlocked remotely (only sm_simplelock)`);
  assertMds(ctx, !mdr.is_peer(), `xlock_start: peer request ${mdr.reqid} asks for a remote xlock`);
  const auth = parentOf(ctx, lock).authority;
  if (!peer_active(ctx, auth)) {
    if (mdr.waiting_on_peer.length === 0) wait_for_active_peer(ctx, auth, mdr.reqid);
    return false;
  }
  if (!mdr.peers.includes(auth)) mdr.peers.push(auth);
  start_locking(ctx, mdr, lock, auth);
  send(ctx, { kind: 'peer', from: ctx.mds.id, to: auth, op: OP_XLOCK, reqid: mdr.reqid, lockType: lock.type, path: lock.parent });
  assertMds(ctx, !mdr.waiting_on_peer.includes(auth), `xlock_start: ${mdr.reqid} already waits on mds.${auth}`);
  mdr.waiting_on_peer.push(auth);
  return false;
}

/** Locker::_finish_xlock: the last xlock went away on the auth. Its caller issues the caps (`pneed_issue`). */
export function _finish_xlock(ctx: Ctx, lock: SimpleLock, xlocker: number, pneed_issue: NeedIssue): void {
  const t = lock.type;
  if (t !== CEPH_LOCK_DN && t !== CEPH_LOCK_ISNAP && t !== CEPH_LOCK_IPOLICY &&
    !lock.is_rdlocked() && !lock.is_wrlocked() && !lock.is_leased() && lock.state !== LOCK_XLOCKSNAP) {
    const inode = inodeOf(ctx, lock);
    const loner = inode ? get_target_loner(inode) : -1;
    if (inode && loner >= 0 && (xlocker < 0 || xlocker === loner)) {
      lock.set_state(LOCK_EXCL);
      parentOf(ctx, lock).auth_unpin();
      kick_object(ctx, parentOf(ctx, lock), WAIT_FROZEN);
      log(ctx, '_finish_xlock', lock);
      finish_waiters(ctx, lock, WAIT_STABLE | WAIT_WR | WAIT_RD);
      if (lock.lt.capShift > 0) need_issue(ctx, inode, pneed_issue);
      if (lock.is_stable()) try_eval(ctx, lock, pneed_issue);
      return;
    }
  }
  eval_gather(ctx, lock, lock.state !== LOCK_XLOCKSNAP, pneed_issue);
}

/** Locker::xlock_finish: caps to issue go to `pneed_issue`, or are issued here. */
export function xlock_finish(ctx: Ctx, lock: SimpleLock, mdr: MDRequest, pneed_issue: NeedIssue | null): void {
  if (isLocal(lock)) return local_xlock_finish(ctx, lock as LocalLock, mdr);
  const xlocker = lock.xlock_by_client;
  lock.put_xlock();
  mdr.removeHeld(refOf(lock), XLOCK);
  log(ctx, 'xlock_finish', lock);
  if (!lock.auth) {
    // a remote xlock released explicitly by its leader
    const auth = parentOf(ctx, lock).authority;
    if (peer_rejoined(ctx, auth)) send(ctx, { kind: 'peer', from: ctx.mds.id, to: auth, op: OP_UNXLOCK, reqid: mdr.reqid, lockType: lock.type, path: lock.parent });
    finish_waiters(ctx, lock, WAIT_STABLE | WAIT_WR | WAIT_RD);
  } else if (lock.num_xlock === 0 && lock.state !== LOCK_LOCK_XLOCK) {
    const do_issue: NeedIssue = [];
    _finish_xlock(ctx, lock, xlocker, do_issue);
    const inode = do_issue.length > 0 ? inodeOf(ctx, lock) : null;
    if (inode) need_issue(ctx, inode, pneed_issue);
  }
}

/** Locker::set_xlocks_done: the request sent its early (unsafe) reply; a rename's dentry xlocks stay (skip_dentry). */
export function set_xlocks_done(ctx: Ctx, mdr: MDRequest, skip_dentry = false): void {
  for (const op of mdr.locks) {
    if (!(op.flags & XLOCK)) continue;
    if (skip_dentry && (op.lock.type === CEPH_LOCK_DN || op.lock.type === CEPH_LOCK_DVERSION)) continue;
    const lock = lockOf(ctx, op.lock);
    assertMds(ctx, lock.auth, `set_xlocks_done: ${lock.lt.name} ${lock.parent} is not auth here`);
    lock.set_xlock_done();
    log(ctx, 'set_xlocks_done', lock);
  }
  mdr.early_replied = true;
}

/** Locker::cancel_locking: abandon the lock this request is in the middle of acquiring; caps to issue go to the caller's set. */
export function cancel_locking(ctx: Ctx, mdr: MDRequest, pneed_issue: NeedIssue): void {
  const ref = mdr.locking;
  if (!ref) return;
  const lock = lockOf(ctx, ref);
  if (lock.auth) {
    const need: NeedIssue = [];
    if (lock.state === LOCK_PREXLOCK) {
      _finish_xlock(ctx, lock, -1, need);
    } else if (lock.state === LOCK_LOCK_XLOCK) {
      lock.set_state(LOCK_XLOCKDONE);
      log(ctx, 'cancel_locking', lock);
      eval_gather(ctx, lock, true, need);
    }
    const inode = need.length > 0 ? inodeOf(ctx, lock) : null;
    if (inode) need_issue(ctx, inode, pneed_issue);
  }
  finish_locking(ctx, mdr, ref);
}

/** MutationImpl::start_locking: one lock at a time (Ceph asserts). */
export function start_locking(ctx: Ctx, mdr: MDRequest, lock: SimpleLock, target = -1): void {
  assertMds(ctx, mdr.locking === null, `start_locking ${lock.lt.name} ${lock.parent}: ${mdr.reqid} is already locking`);
  mdr.locking = refOf(lock);
  mdr.locking_target_mds = target;
}

/** MutationImpl::finish_locking: the lock it was locking, and no other (Ceph asserts). */
export function finish_locking(ctx: Ctx, mdr: MDRequest, ref: LockRef): void {
  assertMds(ctx, mdr.locking !== null && sameLock(mdr.locking, ref), `finish_locking ${lockRefName(ref)}: ${mdr.reqid} is locking ${mdr.locking ? lockRefName(mdr.locking) : 'nothing'}`);
  mdr.locking = null;
}
