// Renaming an inode's key. mdslock names objects by path where Ceph names an inode by its
// inode number and a dentry by (directory, name); when a rename or an unlink moves an inode,
// the name every structure knows it by is rewritten at once, on every rank, in every request
// and every message in flight. Only names change: no state does, which is what Ceph's
// unchanged inode numbers amount to. What a client asked for (a request's path) is not a name
// of an object and stays as written.
import type { Cluster } from './Cluster.js';
import type { MDSRank } from './MDSRank.js';
import type { LockRef, LockOp } from '../request/LockOp.js';
import type { Message } from '../messages/index.js';
import type { FilePath } from '../request/ClientRequest.js';
import { CEPH_LOCK_DN, CEPH_LOCK_DVERSION } from '../../statemachines/index.js';

/** Rewrites paths for one move: the inode `from` becomes `to`, and everything under it moves along. */
export class Move {
  constructor(readonly from: string, readonly to: string) {}

  /** A path under the moved inode (not the inode itself: its dentry stays where it was). */
  under(p: string): string {
    return p.startsWith(`${this.from}/`) ? this.to + p.slice(this.from.length) : p;
  }
  /** An inode's path: the moved inode or one under it. */
  inode(p: string): string { return p === this.from ? this.to : this.under(p); }
  /** A dentry's path: only dentries under the moved inode move. */
  dentry(p: string): string { return this.under(p); }
  /** The path of the object carrying a lock of this type. */
  byType(type: number, p: string): string {
    return type === CEPH_LOCK_DN || type === CEPH_LOCK_DVERSION ? this.dentry(p) : this.inode(p);
  }
  /** An object key: `dentry <path>` or an inode's path. */
  key(k: string): string { return k.startsWith('dentry ') ? `dentry ${this.dentry(k.slice(7))}` : this.inode(k); }
  ref(l: LockRef): LockRef {
    const p = this.byType(l.type, l.path);
    return p === l.path ? l : { path: p, type: l.type };
  }
  /** `<lock type name> <path>`, as scatter counters and the dirty-lock list are keyed. */
  lockName(name: string): string {
    const sp = name.indexOf(' ');
    return `${name.slice(0, sp)} ${this.inode(name.slice(sp + 1))}`;
  }
}

function rekeyRecord<T>(rec: Record<string, T>, f: (k: string) => string, each?: (v: T, k: string) => void): Record<string, T> {
  let changed = false;
  for (const k of Object.keys(rec)) if (f(k) !== k) changed = true;
  if (!changed) {
    if (each) for (const k of Object.keys(rec)) each(rec[k], k);
    return rec;
  }
  const out: Record<string, T> = {};
  for (const k of Object.keys(rec)) {
    const nk = f(k);
    if (each) each(rec[k], nk);
    out[nk] = rec[k];
  }
  return out;
}

function rekeyRank(m: MDSRank, mv: Move): void {
  m.inodes = rekeyRecord(m.inodes, (k) => mv.inode(k), (o, k) => {
    o.path = k;
    for (const l of o.locks()) l.parent = k;
    for (const w of o.waiting) if (w.msg) (w as { msg: Message }).msg = rekeyMessage(w.msg, mv);
  });
  m.dentries = rekeyRecord(m.dentries, (k) => mv.dentry(k), (d, k) => {
    d.path = k;
    for (const l of d.locks()) l.parent = k;
    if (d.linkage) {
      const to = mv.inode(d.linkage.inode);
      if (to !== d.linkage.inode) d.linkage = { inode: to, remote: d.linkage.remote };
    }
    for (const w of d.waiting) if (w.msg) (w as { msg: Message }).msg = rekeyMessage(w.msg, mv);
  });
  m.dirfrags = rekeyRecord(m.dirfrags, (k) => mv.inode(k), (d, k) => { d.path = k; });
  m.updated_scatterlocks = rekeyRecord(m.updated_scatterlocks, (k) => mv.lockName(k));
  for (const d of Object.values(m.discovering)) d.base = mv.inode(d.base);
  m.discovering = rekeyRecord(m.discovering, (k) => (k.startsWith('ino ') ? `ino ${mv.inode(k.slice(4))}` : k.startsWith('dirfrag ') ? `dirfrag ${mv.inode(k.slice(8))}` : mv.dentry(k)));
  for (const k of Object.keys(m.updated_scatterlocks)) m.updated_scatterlocks[k] = mv.ref(m.updated_scatterlocks[k]);
  for (const r of Object.values(m.requests)) {
    const ops = (l: LockOp[]) => l.map((o) => (mv.ref(o.lock) === o.lock ? o : { ...o, lock: mv.ref(o.lock) }));
    r.wanted = ops(r.wanted);
    r.locks = ops(r.locks);
    if (r.locking) r.locking = mv.ref(r.locking);
    r.auth_pins = r.auth_pins.map((k) => mv.key(k));
    if (r.freeze_authpin) r.freeze_authpin = mv.key(r.freeze_authpin);
    if (r.frozen_inode) r.frozen_inode = mv.key(r.frozen_inode);
    if (r.remote_frozen) r.remote_frozen = mv.key(r.remote_frozen);
    r.remote_auth_pins = rekeyRecord(r.remote_auth_pins, (k) => mv.key(k));
    if (r.peer_op) r.peer_op = { op: r.peer_op.op, lock: mv.ref(r.peer_op.lock) };
    r.client_request?.rekey(mv);
  }
}

