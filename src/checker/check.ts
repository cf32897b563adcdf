// `mdslock check` without the command line: explore a model (on one thread or several), and on
// a violation rebuild the shortest trace and, for the cluster, write it as a scenario file that
// fails on replay with the same property.
import { ClusterModel, type ClusterState, type ClusterAction } from '../models/cluster.js';
import type { Model } from '../models/Model.js';
import type { FuzzStep } from '../fuzz/steps.js';
import { writeScenario } from '../fuzz/scenarioFile.js';
import { writeViewerBeside } from '../pictures/sequenceHtml.js';
import { checkState, quietNow, type InvariantId } from '../invariants/index.js';
import { MACHINES, lockerEdges } from '../../statemachines/index.js';
import { explore, type ExploreOptions, type ExploreResult } from './explore.js';
import { exploreParallel } from './parallel.js';
import { rebuild } from './trace.js';
import { simulate, type SimulateOptions } from './simulate.js';
import type { ModelSource } from './modelSource.js';

export { clusterModel } from './modelSource.js';

/** The Locker functions that move a lock along a table edge (statemachines/transitions.ts); AC_* edges are messages, counted as deliveries. */
const LOCKER_FUNCTIONS: readonly string[] = [...new Set(Object.values(MACHINES).flatMap((m) => lockerEdges(m).map((e) => e.via)))]
  .filter((f) => !f.startsWith('AC_')).sort();

export interface CheckReport {
  readonly model: string;
  readonly result: ExploreResult;
  /** Action kinds the model can take that no explored state took. */
  readonly never: readonly string[];
  /** The cluster: Locker functions that changed a lock, how often, and the state-changing ones never run. */
  readonly functions: null | { readonly run: ReadonlyMap<string, number>; readonly never: readonly string[] };
  readonly violation: null | {
    readonly property: string;
    readonly message: string;
    /** The actions from the initial state to the bad state (the failing one last, if an action failed). */
    readonly trace: readonly string[];
    /** The bad state (or the state the failing action ran in), in words. */
    readonly state: string;
    /** The counterexample file: a scenario for the cluster, a design file for a design. */
    readonly file: string | null;
    /** Its HTML viewer, written beside it. */
    readonly html: string | null;
  };
}

export interface CheckOptions extends ExploreOptions {
  /** Where a cluster counterexample is written. */
  readonly out: string;
  /** The check file, for the counterexample's name and note. */
  readonly file?: string;
  /** For a model other than the cluster: write its counterexample (the trace as describe() names it), returning the file. */
  readonly counterexample?: (found: { readonly property: string; readonly message: string; readonly trace: readonly string[] }) => string;
}

export function check<S, A>(model: Model<S, A>, o: CheckOptions, show: (s: S) => string): CheckReport {
  return report(model, explore(model, o), o, show);
}

/** `check` with the search on `workers` threads (breadth-first), each building the model from `source`: the same report. */
export async function checkParallel<S, A>(model: Model<S, A>, source: ModelSource, workers: number, o: CheckOptions, show: (s: S) => string): Promise<CheckReport> {
  return report(model, await exploreParallel(model as Model<unknown, unknown>, source, workers, o), o, show);
}

/** `check` by random walks (TLC's -simulate) instead of exhaustive search. */
export function checkSimulate<S, A>(model: Model<S, A>, o: CheckOptions & SimulateOptions, show: (s: S) => string): CheckReport {
  return report(model, simulate(model, o), o, show);
}

function report<S, A>(model: Model<S, A>, result: ExploreResult, o: CheckOptions, show: (s: S) => string): CheckReport {
  const kinds = model.actionKinds?.() ?? [];
  const never = kinds.filter((k) => !result.coverage.has(k));
  const functions = model instanceof ClusterModel ? { run: model.functions, never: LOCKER_FUNCTIONS.filter((f) => !model.functions.has(f)) } : null;
  if (!result.violation) return { model: model.name, result, never, functions, violation: null };
  const cx = rebuild(model, result.table, result.violation, o.symmetry ?? false);
  const v = { ...result.violation, message: cx.message };
  const last = cx.steps[cx.steps.length - 1].state;
  const trace = cx.steps.slice(1).map((st, i) => model.describe(cx.steps[i].state, st.action as A));
  if (cx.failed !== null) trace.push(model.describe(last, cx.failed));
  const file = model instanceof ClusterModel
    ? writeCluster(model, cx.steps.slice(1).map((st) => (st.action as unknown as ClusterAction).step).concat(cx.failed ? [(cx.failed as unknown as ClusterAction).step] : []), v.property, v.message, last as unknown as ClusterState, cx.failed !== null, o)
    : o.counterexample?.({ property: v.property, message: v.message, trace }) ?? null;
  const html = file && model instanceof ClusterModel ? writeViewerBeside(file) : null;
  return { model: model.name, result, never, functions, violation: { property: v.property, message: v.message, trace, state: show(last), file, html } };
}

/** The counterexample as a scenario: the steps, and a final expect of what the violation left. */
function writeCluster(m: ClusterModel, steps: FuzzStep[], property: string, message: string, last: ClusterState, failedAction: boolean, o: CheckOptions): string {
  const what: InvariantId | 'abort' = property === 'stuck' ? 'I7' : (property as InvariantId | 'abort');
  const locks = failedAction ? [] : property === 'stuck' ? quietNow(last.c)?.locks ?? [] : checkState(last.c).flatMap((x) => x.locks);
  const waiting = failedAction ? [] : last.c.ranks.flatMap((r) => Object.values(r.requests)).filter((r) => r.is_leader() && r.status === 'waiting').map((r) => r.reqid);
  const name = (o.file ?? m.name).replace(/^.*\//, '').replace(/\.ya?ml$/, '').replace(/[^A-Za-z0-9_.-]+/g, '-');
  return writeScenario(
    { topology: m.topology, seed: m.topology.seed, steps, failure: { what, message: property === 'stuck' ? `I7 stuck: ${message}` : message, locks, drain: [] } },
    o.out, `check-${name}-${what}.yaml`,
    { by: 'check', note: o.file ? ` (mdslock check ${o.file}, a shortest trace)` : '', expect: property === 'stuck' && waiting.length ? [`waiting: [${[...new Set(waiting)].join(', ')}]`] : [] },
  );
}
