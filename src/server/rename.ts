// Server::handle_client_rename: the leader is the destination dentry's auth. Both dentries
// and their directories are locked as two paths, then the renamed inode's (and an overwritten
// inode's) link and snap locks in inode-number order, with the stray dentry an overwritten
// primary inode moves to. Every rank replicating either dentry witnesses the rename first
// (renamePeers.ts); once prepared, the names move everywhere.
import { opDef } from '../../ops/ops.js';
import type { CDentry } from '../cache/CDentry.js';
import type { CInode } from '../cache/CInode.js';
import { ImpossibleStep } from '../cluster/errors.js';
import { discover } from './discover.js';
import { isWithin, parentPath } from '../cluster/tree.js';
import { ERRNO } from '../messages/index.js';
import { ALL_LOCKED } from '../request/ClientRequest.js';
import type { MDRequest } from '../request/MDRequest.js';
import { move_inode, type Ctx } from '../locker/context.js';
import { acquire, renameFreeze } from './lockvec.js';
import { handlerLocks } from './oplocks.js';
import { journal_and_reply, project, respond_to_request } from './dispatch.js';
import { compare_paths, rdlock_two_paths_xlock_destdn } from './rdlock_path.js';
import { prepare_stray_dentry } from './stray.js';
import { send_dentry_link } from './dentryLink.js';
import { dir_is_nonempty } from './unlink.js';
import { rename_witnesses } from './renamePeers.js';
import { import_inode } from './migrate.js';
import { clear_ambiguous_auth } from '../locker/freeze.js';

/** The objects of a rename on this rank, once its paths are locked. */
export interface RenameObjects {
  readonly destdn: CDentry;
  readonly srcdn: CDentry;
  readonly srci: CInode;
  readonly oldin: CInode | null;
  readonly straydn: CDentry | null;
}

export function handle_client_rename(ctx: Ctx, mdr: MDRequest): void {
  const cr = mdr.client_request!;
  const dns = rdlock_two_paths_xlock_destdn(ctx, mdr, true);
  if (!dns) return;
  const [destdn, srcdn] = dns;
  if (destdn === srcdn) return respond_to_request(ctx, mdr, 0);
  const srci = ctx.mds.inodes[srcdn.linkage!.inode];
  if (!srci) throw new ImpossibleStep(`mds.${ctx.mds.id} caches no inode ${srcdn.linkage!.inode} (linked from ${srcdn.path}): mdslock does not model opening it`);
  const destdir = parentPath(destdn.path)!;
  if (srci.is_dir && !srcdn.linkage!.remote && isWithin(destdir, srci.path)) return respond_to_request(ctx, mdr, -ERRNO.EINVAL);
  const oldin = destdn.linkage ? ctx.mds.inodes[destdn.linkage.inode] ?? null : null;
  // MDCache::get_dentry_inode: a hard link's inode this rank lacks is opened first
  if (destdn.linkage && !oldin) return discover(ctx, mdr, destdn.linkage.inode, null, true);
  if (oldin) {
    if (oldin.is_dir && oldin.is_auth() && ctx.mds.dirfrags[oldin.path]?.is_auth() && dir_is_nonempty(ctx, oldin)) return respond_to_request(ctx, mdr, -ERRNO.ENOTEMPTY);
    if (oldin.is_dir && !srci.is_dir) return respond_to_request(ctx, mdr, -ERRNO.EISDIR);
    if (!oldin.is_dir && srci.is_dir) return respond_to_request(ctx, mdr, -ERRNO.ENOTDIR);
    if (oldin === srci) return respond_to_request(ctx, mdr, 0); // two links of one inode: POSIX's no-op
  }
  const straydn = oldin && !destdn.linkage!.remote ? prepare_stray_dentry(ctx, mdr, oldin) : null;
  if (!(cr.locking_state & ALL_LOCKED)) {
    const straydir = straydn ? ctx.mds.inodes[parentPath(straydn.path)!] : undefined;
    const lov = handlerLocks(opDef('rename').locks, mdr, { srci, oldin: oldin ?? undefined, straydn: straydn ?? undefined, straydir });
    if (oldin) {
      // the two inodes' locks: the destination's first for a directory deeper on the source side, else by inode number
      const n = oldin.is_dir ? 5 : 4;
      const cmp = compare_paths(mdr);
      const swap = oldin.is_dir ? cmp < 0 || (cmp === 0 && oldin.ino < srci.ino) : srci.ino > oldin.ino;
      if (swap) lov.ops.splice(0, n, ...lov.ops.slice(0, n).reverse());
    }
    if (!acquire(ctx, mdr, lov, renameFreeze(srcdn))) return;
    cr.locking_state |= ALL_LOCKED;
  }
  if (oldin?.is_dir && dir_is_nonempty(ctx, oldin)) return respond_to_request(ctx, mdr, -ERRNO.ENOTEMPTY);
  // a renamed directory whose source is remote: its dirfrags are opened here first (stickydirs)
  if (srci.is_dir && !srcdn.linkage!.remote && !srcdn.is_auth() && !ctx.mds.dirfrags[srci.path]) return discover(ctx, mdr, srci.path, null, false);
  cr.oldin = oldin?.path ?? null;
  const objs: RenameObjects = { destdn, srcdn, srci, oldin, straydn };
  if (!rename_witnesses(ctx, mdr, objs)) return;
  // Server::_rename_prepare, as far as this rank's cache goes: the projected linkages
  if (straydn && oldin) {
    straydn.linkage = { inode: oldin.path, remote: false };
    project(mdr, straydn);
  }
  const srcRemote = srcdn.linkage!.remote;
  destdn.linkage = { inode: srci.path, remote: srcRemote };
  srcdn.linkage = null;
  project(mdr, destdn);
  project(mdr, srcdn);
  // names follow the projected linkages (Ceph prints an inode by its projected path): an
  // overwritten primary inode is its stray dentry's, a renamed primary inode (and everything
  // under it) takes the destination's name
  if (straydn && oldin) move_inode(ctx, oldin.path, straydn.path);
  if (!srcRemote) move_inode(ctx, srci.path, destdn.path);
  journal_and_reply(ctx, mdr, ctx.mds.inodes[destdn.linkage!.inode] ?? null);
}

/** Server::_rename_finish: import an inode a remote srcdn auth exported, tell replicas that did not witness, reply. */
export function rename_finish(ctx: Ctx, mdr: MDRequest): void {
  const cr = mdr.client_request!;
  const destdn = ctx.mds.dentries[cr.dn[0][cr.dn[0].length - 1]];
  const link = destdn.linkage!;
  if (cr.inode_import) {
    import_inode(ctx, cr.inode_import, mdr);
    const srci = ctx.mds.inodes[link.inode];
    cr.ambiguous = false;
    if (srci.ambiguous_auth) clear_ambiguous_auth(ctx, srci);
  }
  send_dentry_link(ctx, destdn, mdr);
  respond_to_request(ctx, mdr, 0, ctx.mds.inodes[destdn.linkage!.inode] ?? null);
}
