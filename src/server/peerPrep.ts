// The peer side of the prepares that make a rank a witness of another rank's request
// (Server::handle_peer_link_prep, handle_peer_rmdir_prep; rename in renamePeers.ts), their
// journaling (EPeerUpdate prepare and commit), the commit on OP_FINISH, and the leader's
// handling of the prepare acks. A prepared peer keeps its locks until it has committed.
import { ImpossibleStep } from '../cluster/errors.js';
import {
  OP_COMMITTED, OP_LINKPREP, OP_LINKPREPACK, OP_RENAMEPREP, OP_RENAMEPREPACK, OP_RMDIRPREP, OP_RMDIRPREPACK, OP_UNLINKPREP,
  type JournalEvent, type MMDSPeerRequest,
} from '../messages/index.js';
import type { MDRequest, PeerPrep } from '../request/MDRequest.js';
import { assertMds, requestEvent, send, type Ctx } from '../locker/context.js';
import { peer_cleanup } from '../locker/peer.js';
import { auth_pin, dispatch_client_request } from './dispatch.js';
import { decode_replica_stray } from './dentryLink.js';
import { commit_peer_rename, handle_peer_rename_prep, logged_peer_rename, rename_prep_ack } from './renamePeers.js';
import { request_finish } from '../locker/acquire.js';
import { discover } from './discover.js';
import { baseName, parentPath } from '../cluster/tree.js';

export function handle_peer_prep(ctx: Ctx, mdr: MDRequest, m: MMDSPeerRequest): void {
  switch (m.op) {
    case OP_LINKPREP: case OP_UNLINKPREP: return handle_peer_link_prep(ctx, mdr, m);
    case OP_RMDIRPREP: return handle_peer_rmdir_prep(ctx, mdr, m);
    case OP_RENAMEPREP: return handle_peer_rename_prep(ctx, mdr, m);
  }
}

/** Submit the peer's EPeerUpdate; its commit runs peer_journal_finish. */
export function journal_peer(ctx: Ctx, mdr: MDRequest, phase: 'prepare' | 'commit'): void {
  send(ctx, { kind: 'event', from: ctx.mds.id, to: ctx.mds.id, event: 'EPeerUpdate', phase, op: mdr.peer_prep!.op, reqid: mdr.reqid });
}

/** Start a prepare: journaled (finished when the entry is safe) or applied at once. */
export function prepare(ctx: Ctx, mdr: MDRequest, prep: PeerPrep): void {
  mdr.peer_prep = prep;
  mdr.peer_request_msg = null;
  requestEvent(ctx, mdr.reqid, `prepares ${prep.op}${prep.journaled ? '' : ' (not journaled)'}`, true);
  if (prep.journaled) journal_peer(ctx, mdr, 'prepare');
  else logged_peer(ctx, mdr);
}

/** Server::handle_peer_link_prep: the target inode's link count changes here; always journaled. */
function handle_peer_link_prep(ctx: Ctx, mdr: MDRequest, m: MMDSPeerRequest): void {
  const targeti = ctx.mds.inodes[m.path!];
  assertMds(ctx, targeti?.is_auth() === true, `handle_peer_link_prep: not auth for ${m.path}`);
  auth_pin(mdr, targeti);
  prepare(ctx, mdr, { op: m.op === OP_LINKPREP ? 'link' : 'unlink', journaled: true, phase: 'preparing' });
}

