// The evaluation entry points (auth policy): which stable state a lock should be in.
// Locker::try_eval(lock), eval(lock) -> simple_eval / scatter_eval / file_eval.
// Read-only file systems and file recovery are out of scope (README); a tree frozen for an
// export is not evaluated.
import {
  LOCK_SYNC, LOCK_LOCK, LOCK_MIX, LOCK_EXCL, CEPH_LOCK_INEST, CEPH_LOCK_IFILE, CEPH_LOCK_IAUTH,
  CEPH_LOCK_ILINK, CEPH_LOCK_IXATTR, CEPH_LOCK_DN, CEPH_LOCK_ISNAP, CEPH_LOCK_IPOLICY, CEPH_CAP_GEXCL, CEPH_CAP_GWR,
  CEPH_CAP_GBUFFER, CEPH_CAP_GRD,
} from '../../statemachines/index.js';
import { WAIT_WR, type SimpleLock, type ScatterLock } from '../locks/index.js';
import { assertMds, inodeOf, isScatter, parentOf, type Ctx } from './context.js';
import { get_caps_issued, get_caps_wanted } from './caps.js';
import { issue_caps_set, need_issue, type NeedIssue } from './issue.js';
import { choose_ideal_loner, get_target_loner, try_drop_loner, try_set_loner } from './loner.js';
import { eval_gather } from './eval_gather.js';
import type { CInode } from '../cache/CInode.js';
import type { Waiter } from '../cache/MDSCacheObject.js';
import { is_waiter_for, run_waiters } from './waiters.js';
import { simple_sync, simple_lock, simple_excl } from './simple.js';
import { scatter_mix } from './scatter.js';
import { file_excl } from './file.js';

export const CEPH_CAP_LOCKS = CEPH_LOCK_IFILE | CEPH_LOCK_IAUTH | CEPH_LOCK_ILINK | CEPH_LOCK_IXATTR;

/**
 * Locker::eval(CInode*, mask, caps_imported): choose the loner (auth), finish or re-evaluate
 * the inode's locks (eval_any), drop or set the loner, then run the waiters eval_gather
 * collected (Q9: only eval_gather's; a starter's run at once) and issue caps once.
 * Returns need_issue. It runs on a replica copy too: there only unstable locks move.
 */
export function eval_inode(ctx: Ctx, inode: CInode, mask: number = CEPH_CAP_LOCKS, caps_imported = false): boolean {
  const finishers: Waiter[] = [];
  const need: NeedIssue = caps_imported ? [inode] : [];
  if (inode.is_auth()) {
    if (choose_ideal_loner(ctx, inode)) { need_issue(ctx, inode, need); mask = -1; }
    else if (inode.want_loner_cap !== inode.loner_cap) mask = -1;
  }
  for (;;) {
    for (const lock of [inode.filelock, inode.authlock, inode.linklock, inode.xattrlock, inode.nestlock, inode.flocklock, inode.policylock]) {
      if (!(mask & lock.type)) continue;
      // Locker::eval_any
      if (!lock.is_stable()) eval_gather(ctx, lock, caps_imported, need, finishers);
      else if (lock.auth) eval_lock(ctx, lock, need);
    }
    if (inode.is_auth() && inode.want_loner_cap !== inode.loner_cap && try_drop_loner(inode)) {
      need_issue(ctx, inode, need);
      if (inode.want_loner_cap >= 0) {
        assertMds(ctx, try_set_loner(inode), `eval ${inode.path}: try_set_loner failed`);
        mask = -1;
        continue;
      }
    }
    break;
  }
  run_waiters(ctx, finishers);
  issue_caps_set(ctx, need);
  return need.length > 0;
}

/** Locker::try_eval(MDSCacheObject*, mask): eval(inode), on a replica copy too (freezing is not modelled). */
export function try_eval_inode(ctx: Ctx, inode: CInode, mask: number): void {
  eval_inode(ctx, inode, mask);
}

/** Locker::try_eval(SimpleLock*): auth only; honours a replica's pending scatter/unscatter wish. */
export function try_eval(ctx: Ctx, lock: SimpleLock, need: NeedIssue | null = null): void {
  if (!lock.auth) return;
  if (isScatter(lock)) {
    if (lock.get_scatter_wanted() && lock.state !== LOCK_MIX) {
      scatter_mix(ctx, lock, need);
      if (!lock.is_stable()) return;
    } else if (lock.get_unscatter_wanted() && lock.state !== LOCK_LOCK) {
      simple_lock(ctx, lock, need);
      if (!lock.is_stable()) return;
    }
  }
  eval_lock(ctx, lock, need);
}

/** Locker::eval(SimpleLock*): ifile to file_eval, inest and idft to scatter_eval, the rest to simple_eval. */
export function eval_lock(ctx: Ctx, lock: SimpleLock, need: NeedIssue | null = null): void {
  if (lock.lt.sm.name === 'sm_filelock') file_eval(ctx, lock as ScatterLock, need);
  else if (lock.lt.sm.name === 'sm_scatterlock') scatter_eval(ctx, lock as ScatterLock, need);
  else if (lock.lt.sm.name === 'sm_simplelock') simple_eval(ctx, lock, need);
}

