// MDCache::path_traverse, for what locking needs: walk a client's filepath from its base
// inode on this rank, lock as the flags ask (snaplock chain, dentry rdlocks, the tail's
// xlock with its directory's wrlocks), create the null dentry a create needs, and forward the
// request to the auth where the flags want one, or discover what this rank does not cache.
import { CDentry } from '../cache/CDentry.js';
import { CDir } from '../cache/CDir.js';
import type { CInode } from '../cache/CInode.js';
import { childPath } from '../cluster/tree.js';
import { WAIT_RD } from '../locks/index.js';
import { ERRNO } from '../messages/index.js';
import { PATH_LOCKED, SNAP2_LOCKED, SNAP_LOCKED, type FilePath } from '../request/ClientRequest.js';
import type { MDRequest } from '../request/MDRequest.js';
import type { Ctx } from '../locker/context.js';
import { add_waiter } from '../locker/waiters.js';
import { try_rdlock_snap_layout } from '../locker/snaplayout.js';
import { acquire, LockOpVec } from './lockvec.js';
import { request_forward } from './forward.js';
import { discover } from './discover.js';

export const MDS_TRAVERSE_DISCOVER = 1 << 0;
export const MDS_TRAVERSE_PATH_LOCKED = 1 << 1;
export const MDS_TRAVERSE_WANT_DENTRY = 1 << 2;
export const MDS_TRAVERSE_WANT_AUTH = 1 << 3;
export const MDS_TRAVERSE_RDLOCK_SNAP = 1 << 4;
export const MDS_TRAVERSE_RDLOCK_SNAP2 = 1 << 5;
export const MDS_TRAVERSE_WANT_DIRLAYOUT = 1 << 6;
export const MDS_TRAVERSE_RDLOCK_PATH = 1 << 7;
export const MDS_TRAVERSE_XLOCK_DENTRY = 1 << 8;
export const MDS_TRAVERSE_RDLOCK_AUTHLOCK = 1 << 9;
export const MDS_TRAVERSE_WANT_INODE = 1 << 11;

/** 0: done; 1: waiting (a waiter or a peer will retry the request); 2: forwarded; < 0: an errno to reply with. */
export type TraverseResult = number;

/** MDCache::maybe_request_forward_to_auth (ambiguous auth is not modelled here). */
function forwardIfNotAuth(ctx: Ctx, mdr: MDRequest, authority: number): TraverseResult {
  if (authority === ctx.mds.id) return 0;
  request_forward(ctx, mdr, authority);
  return 2;
}

/** CDir::add_null_dentry: a new dentry, auth here and replicated nowhere yet. */
function add_null_dentry(ctx: Ctx, dir: CDir, name: string): CDentry {
  const path = childPath(dir.path, name);
  const dn = new CDentry({ path, authority: ctx.mds.id, rank: ctx.mds.id, replicas: [] });
  ctx.mds.dentries[path] = dn;
  return dn;
}

/** CInode::get_or_open_dirfrag on an auth inode whose fragment is not open yet. */
function openDirfrag(ctx: Ctx, cur: CInode): CDir | undefined {
  const existing = ctx.mds.dirfrags[cur.path];
  if (existing || !cur.is_auth()) return existing;
  const dir = new CDir(cur.path, ctx.mds.id, ctx.mds.id, []);
  ctx.mds.dirfrags[cur.path] = dir;
  return dir;
}


