// Server::handle_client_link: a new name for an existing file. Both names are locked as two
// paths (the new dentry xlocked, the existing one rdlocked), then the target's snap and link
// locks; a target auth here is linked locally (_link_local), one auth elsewhere through its
// auth's prepare (_link_remote, OP_LINKPREP).
import { opDef } from '../../ops/ops.js';
import { ERRNO } from '../messages/index.js';
import { ALL_LOCKED } from '../request/ClientRequest.js';
import type { MDRequest } from '../request/MDRequest.js';
import type { Ctx } from '../locker/context.js';
import { acquire } from './lockvec.js';
import { handlerLocks } from './oplocks.js';
import { journal_and_reply, project, respond_to_request } from './dispatch.js';
import { rdlock_two_paths_xlock_destdn } from './rdlock_path.js';
import { send_dentry_link } from './dentryLink.js';
import { link_remote } from './linkPeers.js';

export function handle_client_link(ctx: Ctx, mdr: MDRequest): void {
  const cr = mdr.client_request!;
  const dns = rdlock_two_paths_xlock_destdn(ctx, mdr, false);
  if (!dns) return;
  const [destdn, srcdn] = dns;
  if (destdn.linkage) return respond_to_request(ctx, mdr, -ERRNO.EEXIST);
  const targeti = ctx.mds.inodes[srcdn.linkage!.inode];
  if (!targeti) return respond_to_request(ctx, mdr, -ERRNO.ESTALE);
  if (targeti.is_dir) return respond_to_request(ctx, mdr, -ERRNO.EINVAL);
  if (!(cr.locking_state & ALL_LOCKED)) {
    if (!acquire(ctx, mdr, handlerLocks(opDef('link').locks, mdr, { targeti }))) return;
    cr.locking_state |= ALL_LOCKED;
  }
  cr.in[1] = targeti.path;
  if (!targeti.is_auth()) return link_remote(ctx, mdr, destdn.path, targeti, true);
  // _link_local: the new dentry's projected linkage is a remote link to the target
  destdn.linkage = { inode: targeti.path, remote: true };
  project(mdr, destdn);
  journal_and_reply(ctx, mdr, targeti);
}

/** Server::_link_local_finish / _link_remote_finish (inc): replicas of the new dentry are told. */
export function link_finish(ctx: Ctx, mdr: MDRequest): void {
  const cr = mdr.client_request!;
  // the linkage was projected at the prepare (and a later request may have projected another)
  const destdn = ctx.mds.dentries[cr.dn[0][cr.dn[0].length - 1]];
  send_dentry_link(ctx, destdn, null);
  respond_to_request(ctx, mdr, 0, ctx.mds.inodes[cr.in[1]!] ?? null);
}
