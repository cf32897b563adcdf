// The simulation steps (runOn runs arbitrary Locker code on a rank, for tests and tools). Each step runs Locker code on one rank against the cluster state and
// then hands the messages it produced to the network: (state, event) -> (state', trace).
// The state may be a plain object (fast, mutated in place) or an immer draft (replay, where
// each step yields an immutable snapshot); the code is the same.
import type { Cluster } from './Cluster.js';
import { pickLink } from './scheduler.js';
import { endpointName } from './network.js';
import { deliver } from './dispatchMessage.js';
import { STATE_ACTIVE, STATE_FAILED, STATE_REJOIN, STATE_REPLAY, get_state, rankStateName } from './mdsmap.js';
import { failRank } from '../recovery/failure.js';
import { activate_ready, recoverRank } from '../recovery/lifecycle.js';
import { printSend } from '../trace/printEvent.js';
import { newEffects, requestEvent, lockOf, isScatter, MDSAssertion, type Ctx, type TraceEvent } from '../locker/context.js';
import type { Message } from '../messages/index.js';
import { MDRequest } from '../request/MDRequest.js';
import { WRLOCK, type LockOp, type LockRef, lockRefName } from '../request/LockOp.js';
import { parseReqid } from './names.js';
import { dispatch_request } from '../locker/dispatch.js';
import { request_finish } from '../locker/acquire.js';
import { set_xlocks_done } from '../locker/xlock.js';
import { wrlock_force } from '../locker/wrlock.js';
import { mark_updated_scatterlock, scatter_nudge, scatter_tick } from '../locker/scatter.js';
import { eval_gather } from '../locker/eval_gather.js';
import { open_caps } from '../locker/clientCaps.js';
import { issue_client_lease } from '../locker/leases.js';
import { client_dispatch } from '../clients/client.js';
import type { ScatterLock } from '../locks/index.js';
import { ImpossibleStep } from './errors.js';
import { stateName } from '../../statemachines/index.js';
import { withRules } from '../rules/active.js';
import { rekeyAll } from './rekey.js';
import { maybe_finish_freezes } from '../migration/exporter.js';
import type { ClientOp } from '../request/ClientRequest.js';
import { handle_client_request } from '../server/dispatch.js';
import { resolveOp } from '../server/clientPaths.js';

const NO_TRACE: TraceEvent[] = [];

export { ImpossibleStep };

export function runOn(cluster: Cluster, rank: number, fn: (ctx: Ctx) => void, pre: TraceEvent[] = []): TraceEvent[] {
  const mds = cluster.ranks[rank];
  if (!mds) throw new ImpossibleStep(`no rank mds.${rank}`);
  const ctx: Ctx = { cluster, mds, fx: newEffects(cluster.traced) };
  ctx.fx.trace?.push(...pre);
  try {
    withRules(cluster.rules, () => {
      fn(ctx);
      // a freeze completes as the last auth pin in its subtree goes (CDir::maybe_finish_freeze)
      maybe_finish_freezes(ctx);
    });
  } catch (e) {
    if (e instanceof MDSAssertion) e.trace = ctx.fx.trace ?? [];
    throw e;
  }
  if (ctx.fx.rekeys.length) rekeyAll(cluster, ctx.fx.rekeys, ctx.fx.messages);
  for (const m of ctx.fx.messages) post(cluster, m, ctx.fx.trace);
  return ctx.fx.trace ?? NO_TRACE;
}

/** MDSRank::send_message_mds: to a rank not up the message is dropped; to one in replay it waits until the rank is past it. */
function post(cluster: Cluster, m: Message, trace: TraceEvent[] | null): void {
  const s = m.to >= 0 ? get_state(cluster.mdsmap, m.to) : STATE_ACTIVE;
  if (s === STATE_FAILED || s === STATE_REPLAY) {
    if (s === STATE_REPLAY) cluster.deferred.push(m);
    trace?.push({ kind: 'mds', rank: m.to, what: `is ${rankStateName(s)}: ${printSend(m)} ${s === STATE_FAILED ? 'dropped' : 'deferred'}` });
    return;
  }
  cluster.net.send(m);
}

/**
 * Client requests, opens and leases, and a rank's own ticks and nudges, go to an active rank:
 * a client waits for the MDSMap to show its rank active again (and resends then); a rank on its
 * way back runs no timer.
 */
function activeRank(cluster: Cluster, rank: number): void {
  const s = cluster.mdsmap.state[rank];
  if (s !== undefined && s !== STATE_ACTIVE) throw new ImpossibleStep(`mds.${rank} is ${rankStateName(s)}: it takes requests, opens, leases and ticks once it is active again`);
}

