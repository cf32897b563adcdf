// Evaluating one expectation against the cluster: the expected and actual text, whether they
// agree, and the actual value in a form `replay --update` can write back into the file.
import { is_degraded, rankStateName } from '../cluster/mdsmap.js';
import type { Cluster } from '../cluster/Cluster.js';
import { findRequest } from '../cluster/sim.js';
import { ccap_string } from '../clients/capString.js';
import { printLock } from '../trace/printLock.js';
import { printSend } from '../trace/printEvent.js';
import { printInodeCaps } from '../trace/printCaps.js';
import { checkQuiescence, checkState, quietNow, INVARIANT_NAMES, type InvariantId } from '../invariants/index.js';
import { stateLines } from './state.js';
import type { Outcome, ViolationResult } from './run.js';
import type { Check, Loc, RequestStatus } from './types.js';

/** An actual value as `--update` writes it. */
export type Fill =
  | { readonly kind: 'scalar'; readonly value: string | number }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'map'; readonly entries: readonly (readonly [string, Fill])[] }
  | { readonly kind: 'status'; readonly status: RequestStatus };

export interface CheckResult {
  readonly loc: Loc;
  readonly what: string;
  readonly expected: string;
  readonly actual: string;
  readonly pass: boolean;
  readonly check: Check;
  readonly fill: Fill;
}

/** What a check may need beyond the cluster: how the last step ended, violations found after it. */
export interface CheckContext {
  readonly outcome: Outcome;
  readonly pending: readonly ViolationResult[];
}

export const UNFILLED = '(to fill in)';
const listText = (l: readonly string[]) => `[${l.join(', ')}]`;
const scalar = (value: string | number): Fill => ({ kind: 'scalar', value });
const list = (items: readonly string[]): Fill => ({ kind: 'list', items });

export function check(c: Cluster, k: Check, cx: CheckContext): CheckResult {
  const result = (expected: string | null, actual: string, fill: Fill) =>
    ({ loc: k.loc, what: k.what, expected: expected ?? UNFILLED, actual, pass: expected !== null && expected === actual, check: k, fill });
  switch (k.kind) {
    case 'lock': {
      const lock = c.ranks[k.rank].lock(k.lock);
      const text = lock ? printLock(lock) : `(no copy of ${k.lock.path} on mds.${k.rank})`;
      return result(k.text, text, scalar(text));
    }
    case 'reply': {
      const text = c.clients[k.client].replies[k.reqid] ?? 'none';
      return result(k.reply, text, scalar(text));
    }
    case 'status': {
      const status = requestStatus(c, k.reqid);
      return result(k.status, status, { kind: 'status', status });
    }
    case 'in_flight': {
      const n = c.net.inFlight();
      return result(k.count === null ? null : String(k.count), String(n), scalar(n));
    }
    case 'messages': {
      const now = inFlightPrints(c);
      return result(k.messages && listText(k.messages), listText(now), list(now));
    }
    case 'caps': {
      const inode = c.ranks[k.rank].inodes[k.path];
      const text = inode ? printInodeCaps(inode) : `(no copy of ${k.path} on mds.${k.rank})`;
      return result(k.text, text, scalar(text));
    }
    case 'auth': {
      const mds = c.ranks[k.rank];
      const copy = k.object === 'inode' ? mds.inodes[k.path] : k.object === 'dn' ? mds.dentries[k.path] : mds.dirfrags[k.path];
      const text = copy ? `mds.${copy.authority}` : `(no copy of ${k.object === 'inode' ? '' : `${k.object} `}${k.path} on mds.${k.rank})`;
      return result(k.text, text, scalar(text));
    }
    case 'client_caps': {
      const text = ccap_string(c.clients[k.client].held(k.path));
      return result(k.text, text, scalar(text));
    }
    case 'client_leases': {
      const now = c.clients[k.client].leases;
      return result(k.leases && listText(k.leases), listText(now), list(now));
    }
    case 'violation': {
      const now = violatedNow(c, cx);
      const ids = [...now.keys()];
      const actual = ids.length ? ids.map((id) => now.get(id)!).join('; ') : 'no invariant violated';
      // passes when every listed invariant is violated now (others found stay failures of their own)
      const ok = k.invariants !== null && k.invariants.every((id) => now.has(id));
      return { ...result(k.invariants && k.invariants.join(', '), actual, list(ids)), pass: ok, expected: k.invariants ? k.invariants.map((id) => `${id} ${INVARIANT_NAMES[id]}`).join(', ') : UNFILLED };
    }
    case 'abort': {
      const actual = cx.outcome.kind === 'abort' ? cx.outcome.message : 'no abort';
      return result(k.message, actual, scalar(actual));
    }
    case 'quiet': {
      const v = quietNow(c);
      return result('quiet', v ? v.message : 'quiet', scalar(v ? 'false' : 'true'));
    }
    case 'mdsmap': {
      const now = rankStateName(c.mdsmap.state[k.rank]);
      return result(k.state, now, scalar(now));
    }
    case 'rank': {
      const fill = rankFill(c, k.rank);
      return result(null, fillText(fill), fill);
    }
    case 'all': {
      const fill = allFill(c);
      return result(null, fillText(fill), fill);
    }
  }
}

