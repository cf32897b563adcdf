// Starting simplelock-style transitions (auth only, lock stable): Locker::simple_sync,
// simple_lock, simple_excl, simple_xlock. Each enters the transitional state, counts what
// must be gathered, messages replicas, and either auth-pins and waits or finishes at once.
import {
  LOCK_SYNC, LOCK_LOCK, LOCK_MIX, LOCK_EXCL, LOCK_TSYN, LOCK_MIX_LOCK, LOCK_MIX_LOCK2,
  LOCK_LOCK_EXCL, LOCK_XSYN_EXCL, LOCK_PREXLOCK, STARTERS, stateName,
} from '../../statemachines/index.js';
import { WAIT_RD, WAIT_STABLE, WAIT_WR, WAIT_XLOCK, type SimpleLock } from '../locks/index.js';
import { LOCK_AC_SYNC, LOCK_AC_LOCK } from '../messages/index.js';
import { assertMds, isScatter, log, mark, parentOf, sendToReplicas, type Ctx } from './context.js';
import { gather_caps, issue_if_caps, type NeedIssue } from './issue.js';
import { revoke_client_leases } from './leases.js';
import { finish_waiters } from './waiters.js';
import { encode_for_replica } from './scatterData.js';
import { scatter_writebehind } from './scatter.js';

/** Enter the transitional state STARTERS[fn] gives for the current state (or abort, as Ceph). */
export function transition(ctx: Ctx, fn: string, lock: SimpleLock): number {
  const to = STARTERS[fn][lock.state];
  assertMds(ctx, to !== undefined, `${fn} on ${lock.lt.name} ${lock.parent} in state ${stateName(lock.state)}`);
  const old = lock.state;
  lock.set_state(to);
  return old;
}


/** Locker::simple_sync: -> SYNC. True if SYNC was reached at once. */
export function simple_sync(ctx: Ctx, lock: SimpleLock, need: NeedIssue | null = null): boolean {
  assertMds(ctx, lock.auth && lock.is_stable(), `simple_sync on ${lock.lt.name} ${lock.parent}: not auth or not stable`);
  const obj = parentOf(ctx, lock);
  const old = lock.state;
  if (old !== LOCK_TSYN) {
    const at = mark(ctx);
    transition(ctx, 'simple_sync', lock);
    let gather = 0;
    if (lock.is_wrlocked()) gather++;
    if (obj.is_replicated() && old === LOCK_MIX) {
      sendToReplicas(ctx, lock, LOCK_AC_SYNC);
      lock.init_gather(obj.replicas);
      gather++;
    }
    gather += gather_caps(ctx, lock, need);
    log(ctx, 'simple_sync', lock, at);
    if (gather === 0 && isScatter(lock) && lock.is_dirty()) {
      obj.auth_pin();
      scatter_writebehind(ctx, lock);
      return false;
    }
    if (gather > 0) {
      obj.auth_pin();
      return false;
    }
  }
  const at = mark(ctx);
  if (obj.is_replicated()) sendToReplicas(ctx, lock, LOCK_AC_SYNC, encode_for_replica(lock));
  lock.set_state(LOCK_SYNC);
  log(ctx, 'simple_sync', lock, at);
  finish_waiters(ctx, lock, WAIT_RD | WAIT_STABLE);
  issue_if_caps(ctx, lock, need);
  return true;
}

/** Locker::simple_lock: -> LOCK. Wrlocks and xlocks are not counted (quirk Q5). Finishing at once issues no caps. */
export function simple_lock(ctx: Ctx, lock: SimpleLock, need: NeedIssue | null = null): void {
  assertMds(ctx, lock.auth && lock.is_stable() && lock.state !== LOCK_LOCK, `simple_lock on ${lock.lt.name} ${lock.parent}: not auth, unstable or already lock`);
  const obj = parentOf(ctx, lock);
  let at = mark(ctx);
  const old = transition(ctx, 'simple_lock', lock);
  if (old === LOCK_MIX && isScatter(lock)) lock.clear_unscatter_wanted();
  let gather = 0;
  if (lock.is_leased()) {
    gather++;
    revoke_client_leases(ctx, lock);
  }
  if (lock.is_rdlocked()) gather++;
  gather += gather_caps(ctx, lock, need);
  if (obj.is_replicated() && lock.state === LOCK_MIX_LOCK && gather > 0) {
    // local stage first: eval_gather sends AC_LOCK and moves to mix->lock(2)
  } else {
    if (lock.state === LOCK_MIX_LOCK) {
      log(ctx, 'simple_lock', lock, at);
      at = mark(ctx);
      lock.set_state(LOCK_MIX_LOCK2);
    }
    if (obj.is_replicated() && lock.sm.states[old].replica_state !== LOCK_LOCK) {
      gather++;
      sendToReplicas(ctx, lock, LOCK_AC_LOCK);
      lock.init_gather(obj.replicas);
    }
  }
  log(ctx, 'simple_lock', lock, at);
  if (gather === 0 && isScatter(lock) && lock.is_dirty()) {
    obj.auth_pin();
    scatter_writebehind(ctx, lock);
    return;
  }
  if (gather > 0) {
    obj.auth_pin();
  } else {
    lock.set_state(LOCK_LOCK);
    log(ctx, 'simple_lock', lock);
    finish_waiters(ctx, lock, WAIT_XLOCK | WAIT_WR | WAIT_STABLE);
  }
}

/** Locker::simple_excl: -> EXCL (cap-bearing inode locks, for a loner). */
export function simple_excl(ctx: Ctx, lock: SimpleLock, need: NeedIssue | null = null): void {
  assertMds(ctx, lock.auth && lock.is_stable(), `simple_excl on ${lock.lt.name} ${lock.parent}: not auth or not stable`);
  const obj = parentOf(ctx, lock);
  const at = mark(ctx);
  transition(ctx, 'simple_excl', lock);
  let gather = (lock.is_rdlocked() ? 1 : 0) + (lock.is_wrlocked() ? 1 : 0);
  if (obj.is_replicated() && lock.state !== LOCK_LOCK_EXCL && lock.state !== LOCK_XSYN_EXCL) {
    sendToReplicas(ctx, lock, LOCK_AC_LOCK);
    lock.init_gather(obj.replicas);
    gather++;
  }
  gather += gather_caps(ctx, lock, need);
  log(ctx, 'simple_excl', lock, at);
  if (gather > 0) {
    obj.auth_pin();
  } else {
    lock.set_state(LOCK_EXCL);
    log(ctx, 'simple_excl', lock);
    finish_waiters(ctx, lock, WAIT_WR | WAIT_STABLE);
    issue_if_caps(ctx, lock, need);
  }
}

/** Locker::simple_xlock (only from xlock_start): LOCK or XLOCKDONE -> lock->xlock -> prexlock. Revokes at once. */
export function simple_xlock(ctx: Ctx, lock: SimpleLock): void {
  assertMds(ctx, lock.auth, `simple_xlock on replica ${lock.lt.name} ${lock.parent}`);
  const obj = parentOf(ctx, lock);
  if (lock.is_stable()) obj.auth_pin();
  const at = mark(ctx);
  transition(ctx, 'simple_xlock', lock);
  let gather = (lock.is_rdlocked() ? 1 : 0) + (lock.is_wrlocked() ? 1 : 0);
  gather += gather_caps(ctx, lock, null);
  log(ctx, 'simple_xlock', lock, at);
  if (gather === 0) {
    lock.set_state(LOCK_PREXLOCK);
    log(ctx, 'simple_xlock', lock);
  }
}