export function findRequest(cluster: Cluster, reqid: string): MDRequest | undefined {
  for (const r of cluster.ranks) {
    const m = r.requests[reqid];
    if (m && m.is_leader()) return m;
  }
  return undefined;
}

/** A client request arrives on `rank` and runs acquire_locks with `ops`. */
export function submitRequest(cluster: Cluster, rank: number, reqid: string, ops: LockOp[]): TraceEvent[] {
  activeRank(cluster, rank);
  const id = parseReqid(reqid);
  if (!id) throw new ImpossibleStep(`bad request id ${reqid} (want client.<id>:<tid>)`);
  if (findRequest(cluster, reqid) || cluster.ranks[rank]?.requests[reqid]) throw new ImpossibleStep(`request ${reqid} already exists`);
  return runOn(cluster, rank, (ctx) => {
    for (const o of ops) {
      if (!ctx.mds.lock(o.lock)) throw new ImpossibleStep(`mds.${rank} has no ${lockRefName(o.lock)}`);
    }
    const mdr = new MDRequest(reqid, id.client, rank, ops);
    ctx.mds.requests[reqid] = mdr;
    requestEvent(ctx, reqid, 'submitted');
    dispatch_request(ctx, mdr);
  });
}

/** A client sends an op (`mkdir /a/n`) to a rank, which runs it at once (Server::handle_client_request). */
export function submitOp(cluster: Cluster, rank: number, reqid: string, op: ClientOp): TraceEvent[] {
  activeRank(cluster, rank);
  const id = parseReqid(reqid);
  if (!id) throw new ImpossibleStep(`bad request id ${reqid} (want client.<id>:<tid>)`);
  const client = clientOf(cluster, id.client);
  if (findRequest(cluster, reqid) || client.requests[reqid] || client.replies[reqid]) throw new ImpossibleStep(`request ${reqid} already exists`);
  const sent = resolveOp(cluster, op, id.client);
  client.requests[reqid] = sent;
  return runOn(cluster, rank, (ctx) => handle_client_request(ctx, reqid, id.client, sent, 0));
}

/**
 * A fault: a copy of the oldest message on a rank-to-rank link is delivered now and the
 * original stays queued, so the receiver handles it twice, as when a restarted sender sends
 * again what it had sent. Lock messages only: the bugs it reproduces are in their handlers.
 */
export function duplicateOne(cluster: Cluster, link: { from: number; to: number }): TraceEvent[] {
  const m = cluster.net.queues[cluster.net.link(link.from, link.to)][0];
  if (!m) throw new ImpossibleStep(`no message in flight from ${endpointName(link.from)} to ${endpointName(link.to)} to duplicate`);
  if (m.kind !== 'lock') throw new ImpossibleStep(`only lock messages are duplicated; the oldest from ${endpointName(link.from)} to ${endpointName(link.to)} is a ${m.kind} message`);
  const copy = { ...m };
  return runOn(cluster, m.to, (ctx) => deliver(ctx, copy), [{ kind: 'deliver', msg: copy, duplicate: true }]);
}

/** Deliver one message: from a given link, or the scheduler's choice. Null when nothing is deliverable. */
export function deliverOne(cluster: Cluster, link?: { from: number; to: number }): TraceEvent[] | null {
  const net = cluster.net;
  let l: number;
  if (link) {
    l = net.link(link.from, link.to);
    if (net.queues[l].length === 0) throw new ImpossibleStep(`no message in flight from ${endpointName(link.from)} to ${endpointName(link.to)}`);
  } else {
    l = pickLink(net, cluster.sched);
    if (l < 0) return null;
  }
  const m = net.take(l);
  // a rank whose rejoin is done is made active once the last message it sent is delivered, to a client too
  const out = m.to < 0 ? deliverToClient(cluster, m) : runOn(cluster, m.to, (ctx) => deliver(ctx, m), [{ kind: 'deliver', msg: m }]);
  return [...out, ...activate_ready(cluster, runner(cluster))];
}

function deliverToClient(cluster: Cluster, m: Message): TraceEvent[] {
  const client = cluster.clients[-m.to];
  const replies = client_dispatch(client, m);
  const dropped: TraceEvent[] = [];
  for (const r of replies) post(cluster, r, cluster.traced ? dropped : null);
  if (!cluster.traced) return NO_TRACE;
  return [{ kind: 'deliver', msg: m }, ...replies.map((msg): TraceEvent => ({ kind: 'send', msg })), ...dropped];
}

function clientOf(cluster: Cluster, id: number) {
  const c = cluster.clients[id];
  if (!c) throw new ImpossibleStep(`no client.${id}`);
  return c;
}

