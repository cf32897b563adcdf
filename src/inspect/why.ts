// Why a request waits, read off the cluster state: the lock it waits on (or the peer replies),
// that lock's state on that rank, and what the lock itself waits on: ranks still in the gather
// set, clients with a revoke pending, leases, holders, flushing scattered data, a REQRDLOCK /
// REQSCATTER / peer request in flight and to whom. The waits form a graph (request -> the
// requests it waits on); a cycle is a deadlock. This only reads the cluster.
import { STATE_ACTIVE, rankStateName } from '../cluster/mdsmap.js';
import { withRules } from '../rules/active.js';
import type { Cluster } from '../cluster/Cluster.js';
import type { MDSCacheObject } from '../cache/MDSCacheObject.js';
import type { CInode } from '../cache/CInode.js';
import type { CDentry } from '../cache/CDentry.js';
import type { SimpleLock } from '../locks/index.js';
import { WAIT_RD, WAIT_WR, WAIT_XLOCK } from '../locks/index.js';
import { mutationKind, type MDRequest } from '../request/MDRequest.js';
import { RDLOCK, WRLOCK, XLOCK, REMOTE_WRLOCK, lockRefName, sameLock, type LockRef } from '../request/LockOp.js';
import { printLock } from '../trace/printLock.js';
import { endpointName } from '../cluster/network.js';
import { printMessage, OP_XLOCK, type Message } from '../messages/index.js';
import { ccap_string } from '../clients/capString.js';
import { caps_fit } from '../locker/caps.js';
import {
  gather_pending, PENDING_AUTH, PENDING_CAPS, PENDING_FLUSH, PENDING_LEASES, PENDING_RDLOCKS, PENDING_REPLICAS,
  PENDING_WRLOCKS, PENDING_XLOCKS,
} from '../locker/eval_gather.js';
import type { TraceEvent } from '../locker/context.js';
import { OBJECT_WAIT } from '../cache/MDSCacheObject.js';
import { objectWait, opWait } from './whyOps.js';

/** Something a waiting request waits on; `requests` are the request nodes it depends on. */
export interface Blocker {
  readonly text: string;
  readonly requests: readonly string[];
}

export interface Wait {
  /** `client.4102:9@mds.1`: a request on a rank (a leader and its peers share a reqid). */
  readonly node: string;
  readonly reqid: string;
  readonly rank: number;
  readonly peer: boolean;
  /** What it waits for: `rdlock iauth /f (iauth lock) on mds.1, a replica`, `peer replies from mds.0`. */
  readonly on: string;
  readonly blockers: readonly Blocker[];
}

export const nodeName = (reqid: string, rank: number): string => `${reqid}@mds.${rank}`;
export const nodeOf = (m: MDRequest): string => nodeName(m.reqid, m.rank);
export const requestName = (m: MDRequest): string => {
  if (m.client >= 0) return `${m.is_peer() ? 'peer ' : ''}${m.reqid}@mds.${m.rank}`;
  if (m.export_dir !== null) return `the export of ${m.export_dir} (${m.reqid})`;
  const kind = mutationKind(m.reqid);
  return kind === 'writebehind' ? `the write-behind ${m.reqid}` : `the ${kind} mutation ${m.reqid}`;
};

/** Messages in flight between two endpoints (either way) that match. */
export function inFlight(c: Cluster, a: number, b: number, match: (m: Message) => boolean): string[] {
  const out: string[] = [];
  for (const [from, to] of [[a, b], [b, a]]) {
    const l = c.net.link(from, to);
    for (const m of c.net.queues[l]) {
      if (match(m)) out.push(`${printMessage(m)} in flight ${endpointName(from)} -> ${endpointName(to)}${c.net.held[l] ? ' (link held)' : ''}`);
    }
  }
  return out;
}

export const aboutLock = (lock: SimpleLock) => (m: Message) =>
  (m.kind === 'lock' || m.kind === 'peer' || m.kind === 'journal') && m.path === lock.parent && m.lockType === lock.type;

function holders(c: Cluster, rank: number, lock: SimpleLock, flag: number): MDRequest[] {
  const ref: LockRef = { path: lock.parent, type: lock.type };
  return Object.values(c.ranks[rank].requests).filter((m) => m.locks.some((o) => sameLock(o.lock, ref) && (o.flags & flag)));
}