/** Server::handle_peer_rmdir_prep: a replica of the removed directory relinks it under the stray dentry. */
function handle_peer_rmdir_prep(ctx: Ctx, mdr: MDRequest, m: MMDSPeerRequest): void {
  mdr.peer_request_msg = m;
  if (m.stray && m.straydn) decode_replica_stray(ctx, m.straydn, m.stray, m.from);
  const dn = ctx.mds.dentries[m.srcdn!];
  if (!dn) return discover(ctx, mdr, parentPath(m.srcdn!)!, baseName(m.srcdn!), false, true);
  if (!dn.linkage) throw new ImpossibleStep(`${m.reqid}'s rmdir prepare: ${m.srcdn} links nothing on mds.${ctx.mds.id}`);
  const in_ = ctx.mds.inodes[dn.linkage.inode];
  if (!in_) return discover(ctx, mdr, dn.linkage.inode, null, true, true);
  // journaled only where a dirfrag of the directory is auth (its subtree map follows it)
  const journaled = ctx.mds.dirfrags[in_.path]?.is_auth() === true;
  prepare(ctx, mdr, { op: 'rmdir', journaled, phase: 'preparing', srcdn: dn.path, straydn: m.straydn ?? null });
}

/** The prepare is applied (and, if journaled, safe): _logged_peer_link / _logged_peer_rmdir / _logged_peer_rename. */
function logged_peer(ctx: Ctx, mdr: MDRequest): void {
  const prep = mdr.peer_prep!;
  prep.phase = 'prepared';
  switch (prep.op) {
    case 'link': case 'unlink':
      send(ctx, { kind: 'peer', from: ctx.mds.id, to: mdr.peer_to, op: OP_LINKPREPACK, reqid: mdr.reqid, journaled: true });
      return;
    case 'rmdir': {
      const dn = ctx.mds.dentries[prep.srcdn!];
      const straydn = prep.straydn ? ctx.mds.dentries[prep.straydn] : undefined;
      if (straydn && dn.linkage) straydn.linkage = { inode: dn.linkage.inode, remote: false };
      dn.linkage = null;
      send(ctx, { kind: 'peer', from: ctx.mds.id, to: mdr.peer_to, op: OP_RMDIRPREPACK, reqid: mdr.reqid, journaled: prep.journaled });
      return;
    }
    case 'rename': return logged_peer_rename(ctx, mdr);
  }
}

/** A peer's EPeerUpdate is safe. */
export function peer_journal_finish(ctx: Ctx, mdr: MDRequest, m: JournalEvent): void {
  if (m.phase === 'commit') return committed_peer(ctx, mdr);
  logged_peer(ctx, mdr);
}

/** OP_FINISH to a prepared peer: commit (a rename's old auth lets go of the inode), journaled if the prepare was. */
export function peer_commit(ctx: Ctx, mdr: MDRequest): void {
  const prep = mdr.peer_prep!;
  prep.phase = 'committing';
  if (prep.op === 'rename') commit_peer_rename(ctx, mdr);
  if (prep.journaled) journal_peer(ctx, mdr, 'commit');
  else committed_peer(ctx, mdr);
}

/** Server::_committed_peer: tell the leader, then the peer request finishes and drops its locks. */
function committed_peer(ctx: Ctx, mdr: MDRequest): void {
  send(ctx, { kind: 'peer', from: ctx.mds.id, to: mdr.peer_to, op: OP_COMMITTED, reqid: mdr.reqid });
  peer_cleanup(ctx, mdr);
}

/** Server::handle_peer_*_prep_ack on the leader: the peer witnessed (or, for rename, names more witnesses). */
export function handle_prep_ack(ctx: Ctx, mdr: MDRequest, m: MMDSPeerRequest): void {
  const cr = mdr.client_request!;
  if (!mdr.peers.includes(m.from)) mdr.peers.push(m.from);
  if (m.op === OP_RENAMEPREPACK) rename_prep_ack(ctx, mdr, m);
  else {
    if (!cr.witnessed.includes(m.from)) cr.witnessed.push(m.from);
    if (m.journaled) cr.has_journaled_peers = true;
  }
  mdr.waiting_on_peer = mdr.waiting_on_peer.filter((r) => r !== m.from);
  if (mdr.waiting_on_peer.length > 0) return;
  // killed while it waited: with nothing prepared it goes; once a peer prepared it must go on
  if (mdr.aborted && cr.witnessed.length === 0) return request_finish(ctx, mdr);
  dispatch_client_request(ctx, mdr);
}
