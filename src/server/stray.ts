// Stray directories: where an unlinked (or overwritten) inode goes until it is purged.
// Server::prepare_stray_dentry takes the rank's own stray directory (MDCache::get_stray_dir;
// mdslock keeps one, ~mdsN/stray0, of Ceph's ten) and a dentry named by the inode number.
// Purging strays is not modelled: they stay cached.
import { CDentry } from '../cache/CDentry.js';
import { CDir } from '../cache/CDir.js';
import { CInode } from '../cache/CInode.js';
import type { MDRequest } from '../request/MDRequest.js';
import { assertMds, type Ctx } from '../locker/context.js';
import { ALL_LOCKED } from '../request/ClientRequest.js';

export const strayDirPath = (rank: number): string => `~mds${rank}/stray0`;

/** MDCache::get_stray_dir: this rank's stray directory, created (auth, its dirfrag open) on first use. */
function get_stray_dir(ctx: Ctx): CInode {
  const key = strayDirPath(ctx.mds.id);
  let dir = ctx.mds.inodes[key];
  if (!dir) {
    // a system inode: MDS_INO_STRAY(rank, 0)
    dir = new CInode({ path: key, ino: 0x600 + ctx.mds.id * 10, is_dir: true, authority: ctx.mds.id, rank: ctx.mds.id, replicas: [] });
    ctx.mds.inodes[key] = dir;
    ctx.mds.dirfrags[key] = new CDir(key, ctx.mds.id, ctx.mds.id, []);
  }
  return dir;
}

/**
 * Server::prepare_stray_dentry: the null stray dentry `in` will move to. A retry keeps the
 * request's, unless the name now links another inode (a rename replaced it while the request
 * waited with its locks dropped): then the new inode's.
 */
export function prepare_stray_dentry(ctx: Ctx, mdr: MDRequest, in_: CInode): CDentry {
  const cr = mdr.client_request!;
  const dir = get_stray_dir(ctx);
  const path = `${dir.path}/${in_.ino.toString(16)}`;
  if (cr.straydn === path && ctx.mds.dentries[path]) return ctx.mds.dentries[path];
  assertMds(ctx, cr.straydn === null || !(cr.locking_state & ALL_LOCKED), `prepare_stray_dentry: ${mdr.reqid} changes its stray dentry after locking`);
  let dn = ctx.mds.dentries[path];
  if (!dn) {
    dn = new CDentry({ path, authority: ctx.mds.id, rank: ctx.mds.id, replicas: [] });
    ctx.mds.dentries[path] = dn;
  }
  cr.straydn = path;
  return dn;
}
