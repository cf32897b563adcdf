// MDCache::discover_path / discover_dir_frag / open_ino and handle_discover(_reply), reduced to
// what path traversal needs: a rank missing a dirfrag, a dentry (with the inode it links) or an
// inode asks the auth, which adds it as a replica and answers with the objects' states; the
// requests that waited retry. mdslock sends the ask straight to the auth (Ceph may go through
// the inode's auth first); an xlocked dentry is only handed to a peer of the request holding it.
import { CDentry } from '../cache/CDentry.js';
import { CDir } from '../cache/CDir.js';
import type { Cluster } from '../cluster/Cluster.js';
import { childPath } from '../cluster/tree.js';
import { ImpossibleStep } from '../cluster/errors.js';
import { WAIT_RD } from '../locks/index.js';
import type { MDiscover, MDiscoverReply } from '../messages/index.js';
import type { MDRequest } from '../request/MDRequest.js';
import { mdsEvent, requestEvent, send, type Ctx } from '../locker/context.js';
import { STATE_REJOIN, get_state } from '../cluster/mdsmap.js';
import { printMessage } from '../messages/index.js';
import { add_message_waiter } from '../locker/waiters.js';
import { retry_request } from '../locker/dispatch.js';
import { tree_freeze, WAIT_UNFREEZE } from '../locker/freeze.js';
import { OBJECT_WAIT } from '../cache/MDSCacheObject.js';
import { decode_replica_inode, encode_replica_inode } from './dentryLink.js';

const what = (base: string, name: string | null, ino: boolean) => (ino ? `ino ${base}` : name === null ? `dirfrag ${base}` : childPath(base, name));

/** The rank to ask: the dirfrag's auth (for it or a dentry in it), or the inode's auth. */
export function authOf(c: Cluster, base: string, dirfrag: boolean): number {
  for (const r of c.ranks) {
    const d = r.dirfrags[base];
    if (dirfrag && d) return d.authority;
  }
  for (const r of c.ranks) {
    const i = r.inodes[base];
    if (i) return i.authority;
  }
  throw new ImpossibleStep(`no rank caches ${base} to discover`);
}

/** Ask for a replica; the request retries when the answer comes (one ask per object at a time). */
export function discover(ctx: Ctx, mdr: MDRequest, base: string, name: string | null, ino: boolean, path_locked = false): void {
  const key = what(base, name, ino);
  const pending = ctx.mds.discovering[key];
  if (pending && (pending.path_locked || !path_locked)) {
    if (!pending.reqids.includes(mdr.reqid)) pending.reqids.push(mdr.reqid);
  } else {
    // MDCache::discover_path: a path-locked ask always goes out (the auth must not park it
    // behind the xlock its own leader holds), even with another ask for the name pending
    const to = authOf(ctx.cluster, base, !ino);
    ctx.mds.discovering[key] = { base, name, ino, path_locked, reqids: [...(pending?.reqids ?? []), mdr.reqid] };
    send(ctx, { kind: 'discover', from: ctx.mds.id, to, base, name, ino, path_locked });
  }
  requestEvent(ctx, mdr.reqid, `discovers ${key}`, mdr.is_peer());
}

/**
 * MDCache::kick_discovers, on a rank that sees `who` newly in rejoin or beyond: the asks to
 * `who` go again (those in flight when it failed were lost with it).
 */
export function kick_discovers(ctx: Ctx, who: number): void {
  for (const d of Object.values(ctx.mds.discovering)) {
    if (authOf(ctx.cluster, d.base, !d.ino) === who) send(ctx, { kind: 'discover', from: ctx.mds.id, to: who, base: d.base, name: d.name, ino: d.ino, path_locked: d.path_locked });
  }
}