/** The requests holding the lock; the waiting request (`self`) among them waits on itself. */
function holderBlockers(c: Cluster, rank: number, lock: SimpleLock, flags: number, self: string): Blocker[] {
  const out: Blocker[] = [];
  for (const [flag, word] of [[XLOCK, 'xlocked'], [WRLOCK, 'wrlocked'], [RDLOCK, 'rdlocked']] as const) {
    if (!(flags & flag)) continue;
    for (const m of holders(c, rank, lock, flag)) {
      if (nodeOf(m) === self) {
        out.push({ text: `${word} by the waiting request itself, which keeps it until it finishes`, requests: [self] });
        continue;
      }
      const commit = m.client < 0 ? inFlight(c, rank, rank, (x) => x.kind === 'journal' && x.mutid === m.reqid) : [];
      out.push({ text: `${word} by ${requestName(m)}${isWaiting(m) && m.client >= 0 ? ' (itself waiting)' : ''}${commit.length ? `: ${commit.join(', ')}` : ''}`, requests: [ownerNode(m)] });
    }
  }
  return out;
}

/** Client caps being revoked on this inode copy, with where the revoke or the ack is. */
export function capBlockers(c: Cluster, rank: number, inode: CInode): Blocker[] {
  const out: Blocker[] = [];
  for (const cap of Object.values(inode.caps)) {
    if (!cap.is_revoking()) continue;
    const where = inFlight(c, rank, -cap.client, (m) => m.kind === 'caps' && m.path === inode.path);
    out.push({ text: `client.${cap.client} is revoking ${ccap_string(cap.revoking())} (seq ${cap.last_sent})${where.length ? `: ${where.join(', ')}` : ': nothing in flight'}`, requests: [] });
  }
  return out;
}

function leaseBlockers(c: Cluster, rank: number, dn: CDentry): Blocker[] {
  if (dn.client_leases.length === 0) return [{ text: 'leased by a client no step models (a lease_release step gives it back)', requests: [] }];
  return dn.client_leases.map((client) => {
    const where = inFlight(c, rank, -client, (m) => m.kind === 'lease' && m.path === dn.path);
    return { text: `client.${client} holds a lease${where.length ? `: ${where.join(', ')}` : ''}`, requests: [] };
  });
}

/** What keeps an unstable lock copy from finishing its transition (eval_gather's conditions). */
function gatherBlockers(c: Cluster, rank: number, obj: MDSCacheObject, lock: SimpleLock, self: string, depth: number): Blocker[] {
  const inode = lock.lt.capShift > 0 ? (obj as CInode) : null;
  const p = withRules(c.rules, () => gather_pending(lock, !inode || caps_fit(inode, lock, lock.get_next_state())));
  const out: Blocker[] = [];
  if (p & PENDING_REPLICAS) {
    for (const g of lock.gather_ranks()) {
      const replica = c.ranks[g].objectOf({ path: lock.parent, type: lock.type })?.getLock(lock.type);
      const msgs = inFlight(c, rank, g, aboutLock(lock));
      const inner = replica && depth < 2 && !replica.is_stable() ? lockBlockers(c, g, replica, self, depth + 1) : [];
      out.push({
        text: `awaits mds.${g}'s ack${replica ? `; mds.${g} has ${printLock(replica)}` : ''}${msgs.length ? `; ${msgs.join(', ')}` : ''}` +
          (inner.length ? ` (${inner.map((b) => b.text).join('; ')})` : ''),
        requests: inner.flatMap((b) => b.requests),
      });
    }
  }
  const flags = (p & PENDING_XLOCKS ? XLOCK : 0) | (p & PENDING_WRLOCKS ? WRLOCK : 0) | (p & PENDING_RDLOCKS ? RDLOCK : 0);
  out.push(...holderBlockers(c, rank, lock, flags, self));
  if (p & PENDING_LEASES) out.push(...(obj.kind === 'dentry' ? leaseBlockers(c, rank, obj as CDentry) : []));
  if (p & PENDING_FLUSH) {
    const commit = inFlight(c, rank, rank, (m) => m.kind === 'journal' && m.path === lock.parent && m.lockType === lock.type);
    out.push({ text: `scattered data flushing${commit.length ? `: ${commit.join(', ')}` : ''}`, requests: [] });
  }
  if ((p & PENDING_CAPS) && inode) out.push(...capBlockers(c, rank, inode));
  if (p & PENDING_AUTH) {
    // the auth moves on when its own copy does: say what that one waits on
    const a = obj.authority;
    const msgs = inFlight(c, rank, a, aboutLock(lock));
    const auth = c.ranks[a].objectOf({ path: lock.parent, type: lock.type })?.getLock(lock.type);
    const inner = msgs.length === 0 && auth && depth < 2 && !auth.is_stable() ? lockBlockers(c, a, auth, self, depth + 1) : [];
    out.push({
      text: `awaits the auth mds.${a}'s next message${msgs.length ? `: ${msgs.join(', ')}` : ''}` +
        (inner.length ? `; mds.${a} has ${printLock(auth!)} (${inner.map((b) => b.text).join('; ')})` : ''),
      requests: inner.flatMap((b) => b.requests),
    });
  }
  if (out.length === 0) out.push({ text: 'nothing left to gather, yet unfinished: nothing will finish it', requests: [] });
  return out;
}

