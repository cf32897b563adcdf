// Running a Scenario against the simulator, one step after another, as a stream of events
// (a generator: the caller prints or serialises each as it comes, so memory does not grow with
// the length of the run). After every step the cluster's invariants are checked (I2 while the
// step runs, I1/I3-I6/I8 on the state after it; I7 by draining a copy at the end); an `expect`
// step checks what it lists. The run stops at the first step the simulator refuses (bad
// input), an MDS assertion, or a livelock.
import type { RuleId } from '../rules/variants.js';
import { createCluster } from '../cluster/topology.js';
import type { Cluster } from '../cluster/Cluster.js';
import { ImpossibleStep, NoQuiescence } from '../cluster/sim.js';
import { MDSAssertion, type TraceEvent } from '../locker/context.js';
import { checkGrants, checkQuiescence, checkState, type InvariantId, type Violation } from '../invariants/index.js';
import { lockRefName } from '../request/LockOp.js';
import { explainWaits, waits, type Wait } from '../inspect/why.js';
import { runStep } from './apply.js';
import { check, type CheckResult } from './check.js';
import { stateLines, type StateLine, type StateMode } from './state.js';
import { ScenarioError, type Loc, type Scenario, type Step } from './types.js';

export interface RunOptions {
  /** Scheduler seed (default: the file's). */
  readonly seed?: number;
  /** Check the invariants after every step (default true). */
  readonly check?: boolean;
  /** Print lock states after each step: the ones the step changed, those not in their default state, or all. */
  readonly state?: StateMode;
  /** Stop after this step (1-based), as `why --at` does. */
  readonly until?: number;
  /** Historical rule variants, overriding the file's `rules:` ([] is Ceph main). */
  readonly rules?: readonly RuleId[];
  /** The wait-for graph after each step (the HTML viewer shows it at every step). */
  readonly waits?: boolean;
}

/** The rules a run follows: the override's, else the file's. */
export const runRules = (s: Scenario, opts: RunOptions): readonly RuleId[] => opts.rules ?? s.topology.rules ?? [];

/** A violated invariant, found after the step at `loc`; `expected` once an expect accepted it. */
export interface ViolationResult {
  readonly loc: Loc;
  readonly invariant: InvariantId;
  readonly message: string;
  readonly locks: readonly string[];
}

export type RunEvent =
  | { readonly kind: 'step'; readonly index: number; readonly loc: Loc; readonly text: string; readonly comment?: string }
  | TraceEvent
  | { readonly kind: 'check'; readonly result: CheckResult }
  | { readonly kind: 'violation'; readonly violation: ViolationResult }
  /** Index 0: the start (with `changed`, every lock: what the later listings change). */
  | { readonly kind: 'state'; readonly index: number; readonly mode: StateMode; readonly lines: readonly StateLine[] }
  | { readonly kind: 'waits'; readonly index: number; readonly waits: readonly Wait[] };

export type Outcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'abort' | 'livelock'; readonly loc: Loc; readonly message: string; readonly expected?: boolean }
  | { readonly kind: 'error'; readonly error: ScenarioError };

export interface RunSummary {
  readonly seed: number;
  /** Every expectation checked, in order. */
  readonly results: CheckResult[];
  /** Violations no expect accepted (each distinct one once). */
  readonly violations: ViolationResult[];
  /** Violations an `expect: { violation: ... }` accepted. */
  readonly accepted: ViolationResult[];
  readonly outcome: Outcome;
  readonly cluster: Cluster;
  /** Steps run (the step that stopped the run included). */
  readonly steps: number;
}

/** What the run knows between steps about violations. */
class Violations {
  /** Reported after the last step, not yet accepted or counted. */
  pending: ViolationResult[] = [];
  readonly failed: ViolationResult[] = [];
  readonly accepted: ViolationResult[] = [];
  /** Invariants an expect accepted: no longer checked in this file. */
  readonly off = new Set<InvariantId>();
  private readonly seen = new Set<string>();

  /** New violations (not seen before, invariant still on) found after the step at `loc`. */
  add(loc: Loc, vs: readonly Violation[]): ViolationResult[] {
    const fresh: ViolationResult[] = [];
    for (const v of vs) {
      if (this.off.has(v.invariant) || this.seen.has(v.message)) continue;
      this.seen.add(v.message);
      fresh.push({ loc, invariant: v.invariant, message: v.message, locks: [...new Set(v.locks.map(lockRefName))] });
    }
    this.pending.push(...fresh);
    return fresh;
  }

  /** Pending violations not accepted by the step that follows them fail the file. */
  settle(): void {
    this.failed.push(...this.pending);
    this.pending = [];
  }

