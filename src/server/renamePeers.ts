// Rename's witnesses (Server::handle_client_rename, _rename_prepare_witness,
// handle_peer_rename_prep, _logged_peer_rename, handle_peer_rename_prep_ack,
// _commit_peer_rename). Every rank replicating the source or the destination dentry prepares
// (applies the new linkages to its cache) before the leader journals; the source dentry's auth
// prepares last. When that auth is another rank and the dentry primary, a first round makes it
// freeze the inode and name its own replicas (more witnesses); its final prepare exports the
// inode, whose auth moves to the leader when the leader's journal is safe (migrate.ts).
import { ImpossibleStep } from '../cluster/errors.js';
import type { CDentry } from '../cache/CDentry.js';
import { baseName, isWithin, parentPath } from '../cluster/tree.js';
import { discover } from './discover.js';
import { OP_RENAMENOTIFY, OP_RENAMEPREP, OP_RENAMEPREPACK, type MMDSPeerRequest } from '../messages/index.js';
import { XLOCK } from '../request/LockOp.js';
import type { MDRequest } from '../request/MDRequest.js';
import { assertMds, requestEvent, send, type Ctx } from '../locker/context.js';
import { add_object_waiter, clear_ambiguous_auth, unfreeze, WAIT_FROZEN } from '../locker/freeze.js';
import { decode_replica_stray, encode_replica_stray } from './dentryLink.js';
import { prepare } from './peerPrep.js';
import type { RenameObjects } from './rename.js';

/** The witness set (Server::handle_client_rename): all replicas of both dentries, and the auths of remote inodes. */
function witnessSet(ctx: Ctx, mdr: MDRequest, o: RenameObjects): number[] {
  const w = new Set<number>(mdr.extra_witnesses);
  if (o.srcdn.is_auth()) for (const r of o.srcdn.replicas) w.add(r);
  else w.add(o.srcdn.authority);
  if (o.srcdn.linkage!.remote && !o.srci.is_auth()) w.add(o.srci.authority);
  for (const r of o.destdn.replicas) w.add(r);
  if (o.destdn.linkage?.remote && o.oldin && !o.oldin.is_auth()) w.add(o.oldin.authority);
  w.delete(ctx.mds.id);
  return [...w].sort((a, b) => a - b);
}

/** Server::_rename_prepare_witness: OP_RENAMEPREP to `who`, with the replicas it needs (the stray dentry; the destination dentry it may not have). */
function prepare_witness(ctx: Ctx, mdr: MDRequest, o: RenameObjects, who: number, witnesses: number[]): void {
  const cr = mdr.client_request!;
  send(ctx, {
    kind: 'peer', from: ctx.mds.id, to: who, op: OP_RENAMEPREP, reqid: mdr.reqid, srcdn: o.srcdn.path, destdn: o.destdn.path,
    straydn: o.straydn?.path ?? null, stray: o.straydn ? encode_replica_stray(ctx, o.straydn, who) : null, witnesses,
  });
  assertMds(ctx, !mdr.waiting_on_peer.includes(who), `${mdr.reqid} already waits on mds.${who}`);
  mdr.waiting_on_peer.push(who);
  cr.phase = 'witnessing';
}

/** The dentries from `path` up to (not including) the directory `top`. */
function chain(path: string, top: string | null): string[] {
  const out: string[] = [];
  for (let p: string | null = path; p !== null && p !== top && p !== '/'; p = parentPath(p)) out.push(p);
  return out;
}

/** The deepest directory both paths are under. */
function commonAncestor(a: string, b: string): string {
  for (let p: string | null = parentPath(a); p !== null; p = parentPath(p)) if (isWithin(b, p)) return p;
  return '/';
}

/**
 * Replicas cannot see projected linkages: while a dentry of the source's trace, or the
 * destination or one of its ancestors, has a change not yet safe, the rename waits for the
 * journal (MDLog::wait_for_safe) before asking any witness.
 */
function waitForProjected(ctx: Ctx, mdr: MDRequest, o: RenameObjects): boolean {
  const paths = [...chain(o.srcdn.path, commonAncestor(o.srcdn.path, o.destdn.path)), ...chain(o.destdn.path, null)];
  const projected = paths.find((p) => (ctx.mds.dentries[p]?.projected ?? 0) > 0);
  if (!projected) return false;
  if (!ctx.mds.safe_waiters.includes(mdr.reqid)) ctx.mds.safe_waiters.push(mdr.reqid);
  requestEvent(ctx, mdr.reqid, `waits for the journal: ${projected} has a change not yet safe, which witnesses could not see`);
  return true;
}

