// The property: for a random cluster, scheduler seed and command sequence, no step makes the
// MDS abort and every invariant holds. fast-check draws and shrinks; a failure comes back as
// the shrunk run, replayed once more to record its steps, and written as a scenario file.
import fc from 'fast-check';
import type { Topology } from '../cluster/topology.js';
import { commandArbs, deliveryArbs, faultArbs, wrlockForceArb, type FuzzCommand } from './commands.js';
import type { Fault } from '../cluster/faults.js';
import type { RuleId } from '../rules/variants.js';
import { opCommandArbs } from './opCommands.js';
import { opTopologyArb } from './opTopology.js';
import { clientCommandArbs } from './clientCommands.js';
import { finishRun, newRun, type RunOptions, type RunState } from './run.js';
import { topologyArb } from './topology.js';

export interface FuzzOptions extends RunOptions {
  runs: number;
  /** fast-check's seed: the same seed draws the same runs. */
  seed: number;
  /** Commands per run at most (fc.commands' maxCommands). */
  steps: number;
  /** A fixed number of ranks; default 1-4 at random (1-3 for ops). */
  ranks?: number;
  /** Client operations on a namespace (default), or raw lock lists on random objects. */
  mode?: 'ops' | 'locks';
  /** Historical rule variants every cluster follows (default none: Ceph main). */
  rules?: readonly RuleId[];
  /** Faults to draw as well (default none); with `fail` or `export`, ops leave renames out. */
  faults?: readonly Fault[];
  /** Draw wrlock_force steps as well (predirty_journal_parents' forced wrlocks). */
  wrlockForce?: boolean;
  /** More commands to draw from (tests that break the system on purpose). */
  extra?: fc.Arbitrary<FuzzCommand>[];
  /** Progress: after every passing run, then (once one failed) after every shrinking attempt. */
  onRun?: (done: number, shrinking: number) => void;
}

export type FuzzCase = [topology: Topology, seed: number, commands: Iterable<fc.Command<RunState, unknown>>];

/** Run the commands in order, as fc.modelRun would, then the end-of-run checks. */
export function runCase([topology, seed, commands]: FuzzCase, options: RunOptions): RunState {
  const s = newRun(topology, seed, options);
  for (const cmd of commands) {
    if (s.failure || s.known) break;
    if (cmd.check(s)) cmd.run(s, s);
  }
  finishRun(s);
  return s;
}

export function fuzzArbitrary(o: FuzzOptions): fc.Arbitrary<FuzzCase> {
  const ops = (o.mode ?? 'ops') === 'ops';
  const rules = o.rules ?? [];
  const topology = ops ? opTopologyArb(o.ranks) : topologyArb(o.ranks);
  return fc.tuple(
    rules.length ? topology.map((t) => ({ ...t, rules })) : topology,
    fc.integer({ min: 0, max: 0x7fffffff }),
    fc.commands([
      ...(ops ? [...opCommandArbs(!o.faults?.includes('fail') && !o.faults?.includes('export')), ...deliveryArbs()] : commandArbs()), ...clientCommandArbs(),
      ...faultArbs(o.faults ?? []), ...(o.wrlockForce ? [wrlockForceArb()] : []), ...(o.extra ?? []),
    ], { size: 'max', maxCommands: o.steps }),
  );
}

export interface FuzzResult {
  readonly runs: number;
  readonly ms: number;
  /** The shrunk failing run, replayed; null when every run passed. */
  readonly failed: RunState | null;
  /** Runs that ended in a deadlock Ceph has too, by kind (known.ts). */
  readonly known: Readonly<Record<string, number>>;
}

export function fuzz(o: FuzzOptions): FuzzResult {
  let done = 0;
  let shrinking = 0; // after the first failure, fast-check calls the property to shrink it
  const known: Record<string, number> = {};
  const start = performance.now();
  const property = fc.property(fuzzArbitrary(o), (c) => {
    const s = runCase(c, o);
    if (shrinking > 0 || s.failure) o.onRun?.(done, ++shrinking);
    else {
      if (s.known) known[s.known] = (known[s.known] ?? 0) + 1;
      o.onRun?.(++done, 0);
    }
    return s.failure === null;
  });
  const r = fc.check(property, { numRuns: o.runs, seed: o.seed, endOnFailure: false });
  const ms = performance.now() - start;
  if (!r.failed || !r.counterexample) return { runs: r.numRuns, ms, failed: null, known };
  return { runs: r.numRuns, ms, failed: runCase(r.counterexample[0], o), known };
}