  accept(ids: readonly InvariantId[]): void {
    for (const id of ids) this.off.add(id);
    this.accepted.push(...this.pending.filter((v) => ids.includes(v.invariant)));
    this.pending = this.pending.filter((v) => !ids.includes(v.invariant));
  }
}

/** The events of a run, one step at a time; returns the summary. */
export function* runEvents(s: Scenario, opts: RunOptions = {}): Generator<RunEvent, RunSummary> {
  const seed = opts.seed ?? s.seed;
  const checking = opts.check ?? true;
  const cluster = createCluster({ ...s.topology, seed, rules: runRules(s, opts) });
  const results: CheckResult[] = [];
  const vio = new Violations();
  let outcome = { kind: 'done' } as Outcome;
  let before = opts.state === 'changed' ? stateLines(cluster, 'all') : null;
  if (opts.state) { const mode = opts.state === 'changed' ? 'all' : opts.state; yield { kind: 'state', index: 0, mode, lines: before ?? stateLines(cluster, mode) }; }
  let index = 0;
  const last = Math.min(s.steps.length, opts.until ?? s.steps.length);
  const summary = (): RunSummary => ({ seed, results, violations: vio.failed, accepted: vio.accepted, outcome, cluster, steps: index });

  for (; index < last; index++) {
    const step = s.steps[index];
    yield { kind: 'step', index: index + 1, loc: step.loc, text: step.text, ...(step.comment ? { comment: step.comment } : {}) };
    if (step.kind === 'expect') {
      for (const c of step.checks) {
        const result = check(cluster, c, { outcome, pending: vio.pending });
        results.push(result);
        yield { kind: 'check', result };
        if (!result.pass) continue;
        if (c.kind === 'violation') {
          vio.accept(c.invariants!);
          if (outcome.kind === 'livelock' && c.invariants!.includes('I7')) outcome = { ...outcome, expected: true };
        }
        if (c.kind === 'abort' && outcome.kind === 'abort') outcome = { ...outcome, expected: true };
      }
      vio.settle();
      if (outcome.kind !== 'done') { index++; break; } // nothing runs after an abort
      continue;
    }
    vio.settle();
    const found: Violation[] = [];
    let trace: TraceEvent[];
    try {
      trace = checking ? checkGrants(cluster, () => runStep(cluster, step), found) : runStep(cluster, step);
    } catch (e) {
      if (e instanceof ImpossibleStep) {
        outcome = { kind: 'error', error: new ScenarioError(step.loc, e.message) };
        index++;
        return summary();
      }
      if (e instanceof MDSAssertion) {
        yield* e.trace; // what led up to the abort
        outcome = { kind: 'abort', loc: step.loc, message: e.message };
      } else if (e instanceof NoQuiescence) {
        yield* e.trace; // how the loop goes
        outcome = { kind: 'livelock', loc: step.loc, message: e.message };
      } else {
        throw e;
      }
      if (!isExpect(s.steps[index + 1])) { index++; return summary(); }
      continue; // the next step may expect the abort
    }
    yield* explainWaits(cluster, trace);
    if (checking) {
      found.push(...checkState(cluster));
      for (const v of vio.add(step.loc, found)) yield { kind: 'violation', violation: v };
    }
    if (opts.state) {
      const now = stateLines(cluster, opts.state === 'changed' ? 'all' : opts.state);
      const lines = before ? now.filter((l, i) => before![i]?.text !== l.text) : now;
      if (before) before = now;
      yield { kind: 'state', index: index + 1, mode: opts.state, lines };
    }
    if (opts.waits) yield { kind: 'waits', index: index + 1, waits: waits(cluster) };
  }
  vio.settle();
  // I7 at the end: finishing every request and delivering everything must reach a quiet cluster
  if (checking && outcome.kind === 'done' && index === s.steps.length && !vio.off.has('I7')) {
    const end = s.steps[s.steps.length - 1]?.loc ?? { file: s.file, line: 1, col: 1 };
    const d = checkQuiescence(cluster);
    if (d.violation) {
      for (const v of vio.add(end, [d.violation])) yield { kind: 'violation', violation: v };
      vio.settle();
    }
  }
  return summary();
}

const isExpect = (s: Step | undefined): boolean => s?.kind === 'expect';

/** The whole run at once (tests, coverage): every event collected. */
export function runScenario(s: Scenario, opts: RunOptions = {}): RunSummary & { events: RunEvent[] } {
  const events: RunEvent[] = [];
  const it = runEvents(s, opts);
  for (;;) {
    const n = it.next();
    if (n.done) return { ...n.value, events };
    events.push(n.value);
  }
}