/** What a lock copy waits on before a waiter on it can go on. */
export function lockBlockers(c: Cluster, rank: number, lock: SimpleLock, self: string, depth = 0): Blocker[] {
  const obj = c.ranks[rank].objectOf({ path: lock.parent, type: lock.type })!;
  if (!lock.is_stable()) return gatherBlockers(c, rank, obj, lock, self, depth);
  if (!lock.auth) {
    // a stable replica moves only when its auth says so (or answers a REQRDLOCK / REQSCATTER)
    const a = obj.authority;
    const auth = c.ranks[a].objectOf({ path: lock.parent, type: lock.type })?.getLock(lock.type);
    const msgs = inFlight(c, rank, a, aboutLock(lock));
    const inner = auth && depth < 2 && !auth.is_stable() ? lockBlockers(c, a, auth, self, depth + 1) : [];
    const quiet = msgs.length === 0 && auth?.is_stable();
    return [{
      text: `the auth mds.${a} has ${auth ? printLock(auth) : 'no copy'}${msgs.length ? `; ${msgs.join(', ')}` : ''}` +
        (inner.length ? ` (${inner.map((b) => b.text).join('; ')})` : '') +
        (quiet ? `; nothing in flight between mds.${rank} and mds.${a} for it: nothing will wake it` : ''),
      requests: inner.flatMap((b) => b.requests),
    }];
  }
  const held = holderBlockers(c, rank, lock, XLOCK | WRLOCK | RDLOCK, self);
  if (held.length > 0) return held;
  if (lock.lt.capShift > 0) {
    const caps = capBlockers(c, rank, obj as CInode);
    if (caps.length > 0) return caps;
  }
  return [{ text: 'stable and held by no request: nothing will wake it', requests: [] }];
}

/** The op a request wants on a lock, for the `on` text. */
function modeOf(m: MDRequest, ref: LockRef, mask: number): string {
  if (m.peer_op && sameLock(m.peer_op.lock, ref)) return m.peer_op.op === OP_XLOCK ? 'xlock' : 'wrlock';
  const o = m.wanted.find((x) => sameLock(x.lock, ref));
  if (o) return o.flags & XLOCK ? 'xlock' : o.flags & (WRLOCK | REMOTE_WRLOCK) ? 'wrlock' : 'rdlock';
  return mask & WAIT_XLOCK ? 'xlock' : mask & WAIT_WR ? 'wrlock' : mask & WAIT_RD ? 'rdlock' : 'a change of';
}