/** A message with the moved names rewritten (the same object when nothing in it moved). */
export function rekeyMessage<M extends Message>(m: M, mv: Move): M {
  switch (m.kind) {
    case 'lock': case 'journal': {
      const p = mv.byType(m.lockType, m.path);
      return p === m.path ? m : { ...m, path: p };
    }
    case 'peer': {
      let out: typeof m = m;
      if (m.srcdn !== undefined || m.destdn !== undefined || m.straydn) {
        out = { ...out, srcdn: m.srcdn && mv.dentry(m.srcdn), destdn: m.destdn && mv.dentry(m.destdn), straydn: m.straydn && mv.dentry(m.straydn) };
      }
      if (m.lockType === undefined && m.path !== undefined && mv.inode(m.path) !== m.path) out = { ...out, path: mv.inode(m.path) };
      if (m.inode_export && mv.inode(m.inode_export.key) !== m.inode_export.key) out = { ...out, inode_export: { ...m.inode_export, key: mv.inode(m.inode_export.key) } };
      if (m.path !== undefined && m.lockType !== undefined && mv.byType(m.lockType, m.path) !== m.path) out = { ...out, path: mv.byType(m.lockType, m.path) };
      if (m.objects && m.objects.some((k) => mv.key(k) !== k)) out = { ...out, objects: m.objects.map((k) => mv.key(k)) };
      return out;
    }
    case 'caps': case 'filecaps': return mv.inode(m.path) === m.path ? m : { ...m, path: mv.inode(m.path) };
    case 'lease': return mv.dentry(m.path) === m.path ? m : { ...m, path: mv.dentry(m.path) };
    case 'client_request': {
      const fp = (p: FilePath | null) => (p && mv.inode(p.base) !== p.base ? { base: mv.inode(p.base), name: p.name } : p);
      const path = fp(m.op.path)!;
      const path2 = fp(m.op.path2);
      return path === m.op.path && path2 === m.op.path2 ? m : { ...m, op: { ...m.op, path, path2 } };
    }
    case 'client_reply': return m.caps && mv.inode(m.caps.path) !== m.caps.path ? { ...m, caps: { ...m.caps, path: mv.inode(m.caps.path) } } : m;
    case 'dentry_link': {
      const replica = m.replica && mv.inode(m.replica.key) !== m.replica.key ? { ...m.replica, key: mv.inode(m.replica.key) } : m.replica;
      return { ...m, path: mv.dentry(m.path), inode: mv.inode(m.inode), replica };
    }
    case 'dentry_unlink': return { ...m, path: mv.dentry(m.path), straydn: m.straydn && mv.dentry(m.straydn) };
    // an export's subtree is frozen and its dir inode's snaplock rdlocked: nothing in it is renamed
    case 'client_forward': case 'event': case 'export': return m;
    case 'rejoin': {
      const x = (l: { reqid: string; lock: LockRef }) => ({ reqid: l.reqid, lock: mv.ref(l.lock) });
      return {
        ...m, objects: m.objects.map((o) => ({ ...o, key: mv.key(o.key) })), authpins: m.authpins?.map((p) => ({ reqid: p.reqid, key: mv.key(p.key) })),
        xlocks: m.xlocks?.map(x), wrlocks: m.wrlocks?.map(x),
      };
    }
    case 'discover': return { ...m, base: mv.inode(m.base) };
    case 'discover_reply': {
      const inode = m.inode && mv.inode(m.inode.key) !== m.inode.key ? { ...m.inode, key: mv.inode(m.inode.key) } : m.inode;
      const dn = m.dn?.linkage ? { ...m.dn, linkage: { ...m.dn.linkage, inode: mv.inode(m.dn.linkage.inode) } } : m.dn;
      return { ...m, base: mv.inode(m.base), inode, dn };
    }
  }
}

/**
 * The moves a step made, in order: each also renames the names the later ones were given in
 * (a rename of /a, then an unlink of /a/x in the same step).
 */
export function rekeyAll(c: Cluster, moves: readonly (readonly [string, string])[], pending: Message[]): void {
  let rest = moves.map(([f, t]) => [f, t] as [string, string]);
  while (rest.length > 0) {
    const [[from, to], ...later] = rest;
    rekey(c, from, to, pending);
    const mv = new Move(from, to);
    rest = later.map(([f, t]) => [mv.inode(f), mv.dentry(t)]); // a new name is a dentry's: it moves only if under a moved inode
  }
}

/** Move the inode `from` (and all under it) to the name `to`, everywhere in the cluster. */
/** `pending`: the messages the running step has sent and not yet handed to the network. */
export function rekey(c: Cluster, from: string, to: string, pending: Message[] = []): void {
  if (from === to) return;
  const mv = new Move(from, to);
  for (const m of c.ranks) rekeyRank(m, mv);
  c.scatter_updates = rekeyRecord(c.scatter_updates, (k) => mv.lockName(k));
  for (const q of [...c.net.queues, pending]) for (let i = 0; i < q.length; i++) q[i] = rekeyMessage(q[i], mv);
  for (const cl of Object.values(c.clients)) {
    cl.caps = rekeyRecord(cl.caps, (k) => mv.inode(k));
    cl.wanted = rekeyRecord(cl.wanted, (k) => mv.inode(k));
    cl.leases = cl.leases.map((p) => mv.dentry(p));
    for (const [reqid, op] of Object.entries(cl.requests)) {
      const m = rekeyMessage({ kind: 'client_request', from: -cl.id, to: 0, reqid, op, num_fwd: 0 }, mv);
      cl.requests[reqid] = m.op;
    }
  }
}