/** A request's status; an op the client still awaits a safe reply to (resent after a forward) waits. */
export function requestStatus(c: Cluster, reqid: string): RequestStatus {
  const mdr = findRequest(c, reqid);
  if (mdr) return mdr.status;
  return Object.values(c.clients).some((cl) => cl.requests[reqid]) ? 'waiting' : 'finished';
}

const inFlightPrints = (c: Cluster) => c.net.all().map((m) => printSend(m));

/** Invariants violated now: those found after the last step (I2 is only seen while a step runs), the state's, I7 by draining. */
function violatedNow(c: Cluster, cx: CheckContext): Map<InvariantId, string> {
  const now = new Map<InvariantId, string>();
  for (const v of cx.pending) if (!now.has(v.invariant)) now.set(v.invariant, v.message);
  for (const v of checkState(c)) if (!now.has(v.invariant)) now.set(v.invariant, v.message);
  if (cx.outcome.kind === 'livelock') now.set('I7', `I7 ${INVARIANT_NAMES.I7}: ${cx.outcome.message}`);
  else if (cx.outcome.kind === 'done' && !now.has('I7')) {
    const d = checkQuiescence(c).violation;
    if (d) now.set('I7', d.message);
  }
  return new Map([...now].sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1))));
}

/** `mds.N: ~` filled: every lock (and client caps) of that rank not in a fresh copy's state. */
function rankFill(c: Cluster, rank: number): Fill {
  return { kind: 'map', entries: stateLines(c, 'nondefault').filter((l) => l.rank === rank).map((l) => [l.name, scalar(l.text)] as const) };
}

/** `expect: ~` filled: every rank's changed locks, the requests, the messages, the clients' caps. */
function allFill(c: Cluster): Fill {
  const entries: [string, Fill][] = [];
  // the ranks' states, while one is not active
  if (is_degraded(c.mdsmap)) entries.push(['mdsmap', { kind: 'map', entries: c.ranks.map((r) => [`mds.${r.id}`, scalar(rankStateName(c.mdsmap.state[r.id]))] as const) }]);
  for (const r of c.ranks) {
    const f = rankFill(c, r.id);
    if (f.kind === 'map' && f.entries.length) entries.push([`mds.${r.id}`, f]);
  }
  const leaders = c.ranks.flatMap((r) => Object.values(r.requests).filter((m) => m.is_leader() && m.client >= 0));
  for (const status of ['granted', 'waiting'] as const) {
    const ids = leaders.filter((m) => m.status === status).map((m) => m.reqid);
    if (ids.length) entries.push([status, list(ids)]);
  }
  const msgs = inFlightPrints(c);
  entries.push(msgs.length ? ['messages', list(msgs)] : ['in_flight', scalar(0)]);
  for (const cl of Object.values(c.clients)) {
    const caps = Object.keys(cl.caps).filter((p) => cl.held(p) !== 0).map((p) => [p, scalar(ccap_string(cl.held(p)))] as const);
    const leases = cl.leases.length ? [['leases', list(cl.leases)] as const] : [];
    if (caps.length + leases.length) entries.push([`client.${cl.id}`, { kind: 'map', entries: [...caps, ...leases] }]);
  }
  const replies = Object.values(c.clients).flatMap((cl) => Object.entries(cl.replies).map(([id, r]) => [id, scalar(r)] as const));
  if (replies.length) entries.push(['replies', { kind: 'map', entries: replies }]);
  return { kind: 'map', entries };
}

/** A fill as one line of text (results and JSON). */
export function fillText(f: Fill): string {
  switch (f.kind) {
    case 'scalar': return String(f.value);
    case 'status': return f.status;
    case 'list': return listText(f.items);
    case 'map': return `{ ${f.entries.map(([k, v]) => `${k}: ${fillText(v)}`).join(', ')} }`;
  }
}
