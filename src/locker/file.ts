// Filelock-only transitions: Locker::file_excl, file_xsyn. Reachable once a loner exists.
import { LOCK_XSYN, LOCK_EXCL, LOCK_LOCK_EXCL, LOCK_XSYN_EXCL } from '../../statemachines/index.js';
import { WAIT_RD, WAIT_STABLE, type ScatterLock } from '../locks/index.js';
import { LOCK_AC_LOCK } from '../messages/index.js';
import { assertMds, inodeOf, log, mark, parentOf, sendToReplicas, type Ctx } from './context.js';
import { gather_caps, issue_if_caps, type NeedIssue } from './issue.js';
import { revoke_client_leases } from './leases.js';
import { finish_waiters } from './waiters.js';
import { transition } from './simple.js';

/** Locker::file_excl: -> EXCL for the loner. Wakes no waiters (callers loop). */
export function file_excl(ctx: Ctx, lock: ScatterLock, need: NeedIssue | null = null): void {
  const obj = parentOf(ctx, lock);
  const inode = inodeOf(ctx, lock)!;
  assertMds(ctx, lock.auth && lock.is_stable(), `file_excl on ${lock.parent}: not auth or not stable`);
  const noReplicaWants = Object.keys(inode.mds_caps_wanted).length === 0;
  assertMds(ctx, (inode.loner_cap >= 0 && noReplicaWants) || lock.state === LOCK_XSYN, `file_excl on ${lock.parent}: ${inode.loner_cap < 0 ? 'no loner' : 'a replica wants caps'}`);
  const at = mark(ctx);
  transition(ctx, 'file_excl', lock);
  const to = lock.state;
  let gather = (lock.is_rdlocked() ? 1 : 0) + (lock.is_wrlocked() ? 1 : 0);
  if (obj.is_replicated() && to !== LOCK_LOCK_EXCL && to !== LOCK_XSYN_EXCL) {
    sendToReplicas(ctx, lock, LOCK_AC_LOCK);
    lock.init_gather(obj.replicas);
    gather++;
  }
  if (lock.is_leased()) { revoke_client_leases(ctx, lock); gather++; }
  gather += gather_caps(ctx, lock, need);
  log(ctx, 'file_excl', lock, at);
  if (gather > 0) {
    obj.auth_pin();
  } else {
    lock.set_state(LOCK_EXCL);
    log(ctx, 'file_excl', lock);
    issue_if_caps(ctx, lock, need);
  }
}

/** Locker::file_xsyn: EXCL -> XSYN, so the MDS may read attributes while the loner keeps Fcb. */
export function file_xsyn(ctx: Ctx, lock: ScatterLock, need: NeedIssue | null = null): void {
  const obj = parentOf(ctx, lock);
  const inode = inodeOf(ctx, lock)!;
  assertMds(ctx, lock.auth && inode.loner_cap >= 0 && Object.keys(inode.mds_caps_wanted).length === 0,
    `file_xsyn on ${lock.parent}: needs auth, a loner and no replica wanting caps`);
  const at = mark(ctx);
  transition(ctx, 'file_xsyn', lock);
  let gather = lock.is_wrlocked() ? 1 : 0;
  gather += gather_caps(ctx, lock, need);
  log(ctx, 'file_xsyn', lock, at);
  if (gather > 0) {
    obj.auth_pin();
  } else {
    lock.set_state(LOCK_XSYN);
    log(ctx, 'file_xsyn', lock);
    finish_waiters(ctx, lock, WAIT_RD | WAIT_STABLE);
    issue_if_caps(ctx, lock, need);
  }
}
