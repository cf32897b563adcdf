// I7 quiescence (liveness): from the current state, finishing every client request (also
// those still waiting for a lock), letting every client go on (a held link from a client to
// its MDS is released: the client stops hanging on and its acks and lease releases travel;
// clients acknowledge revokes as soon as they arrive), giving back every lease of no modelled
// client (nothing else would) and delivering every message reaches a quiet cluster: all lock
// copies stable, no gather pending, no request or waiter left, no cap revoke outstanding,
// nothing in flight, within a bounded number of steps. Links between ranks that a run held
// stay held (a lost message). Run on a copy, so the cluster under test is unchanged.
// NoQuiescence (messages kept flowing past the bound) is a livelock; an MDSAssertion while
// draining is an abort the drain led to. Both are reported as I7 failures.
import { STATE_ACTIVE, STATE_REJOIN, rankStateName } from '../cluster/mdsmap.js';
import type { Cluster } from '../cluster/Cluster.js';
import { NoQuiescence, deliverAll, finishRequest, recover, releaseLease } from '../cluster/sim.js';
import { MDSAssertion } from '../locker/context.js';
import { stateName } from '../../statemachines/index.js';
import { ccap_string } from '../clients/capString.js';
import { cloneCluster } from './clone.js';
import type { LockRef } from '../request/LockOp.js';
import { lockCopies, violation, type Violation } from './violation.js';

/** The steps a drain took, to be written into a counterexample. */
export type DrainStep =
  | { readonly kind: 'finish'; readonly reqid: string }
  | { readonly kind: 'lease_release'; readonly rank: number; readonly path: string }
  | { readonly kind: 'release'; readonly from: number; readonly to: number }
  | { readonly kind: 'deliver_all' }
  | { readonly kind: 'recover'; readonly rank: number; readonly to: number };

export interface DrainResult {
  readonly steps: DrainStep[];
  readonly violation: Violation | null;
  /** The drained copy, as the violation left it. */
  readonly drained: Cluster;
}

/**
 * Client requests that can be finished now: leaders of lock lists (peers end with OP_FINISH,
 * write-behinds with their commit, client ops on their own: one that never does is stuck)
 * not already killed (one waiting for a peer reply goes when it comes).
 */
function finishable(c: Cluster): string[] {
  return c.ranks.flatMap((m) => Object.values(m.requests)
    .filter((r) => r.is_leader() && r.client >= 0 && !r.aborted && !r.client_request).map((r) => r.reqid));
}

/** Held links from a client to its session rank (a client hanging on). */
function heldClientLinks(c: Cluster): { from: number; to: number }[] {
  return Object.values(c.clients).map((cl) => ({ from: -cl.id, to: cl.session })).filter((l) => c.net.held[c.net.link(l.from, l.to)]);
}

/** What is not quiet now: unstable or gathering lock copies, requests, waiters, revokes, messages. */
function unquiet(c: Cluster): { stuck: string[]; locks: LockRef[] } {
  const stuck: string[] = [];
  const locks: LockRef[] = [];
  for (const [name, { ref, copies }] of lockCopies(c)) {
    for (const { rank, lock } of copies) {
      if (!lock.is_stable() || lock.gather_set !== 0) {
        stuck.push(`mds.${rank} ${name} ${stateName(lock.state)}${lock.gather_set ? ` g=${lock.gather_ranks().join(',')}` : ''}`);
        locks.push(ref);
      }
    }
  }
  for (const m of c.ranks) {
    if (c.mdsmap.state[m.id] !== STATE_ACTIVE) stuck.push(`mds.${m.id} ${rankStateName(c.mdsmap.state[m.id])}`);
    const parked = Object.values(m.waiting_for_active_peer).flat().length + m.waiting_for_cluster_recovered.length + m.waiting_for_active.length;
    if (parked) stuck.push(`mds.${m.id} has ${parked} waiter(s) for a rank's recovery`);
    for (const r of Object.values(m.requests)) stuck.push(`mds.${m.id} request ${r.reqid} ${r.status}`);
    for (const [dir, x] of Object.entries(m.exports)) stuck.push(`mds.${m.id} export of ${dir} ${x.state}`);
    for (const [dir, x] of Object.entries(m.imports)) stuck.push(`mds.${m.id} import of ${dir} ${x.state}`);
    for (const inode of Object.values(m.inodes)) {
      for (const cap of Object.values(inode.caps)) {
        if (cap.is_revoking()) stuck.push(`mds.${m.id} ${inode.path} still revoking ${ccap_string(cap.revoking())} from client.${cap.client}`);
      }
    }
    for (const o of m.objects()) {
      if (o.waiting.length > 0) stuck.push(`mds.${m.id} ${o.key} has ${o.waiting.length} waiter(s)`);
    }
  }
  if (c.net.inFlight() > 0) stuck.push(`${c.net.inFlight()} message(s) in flight`);
  return { stuck, locks };
}

/** Whether the cluster is quiet now, without draining (`expect: { quiet: true }`). */
export function quietNow(c: Cluster): Violation | null {
  const { stuck, locks } = unquiet(c);
  return stuck.length === 0 ? null : violation('I7', locks, `not quiet: ${stuck.join('; ')}`);
}

/** Drain `c` itself (callers pass a copy): finish, deliver, repeat, at most `rounds` times. */
export function drain(c: Cluster, rounds = 20, deliveries = 10000): DrainResult {
  const steps: DrainStep[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const running = finishable(c);
      const leased = c.ranks.flatMap((m) => Object.values(m.dentries).filter((d) => d.lock.is_leased() && d.client_leases.length === 0).map((d) => ({ rank: m.id, path: d.path })));
      const held = heldClientLinks(c);
      // a failed rank is taken over by a standby in the end: its recovery is part of the drain
      const down = c.ranks.filter((m) => c.mdsmap.state[m.id] < STATE_REJOIN).map((m) => m.id);
      if (running.length === 0 && leased.length === 0 && held.length === 0 && down.length === 0 && c.net.deliverable().length === 0) break;
      for (const rank of down) {
        steps.push({ kind: 'recover', rank, to: STATE_REJOIN });
        recover(c, rank);
      }
      for (const l of held) {
        steps.push({ kind: 'release', ...l });
        c.net.held[c.net.link(l.from, l.to)] = false;
      }
      for (const reqid of running) {
        // an earlier finish may have woken this one into waiting for a peer: next round
        if (!finishable(c).includes(reqid)) continue;
        steps.push({ kind: 'finish', reqid });
        finishRequest(c, reqid);
      }
      for (const l of leased) {
        steps.push({ kind: 'lease_release', ...l });
        releaseLease(c, l.rank, l.path);
      }
      steps.push({ kind: 'deliver_all' });
      deliverAll(c, deliveries);
    }
  } catch (e) {
    if (e instanceof MDSAssertion || e instanceof NoQuiescence) return { steps, violation: violation('I7', [], `while draining: ${e.message}`), drained: c };
    throw e;
  }
  const { stuck, locks } = unquiet(c);
  return { steps, violation: stuck.length === 0 ? null : violation('I7', locks, `finishing every request and delivering everything leaves ${stuck.join('; ')}`), drained: c };
}

export function checkQuiescence(c: Cluster): DrainResult {
  return drain(cloneCluster(c));
}
