// When caps are issued: Ceph's `bool *need_issue` / `set<CInode*> *pneed_issue`. A Locker rule
// that changes what a lock allows either issues caps at once or, given a collector, leaves them
// to its caller, which issues them once when it is done (drop_locks, acquire_locks, eval of an
// inode, a peer's unlock): the order of cap messages follows from who passes what, as in Ceph.
import type { CInode } from '../cache/CInode.js';
import type { SimpleLock } from '../locks/index.js';
import { inodeOf, type Ctx } from './context.js';
import { issue_caps, issued_caps_need_gather } from './caps.js';

/** The inodes (this rank's copies; a rename woken meanwhile may rename them) whose caps the caller issues once it is done. */
export type NeedIssue = CInode[];

/** `if (need_issue) *need_issue = true; else issue_caps(in);` */
export function need_issue(ctx: Ctx, inode: CInode, need: NeedIssue | null): void {
  if (need === null) issue_caps(ctx, inode);
  else if (!need.includes(inode)) need.push(inode);
}

/** Locker::issue_caps_set. */
export function issue_caps_set(ctx: Ctx, need: NeedIssue): void {
  for (const inode of need) issue_caps(ctx, inode);
}

/** The inode whose caps a lock governs: null for a dentry lock and for locks with no cap field. */
function capInode(ctx: Ctx, lock: SimpleLock): CInode | null {
  return lock.lt.capShift > 0 ? inodeOf(ctx, lock) : null;
}

/**
 * A starter's cap step: if the caps issued exceed what the lock's (new) state allows, revoke
 * them (now, or by the caller); returns what that adds to the gather (0 or 1).
 */
export function gather_caps(ctx: Ctx, lock: SimpleLock, need: NeedIssue | null): number {
  const inode = capInode(ctx, lock);
  if (inode && issued_caps_need_gather(ctx, inode, lock)) {
    need_issue(ctx, inode, need);
    return 1;
  }
  return 0;
}

/** Issue caps after a cap-bearing lock changed state (a no-op for the other locks). */
export function issue_if_caps(ctx: Ctx, lock: SimpleLock, need: NeedIssue | null): void {
  const inode = capInode(ctx, lock);
  if (inode) need_issue(ctx, inode, need);
}
