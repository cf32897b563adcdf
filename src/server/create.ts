// Creating: Server::handle_client_openc (create), handle_client_mknod / mkdir / symlink, and
// prepare_new_inode. The new inode is auth on the rank that runs the request (the parent
// dirfrag's auth), cached nowhere else; its dentry's projected linkage points at it at once.
import { LOCK_EXCL, lockTypeByName } from '../../statemachines/index.js';
import { opDef } from '../../ops/ops.js';
import { CDir } from '../cache/CDir.js';
import { CInode } from '../cache/CInode.js';
import type { CDentry } from '../cache/CDentry.js';
import type { MDRequest } from '../request/MDRequest.js';
import { assertMds, log, type Ctx } from '../locker/context.js';
import { rekeyAll } from '../cluster/rekey.js';
import { issue_new_caps } from '../locker/clientCaps.js';
import { journal_and_reply, project } from './dispatch.js';
import { rdlock_path_xlock_dentry } from './rdlock_path.js';
import { handle_client_open } from './stat.js';
import { caps_for_mode } from '../clients/capString.js';

/** Server::prepare_new_inode: a new auth inode here (and, for a directory, its open dirfrag). */
function prepare_new_inode(ctx: Ctx, mdr: MDRequest, dn: CDentry, is_dir: boolean): CInode {
  // the name's old inode may be moving away in this very step (an unlink or a rename that
  // woke this request): its new name is given now, as the new inode takes the old one
  if (ctx.fx.rekeys.length && ctx.cluster.ranks.some((r) => r.inodes[dn.path])) {
    rekeyAll(ctx.cluster, ctx.fx.rekeys, ctx.fx.messages);
    ctx.fx.rekeys.length = 0;
  }
  const key = dn.path;
  assertMds(ctx, ctx.cluster.ranks.every((r) => !r.inodes[key]), `prepare_new_inode: an inode ${key} already exists`);
  const in_ = new CInode({ path: key, ino: ctx.cluster.next_ino++, is_dir, authority: ctx.mds.id, rank: ctx.mds.id, replicas: [] });
  ctx.mds.inodes[key] = in_;
  if (is_dir) ctx.mds.dirfrags[key] = new CDir(key, ctx.mds.id, ctx.mds.id, []);
  dn.linkage = { inode: key, remote: false }; // push_projected_linkage
  project(mdr, dn);
  mdr.client_request!.created = key;
  return in_;
}

/** What the handler does to a new inode's caps and locks once issue_new_caps gave the client a cap. */
function newInodeCaps(ctx: Ctx, mdr: MDRequest, newi: CInode): void {
  const def = opDef(mdr.client_request!.op.name);
  const creates = def.creates!;
  if (!def.caps) return;
  const cap = issue_new_caps(ctx, newi, mdr.client, caps_for_mode(def.caps === 'rdwr' ? 'rdwr' : mdr.client_request!.op.mode));
  if (creates.cap_wanted_zero) cap.wanted = 0;
  for (const name of creates.excl) {
    const lock = newi.getLock(lockTypeByName(name)!.type)!;
    lock.set_state(LOCK_EXCL);
    log(ctx, def.handler.replace('Server::', ''), lock);
  }
}

/** Server::handle_client_openc: create a file, or open the one the name already links (without O_EXCL). */
export function handle_client_openc(ctx: Ctx, mdr: MDRequest): void {
  const cr = mdr.client_request!;
  const dn = rdlock_path_xlock_dentry(ctx, mdr, true, !cr.op.excl, true, true);
  if (!dn) return;
  if (dn.linkage) return handle_client_open(ctx, mdr);
  const newi = prepare_new_inode(ctx, mdr, dn, false);
  newInodeCaps(ctx, mdr, newi);
  journal_and_reply(ctx, mdr, newi);
}

/** Server::handle_client_mknod / handle_client_mkdir / handle_client_symlink. */
export function handle_client_mknod(ctx: Ctx, mdr: MDRequest): void {
  const cr = mdr.client_request!;
  const def = opDef(cr.op.name);
  const path = def.path as { want_layout: boolean };
  const dn = rdlock_path_xlock_dentry(ctx, mdr, true, false, false, path.want_layout);
  if (!dn) return;
  const newi = prepare_new_inode(ctx, mdr, dn, def.creates!.type === 'dir');
  newInodeCaps(ctx, mdr, newi);
  journal_and_reply(ctx, mdr, newi);
}
