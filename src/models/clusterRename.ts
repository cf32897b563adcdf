// A cluster's state with its ranks and clients numbered otherwise, for the cluster's symmetry
// reduction (clusterSymmetry.ts). Every field holding a rank id, a client id, or a name that
// embeds one (request ids, mutation ids) is renamed; maps keyed by them are rebuilt. Lists the
// code keeps sorted (replica and witness lists) are sorted again, as the code would have built
// them under the other numbering, and so are a request's peer sets (Ceph's std::sets, of which
// the code asks only membership and size: the order ranks joined in is no part of the state);
// lists in the order things happened (leases, waiters) keep their order. Paths are never
// renamed: the only ones naming a rank are stray directories (`~mdsN`, and their inode
// numbers), of the rank that leads an unlink, the dentry's auth; a renaming the symmetry keeps
// fixes every auth (each copy's authority is part of the initial cluster it must leave as it
// is, and an auth only ever moves to another auth). Renames in place: callers pass a copy.
import type { Cluster } from '../cluster/Cluster.js';
import type { MDSRank } from '../cluster/MDSRank.js';
import type { MDSCacheObject, Waiter } from '../cache/MDSCacheObject.js';
import type { CInode } from '../cache/CInode.js';
import type { CDentry } from '../cache/CDentry.js';
import type { CDir } from '../cache/CDir.js';
import { LocalLock } from '../locks/LocalLock.js';
import type { SimpleLock } from '../locks/SimpleLock.js';
import type { MDRequest } from '../request/MDRequest.js';
import type { LockOp } from '../request/LockOp.js';
import type { ClientRequest, InodeExport } from '../request/ClientRequest.js';
import type { ClientState } from '../clients/ClientState.js';
import type { InodeReplica, MMDSPeerRequest, Message, StrayReplica } from '../messages/index.js';

/** New ids: of each rank by its old id, and of each client by its old id (a client not listed keeps its id). */
export interface Renaming {
  readonly ranks: readonly number[];
  readonly clients: ReadonlyMap<number, number>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const mut = <T>(x: T): Mutable<T> => x as Mutable<T>;

/** A map rebuilt with renamed keys and values, keys in the same order (integer keys sort themselves, as they would have). */
function rekey<V>(o: Readonly<Record<string, V>>, key: (k: string) => string, val: (v: V) => V): Record<string, V> {
  const out: Record<string, V> = {};
  for (const k of Object.keys(o)) out[key(k)] = val(o[k]);
  return out;
}
const same = <T>(x: T): T => x;
const byNumber = (f: (n: number) => number) => (k: string): string => String(f(Number(k)));

const inOrder = (rs: readonly number[]): boolean => rs.every((r, i) => i === 0 || rs[i - 1] < r);

/** Whether every request's peer sets are in order, as a renaming leaves them (else even the identity must sort them). */
export function peerSetsInOrder(c: Cluster): boolean {
  return c.ranks.every((m) => Object.values(m.requests).every((q) => inOrder(q.peers) && inOrder(q.waiting_on_peer) && (!q.client_request || inOrder(q.client_request.witnessed))));
}

export class Renamer {
  constructor(private readonly r: Renaming) {}

  /** A rank field; -1 (none) stays. */
  readonly rank = (x: number): number => (x >= 0 ? this.r.ranks[x] : x);
  /** A client field; -1 (an MDS-internal mutation) and -2 (CLIENT_UNDEF) stay. */
  readonly client = (x: number): number => this.r.clients.get(x) ?? x;
  /** A network endpoint: a rank, or a client id negated. */
  readonly endpoint = (e: number): number => (e >= 0 ? this.rank(e) : -this.client(-e));
  /** A request id names its client (`client.4101:3`), an internal mutation its rank (`mds.1:writebehind.2`), a once-key's subject either (`mds.1`). */
  readonly id = (s: string): string => s.replace(/^(client|mds)\.(\d+)/, (_, k: string, n: string) => `${k}.${k === 'client' ? this.client(Number(n)) : this.rank(Number(n))}`);
  private readonly sorted = (rs: readonly number[]): number[] => rs.map(this.rank).sort((a, b) => a - b);

