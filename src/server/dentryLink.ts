// MDCache::send_dentry_link / handle_dentry_link and send_dentry_unlink / handle_dentry_unlink:
// once a namespace change is journaled, the ranks replicating the dentry (witnesses aside,
// which changed at their prepare) are told, while the leader still holds its xlocks. A new
// primary link carries an inode replica with the auth's lock states; an unlink of a primary
// dentry carries the stray dentry (and its directory) the inode moved to. Replicas holding
// client caps on the unlinked inode would hand them to the auth (export_caps): not modelled.
import { CDentry } from '../cache/CDentry.js';
import { CInode } from '../cache/CInode.js';
import type { MDRequest } from '../request/MDRequest.js';
import type { InodeReplica, MDentryLink, MDentryUnlink, StrayReplica } from '../messages/index.js';
import { assertMds, send, type Ctx } from '../locker/context.js';
import { parentPath } from '../cluster/tree.js';

/** CInode::encode_replica: the inode as a new replica on `to` starts (the auth records the replica). */
export function encode_replica_inode(in_: CInode, to: number): InodeReplica {
  if (!in_.replicas.includes(to)) in_.replicas = [...in_.replicas, to].sort((a, b) => a - b);
  return { key: in_.path, ino: in_.ino, is_dir: in_.is_dir, authority: in_.authority, states: in_.locks().map((l) => [l.type, l.state] as const) };
}

/** MDCache::decode_replica_inode: the copy on this rank (each lock in its auth state's replica_state). */
export function decode_replica_inode(ctx: Ctx, r: InodeReplica): CInode {
  const have = ctx.mds.inodes[r.key];
  if (have) return have;
  const in_ = new CInode({ path: r.key, ino: r.ino, is_dir: r.is_dir, authority: r.authority, rank: ctx.mds.id, replicas: [] });
  for (const [type, state] of r.states) {
    const lock = in_.getLock(type)!;
    if (lock.lt.cls !== 'LocalLock') lock.state = lock.sm.states[state].replica_state;
  }
  ctx.mds.inodes[r.key] = in_;
  return in_;
}

export function send_dentry_link(ctx: Ctx, dn: CDentry, mdr: MDRequest | null): void {
  const link = dn.linkage!;
  for (const r of dn.replicas) {
    if (mdr?.client_request?.witnessed.includes(r)) continue;
    const replica = link.remote ? null : encode_replica_inode(ctx.mds.inodes[link.inode], r);
    send(ctx, { kind: 'dentry_link', from: ctx.mds.id, to: r, path: dn.path, inode: link.inode, remote: link.remote, replica });
  }
}

export function handle_dentry_link(ctx: Ctx, m: MDentryLink): void {
  const dn = ctx.mds.dentries[m.path];
  assertMds(ctx, dn !== undefined && !dn.is_auth() && !dn.linkage, `handle_dentry_link: no null replica dentry ${m.path}`);
  if (m.replica) decode_replica_inode(ctx, m.replica);
  dn.linkage = { inode: m.inode, remote: m.remote };
}

/** Add `to` as a replica of the stray directory and dentry (encode_replica_stray) and describe them. */
export function encode_replica_stray(ctx: Ctx, straydn: CDentry, to: number) {
  const dirKey = parentPath(straydn.path)!;
  const dir = ctx.mds.inodes[dirKey];
  const frag = ctx.mds.dirfrags[dirKey];
  if (!frag.replicas.includes(to)) frag.replicas = [...frag.replicas, to].sort((a, b) => a - b);
  if (!straydn.replicas.includes(to)) straydn.replicas = [...straydn.replicas, to].sort((a, b) => a - b);
  return { dir: encode_replica_inode(dir, to), dnState: straydn.lock.state };
}

export function send_dentry_unlink(ctx: Ctx, dn: CDentry, straydn: CDentry | null, mdr: MDRequest | null): void {
  const to = [...new Set([...dn.replicas, ...(straydn?.replicas ?? [])])].sort((a, b) => a - b);
  for (const r of to) {
    if (mdr?.client_request?.witnessed.includes(r)) continue;
    const stray = straydn ? encode_replica_stray(ctx, straydn, r) : null;
    send(ctx, { kind: 'dentry_unlink', from: ctx.mds.id, to: r, path: dn.path, straydn: straydn?.path ?? null, stray });
  }
}

/** MDCache::decode_replica_stray: the stray directory and dentry as replicas here. */
export function decode_replica_stray(ctx: Ctx, path: string, stray: StrayReplica, from: number): CDentry {
  decode_replica_inode(ctx, stray.dir);
  let straydn = ctx.mds.dentries[path];
  if (!straydn) {
    straydn = new CDentry({ path, authority: from, rank: ctx.mds.id, replicas: [] });
    straydn.lock.state = straydn.lock.sm.states[stray.dnState].replica_state;
    ctx.mds.dentries[path] = straydn;
  }
  return straydn;
}

/** MDCache::handle_dentry_unlink: relink a primary inode under its stray dentry; a remote link just goes. */
export function handle_dentry_unlink(ctx: Ctx, m: MDentryUnlink): void {
  const straydn = m.stray && m.straydn ? decode_replica_stray(ctx, m.straydn, m.stray, m.from) : undefined;
  const dn = ctx.mds.dentries[m.path];
  if (!dn || !dn.linkage) return;
  if (!dn.linkage.remote && straydn) straydn.linkage = { inode: dn.linkage.inode, remote: false };
  dn.linkage = null;
}