/** MDCache::handle_discover on the auth. */
export function handle_discover(ctx: Ctx, m: MDiscover): void {
  const state = get_state(ctx.cluster.mdsmap, ctx.mds.id);
  if (state < STATE_REJOIN) {
    // its sender asks again when this rank is in rejoin (kick_discovers)
    mdsEvent(ctx, `not in rejoin yet: ${printMessage(m)} dropped`);
    return;
  }
  if (state === STATE_REJOIN) {
    // a survivor's ask waits: the lock states it would hand out are not chosen yet
    ctx.mds.waiting_for_active.push(m);
    mdsEvent(ctx, `still rejoining: ${printMessage(m)} waits`);
    return;
  }
  const reply = (r: Partial<MDiscoverReply>) => send(ctx, {
    kind: 'discover_reply', from: ctx.mds.id, to: m.from, base: m.base, name: m.name, ino: m.ino, dir: null, dn: null, inode: null, error_dn: false, ...r,
  });
  const dir = ctx.mds.dirfrags[m.base];
  const diri = ctx.mds.inodes[m.base];
  // an export moved it away: an empty reply, and the asker's requests retry and ask its new auth
  if (m.ino ? !diri?.is_auth() : !dir?.is_auth()) return reply({});
  // a frozen tree (an export) hands out no replica: the ask waits for the unfreeze (its exporter
  // would not tell the importer of the new replica)
  if (diri && (m.ino ? tree_freeze(ctx.mds, diri) : dir.freeze_tree) === 'frozen') {
    diri.add_waiter({ type: OBJECT_WAIT, mask: WAIT_UNFREEZE, msg: m });
    mdsEvent(ctx, `${printMessage(m)} waits: ${m.base} is frozen`);
    return;
  }
  if (m.ino) return reply({ inode: encode_replica_inode(diri, m.from) });
  if (!dir.replicas.includes(m.from)) dir.replicas = [...dir.replicas, m.from].sort((a, b) => a - b);
  if (m.name === null) return reply({ dir: { authority: dir.authority } });
  const dn = ctx.mds.dentries[childPath(m.base, m.name)];
  if (!dn) return reply({ dir: { authority: dir.authority }, error_dn: true });
  if (dn.lock.is_xlocked() && !m.path_locked) {
    // a dentry being changed is not handed out until its xlock goes (but to the xlocker's peers)
    add_message_waiter(ctx, dn.lock, WAIT_RD, m);
    return;
  }
  if (!dn.replicas.includes(m.from)) dn.replicas = [...dn.replicas, m.from].sort((a, b) => a - b);
  const inode = dn.linkage && !dn.linkage.remote ? encode_replica_inode(ctx.mds.inodes[dn.linkage.inode], m.from) : null;
  reply({ dir: { authority: dir.authority }, dn: { state: dn.lock.state, linkage: dn.linkage }, inode });
}

/** MDCache::handle_discover_reply: the new replicas; the requests that waited try again. */
export function handle_discover_reply(ctx: Ctx, m: MDiscoverReply): void {
  if (m.dir && !ctx.mds.dirfrags[m.base]) ctx.mds.dirfrags[m.base] = new CDir(m.base, m.dir.authority, ctx.mds.id, []);
  if (m.inode) decode_replica_inode(ctx, m.inode);
  const path = m.name === null ? null : childPath(m.base, m.name);
  if (m.dn && path && !ctx.mds.dentries[path]) {
    const dn = new CDentry({ path, authority: m.from, rank: ctx.mds.id, replicas: [] });
    dn.lock.state = dn.lock.sm.states[m.dn.state].replica_state;
    dn.linkage = m.dn.linkage;
    ctx.mds.dentries[path] = dn;
  }
  const key = what(m.base, m.name, m.ino);
  const pending = ctx.mds.discovering[key];
  delete ctx.mds.discovering[key];
  for (const reqid of pending?.reqids ?? []) {
    const mdr = ctx.mds.requests[reqid];
    if (m.error_dn && path && mdr?.client_request && !mdr.client_request.missing.includes(path)) mdr.client_request.missing.push(path);
    retry_request(ctx, reqid);
  }
}
