// Server's path-locking helpers: rdlock_path_pin_ref (lock the path, pin the inode),
// rdlock_path_xlock_dentry (lock the path, xlock the tail dentry), rdlock_two_paths_xlock_destdn
// (both dentries of a rename or link, in Ceph's global lock order) and try_get_auth_inode.
// Each returns null when the request waits, was forwarded, or was answered with an error.
import type { CDentry } from '../cache/CDentry.js';
import type { CInode } from '../cache/CInode.js';
import { ERRNO } from '../messages/index.js';
import { PATH_LOCKED } from '../request/ClientRequest.js';
import type { MDRequest } from '../request/MDRequest.js';
import { requestEvent, type Ctx } from '../locker/context.js';
import { add_object_waiter, tree_freeze, WAIT_UNFREEZE } from '../locker/freeze.js';
import { drop_locks } from '../locker/acquire.js';
import { acquire, LockOpVec, renameFreeze } from './lockvec.js';
import { auth_pin, respond_to_request } from './dispatch.js';
import { request_forward } from './forward.js';
import { discover } from './discover.js';
import {
  MDS_TRAVERSE_DISCOVER, MDS_TRAVERSE_RDLOCK_AUTHLOCK, MDS_TRAVERSE_RDLOCK_PATH, MDS_TRAVERSE_RDLOCK_SNAP, MDS_TRAVERSE_RDLOCK_SNAP2,
  MDS_TRAVERSE_WANT_AUTH, MDS_TRAVERSE_WANT_DENTRY, MDS_TRAVERSE_WANT_DIRLAYOUT, MDS_TRAVERSE_WANT_INODE, MDS_TRAVERSE_XLOCK_DENTRY,
  path_traverse, type TraverseResult,
} from './path_traverse.js';

/** A traversal's error: ESTALE (the base inode is not cached here) looks for it (find_ino_peers, then open_ino). */
function failed(ctx: Ctx, mdr: MDRequest, r: TraverseResult, base: string): null {
  if (r === -ERRNO.ESTALE) discover(ctx, mdr, base, null, true);
  else if (r < 0) respond_to_request(ctx, mdr, r);
  return null;
}

/** A stray directory, or anything under one. */
export const inStray = (path: string): boolean => /^~mds\d+\/stray\d+(\/|$)/.test(path);

/** Server::rdlock_path_pin_ref. */
export function rdlock_path_pin_ref(ctx: Ctx, mdr: MDRequest, want_auth: boolean): CInode | null {
  const cr = mdr.client_request!;
  if (cr.locking_state & PATH_LOCKED) return ctx.mds.inodes[cr.in[0]!] ?? null;
  const flags = MDS_TRAVERSE_RDLOCK_PATH | MDS_TRAVERSE_RDLOCK_SNAP | (want_auth ? MDS_TRAVERSE_WANT_AUTH : 0);
  const r = path_traverse(ctx, mdr, cr.op.path, flags, 0);
  if (r !== 0) return r > 0 ? null : failed(ctx, mdr, r, cr.op.path.base);
  const ref = ctx.mds.inodes[cr.in[0]!];
  // no pin on a tree freezing or frozen for an export, unless already held: let the path go and
  // wait for the unfreeze, to traverse again then (path_traverse's WANT_AUTH: PATH_LOCKED is set
  // only once the pin is taken; mdslock's rename freezes are left to acquire_locks, as before)
  if (want_auth && tree_freeze(ctx.mds, ref) && !mdr.auth_pins.includes(ref.key)) {
    drop_locks(ctx, mdr);
    add_object_waiter(ref, WAIT_UNFREEZE, mdr.reqid);
    requestEvent(ctx, mdr.reqid, `waits for ${ref.path} to unfreeze`);
    return null;
  }
  if (want_auth) auth_pin(mdr, ref);
  return ref;
}

/** Server::rdlock_path_xlock_dentry. */
export function rdlock_path_xlock_dentry(ctx: Ctx, mdr: MDRequest, create: boolean, okexist: boolean, authexist: boolean, want_layout: boolean): CDentry | null {
  const cr = mdr.client_request!;
  if (cr.locking_state & PATH_LOCKED) return ctx.mds.dentries[cr.dn[0][cr.dn[0].length - 1]] ?? null;
  if (cr.op.path.name === null) {
    respond_to_request(ctx, mdr, -ERRNO.EINVAL);
    return null;
  }
  const flags = MDS_TRAVERSE_RDLOCK_SNAP | MDS_TRAVERSE_RDLOCK_PATH | MDS_TRAVERSE_WANT_DENTRY | MDS_TRAVERSE_XLOCK_DENTRY | MDS_TRAVERSE_WANT_AUTH
    | (create ? MDS_TRAVERSE_RDLOCK_AUTHLOCK : 0) | (authexist ? MDS_TRAVERSE_WANT_INODE : 0) | (want_layout ? MDS_TRAVERSE_WANT_DIRLAYOUT : 0);
  const r = path_traverse(ctx, mdr, cr.op.path, flags, 0);
  if (r !== 0) return r > 0 ? null : failed(ctx, mdr, r, cr.op.path.base);
  const dn = ctx.mds.dentries[cr.dn[0][cr.dn[0].length - 1]];
  const diri = cr.op.path.base;
  // a system directory (the stray directories) takes no client ops
  if (inStray(diri)) return respond_to_request(ctx, mdr, -ERRNO.EROFS), null;
  if (!dn.linkage) {
    if (!create && okexist) return respond_to_request(ctx, mdr, -ERRNO.ENOENT), null;
  } else {
    if (!okexist) return respond_to_request(ctx, mdr, -ERRNO.EEXIST), null;
    cr.in[0] = dn.linkage.inode;
  }
  return dn;
}

