// Running a Scenario against the simulator: one step after another, collecting the trace,
// checking expectations, and stopping at the first step the simulator refuses (bad input)
// or at an MDS assertion (a protocol finding).
import { createCluster } from '../cluster/topology.js';
import type { Cluster } from '../cluster/Cluster.js';
import {
  ImpossibleStep, NoQuiescence, clientLease, clientOpen, deliverAll, deliverOne, earlyReply, findRequest, finishRequest, nudge,
  releaseLease, scatterUpdate, submitRequest, tick,
} from '../cluster/sim.js';
import { endpointName } from '../cluster/network.js';
import { ccap_string } from '../clients/capString.js';
import { MDSAssertion, type TraceEvent } from '../locker/context.js';
import { printLock } from '../trace/printLock.js';
import { printSend } from '../trace/printEvent.js';
import { printInodeCaps } from '../trace/printCaps.js';
import { ScenarioError, linkText, type Check, type Loc, type Scenario, type Step } from './types.js';

export interface CheckResult {
  readonly loc: Loc;
  readonly what: string;
  readonly expected: string;
  readonly actual: string;
  readonly pass: boolean;
}

export type RunEvent =
  | { readonly kind: 'step'; readonly loc: Loc; readonly text: string }
  | TraceEvent
  | { readonly kind: 'check'; readonly result: CheckResult };

export type Outcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'abort'; readonly loc: Loc; readonly message: string }
  | { readonly kind: 'error'; readonly error: ScenarioError };

export interface RunResult {
  readonly seed: number;
  readonly events: RunEvent[];
  readonly results: CheckResult[];
  readonly outcome: Outcome;
  readonly cluster: Cluster;
}

export function runScenario(s: Scenario, seed = s.seed): RunResult {
  const cluster = createCluster({ ...s.topology, seed });
  const events: RunEvent[] = [];
  const results: CheckResult[] = [];
  for (const step of s.steps) {
    events.push({ kind: 'step', loc: step.loc, text: step.text });
    try {
      if (step.kind === 'expect') {
        for (const c of step.checks) {
          const result = check(cluster, c);
          results.push(result);
          events.push({ kind: 'check', result });
        }
      } else {
        events.push(...runStep(cluster, step));
      }
    } catch (e) {
      if (e instanceof ImpossibleStep) return { seed, events, results, cluster, outcome: { kind: 'error', error: new ScenarioError(step.loc, e.message) } };
      if (e instanceof MDSAssertion || e instanceof NoQuiescence) {
        if (e instanceof MDSAssertion) events.push(...e.trace); // what led up to the abort
        return { seed, events, results, cluster, outcome: { kind: 'abort', loc: step.loc, message: e.message } };
      }
      throw e;
    }
  }
  return { seed, events, results, cluster, outcome: { kind: 'done' } };
}

function runStep(c: Cluster, step: Exclude<Step, { kind: 'expect' }>): TraceEvent[] {
  switch (step.kind) {
    case 'request': return submitRequest(c, step.rank, step.reqid, step.ops);
    case 'deliver': {
      if (step.count === 'all') return deliverAll(c);
      const out: TraceEvent[] = [];
      for (let i = 0; i < step.count; i++) {
        const t = deliverOne(c);
        if (!t) throw new ImpossibleStep(`deliver ${step.count}: only ${i} message(s) could be delivered (${c.net.inFlight()} in flight on held links)`);
        out.push(...t);
      }
      return out;
    }
    case 'deliver_link': {
      const l = c.net.link(step.link.from, step.link.to);
      if (c.net.held[l]) throw new ImpossibleStep(`link ${linkText(step.link)} is held; release it first`);
      if (c.net.queues[l].length === 0) throw new ImpossibleStep(`no message in flight from ${endpointName(step.link.from)} to ${endpointName(step.link.to)}`);
      return deliverOne(c, step.link)!;
    }
    case 'early_reply': return earlyReply(c, step.reqid);
    case 'finish': return finishRequest(c, step.reqid);
    case 'update': return scatterUpdate(c, step.reqid, step.lock);
    case 'lease_release': return releaseLease(c, step.rank, step.path);
    case 'nudge': return nudge(c, step.rank, step.lock);
    case 'tick': return tick(c, step.rank);
    case 'open': return clientOpen(c, step.client, step.path, step.wanted);
    case 'lease': return clientLease(c, step.client, step.path);
    case 'hold': case 'release': {
      const l = c.net.link(step.link.from, step.link.to);
      const hold = step.kind === 'hold';
      if (c.net.held[l] === hold) throw new ImpossibleStep(`link ${linkText(step.link)} is ${hold ? 'already held' : 'not held'}`);
      c.net.held[l] = hold;
      return [];
    }
  }
}

function check(c: Cluster, k: Check): CheckResult {
  const result = (expected: string, actual: string) => ({ loc: k.loc, what: k.what, expected, actual, pass: expected === actual });
  switch (k.kind) {
    case 'lock': return result(k.text, printLock(c.ranks[k.rank].lock(k.lock)!));
    case 'status': {
      const mdr = findRequest(c, k.reqid);
      return result(k.status, mdr ? mdr.status : 'finished');
    }
    case 'in_flight': return result(String(k.count), String(c.net.inFlight()));
    case 'messages': return result(listText(k.messages), listText(c.net.all().map((m) => printSend(m))));
    case 'caps': return result(k.text, printInodeCaps(c.ranks[k.rank].inodes[k.path]));
    case 'client_caps': return result(k.text, ccap_string(c.clients[k.client].caps[k.path] ?? 0));
    case 'client_leases': return result(listText(k.leases), listText(c.clients[k.client].leases));
  }
}

const listText = (l: string[]) => `[${l.join(', ')}]`;