/** Why one waiting request waits. */
export function waitOf(c: Cluster, m: MDRequest): Wait {
  const node = nodeOf(m);
  const base = { node, reqid: m.reqid, rank: m.rank, peer: m.is_peer() };
  if (m.client < 0 && m.export_dir === null) {
    if (mutationKind(m.reqid) !== 'writebehind') return migrationWait(c, m, base);
    const commit = inFlight(c, m.rank, m.rank, (x) => x.kind === 'journal' && x.mutid === m.reqid);
    return { ...base, on: 'its journal commit', blockers: [{ text: commit.length ? commit.join(', ') : 'no commit in flight: nothing will finish it', requests: [] }] };
  }
  if (m.waiting_on_peer.length > 0) {
    const blockers: Blocker[] = [];
    for (const p of m.waiting_on_peer) {
      const msgs = inFlight(c, m.rank, p, (x) => x.kind === 'peer' && x.reqid === m.reqid);
      const peer = c.ranks[p].requests[m.reqid];
      const peerWaits = peer !== undefined && isWaiting(peer);
      // a prepare being journaled: the peer replies once its entry is safe
      const journal = peer?.peer_prep?.phase === 'preparing' ? inFlight(c, p, p, (x) => x.kind === 'event' && x.reqid === m.reqid) : [];
      const text = msgs.length ? msgs.join(', ') : peerWaits ? 'its peer request waits'
        : journal.length ? `its prepare is being journaled: ${journal.join(', ')}` : 'no request or reply in flight: nothing will wake it';
      blockers.push({ text: `mds.${p}: ${text}`, requests: peerWaits ? [nodeOf(peer)] : [] });
    }
    return { ...base, on: `peer replies from ${m.waiting_on_peer.map((r) => `mds.${r}`).join(', ')}${m.aborted ? ' (killed: it finishes when they come)' : ''}`, blockers };
  }
  const rank = c.ranks[m.rank];
  for (const [r, q] of Object.entries(rank.waiting_for_active_peer)) {
    if (!q.includes(m.reqid)) continue;
    return { ...base, on: `mds.${r} to be active again (wait_for_active_peer)`, blockers: [{ text: `mds.${r} is ${rankStateName(c.mdsmap.state[Number(r)])}`, requests: [] }] };
  }
  if (rank.waiting_for_cluster_recovered.includes(m.reqid)) {
    const down = c.ranks.filter((r) => c.mdsmap.state[r.id] !== STATE_ACTIVE).map((r) => `mds.${r.id} is ${rankStateName(c.mdsmap.state[r.id])}`);
    return { ...base, on: 'the cluster to recover (wait_for_cluster_recovered)', blockers: [{ text: down.join('; ') || 'no rank is degraded: nothing will wake it', requests: [] }] };
  }
  for (const obj of c.ranks[m.rank].objects()) {
    const w = obj.waiting.find((x) => x.reqid === m.reqid);
    if (!w) continue;
    if (w.type === OBJECT_WAIT) return { ...base, ...objectWait(c, m, obj, w.mask) };
    const lock = obj.getLock(w.type)!;
    const ref = { path: lock.parent, type: lock.type };
    const on = `${modeOf(m, ref, w.mask)} ${lockRefName(ref)}, ${printLock(lock)} on mds.${m.rank}${lock.auth ? '' : ', a replica'}`;
    return { ...base, on, blockers: lockBlockers(c, m.rank, lock, node) };
  }
  const op = opWait(c, m);
  if (op) return { ...base, ...op };
  return { ...base, on: 'nothing', blockers: [{ text: 'registered as no waiter and waits for no peer: nothing will wake it', requests: [] }] };
}

/**
 * Whether a request waits: a leader not yet granted; a peer request with an op (OP_XLOCK /
 * OP_WRLOCK) still to grant (one holding only auth pins or granted locks waits for nothing);
 * a write-behind until its journal commit is safe, an export's or import's mutation until the export is done.
 */
export function isWaiting(m: MDRequest): boolean {
  if (m.client < 0 && m.export_dir === null) return true;
  return m.is_peer() ? m.peer_op !== null || m.peer_request_msg !== null : m.status === 'waiting';
}

/**
 * The node whose progress frees what a request holds: itself, or for a peer that waits for
 * nothing (it holds locks, pins or a freeze for its leader) the leader, whose finish ends it.
 */
export const ownerNode = (m: MDRequest): string => (m.is_peer() && !isWaiting(m) ? nodeName(m.reqid, m.peer_to) : nodeOf(m));

/** Every waiting request, leaders and peers, in rank then request order. */
export function waits(c: Cluster): Wait[] {
  return c.ranks.flatMap((r) => Object.values(r.requests).filter(isWaiting).map((m) => waitOf(c, m)));
}

