// The `--json` form of a run: events (each with its plain printed line), the final print of
// every lock on every rank, and the expectation results.
import { carriedLocks } from '../cluster/carried.js';
import type { Cluster } from '../cluster/Cluster.js';
import { printLock } from '../trace/printLock.js';
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
  };
}
