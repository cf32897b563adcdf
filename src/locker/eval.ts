// The evaluation entry points (auth policy): which stable state a lock should be in.
// Locker::try_eval(lock), eval(lock) -> simple_eval / scatter_eval / file_eval.
// Freezing, read-only file systems and file recovery are out of scope (README).
import {
  LOCK_SYNC, LOCK_LOCK, LOCK_MIX, LOCK_EXCL, CEPH_LOCK_INEST, CEPH_CAP_GEXCL, CEPH_CAP_GWR,
  CEPH_CAP_GBUFFER, CEPH_CAP_GRD,
} from '../../statemachines/index.js';
import { WAIT_WR, type SimpleLock, type ScatterLock } from '../locks/index.js';
import { inodeOf, isScatter, type Ctx } from './context.js';
import { caps_issued, caps_wanted, count_nonstale_caps, get_target_loner } from './caps.js';
import { is_waiter_for } from './waiters.js';
import { simple_sync, simple_lock, simple_excl } from './simple.js';
import { scatter_mix } from './scatter.js';
import { file_excl } from './file.js';

/** Locker::try_eval(SimpleLock*): auth only; honours a replica's pending scatter/unscatter wish. */
export function try_eval(ctx: Ctx, lock: SimpleLock): void {
  if (!lock.auth) return;
  if (isScatter(lock)) {
    if (lock.get_scatter_wanted() && lock.state !== LOCK_MIX) {
      scatter_mix(ctx, lock);
      if (!lock.is_stable()) return;
    } else if (lock.get_unscatter_wanted() && lock.state !== LOCK_LOCK) {
      simple_lock(ctx, lock);
      if (!lock.is_stable()) return;
    }
  }
  eval_lock(ctx, lock);
}

/** Locker::eval(SimpleLock*). */
export function eval_lock(ctx: Ctx, lock: SimpleLock): void {
  if (lock.lt.sm.name === 'sm_filelock') file_eval(ctx, lock as ScatterLock);
  else if (lock.lt.sm.name === 'sm_scatterlock') scatter_eval(ctx, lock as ScatterLock);
  else if (lock.lt.sm.name === 'sm_simplelock') simple_eval(ctx, lock);
}

/** Locker::simple_eval (auth, stable). */
export function simple_eval(ctx: Ctx, lock: SimpleLock): void {
  if (!lock.auth || !lock.is_stable()) return;
  // as in Ceph, the inode is consulted only for the cap-bearing locks
  const inode = lock.lt.capShift > 0 ? inodeOf(ctx, lock) : null;
  const wanted = inode ? caps_wanted(inode, lock.lt.capShift).loner : 0;
  if (lock.state !== LOCK_EXCL && inode && get_target_loner(inode) >= 0 && (wanted & CEPH_CAP_GEXCL)) {
    simple_excl(ctx, lock);
  } else if (lock.state !== LOCK_SYNC && !lock.is_wrlocked() &&
    ((!(wanted & CEPH_CAP_GEXCL) && !is_waiter_for(ctx, lock, WAIT_WR)) ||
      (lock.state === LOCK_EXCL && inode && get_target_loner(inode) < 0))) {
    simple_sync(ctx, lock);
  }
}

/** Locker::scatter_eval (auth, stable; INEST, IDFT). */
export function scatter_eval(ctx: Ctx, lock: ScatterLock): void {
  if (!lock.auth || !lock.is_stable()) return;
  const inode = inodeOf(ctx, lock)!;
  if (!lock.is_rdlocked() && lock.state !== LOCK_MIX && lock.get_scatter_wanted()) {
    scatter_mix(ctx, lock);
    return;
  }
  if (lock.type === CEPH_LOCK_INEST) {
    // rstat stays writable: MIX while replicated, LOCK otherwise
    if (!lock.is_rdlocked()) {
      if (inode.is_replicated()) { if (lock.state !== LOCK_MIX) scatter_mix(ctx, lock); }
      else if (lock.state !== LOCK_LOCK) simple_lock(ctx, lock);
    }
    return;
  }
  // IDFT: base inodes are not modelled, so only the delegation-point test applies
  if (!inode.has_subtree_or_exporting_dirfrag && !lock.is_wrlocked() && lock.state !== LOCK_SYNC) simple_sync(ctx, lock);
}

/** Locker::file_eval (auth, stable; IFILE). */
export function file_eval(ctx: Ctx, lock: ScatterLock): void {
  if (!lock.auth || !lock.is_stable()) return;
  const inode = inodeOf(ctx, lock)!;
  const w = caps_wanted(inode, lock.lt.capShift);
  const loner = get_target_loner(inode);
  if (lock.state === LOCK_EXCL) {
    const issued = caps_issued(inode, lock.lt.capShift);
    if (!((w.loner | issued.loner) & (CEPH_CAP_GWR | CEPH_CAP_GBUFFER | CEPH_CAP_GEXCL)) ||
      (w.other & (CEPH_CAP_GEXCL | CEPH_CAP_GWR | CEPH_CAP_GRD)) ||
      (inode.is_dir && count_nonstale_caps(inode) > 1)) {
      if (((w.other | w.loner) & CEPH_CAP_GWR) || is_waiter_for(ctx, lock, WAIT_WR)) scatter_mix(ctx, lock);
      else if (!lock.is_wrlocked()) simple_sync(ctx, lock);
    }
  } else if (!lock.is_rdlocked() && loner >= 0 &&
    (inode.is_dir ? !inode.has_subtree_or_exporting_dirfrag : (w.all & (CEPH_CAP_GWR | CEPH_CAP_GBUFFER | CEPH_CAP_GEXCL)) !== 0)) {
    file_excl(ctx, lock);
  } else if (lock.state !== LOCK_MIX && !lock.is_rdlocked() &&
    (lock.get_scatter_wanted() || (loner < 0 && (w.all & CEPH_CAP_GWR)))) {
    scatter_mix(ctx, lock);
  } else if (lock.state !== LOCK_SYNC && !lock.is_wrlocked() && !is_waiter_for(ctx, lock, WAIT_WR) &&
    !(w.all & CEPH_CAP_GWR) && !(lock.state === LOCK_MIX && inode.is_dir && inode.has_subtree_or_exporting_dirfrag)) {
    simple_sync(ctx, lock); // a delegation-point directory stays in MIX
  }
}
