// Read locks: Locker::_rdlock_kick, rdlock_start, rdlock_finish.
import { LOCK_EXCL } from '../../statemachines/index.js';
import { WAIT_RD, WAIT_STABLE, type SimpleLock, type ScatterLock } from '../locks/index.js';
import { LOCK_AC_REQRDLOCK } from '../messages/index.js';
import type { MDRequest } from '../request/MDRequest.js';
import { RDLOCK } from '../request/LockOp.js';
import { inodeOf, log, parentOf, refOf, sendToAuth, type Ctx } from './context.js';
import { auth_takes_requests } from './peerState.js';
import { get_target_loner } from './loner.js';
import type { NeedIssue } from './issue.js';
import { add_waiter } from './waiters.js';
import { simple_sync } from './simple.js';
import { file_xsyn } from './file.js';
import { eval_gather } from './eval_gather.js';
import { try_eval } from './eval.js';

/** Locker::_rdlock_kick: true if a local state change was started. */
export function _rdlock_kick(ctx: Ctx, lock: SimpleLock, as_anon: boolean): boolean {
  if (!lock.is_stable()) return false;
  if (!lock.auth) {
    // no REQRDLOCK to an auth that is not back: the waiter is woken by the rejoin ack
    if (auth_takes_requests(ctx, parentOf(ctx, lock).authority)) sendToAuth(ctx, lock, LOCK_AC_REQRDLOCK);
    return false;
  }
  if (lock.lt.sm.name === 'sm_filelock') {
    const inode = inodeOf(ctx, lock)!;
    if (lock.state === LOCK_EXCL && get_target_loner(inode) >= 0 && !inode.is_dir && !as_anon) file_xsyn(ctx, lock as ScatterLock);
    else simple_sync(ctx, lock);
  } else {
    simple_sync(ctx, lock);
  }
  return true;
}

/** Locker::rdlock_start. A replica, or an unstable lock, waits for WAIT_STABLE. */
export function rdlock_start(ctx: Ctx, lock: SimpleLock, mdr: MDRequest): boolean {
  for (;;) {
    if (lock.can_rdlock(mdr.client)) {
      lock.get_rdlock();
      mdr.addHeld(refOf(lock), RDLOCK);
      log(ctx, 'rdlock_start', lock);
      return true;
    }
    if (!_rdlock_kick(ctx, lock, false)) break;
  }
  add_waiter(ctx, lock, lock.auth && lock.is_stable() ? WAIT_RD : WAIT_STABLE, mdr.reqid);
  return false;
}

/** Locker::rdlock_finish. */
export function rdlock_finish(ctx: Ctx, lock: SimpleLock, mdr: MDRequest, pneed_issue: NeedIssue | null): void {
  lock.put_rdlock();
  mdr.removeHeld(refOf(lock), RDLOCK);
  log(ctx, 'rdlock_finish', lock);
  if (!lock.is_rdlocked()) {
    if (!lock.is_stable()) eval_gather(ctx, lock, false, pneed_issue);
    else if (lock.auth) try_eval(ctx, lock, pneed_issue);
  }
}
