// What a model is built from, as plain data: worker threads build their own copy of the model
// from it (a model holds functions and caches that cannot cross threads).
import { faultsOf } from '../cluster/faults.js';
import { loadScenario } from '../scenario/load.js';
import type { Scenario, Step } from '../scenario/types.js';
import { SimplelockModel } from '../models/simplelock.js';
import { ClusterModel, type Interleave } from '../models/cluster.js';
import type { Model } from '../models/Model.js';
import { loadDesignFile } from '../models/designs/file.js';
import { onlyProperties } from '../models/designs/only.js';
import type { RuleId } from '../rules/variants.js';
import { MODE_FLAGS, type FuzzStep, type Mode } from '../fuzz/steps.js';

export type ModelSource =
  | { readonly kind: 'cluster'; readonly file: string; readonly overrides?: ClusterOverrides }
  | { readonly kind: 'simplelock'; readonly n: number; readonly l: number; readonly bug: boolean }
  | { readonly kind: 'design'; readonly file: string; readonly properties?: readonly string[] };

export function buildModel(src: ModelSource): Model<unknown, unknown> {
  switch (src.kind) {
    case 'cluster': return clusterModel(loadScenario(src.file, 'check'), src.overrides) as unknown as Model<unknown, unknown>;
    case 'simplelock': return new SimplelockModel(src) as unknown as Model<unknown, unknown>;
    case 'design': { const m = loadDesignFile(src.file).model; return src.properties ? onlyProperties(m, src.properties) : m; }
  }
}

const MODES = Object.keys(MODE_FLAGS) as Mode[];

/** A scenario step of a workload as the fuzz writes and applies it. */
function fuzzStep(s: Step): FuzzStep {
  switch (s.kind) {
    case 'request': return { kind: 'request', rank: s.rank, reqid: s.reqid, locks: s.ops.map((o) => ({ mode: MODES.find((m) => o.flags & MODE_FLAGS[m])!, ref: o.lock, target: o.wrlock_target })) };
    case 'op': return { kind: 'op', rank: s.rank, reqid: s.reqid, text: s.op.text };
    case 'open': return { kind: 'open', client: s.client, path: s.path, wanted: s.wanted };
    case 'lease': return { kind: 'lease', client: s.client, path: s.path };
    default: throw new Error(`not a workload step: ${s.kind}`);
  }
}

/** What the command line overrides in a check file: its rules, its faults. */
export interface ClusterOverrides {
  readonly rules?: readonly RuleId[];
  readonly faults?: readonly string[];
}

export function clusterModel(s: Scenario, o: ClusterOverrides = {}): ClusterModel {
  const on = new Set(s.interleave ?? ['finish']);
  const interleave: Interleave = {
    finish: on.has('finish'), early_reply: on.has('early_reply'), tick: on.has('tick'), nudge: on.has('nudge'), update: on.has('update'), wrlock_force: on.has('wrlock_force'),
  };
  const f = o.faults ?? s.faults ?? [];
  const topology = o.rules ? { ...s.topology, rules: o.rules } : s.topology;
  return new ClusterModel(topology, s.steps.map(fuzzStep), interleave, s.name, faultsOf(f));
}
