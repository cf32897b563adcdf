// Local locks (DVERSION, IVERSION): counters only, never replicated, no state changes.
// Locker::local_wrlock_grab / local_wrlock_start / local_wrlock_finish / local_xlock_start /
// local_xlock_finish. A waiting xlock does not block new wrlocks (no fairness).
import { WAIT_RD, WAIT_WR, WAIT_XLOCK, type LocalLock } from '../locks/index.js';
import type { MDRequest } from '../request/MDRequest.js';
import { WRLOCK, XLOCK } from '../request/LockOp.js';
import { assertMds, log, refOf, type Ctx } from './context.js';
import { add_waiter, finish_waiters } from './waiters.js';

export function local_wrlock_grab(ctx: Ctx, lock: LocalLock, mdr: MDRequest): void {
  assertMds(ctx, lock.can_wrlock(), `local_wrlock_grab on xlocked ${lock.lt.name} ${lock.parent}`);
  lock.get_wrlock_client(mdr.client);
  mdr.addHeld(refOf(lock), WRLOCK);
  log(ctx, 'local_wrlock_grab', lock);
}

export function local_wrlock_start(ctx: Ctx, lock: LocalLock, mdr: MDRequest): boolean {
  if (lock.can_wrlock()) {
    lock.get_wrlock_client(mdr.client);
    mdr.addHeld(refOf(lock), WRLOCK);
    log(ctx, 'local_wrlock_start', lock);
    return true;
  }
  add_waiter(ctx, lock, WAIT_WR, mdr.reqid);
  return false;
}

export function local_wrlock_finish(ctx: Ctx, lock: LocalLock, mdr: MDRequest): void {
  lock.put_wrlock();
  mdr.removeHeld(refOf(lock), WRLOCK);
  log(ctx, 'local_wrlock_finish', lock);
  if (lock.num_wrlock === 0) finish_waiters(ctx, lock, WAIT_XLOCK);
}

export function local_xlock_start(ctx: Ctx, lock: LocalLock, mdr: MDRequest): boolean {
  if (!lock.can_xlock_local()) {
    add_waiter(ctx, lock, WAIT_XLOCK, mdr.reqid);
    return false;
  }
  lock.get_xlock(mdr.reqid, mdr.client);
  mdr.addHeld(refOf(lock), XLOCK);
  log(ctx, 'local_xlock_start', lock);
  return true;
}

export function local_xlock_finish(ctx: Ctx, lock: LocalLock, mdr: MDRequest): void {
  lock.put_xlock();
  mdr.removeHeld(refOf(lock), XLOCK);
  log(ctx, 'local_xlock_finish', lock);
  finish_waiters(ctx, lock, WAIT_XLOCK | WAIT_WR | WAIT_RD);
}