/** A client opens an inode on its session rank wanting `wanted` caps; the reply grants what is allowed. */
export function clientOpen(cluster: Cluster, id: number, path: string, wanted: number): TraceEvent[] {
  activeRank(cluster, cluster.clients[id]?.session ?? 0);
  const client = clientOf(cluster, id);
  return runOn(cluster, client.session, (ctx) => {
    const inode = ctx.mds.inodes[path];
    if (!inode) throw new ImpossibleStep(`mds.${client.session} (client.${id}'s session) has no copy of ${path}`);
    client.wanted[path] = (client.wanted[path] ?? 0) | wanted;
    open_caps(ctx, inode, id, wanted);
  });
}

/** A client looks a dentry up on its session rank and gets a lease if the DN lock allows one. */
export function clientLease(cluster: Cluster, id: number, path: string): TraceEvent[] {
  activeRank(cluster, cluster.clients[id]?.session ?? 0);
  const client = clientOf(cluster, id);
  return runOn(cluster, client.session, (ctx) => {
    const dn = ctx.mds.dentries[path];
    if (!dn) throw new ImpossibleStep(`mds.${client.session} (client.${id}'s session) has no copy of dentry ${path}`);
    const granted = issue_client_lease(ctx, dn, id);
    if (granted && !client.leases.includes(path)) client.leases.push(path);
    ctx.fx.trace?.push({ kind: 'lease', rank: ctx.mds.id, path, what: granted ? `issued to client.${id}` : `refused to client.${id}` });
  });
}

/** Messages kept flowing past the bound: a livelock in the protocol (or the model). */
export class NoQuiescence extends Error {
  /** The first of the deliveries, to show how the loop goes. */
  trace: TraceEvent[] = [];
}

/** How many trace events of a livelock are kept: a few rounds of its loop. */
const LIVELOCK_SHOWN = 120;

/**
 * Deliveries one after another, their traces joined; `next` returns null when there is none
 * to make. An MDS abort on the way carries the trace of the deliveries before it too.
 */
export function deliverMany(next: () => TraceEvent[] | null): TraceEvent[] {
  const out: TraceEvent[] = [];
  try {
    for (let t = next(); t; t = next()) out.push(...t);
  } catch (e) {
    if (e instanceof MDSAssertion) e.trace = [...out, ...e.trace];
    if (e instanceof NoQuiescence) e.trace = out.slice(0, LIVELOCK_SHOWN);
    throw e;
  }
  return out;
}

/** Deliver until nothing is deliverable (held links stay held). */
export function deliverAll(cluster: Cluster, limit = 100000): TraceEvent[] {
  let n = 0;
  return deliverMany(() => {
    if (n++ === limit) throw new NoQuiescence(`no quiescence after ${limit} deliveries (the trace shows the first ${LIVELOCK_SHOWN} events)`);
    return deliverOne(cluster);
  });
}

/**
 * The request finishes (or is killed): every lock and peer is released. A request still
 * waiting for a peer reply is only marked aborted and goes when the reply comes, as in
 * MDCache::request_kill ("rollback peer requests is tricky").
 */
export function finishRequest(cluster: Cluster, reqid: string, how: 'finished' | 'killed' = 'finished'): TraceEvent[] {
  const mdr = findRequest(cluster, reqid);
  if (!mdr || mdr.aborted) throw new ImpossibleStep(`no running request ${reqid}`);
  return runOn(cluster, mdr.rank, (ctx) => {
    const cr = mdr.client_request;
    if (cr && (cr.phase === 'journaling' || cr.witnessed.length > 0)) {
      // MDCache::request_kill: a request already committing (or with prepared peers) goes on
      requestEvent(ctx, reqid, 'killed: already committing, it finishes on its own');
      return;
    }
    if (mdr.waiting_on_peer.length > 0) {
      mdr.aborted = true;
      requestEvent(ctx, reqid, 'killed: waits for its peer reply first');
      return;
    }
    if (cr) delete cluster.clients[mdr.client]?.requests[reqid]; // the client gave up: it gets no reply
    request_finish(ctx, mdr, cr ? 'killed' : how);
  });
}

/** Server::early_reply -> set_xlocks_done. Not possible for a request with peers. */
export function earlyReply(cluster: Cluster, reqid: string): TraceEvent[] {
  const mdr = findRequest(cluster, reqid);
  if (!mdr) throw new ImpossibleStep(`no running request ${reqid}`);
  if (mdr.status !== 'granted') throw new ImpossibleStep(`${reqid} cannot reply early: it does not hold its locks yet`);
  if (mdr.peers.length > 0) throw new ImpossibleStep(`${reqid} cannot reply early: it has peer requests (Server::early_reply)`);
  return runOn(cluster, mdr.rank, (ctx) => {
    set_xlocks_done(ctx, mdr);
    requestEvent(ctx, reqid, 'early reply');
  });
}