/** The leader's prepare rounds; true once every witness has prepared (the srcdn auth last). */
export function rename_witnesses(ctx: Ctx, mdr: MDRequest, o: RenameObjects): boolean {
  const cr = mdr.client_request!;
  const witnesses = witnessSet(ctx, mdr, o);
  if (witnesses.length > 0 && waitForProjected(ctx, mdr, o)) return false;
  let last = -1;
  if (!o.srcdn.is_auth()) {
    last = o.srcdn.authority;
    cr.srcdn_auth = last;
    if (!o.srcdn.linkage!.remote && !cr.ambiguous) {
      prepare_witness(ctx, mdr, o, last, witnesses); // round 1: the srcdn auth freezes the inode first
      requestEvent(ctx, mdr.reqid, `waits for the srcdn auth mds.${last} to freeze ${o.srci.path}`);
      return false;
    }
  }
  for (const w of witnesses) {
    if (w === last || cr.witnessed.includes(w) || mdr.waiting_on_peer.includes(w)) continue;
    prepare_witness(ctx, mdr, o, w, witnesses);
  }
  if (mdr.waiting_on_peer.length > 0) {
    requestEvent(ctx, mdr.reqid, `waits for witnesses mds.${mdr.waiting_on_peer.join(', mds.')}`);
    return false;
  }
  if (last >= 0 && !cr.witnessed.includes(last)) {
    prepare_witness(ctx, mdr, o, last, witnesses);
    requestEvent(ctx, mdr.reqid, `waits for the srcdn auth mds.${last} to prepare`);
    return false;
  }
  return true;
}

/** Server::handle_peer_rename_prep_ack on the leader. */
export function rename_prep_ack(ctx: Ctx, mdr: MDRequest, m: MMDSPeerRequest): void {
  const cr = mdr.client_request!;
  if (m.from === cr.srcdn_auth && mdr.remote_frozen && !cr.ambiguous) {
    cr.ambiguous = true; // set_ambiguous_auth on the renamed inode here
    const srci = ctx.mds.inodes[mdr.remote_frozen];
    if (srci) srci.ambiguous_auth = true;
  }
  if (m.witnesses?.length) {
    mdr.extra_witnesses = m.witnesses.filter((r) => r !== ctx.mds.id);
  } else {
    if (!cr.witnessed.includes(m.from)) cr.witnessed.push(m.from);
    if (m.journaled) cr.has_journaled_peers = true;
  }
  if (m.inode_export) cr.inode_import = m.inode_export;
}

/**
 * The dentries the prepare needs here (path_traverse with DISCOVER | PATH_LOCKED): one this
 * rank lacks (the new destination, say) is discovered from its auth, even while xlocked.
 */
function prepDentry(ctx: Ctx, mdr: MDRequest, path: string): CDentry | null {
  const dn = ctx.mds.dentries[path];
  if (dn) return dn;
  discover(ctx, mdr, parentPath(path)!, baseName(path), false, true);
  return null;
}

