// The leader's side of the prepares that are not rename's: Server::_link_remote (a link or an
// unlink whose inode is auth on another rank: that rank prepares the link-count change, always
// journaled, so no early reply) and the witnesses of an rmdir whose directory has a dirfrag
// that is a subtree root elsewhere (_rmdir_prepare_witness: every replica of the directory).
import type { CInode } from '../cache/CInode.js';
import { OP_LINKPREP, OP_RMDIRPREP, OP_UNLINKPREP } from '../messages/index.js';
import type { MDRequest } from '../request/MDRequest.js';
import { assertMds, requestEvent, send, type Ctx } from '../locker/context.js';
import { journal_and_reply, project } from './dispatch.js';
import { encode_replica_stray } from './dentryLink.js';

function waitFor(ctx: Ctx, mdr: MDRequest, rank: number): void {
  assertMds(ctx, !mdr.waiting_on_peer.includes(rank), `${mdr.reqid} already waits on mds.${rank}`);
  mdr.waiting_on_peer.push(rank);
  mdr.client_request!.phase = 'witnessing';
}

/** Server::_link_remote: first the target's auth prepares (OP_LINKPREP / OP_UNLINKPREP), then journal. */
export function link_remote(ctx: Ctx, mdr: MDRequest, dnPath: string, targeti: CInode, inc: boolean): void {
  const cr = mdr.client_request!;
  const linkauth = targeti.authority;
  if (!cr.witnessed.includes(linkauth)) {
    send(ctx, { kind: 'peer', from: ctx.mds.id, to: linkauth, op: inc ? OP_LINKPREP : OP_UNLINKPREP, reqid: mdr.reqid, path: targeti.path });
    waitFor(ctx, mdr, linkauth);
    requestEvent(ctx, mdr.reqid, `waits for mds.${linkauth} to prepare the ${inc ? 'link' : 'unlink'} of ${targeti.path}`);
    return;
  }
  const dn = ctx.mds.dentries[dnPath];
  dn.linkage = inc ? { inode: targeti.path, remote: true } : null; // push_projected_linkage
  project(mdr, dn);
  journal_and_reply(ctx, mdr, inc ? targeti : null);
}

/** Whether a directory has a dirfrag that is a subtree root (CInode::has_subtree_root_dirfrag). */
export const hasSubtreeRootDirfrag = (ctx: Ctx, in_: CInode): boolean => {
  const frag = ctx.mds.dirfrags[in_.path];
  return in_.has_subtree_or_exporting_dirfrag || (frag !== undefined && frag.authority !== in_.authority);
};

/**
 * Server::handle_client_unlink's witnesses for rmdir: when a dirfrag of the directory is a
 * subtree root, every rank replicating it prepares first (in parallel). True when none is left.
 */
export function rmdir_witnesses(ctx: Ctx, mdr: MDRequest, in_: CInode, dnPath: string, strayPath: string): boolean {
  const cr = mdr.client_request!;
  if (!hasSubtreeRootDirfrag(ctx, in_)) return true;
  const straydn = ctx.mds.dentries[strayPath];
  for (const w of in_.replicas) {
    if (cr.witnessed.includes(w) || mdr.waiting_on_peer.includes(w)) continue;
    send(ctx, { kind: 'peer', from: ctx.mds.id, to: w, op: OP_RMDIRPREP, reqid: mdr.reqid, srcdn: dnPath, straydn: strayPath, stray: encode_replica_stray(ctx, straydn, w) });
    waitFor(ctx, mdr, w);
  }
  if (mdr.waiting_on_peer.length > 0) {
    requestEvent(ctx, mdr.reqid, `waits for witnesses mds.${mdr.waiting_on_peer.join(', mds.')}`);
    return false;
  }
  return true;
}
