// Server::handle_client_unlink (unlink and rmdir), _unlink_local and its finisher: xlock the
// dentry with the path, then the inode's link and snap locks, the emptiness rdlock of a
// directory, and the stray dentry it moves to; on commit the dentry is null everywhere and the
// inode lives under the stray directory.
import { opDef } from '../../ops/ops.js';
import type { CInode } from '../cache/CInode.js';
import { ERRNO } from '../messages/index.js';
import { ALL_LOCKED } from '../request/ClientRequest.js';
import type { MDRequest } from '../request/MDRequest.js';
import { move_inode, type Ctx } from '../locker/context.js';
import { acquire } from './lockvec.js';
import { handlerLocks } from './oplocks.js';
import { journal_and_reply, project, respond_to_request } from './dispatch.js';
import { rdlock_path_xlock_dentry } from './rdlock_path.js';
import { prepare_stray_dentry } from './stray.js';
import { send_dentry_unlink } from './dentryLink.js';
import { link_remote, rmdir_witnesses } from './linkPeers.js';

/** Whether a directory has entries: read where its dirfrag is auth (Ceph sums the fragment stats the filelock rdlock gathered). */
export function dir_is_nonempty(ctx: Ctx, dir: CInode): boolean {
  const frag = ctx.mds.dirfrags[dir.path];
  const auth = ctx.cluster.ranks[frag ? frag.authority : dir.authority];
  const prefix = `${dir.path}/`;
  return Object.values(auth.dentries).some((d) => d.linkage && d.path.startsWith(prefix) && !d.path.slice(prefix.length).includes('/'));
}

export function handle_client_unlink(ctx: Ctx, mdr: MDRequest): void {
  const cr = mdr.client_request!;
  const rmdir = cr.op.name === 'rmdir';
  const dn = rdlock_path_xlock_dentry(ctx, mdr, false, true, false, false);
  if (!dn) return;
  const in_ = ctx.mds.inodes[dn.linkage!.inode];
  if (!in_) return respond_to_request(ctx, mdr, -ERRNO.ESTALE);
  if (rmdir && !in_.is_dir) return respond_to_request(ctx, mdr, -ERRNO.ENOTDIR);
  if (!rmdir && in_.is_dir) return respond_to_request(ctx, mdr, -ERRNO.EISDIR);
  // _dir_is_nonempty_unlocked: an auth dirfrag with entries answers at once
  if (rmdir && in_.is_auth() && ctx.mds.dirfrags[in_.path]?.is_auth() && dir_is_nonempty(ctx, in_)) return respond_to_request(ctx, mdr, -ERRNO.ENOTEMPTY);
  const straydn = dn.linkage!.remote ? undefined : prepare_stray_dentry(ctx, mdr, in_);
  if (!(cr.locking_state & ALL_LOCKED)) {
    const straydir = straydn ? ctx.mds.inodes[straydn.path.slice(0, straydn.path.lastIndexOf('/'))] : undefined;
    if (!acquire(ctx, mdr, handlerLocks(opDef(cr.op.name).locks, mdr, { in: in_, straydn, straydir }))) return;
    cr.locking_state |= ALL_LOCKED;
  }
  if (rmdir && dir_is_nonempty(ctx, in_)) return respond_to_request(ctx, mdr, -ERRNO.ENOTEMPTY);
  if (rmdir && !rmdir_witnesses(ctx, mdr, in_, dn.path, straydn!.path)) return;
  if (dn.linkage!.remote && !in_.is_auth()) return link_remote(ctx, mdr, dn.path, in_, false);
  // _unlink_local: the projected linkages (the dentry null, the stray dentry primary)
  if (straydn) {
    straydn.linkage = { inode: in_.path, remote: false };
    project(mdr, straydn);
  }
  dn.linkage = null;
  project(mdr, dn);
  // names follow the projected linkage (Ceph prints an inode by its projected path): the
  // inode is the stray's from now on, and its old name is free for a new inode
  if (straydn) move_inode(ctx, in_.path, straydn.path);
  journal_and_reply(ctx, mdr, null);
}

/**
 * Server::_unlink_local_finish (the inode is the stray dentry's since the prepare) and _link_remote_finish
 * for an unlink (the remote link goes; every replica is told, witnesses too): replicas learn.
 */
export function unlink_finish(ctx: Ctx, mdr: MDRequest): void {
  const cr = mdr.client_request!;
  const dn = ctx.mds.dentries[cr.dn[0][cr.dn[0].length - 1]];
  const straydn = cr.straydn ? ctx.mds.dentries[cr.straydn] : null;
  const remoteInode = !straydn && !ctx.mds.inodes[cr.in[0]!]?.is_auth();
  send_dentry_unlink(ctx, dn, straydn, remoteInode ? null : mdr);
  respond_to_request(ctx, mdr, 0);
}
