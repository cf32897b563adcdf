// The `--json` form of a run: events (each with its plain printed line), the final print of
// every lock on every rank, the client caps of every copy that has some, what each client
// holds, and the expectation results.
import { carriedLocks } from '../cluster/carried.js';
import type { Cluster } from '../cluster/Cluster.js';
import { ccap_string } from '../clients/capString.js';
import { endpointName } from '../cluster/network.js';
import { printLock } from '../trace/printLock.js';
import { printInodeCaps } from '../trace/printCaps.js';
import { PLAIN } from '../trace/style.js';
import { printRunEvent, exitCode } from './report.js';
import type { CheckResult, RunResult } from './run.js';
import { at, type Scenario } from './types.js';

/** `{ "mds.0": { "iauth /f": "(iauth sync)", ... }, ... }`, objects in file order, locks in Ceph's member order. */
export function lockStates(c: Cluster): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const mds of c.ranks) {
    const locks: Record<string, string> = {};
    for (const obj of [...Object.values(mds.inodes), ...Object.values(mds.dentries)]) {
      for (const l of carriedLocks(obj)) locks[`${l.lt.name} ${obj.path}`] = printLock(l);
    }
    out[`mds.${mds.id}`] = locks;
  }
  return out;
}

/** `{ "mds.0": { "/f": "caps={4101=pAs/-@1}" }, ... }`: inode copies with client caps, per rank. */
export function capStates(c: Cluster): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const mds of c.ranks) {
    const caps: Record<string, string> = {};
    for (const inode of Object.values(mds.inodes)) if (Object.keys(inode.caps).length > 0) caps[inode.path] = printInodeCaps(inode);
    out[`mds.${mds.id}`] = caps;
  }
  return out;
}

/** `{ "client.4101": { "caps": { "/f": "pAs" }, "leases": ["/d/x"] } }` */
export function clientStates(c: Cluster): Record<string, { caps: Record<string, string>; leases: string[] }> {
  const out: Record<string, { caps: Record<string, string>; leases: string[] }> = {};
  for (const cl of Object.values(c.clients)) {
    const caps = Object.fromEntries(Object.entries(cl.caps).map(([path, word]) => [path, ccap_string(word)]));
    out[endpointName(-cl.id)] = { caps, leases: [...cl.leases] };
  }
  return out;
}

const resultJson = (r: CheckResult) => ({ at: at(r.loc), what: r.what, expected: r.expected, actual: r.actual, pass: r.pass });

const VERDICTS = ['pass', 'fail', 'error'] as const;

export function runJson(s: Scenario, run: RunResult): object {
  const outcome = run.outcome;
  return {
    file: s.file,
    name: s.name,
    seed: run.seed,
    verdict: VERDICTS[exitCode(run)],
    ...(outcome.kind === 'abort' ? { abort: { at: at(outcome.loc), message: outcome.message } } : {}),
    ...(outcome.kind === 'error' ? { error: outcome.error.line } : {}),
    events: run.events.map((e) => {
      const text = printRunEvent(e, PLAIN);
      if (e.kind === 'step') return { kind: 'step', at: at(e.loc), text: e.text };
      if (e.kind === 'check') return { kind: 'check', ...resultJson(e.result) };
      return { ...e, text };
    }),
    results: run.results.map(resultJson),
    locks: lockStates(run.cluster),
    caps: capStates(run.cluster),
    clients: clientStates(run.cluster),
  };
}