  cluster(c: Cluster): void {
    // c.ranks is indexed by rank id
    const ranks = c.ranks.slice();
    for (const m of c.ranks) { this.mdsRank(m); ranks[m.id] = m; }
    c.ranks = ranks;
    c.clients = rekey(c.clients, byNumber(this.client), (cl) => this.clientState(cl));
    // a queue (and its held flag) belongs to a link, an ordered pair of endpoints
    const net = c.net, queues = net.queues.slice(), held = net.held.slice();
    net.queues.forEach((q, link) => {
      const [from, to] = net.ends(link);
      const l = net.link(this.endpoint(from), this.endpoint(to));
      queues[l] = q.map(this.message);
      held[l] = net.held[link];
    });
    net.queues = queues;
    net.held = held;
    // the map's state and incarnation of each rank, by rank id; messages deferred until a rank is up
    const state = c.mdsmap.state.slice(), inc = c.mdsmap.inc.slice();
    c.mdsmap.state.forEach((x, r) => { state[this.rank(r)] = x; inc[this.rank(r)] = c.mdsmap.inc[r]; });
    c.mdsmap.state = state;
    c.mdsmap.inc = inc;
    c.deferred = c.deferred.map(this.message);
    // scatter_updates (by lock type and path) and next_ino (one counter for the cluster) name no rank or client
  }

  private mdsRank(m: MDSRank): void {
    mut(m).id = this.rank(m.id);
    for (const o of Object.values(m.inodes)) this.inode(o);
    for (const o of Object.values(m.dentries)) this.dentry(o);
    for (const d of Object.values(m.dirfrags)) this.placed(d);
    // requests, and what waits for one, by request id; updated_scatterlocks and rejoin_eval_locks name locks by type and path
    m.requests = rekey(m.requests, this.id, (q) => this.request(q));
    m.discovering = rekey(m.discovering, same, (d) => ({ ...d, reqids: d.reqids.map(this.id) }));
    m.safe_waiters = m.safe_waiters.map(this.id);
    m.waiting_for_active_peer = rekey(m.waiting_for_active_peer, byNumber(this.rank), (ids) => ids.map(this.id));
    m.waiting_for_cluster_recovered = m.waiting_for_cluster_recovered.map(this.id);
    m.waiting_for_active = m.waiting_for_active.map(this.message);
    // rejoin's ranks, in the order they were asked or answered
    m.rejoin_gather = m.rejoin_gather.map(this.rank);
    m.rejoin_ack_gather = m.rejoin_ack_gather.map(this.rank);
    m.rejoin_sent = m.rejoin_sent.map(this.rank);
    // exports and imports in flight, by directory
    m.exports = rekey(m.exports, same, (x) => ({
      ...x, peer: this.rank(x.peer), mutid: this.id(x.mutid), bystanders: this.sorted(x.bystanders),
      warning_ack_waiting: this.sorted(x.warning_ack_waiting), notify_ack_waiting: this.sorted(x.notify_ack_waiting),
    }));
    m.imports = rekey(m.imports, same, (x) => ({ ...x, peer: this.rank(x.peer), mutid: this.id(x.mutid) }));
  }

  /** Where a copy is: its auth, the rank holding it, the auth's replica list. */
  private placed(o: MDSCacheObject | CDir): void {
    mut(o).authority = this.rank(o.authority);
    mut(o).rank = this.rank(o.rank);
    o.replicas = this.sorted(o.replicas);
  }

  private object(o: MDSCacheObject): void {
    this.placed(o);
    o.waiting = o.waiting.map(this.waiter);
    if (o.frozen_by !== null) o.frozen_by = this.id(o.frozen_by);
    for (const l of o.locks()) this.lock(l);
  }

  private inode(o: CInode): void {
    this.object(o);
    o.loner_cap = this.client(o.loner_cap);
    o.want_loner_cap = this.client(o.want_loner_cap);
    o.caps = rekey(o.caps, byNumber(this.client), (cap) => { mut(cap).client = this.client(cap.client); return cap; });
    o.mds_caps_wanted = rekey(o.mds_caps_wanted, byNumber(this.rank), same);
  }

  private dentry(o: CDentry): void {
    this.object(o);
    o.client_leases = o.client_leases.map(this.client);
  }

  private lock(l: SimpleLock): void {
    let g = 0; // bit r = mds.r
    for (let r = 0; l.gather_set >>> r; r++) if ((l.gather_set >>> r) & 1) g |= 1 << this.rank(r);
    l.gather_set = g;
    if (l.xlock_by !== null) l.xlock_by = this.id(l.xlock_by);
    l.xlock_by_client = this.client(l.xlock_by_client);
    l.excl_client = this.client(l.excl_client);
    if (l instanceof LocalLock) l.last_wrlock_client = this.client(l.last_wrlock_client);
  }

  private readonly waiter = (w: Waiter): Waiter => ({
    ...w, ...(w.reqid !== undefined && { reqid: this.id(w.reqid) }), ...(w.msg && { msg: this.message(w.msg) as NonNullable<Waiter['msg']> }),
  });

  private readonly lockOp = (o: LockOp): LockOp => ({ ...o, wrlock_target: this.rank(o.wrlock_target) });