/** Server::handle_peer_rename_prep. */
export function handle_peer_rename_prep(ctx: Ctx, mdr: MDRequest, m: MMDSPeerRequest): void {
  mdr.peer_request_msg = m;
  if (m.stray && m.straydn) decode_replica_stray(ctx, m.straydn, m.stray, m.from);
  const srcdn = prepDentry(ctx, mdr, m.srcdn!);
  if (!prepDentry(ctx, mdr, m.destdn!) || !srcdn) return;
  if (!srcdn.linkage) throw new ImpossibleStep(`${m.reqid}'s rename prepare: the source ${m.srcdn} links nothing on mds.${ctx.mds.id}`);
  if (!ctx.mds.inodes[srcdn.linkage.inode]) return discover(ctx, mdr, srcdn.linkage.inode, null, true, true);
  const srci = ctx.mds.inodes[srcdn.linkage.inode];
  const destdn = ctx.mds.dentries[m.destdn!];
  const primary = !srcdn.linkage.remote;
  if (srcdn.is_auth()) {
    const srcdnrep = srcdn.replicas;
    let reply_witness = false;
    if (primary && !srci.ambiguous_auth) {
      // freeze_inode: wait until no other request pins the inode; mdslock also waits for the
      // clients to acknowledge any revoke (Ceph flushes their sessions), so caps move settled
      const mine = (mdr.auth_pins.includes(srci.key) ? 1 : 0) + srci.locks().filter((l) => l.lt.cls !== 'LocalLock' && !l.is_stable() && mdr.isHeld({ path: srci.path, type: l.type }, XLOCK)).length;
      const revoking = Object.values(srci.caps).some((c) => c.is_revoking());
      if (srci.auth_pins > mine || revoking) {
        add_object_waiter(srci, WAIT_FROZEN, mdr.reqid);
        requestEvent(ctx, mdr.reqid, `freezing ${srci.path}: waits for ${revoking ? 'a client to acknowledge a revoke' : `${srci.auth_pins - mine} other auth pin(s) to go`}`, true);
        return;
      }
      srci.frozen_by = mdr.reqid; // freeze_inode: the auth-pin freeze becomes the inode's
      mdr.freeze_authpin = null;
      mdr.frozen_inode = srci.key;
      srci.ambiguous_auth = true;
      requestEvent(ctx, mdr.reqid, `froze ${srci.path}; its auth is ambiguous until the rename commits`, true);
      if ((m.witnesses ?? []).length > 1) reply_witness = true;
      for (const r of srcdnrep) {
        if (r === mdr.peer_to) continue;
        send(ctx, { kind: 'peer', from: ctx.mds.id, to: r, op: OP_RENAMENOTIFY, reqid: mdr.reqid });
        mdr.waiting_on_peer.push(r);
      }
    }
    if (srcdnrep.some((r) => r !== mdr.peer_to && !(m.witnesses ?? []).includes(r))) reply_witness = true;
    if (reply_witness) {
      // not prepared: the leader must ask these ranks too, and this one again, last
      send(ctx, { kind: 'peer', from: ctx.mds.id, to: mdr.peer_to, op: OP_RENAMEPREPACK, reqid: mdr.reqid, witnesses: [...srcdnrep] });
      mdr.peer_request_msg = null;
      return;
    }
    if (mdr.waiting_on_peer.length > 0) return; // the notify acks re-handle this message
  } else if (primary && srcdn.authority !== destdn.authority) {
    srci.ambiguous_auth = true;
  }
  // _rename_prepare's metablob is empty on a pure witness: it journals only as the srcdn auth,
  // or as the auth of an inode a remote link names (srci's or oldin's own primary dentry)
  const oldin = destdn.linkage?.remote ? ctx.mds.inodes[destdn.linkage.inode] : undefined;
  const journaled = srcdn.is_auth() || (!primary && srci.is_auth()) || oldin?.is_auth() === true;
  // the peer's projected linkages, until its prepare is safe and applied
  for (const p of [srcdn.path, destdn.path, m.straydn]) if (p && journaled) ctx.mds.dentries[p].projected++;
  prepare(ctx, mdr, {
    op: 'rename', journaled, phase: 'preparing', srcdn: srcdn.path, destdn: destdn.path,
    straydn: m.straydn ?? null, exporter: srcdn.is_auth() && primary,
  });
}

/** Server::_logged_peer_rename: export the inode if this is its srcdn auth, apply the linkages, ack. */
export function logged_peer_rename(ctx: Ctx, mdr: MDRequest): void {
  const prep = mdr.peer_prep!;
  const srcdn = ctx.mds.dentries[prep.srcdn!];
  const destdn = ctx.mds.dentries[prep.destdn!];
  const link = srcdn.linkage!;
  let inode_export;
  if (prep.exporter) {
    const srci = ctx.mds.inodes[link.inode];
    inode_export = { key: srci.path, ino: srci.ino, is_dir: srci.is_dir, authority: srci.authority, states: srci.locks().map((l) => [l.type, l.state] as const), replicas: [...srci.replicas] };
  }
  // _rename_apply on this rank: an overwritten primary inode moves to the stray dentry
  const straydn = prep.straydn ? ctx.mds.dentries[prep.straydn] : undefined;
  if (prep.journaled) for (const dn of [srcdn, destdn, straydn]) if (dn) dn.projected--;
  if (straydn && destdn.linkage && !destdn.linkage.remote) straydn.linkage = { inode: destdn.linkage.inode, remote: false };
  destdn.linkage = { inode: link.inode, remote: link.remote };
  srcdn.linkage = null;
  send(ctx, { kind: 'peer', from: ctx.mds.id, to: mdr.peer_to, op: OP_RENAMEPREPACK, reqid: mdr.reqid, journaled: prep.journaled, ...(inode_export ? { inode_export } : {}) });
}

/** Server::_commit_peer_rename: the old auth unfreezes the inode; every witness's copy has a single auth again. */
export function commit_peer_rename(ctx: Ctx, mdr: MDRequest): void {
  const destdn = ctx.mds.dentries[mdr.peer_prep!.destdn!];
  const srci = destdn?.linkage ? ctx.mds.inodes[destdn.linkage.inode] : undefined;
  if (!srci) return;
  if (srci.frozen_by === mdr.reqid) unfreeze(ctx, srci);
  if (srci.ambiguous_auth) clear_ambiguous_auth(ctx, srci);
}