/** Locker::wrlock_force by a running request on its own rank's copy, as MDCache::predirty_journal_parents forces the parent's nestlock. */
export function forceWrlock(cluster: Cluster, reqid: string, ref: LockRef): TraceEvent[] {
  const mdr = findRequest(cluster, reqid);
  if (!mdr) throw new ImpossibleStep(`no running request ${reqid}`);
  if (mdr.isHeld(ref, WRLOCK)) throw new ImpossibleStep(`${reqid} already wrlocks ${lockRefName(ref)} (predirty_journal_parents forces only a wrlock the request does not hold)`);
  return runOn(cluster, mdr.rank, (ctx) => {
    const lock = ctx.mds.lock(ref);
    if (!lock) throw new ImpossibleStep(`mds.${mdr.rank} has no ${lockRefName(ref)}`);
    // its caller forces a wrlock only where one could be taken (predirty_journal_parents: can_wrlock(-1))
    if (!lock.can_wrlock(-1)) throw new ImpossibleStep(`mds.${mdr.rank} ${lockRefName(ref)} is ${stateName(lock.state)}, which allows no wrlock: predirty_journal_parents would not force one`);
    wrlock_force(ctx, lock, mdr);
    requestEvent(ctx, reqid, `forced a wrlock on ${lockRefName(ref)}`);
  });
}

/** The request changes scattered data under its wrlock (mark_updated_scatterlock). */
export function scatterUpdate(cluster: Cluster, reqid: string, ref: LockRef): TraceEvent[] {
  const mdr = findRequest(cluster, reqid);
  if (!mdr) throw new ImpossibleStep(`no running request ${reqid}`);
  if (!mdr.isHeld(ref, WRLOCK)) throw new ImpossibleStep(`${reqid} holds no wrlock on ${lockRefName(ref)} on mds.${mdr.rank}`);
  return runOn(cluster, mdr.rank, (ctx) => {
    const lock = lockOf(ctx, ref);
    if (!isScatter(lock)) throw new ImpossibleStep(`${lockRefName(ref)} carries no scattered data`);
    lock.scatter_pending++;
    const key = lockRefName(ref);
    cluster.scatter_updates[key] = (cluster.scatter_updates[key] ?? 0) + 1;
    mark_updated_scatterlock(ctx, lock);
    requestEvent(ctx, reqid, `updated ${key}`);
  });
}

/** A client gives back its dentry lease on `rank` (CDentry::remove_client_lease, last one). */
export function releaseLease(cluster: Cluster, rank: number, path: string): TraceEvent[] {
  activeRank(cluster, rank);
  return runOn(cluster, rank, (ctx) => {
    const d = ctx.mds.dentries[path];
    if (!d) throw new ImpossibleStep(`mds.${rank} has no dentry ${path}`);
    if (!d.lock.is_leased()) throw new ImpossibleStep(`dentry ${path} on mds.${rank} is not leased`);
    if (d.client_leases.length > 0) throw new ImpossibleStep(`dentry ${path} on mds.${rank} is leased by client.${d.client_leases.join(', client.')}: their leases go back when revoked`);
    d.lock.put_client_lease();
    ctx.fx.trace?.push({ kind: 'lease', rank, path, what: 'released' });
    if (!d.lock.is_stable()) eval_gather(ctx, d.lock);
  });
}

/** Locker::scatter_nudge of one lock on a rank. */
export function nudge(cluster: Cluster, rank: number, ref: LockRef): TraceEvent[] {
  activeRank(cluster, rank);
  return runOn(cluster, rank, (ctx) => {
    const lock = lockOf(ctx, ref);
    if (!isScatter(lock)) throw new ImpossibleStep(`${lockRefName(ref)} is not a scatterlock`);
    scatter_nudge(ctx, lock as ScatterLock);
  });
}

/** The step `fail: mds.N`. */
export const fail = (cluster: Cluster, rank: number): TraceEvent[] => failRank(cluster, rank, runner(cluster));

/** The step `recover: mds.N` (to rejoin, or an earlier state). */
export const recover = (cluster: Cluster, rank: number, to = STATE_REJOIN): TraceEvent[] => recoverRank(cluster, rank, to, runner(cluster));

const runner = (cluster: Cluster) => (rank: number, fn: (ctx: Ctx) => void) => runOn(cluster, rank, fn);

/** Locker::scatter_tick on a rank (the nudge interval has always elapsed). */
export function tick(cluster: Cluster, rank: number): TraceEvent[] {
  activeRank(cluster, rank);
  return runOn(cluster, rank, (ctx) => scatter_tick(ctx));
}