  private request(q: MDRequest): MDRequest {
    const m = mut(q);
    m.reqid = this.id(q.reqid);
    m.client = this.client(q.client);
    m.rank = this.rank(q.rank);
    m.peer_to = this.rank(q.peer_to);
    q.wanted = q.wanted.map(this.lockOp);
    q.locks = q.locks.map(this.lockOp);
    q.locking_target_mds = this.rank(q.locking_target_mds);
    q.remote_auth_pins = rekey(q.remote_auth_pins, same, this.rank);
    q.peers = this.sorted(q.peers);
    q.waiting_on_peer = this.sorted(q.waiting_on_peer);
    q.extra_witnesses = this.sorted(q.extra_witnesses); // a witness list's, less the leader
    if (q.client_request) this.clientRequest(q.client_request);
    if (q.peer_request_msg) q.peer_request_msg = this.message(q.peer_request_msg) as MMDSPeerRequest;
    q.waiting_for_finish = q.waiting_for_finish.map((w) => ({ ...w, client: this.client(w.client) }));
    // locking, peer_op, peer_prep, auth_pins and the frozen objects name locks and objects by path
    return q;
  }

  private clientRequest(cr: ClientRequest): void {
    cr.witnessed = this.sorted(cr.witnessed);
    cr.srcdn_auth = this.rank(cr.srcdn_auth);
    if (cr.inode_import) cr.inode_import = this.export(cr.inode_import);
  }

  private clientState(cl: ClientState): ClientState {
    mut(cl).id = this.client(cl.id);
    mut(cl).session = this.rank(cl.session);
    // caps by path, then by the rank that issued them; requests and replies by request id; wanted and leases by path
    cl.caps = rekey(cl.caps, same, (byRank) => rekey(byRank, byNumber(this.rank), same));
    cl.requests = rekey(cl.requests, this.id, same);
    cl.replies = rekey(cl.replies, this.id, same);
    return cl;
  }

  private readonly replica = (x: InodeReplica): InodeReplica => ({ ...x, authority: this.rank(x.authority) });
  private readonly stray = (x: StrayReplica): StrayReplica => ({ ...x, dir: this.replica(x.dir) });
  private readonly export = (x: InodeExport): InodeExport => ({ ...x, authority: this.rank(x.authority), replicas: this.sorted(x.replicas) });

  readonly message = (m: Message): Message => {
    const from = this.endpoint(m.from), to = this.endpoint(m.to);
    switch (m.kind) {
      case 'lock': case 'filecaps': case 'discover': return { ...m, from, to };
      case 'caps': return { ...m, from, to, client: this.client(m.client), ...(m.peer !== undefined && { peer: this.rank(m.peer) }) };
      case 'lease': return { ...m, from, to, client: this.client(m.client) };
      case 'client_request': case 'client_reply': case 'event': return { ...m, from, to, reqid: this.id(m.reqid) };
      case 'client_forward': return { ...m, from, to, reqid: this.id(m.reqid), dest: this.rank(m.dest) };
      case 'journal': return { ...m, from, to, mutid: this.id(m.mutid) };
      case 'peer': return {
        ...m, from, to, reqid: this.id(m.reqid), ...(m.witnesses && { witnesses: this.sorted(m.witnesses) }),
        ...(m.stray && { stray: this.stray(m.stray) }), ...(m.inode_export && { inode_export: this.export(m.inode_export) }),
      };
      case 'dentry_link': return { ...m, from, to, ...(m.replica && { replica: this.replica(m.replica) }) };
      case 'dentry_unlink': return { ...m, from, to, ...(m.stray && { stray: this.stray(m.stray) }) };
      case 'rejoin': {
        const held = <T extends { readonly reqid: string }>(x: T): T => ({ ...x, reqid: this.id(x.reqid) });
        return { ...m, from, to, ...(m.authpins && { authpins: m.authpins.map(held) }), ...(m.xlocks && { xlocks: m.xlocks.map(held) }), ...(m.wrlocks && { wrlocks: m.wrlocks.map(held) }) };
      }
      case 'export': return {
        ...m, from, to, ...(m.bystanders && { bystanders: this.sorted(m.bystanders) }),
        ...(m.dirs && { dirs: m.dirs.map((d) => ({ ...d, replicas: this.sorted(d.replicas) })) }),
        ...(m.objects && {
          objects: m.objects.map((o) => ({
            ...o, replicas: this.sorted(o.replicas), loner: this.client(o.loner),
            caps: o.caps.map((c) => ({ ...c, client: this.client(c.client) })).sort((a, b) => a.client - b.client),
            mds_caps_wanted: rekey({ ...o.mds_caps_wanted }, byNumber(this.rank), same),
          })),
        }),
      };
      case 'discover_reply': return {
        ...m, from, to, ...(m.dir && { dir: { ...m.dir, authority: this.rank(m.dir.authority) } }), ...(m.inode && { inode: this.replica(m.inode) }),
      };
    }
  };
}