/** MDRequestImpl::compare_paths: the trees the two paths are under (fs root first), then their depths. */
export function compare_paths(mdr: MDRequest): number {
  const cr = mdr.client_request!;
  const tree = (root: string) => (inStray(root) ? 1 : 0);
  const [r0, r1] = [tree(cr.dir_root[0]), tree(cr.dir_root[1])];
  if (r0 !== r1) return r0 < r1 ? -1 : 1;
  return Math.sign(cr.dir_depth[0] - cr.dir_depth[1]);
}

/**
 * Server::rdlock_two_paths_xlock_destdn: traverse the destination (forwarding to its auth) and
 * the source (never forwarded) taking only snap rdlocks, then lock both dentries and their
 * directories in one vector, in the global order: one directory's dentries by name; else the
 * shallower tree first, ties by the lower directory inode number. [destdn, srcdn] or null.
 */
export function rdlock_two_paths_xlock_destdn(ctx: Ctx, mdr: MDRequest, xlock_srcdn: boolean): [CDentry, CDentry] | null {
  const cr = mdr.client_request!;
  const tail = (n: 0 | 1) => ctx.mds.dentries[cr.dn[n][cr.dn[n].length - 1]];
  if (cr.locking_state & PATH_LOCKED) return [tail(0), tail(1)];
  let r = path_traverse(ctx, mdr, cr.op.path, MDS_TRAVERSE_RDLOCK_SNAP | MDS_TRAVERSE_WANT_DENTRY | MDS_TRAVERSE_WANT_AUTH, 0);
  if (r !== 0) return r > 0 ? null : failed(ctx, mdr, r, cr.op.path.base);
  r = path_traverse(ctx, mdr, cr.op.path2!, MDS_TRAVERSE_RDLOCK_SNAP2 | MDS_TRAVERSE_WANT_DENTRY | MDS_TRAVERSE_DISCOVER, 1);
  if (r !== 0) return r > 0 ? null : failed(ctx, mdr, r, cr.op.path2!.base);
  const destdn = tail(0);
  const srcdn = tail(1);
  const destdir = ctx.mds.inodes[cr.op.path.base];
  const srcdir = ctx.mds.inodes[cr.op.path2!.base];
  if (inStray(destdir.path) || inStray(srcdir.path)) return respond_to_request(ctx, mdr, -ERRNO.EROFS), null;
  const lov = new LockOpVec();
  const srcdirGroup = () => {
    if (xlock_srcdn) {
      const srcdirAuth = ctx.mds.dirfrags[srcdir.path].authority;
      if (srcdirAuth === ctx.mds.id) lov.add_wrlock(srcdir.filelock).add_wrlock(srcdir.nestlock);
      else lov.add_remote_wrlock(srcdir.filelock, srcdirAuth).add_remote_wrlock(srcdir.nestlock, srcdirAuth);
      lov.add_xlock(srcdn.lock);
    } else {
      lov.add_rdlock(srcdn.lock);
    }
  };
  if (srcdir === destdir) {
    lov.add_wrlock(destdir.filelock).add_wrlock(destdir.nestlock);
    if (cr.op.path2!.name! > cr.op.path.name!) lov.add_xlock(destdn.lock);
    if (xlock_srcdn) lov.add_xlock(srcdn.lock);
    else lov.add_rdlock(srcdn.lock);
    if (cr.op.path2!.name! < cr.op.path.name!) lov.add_xlock(destdn.lock);
  } else {
    const cmp = compare_paths(mdr);
    const destFirst = cmp < 0 || (cmp === 0 && destdir.ino < srcdir.ino);
    const destGroup = () => lov.add_wrlock(destdir.filelock).add_wrlock(destdir.nestlock).add_xlock(destdn.lock);
    if (destFirst) destGroup();
    srcdirGroup();
    if (!destFirst) destGroup();
  }
  if (!acquire(ctx, mdr, lov, xlock_srcdn ? renameFreeze(srcdn) : null)) return null;
  if (!srcdn.linkage) return respond_to_request(ctx, mdr, -ERRNO.ENOENT), null;
  cr.locking_state |= PATH_LOCKED;
  return [destdn, srcdn];
}

/** Server::try_get_auth_inode: the inode by number, forwarding to its auth. */
export function try_get_auth_inode(ctx: Ctx, mdr: MDRequest, key: string): CInode | null {
  const in_ = ctx.mds.inodes[key];
  if (!in_) return failed(ctx, mdr, -ERRNO.ESTALE, key);
  if (!in_.is_auth()) {
    request_forward(ctx, mdr, in_.authority);
    return null;
  }
  return in_;
}