/** Cycles in the wait-for graph (each once, starting at its smallest node): deadlocks. */
export function deadlocks(ws: readonly Wait[]): string[][] {
  const edges = new Map(ws.map((w) => [w.node, [...new Set(w.blockers.flatMap((b) => b.requests))]]));
  const cycles = new Map<string, string[]>();
  const path: string[] = [];
  const onPath = new Set<string>();
  const done = new Set<string>();
  const visit = (n: string): void => {
    if (onPath.has(n)) {
      const cyc = path.slice(path.indexOf(n));
      const start = cyc.indexOf([...cyc].sort()[0]);
      const norm = [...cyc.slice(start), ...cyc.slice(0, start)];
      cycles.set(norm.join(' '), norm);
      return;
    }
    if (done.has(n)) return;
    path.push(n);
    onPath.add(n);
    for (const next of edges.get(n) ?? []) visit(next);
    path.pop();
    onPath.delete(n);
    done.add(n);
  };
  for (const w of ws) visit(w.node);
  return [...cycles.values()];
}

/** One line: what it waits for and on whom. */
export function waitText(w: Wait): string {
  return `waits for ${w.on}: ${w.blockers.map((b) => b.text).join('; ')}`;
}

/**
 * The trace of a step with its waits explained: the last `waiting` line of each request still
 * waiting after the step says why (the state after the step is the state it waits in).
 */
export function explainWaits(c: Cluster, trace: readonly TraceEvent[]): TraceEvent[] {
  const lastAt = new Map<string, number>();
  trace.forEach((e, i) => { if (e.kind === 'request' && e.what === 'waiting') lastAt.set(nodeName(e.reqid, e.rank), i); });
  if (lastAt.size === 0) return trace as TraceEvent[];
  const out = trace.slice();
  for (const [node, i] of lastAt) {
    const e = trace[i] as Extract<TraceEvent, { kind: 'request' }>;
    const m = c.ranks[e.rank].requests[e.reqid];
    if (!m || !isWaiting(m) || nodeOf(m) !== node) continue;
    const w = waitOf(c, m);
    out[i] = { ...e, why: `${w.on}: ${w.blockers.map((b) => b.text).join('; ')}` };
  }
  return out;
}

/** The wait-for graph as text lines: every waiting request and what it waits on, then deadlocks. */
export function whyLines(ws: readonly Wait[]): string[] {
  if (ws.length === 0) return ['no request waits'];
  const lines = ws.map((w) => `${w.node}${w.peer ? ' (peer request)' : ''} ${waitText(w)}`);
  const cycles = deadlocks(ws);
  lines.push(...(cycles.length ? cycles.map((c) => `deadlock: ${[...c, c[0]].join(' -> ')}`) : ['no deadlock']));
  return lines;
}

export const whyJson = (ws: readonly Wait[]) => ({
  waits: ws.map((w) => ({ request: w.node, peer: w.peer, on: w.on, blockers: w.blockers.map((b) => ({ text: b.text, requests: b.requests })) })),
  deadlocks: deadlocks(ws),
});

/** An export's or import's mutation holds its locks until the export is done: where it stands, and what is in flight for it. */
function migrationWait(c: Cluster, m: MDRequest, base: Omit<Wait, 'on' | 'blockers'>): Wait {
  const mds = c.ranks[m.rank];
  const ex = Object.entries(mds.exports).find(([, x]) => x.mutid === m.reqid);
  const im = Object.entries(mds.imports).find(([, x]) => x.mutid === m.reqid);
  const [dir, peer, state] = ex ? [ex[0], ex[1].peer, ex[1].state] : im ? [im[0], im[1].peer, im[1].state] : [null, -1, ''];
  if (dir === null) return { ...base, on: 'an export that is gone', blockers: [{ text: 'nothing will finish it', requests: [] }] };
  const msgs = c.ranks.flatMap((r) => (r.id === m.rank ? [] : inFlight(c, m.rank, r.id, (x) => x.kind === 'export' && x.dir === dir)));
  return { ...base, on: `the ${ex ? 'export' : 'import'} of ${dir} (${state}, with mds.${peer})`, blockers: [{ text: msgs.length ? msgs.join(', ') : 'no export message in flight', requests: [] }] };
}