/**
 * A freezing or frozen tree (an export) is not evaluated (is_freezing_or_frozen in the evals):
 * its locks keep their states for the export; but while it is only freezing, simple_eval still
 * moves a dentry, snap or policy lock out of a state other than sync.
 */
function frozen(ctx: Ctx, lock: SimpleLock): boolean {
  const f = parentOf(ctx, lock).freeze_tree;
  return f === 'frozen' || (f === 'freezing' && !(EVAL_WHILE_FREEZING.includes(lock.type) && lock.state !== LOCK_SYNC));
}
const EVAL_WHILE_FREEZING = [CEPH_LOCK_DN, CEPH_LOCK_ISNAP, CEPH_LOCK_IPOLICY];

/** Locker::simple_eval (auth, stable). */
export function simple_eval(ctx: Ctx, lock: SimpleLock, need: NeedIssue | null): void {
  if (!lock.auth || !lock.is_stable() || frozen(ctx, lock)) return;
  // as in Ceph, the inode is consulted only for the cap-bearing locks
  const inode = lock.lt.capShift > 0 ? inodeOf(ctx, lock) : null;
  const wanted = inode ? get_caps_wanted(inode, lock.lt.capShift, 3).loner : 0;
  if (lock.state !== LOCK_EXCL && inode && get_target_loner(inode) >= 0 && (wanted & CEPH_CAP_GEXCL)) {
    simple_excl(ctx, lock, need);
  } else if (lock.state !== LOCK_SYNC && !lock.is_wrlocked() &&
    ((!(wanted & CEPH_CAP_GEXCL) && !is_waiter_for(ctx, lock, WAIT_WR)) ||
      (lock.state === LOCK_EXCL && inode && get_target_loner(inode) < 0))) {
    simple_sync(ctx, lock, need);
  }
}

/** Locker::scatter_eval (auth, stable; INEST, IDFT). */
export function scatter_eval(ctx: Ctx, lock: ScatterLock, need: NeedIssue | null): void {
  if (!lock.auth || !lock.is_stable() || parentOf(ctx, lock).freeze_tree) return;
  const inode = inodeOf(ctx, lock)!;
  if (!lock.is_rdlocked() && lock.state !== LOCK_MIX && lock.get_scatter_wanted()) {
    scatter_mix(ctx, lock, need);
    return;
  }
  if (lock.type === CEPH_LOCK_INEST) {
    // rstat stays writable: MIX while replicated, LOCK otherwise
    if (!lock.is_rdlocked()) {
      if (inode.is_replicated()) { if (lock.state !== LOCK_MIX) scatter_mix(ctx, lock, need); }
      else if (lock.state !== LOCK_LOCK) simple_lock(ctx, lock, need);
    }
    return;
  }
  // IDFT: synced unless the directory is a delegation point; a base inode (the root) always
  if ((!inode.has_subtree_or_exporting_dirfrag || inode.is_base()) && !lock.is_wrlocked() && lock.state !== LOCK_SYNC) simple_sync(ctx, lock, need);
}

/** Locker::file_eval (auth, stable; IFILE). */
export function file_eval(ctx: Ctx, lock: ScatterLock, need: NeedIssue | null): void {
  if (!lock.auth || !lock.is_stable() || parentOf(ctx, lock).freeze_tree) return;
  const inode = inodeOf(ctx, lock)!;
  const w = get_caps_wanted(inode, lock.lt.capShift);
  const loner = get_target_loner(inode);
  if (lock.state === LOCK_EXCL) {
    const issued = get_caps_issued(inode, lock.lt.capShift, 255);
    if (!((w.loner | issued.loner) & (CEPH_CAP_GWR | CEPH_CAP_GBUFFER | CEPH_CAP_GEXCL)) ||
      (w.other & (CEPH_CAP_GEXCL | CEPH_CAP_GWR | CEPH_CAP_GRD)) ||
      (inode.is_dir && Object.keys(inode.caps).length > 1)) {
      if (((w.other | w.loner) & CEPH_CAP_GWR) || is_waiter_for(ctx, lock, WAIT_WR)) scatter_mix(ctx, lock, need);
      else if (!lock.is_wrlocked()) simple_sync(ctx, lock, need);
    }
  } else if (!lock.is_rdlocked() && loner >= 0 &&
    (inode.is_dir ? !inode.has_subtree_or_exporting_dirfrag : (w.all & (CEPH_CAP_GWR | CEPH_CAP_GBUFFER | CEPH_CAP_GEXCL)) !== 0)) {
    file_excl(ctx, lock, need);
  } else if (lock.state !== LOCK_MIX && !lock.is_rdlocked() &&
    (lock.get_scatter_wanted() || (loner < 0 && (w.all & CEPH_CAP_GWR)))) {
    scatter_mix(ctx, lock, need);
  } else if (lock.state !== LOCK_SYNC && !lock.is_wrlocked() && !is_waiter_for(ctx, lock, WAIT_WR) &&
    !(w.all & CEPH_CAP_GWR) && !(lock.state === LOCK_MIX && inode.is_dir && inode.has_subtree_or_exporting_dirfrag)) {
    simple_sync(ctx, lock, need); // a delegation-point directory stays in MIX
  }
}