export function path_traverse(ctx: Ctx, mdr: MDRequest, fp: FilePath, flags: number, n: 0 | 1): TraverseResult {
  const cr = mdr.client_request!;
  const discovering = (flags & MDS_TRAVERSE_DISCOVER) !== 0;
  const forward = !discovering;
  const path_locked = (flags & MDS_TRAVERSE_PATH_LOCKED) !== 0;
  const want_dentry = (flags & MDS_TRAVERSE_WANT_DENTRY) !== 0;
  const want_inode = (flags & MDS_TRAVERSE_WANT_INODE) !== 0;
  const want_auth = (flags & MDS_TRAVERSE_WANT_AUTH) !== 0;
  const rdlock_snap = (flags & (MDS_TRAVERSE_RDLOCK_SNAP | MDS_TRAVERSE_RDLOCK_SNAP2)) !== 0;
  const rdlock_path = (flags & MDS_TRAVERSE_RDLOCK_PATH) !== 0;
  const xlock_dentry = (flags & MDS_TRAVERSE_XLOCK_DENTRY) !== 0;
  const rdlock_authlock = (flags & MDS_TRAVERSE_RDLOCK_AUTHLOCK) !== 0;
  const client = mdr.client;

  let cur = ctx.mds.inodes[fp.base];
  if (!cur) return -ERRNO.ESTALE;
  if (rdlock_snap) {
    const n2 = flags & MDS_TRAVERSE_RDLOCK_SNAP2 ? 1 : 0;
    if (!(cr.locking_state & (n2 ? SNAP2_LOCKED : SNAP_LOCKED))) {
      if (!try_rdlock_snap_layout(ctx, cur, mdr, n2, (flags & MDS_TRAVERSE_WANT_DIRLAYOUT) !== 0)) return 1;
    }
  }
  const trace: string[] = [];
  cr.dn[n] = trace;
  cr.in[n] = cur.path;
  let target: CInode | null = null;
  const names = fp.name === null ? [] : [fp.name];
  let depth = 0;
  for (; depth < names.length; depth++) {
    const tail = depth === names.length - 1;
    if (!cur.is_dir) return -ERRNO.ENOTDIR;
    const curdir = openDirfrag(ctx, cur);
    if (!curdir) {
      discover(ctx, mdr, cur.path, null, false, path_locked);
      return 1;
    }
    if (want_auth && want_dentry && !want_inode && tail) {
      const r = forwardIfNotAuth(ctx, mdr, curdir.authority);
      if (r) return r;
    }
    const path = childPath(cur.path, names[depth]);
    let dn: CDentry | undefined = ctx.mds.dentries[path];
    if (!dn) {
      // MISS: the dentry is not in this rank's cache
      if (!curdir.is_auth()) {
        if (cr.missing.includes(path)) return -ERRNO.ENOENT; // its auth said so (a discover's flag_error_dn)
        if (discovering || (forward && depth < cr.num_fwd)) {
          discover(ctx, mdr, cur.path, names[depth], false, path_locked);
          return 1;
        }
        return forwardIfNotAuth(ctx, mdr, curdir.authority);
      }
      // the auth's fragment is complete: the name does not exist
      if (!tail) return -ERRNO.ENOENT;
      dn = add_null_dentry(ctx, curdir, names[depth]);
    } else if (want_auth && want_dentry && want_inode && tail && !dn.linkage) {
      const r = forwardIfNotAuth(ctx, mdr, dn.authority);
      if (r) return r;
    }
    if (rdlock_path) {
      const lov = new LockOpVec();
      if (xlock_dentry && tail && (!dn.linkage || !want_inode)) {
        lov.add_wrlock(cur.filelock).add_wrlock(cur.nestlock);
        if (rdlock_authlock) lov.add_rdlock(cur.authlock);
        lov.add_xlock(dn.lock);
      } else {
        lov.add_rdlock(dn.lock);
      }
      if (!acquire(ctx, mdr, lov)) return 1;
    } else if (!path_locked && !dn.lock.can_read(client) && !(dn.lock.is_xlocked() && dn.lock.xlock_by === mdr.reqid)) {
      add_waiter(ctx, dn.lock, WAIT_RD, mdr.reqid);
      return 1;
    }
    trace.push(dn.path);
    if (!dn.linkage) {
      if (tail && want_dentry) break;
      return -ERRNO.ENOENT;
    }
    const in_ = ctx.mds.inodes[dn.linkage.inode];
    if (!in_) {
      // open_remote_dentry (a hard link's inode) or a dentry replica without its inode: ask its auth
      discover(ctx, mdr, dn.linkage.inode, null, true, path_locked);
      return 1;
    }
    cur = in_;
    if (rdlock_snap && !(want_dentry && !want_inode && tail)) {
      if (!acquire(ctx, mdr, new LockOpVec().add_rdlock(cur.snaplock))) return 1;
    }
    if (tail) target = cur;
    cr.in[n] = cur.path;
  }
  if (names.length === 0) {
    if (want_dentry && !want_inode) return -ERRNO.ENOENT;
    target = cur;
  }
  if (target && want_auth && !(want_dentry && !want_inode)) {
    const r = forwardIfNotAuth(ctx, mdr, target.authority);
    if (r) return r;
  }
  if (flags & MDS_TRAVERSE_RDLOCK_SNAP) cr.locking_state |= SNAP_LOCKED;
  else if (flags & MDS_TRAVERSE_RDLOCK_SNAP2) cr.locking_state |= SNAP2_LOCKED;
  if (rdlock_path) cr.locking_state |= PATH_LOCKED;
  return 0;
}
