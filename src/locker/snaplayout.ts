// Locker::try_rdlock_snap_layout: rdlock the snaplock (and, for a layout, the policylock) of
// an inode and of every ancestor, straight into the request's locks without acquire_locks:
// no auth pin, no kick (a replica sends no REQRDLOCK), only a WAIT_RD waiter when one cannot
// be read; then everything the request holds is dropped. Stops at the first snaplock the
// request already holds, and records where the chain ends (compare_paths reads it).
import { CEPH_LOCK_IPOLICY, CEPH_LOCK_ISNAP } from '../../statemachines/index.js';
import type { CInode } from '../cache/CInode.js';
import { WAIT_RD, type SimpleLock } from '../locks/index.js';
import { RDLOCK } from '../request/LockOp.js';
import type { MDRequest } from '../request/MDRequest.js';
import { parentPath } from '../cluster/tree.js';
import { log, refOf, requestEvent, type Ctx } from './context.js';
import { add_waiter } from './waiters.js';
import { drop_local_auth_pins, drop_locks } from './acquire.js';

/** The directory holding an inode's primary dentry on this rank, or null at the top of the cached tree. */
export function parentInode(ctx: Ctx, in_: CInode): CInode | null {
  const p = parentPath(in_.path);
  if (p === null || !ctx.mds.dentries[in_.path]) return null;
  return ctx.mds.inodes[p] ?? null;
}

export function try_rdlock_snap_layout(ctx: Ctx, in_: CInode, mdr: MDRequest, n: 0 | 1, want_layout: boolean): boolean {
  const cr = mdr.client_request!;
  const taken: string[] = [];
  let depth = -1;
  let found_locked = false;
  let found_layout = false;
  const take = (lock: SimpleLock): boolean => {
    if (!lock.can_rdlock(mdr.client)) {
      add_waiter(ctx, lock, WAIT_RD, mdr.reqid);
      return false;
    }
    lock.get_rdlock();
    mdr.addHeld(refOf(lock), RDLOCK);
    log(ctx, 'try_rdlock_snap_layout', lock);
    taken.push(`rdlock ${lock.lt.name} ${lock.parent}`);
    return true;
  };
  for (let t: CInode | null = in_; ; ) {
    depth++;
    if (!found_locked && mdr.isHeld({ path: t.path, type: CEPH_LOCK_ISNAP }, RDLOCK)) found_locked = true;
    if (!found_locked && !take(t.snaplock)) return failed();
    if (want_layout && !found_layout) {
      if (!mdr.isHeld({ path: t.path, type: CEPH_LOCK_IPOLICY }, RDLOCK) && !take(t.policylock)) return failed();
      if (t.has_layout) found_layout = true;
    }
    const up = parentInode(ctx, t);
    if (!up) {
      cr.dir_root[n] = t.path;
      break;
    }
    t = up;
  }
  cr.dir_depth[n] = depth;
  if (taken.length) requestEvent(ctx, mdr.reqid, `snap rdlocks: ${taken.join(', ')}`);
  return true;

  function failed(): false {
    if (taken.length) requestEvent(ctx, mdr.reqid, `snap rdlocks: ${taken.join(', ')}`);
    drop_locks(ctx, mdr);
    drop_local_auth_pins(ctx, mdr);
    return false;
  }
}
