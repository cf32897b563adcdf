// One fuzz run: a cluster built from a topology and seed, steps applied one at a time with
// every invariant checked after each (I2 while it runs), then I7 on the final state and,
// when asked, I9 by replaying the recorded steps. The run stops at the first failure: an
// invariant violated, or a step the MDS would abort on.
import type { Cluster } from '../cluster/Cluster.js';
import { createCluster, type Topology } from '../cluster/topology.js';
import { NoQuiescence } from '../cluster/sim.js';
import { MDSAssertion } from '../locker/context.js';
import { printEvent } from '../trace/printEvent.js';
import {
  checkDeterminism, checkGrants, checkQuiescence, checkState, type DrainStep, type InvariantId, type Violation,
} from '../invariants/index.js';
import type { LockRef } from '../request/LockOp.js';
import { applyStep, type FuzzStep } from './steps.js';
import { knownDeadlock } from './known.js';

export interface RunOptions {
  /** Check I7 by draining a copy after every step (default: only after the last one). */
  readonly quiescenceEveryStep?: boolean;
  /** Check I9 (two traced replays of the whole run) at the end. */
  readonly determinism?: boolean;
}

export interface Failure {
  readonly what: InvariantId | 'abort';
  readonly message: string;
  readonly locks: readonly LockRef[];
  /** I7: the finish/deliver steps of the drain that did not quiesce. */
  readonly drain: readonly DrainStep[];
}

export interface RunState {
  readonly topology: Topology;
  readonly seed: number;
  readonly cluster: Cluster;
  readonly steps: FuzzStep[];
  /** Client requests submitted so far: the next one is client.N:<submitted + 1>. */
  submitted: number;
  failure: Failure | null;
  /** The run ended in a deadlock Ceph has too (known.ts): not a failure, but nothing more to check. */
  known: string | null;
  readonly options: RunOptions;
}

export function newRun(topology: Topology, seed: number, options: RunOptions = {}): RunState {
  const cluster = createCluster({ ...topology, seed });
  cluster.traced = false; // no lock printing while fuzzing; replays print
  return { topology, seed, cluster, steps: [], submitted: 0, failure: null, known: null, options };
}

const fromViolations = (vs: Violation[], drain: readonly DrainStep[] = []): Failure => ({
  what: vs[0].invariant, message: vs.map((v) => v.message).join('\n'), locks: vs.flatMap((v) => v.locks), drain,
});

function quiescence(s: RunState): void {
  const d = checkQuiescence(s.cluster);
  if (!d.violation) return;
  s.known = knownDeadlock(d.drained);
  if (!s.known) s.failure = fromViolations([d.violation], d.steps);
}

/** Apply one step and check the invariants; sets `s.failure` on the first failure. */
export function execute(s: RunState, step: FuzzStep): void {
  if (step.kind === 'request' || step.kind === 'op') s.submitted++;
  s.steps.push(step);
  const vs: Violation[] = [];
  try {
    checkGrants(s.cluster, () => applyStep(s.cluster, step), vs);
  } catch (e) {
    if (!(e instanceof MDSAssertion || e instanceof NoQuiescence)) throw e;
    s.failure = { what: 'abort', message: e.message, locks: [], drain: [] };
    return;
  }
  vs.push(...checkState(s.cluster));
  if (vs.length > 0) s.failure = fromViolations(vs);
  else if (s.options.quiescenceEveryStep) quiescence(s);
}

/** The printed trace of the run's steps replayed on a fresh, traced cluster. */
export function replayTrace(topology: Topology, seed: number, steps: readonly FuzzStep[]): string {
  const c = createCluster({ ...topology, seed });
  const lines: string[] = [];
  for (const st of steps) {
    try {
      lines.push(...applyStep(c, st).map((e) => printEvent(e)));
    } catch (e) {
      lines.push(`! ${(e as Error).message}`);
      break;
    }
  }
  return lines.join('\n');
}

/** After the last step: I7 (unless checked all along) and, if asked, I9. */
export function finishRun(s: RunState): void {
  if (s.failure || s.known) return;
  if (!s.options.quiescenceEveryStep) quiescence(s);
  if (!s.failure && s.options.determinism) {
    const v = checkDeterminism(() => replayTrace(s.topology, s.seed, s.steps));
    if (v) s.failure = fromViolations([v]);
  }
}
