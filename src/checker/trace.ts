// Rebuilding a counterexample from the visited set's parent links, as Stateright does: from an
// initial state, at each step re-run the enabled actions and take the one whose successor has
// the next stored fingerprint. Only fingerprints are stored, so this works under symmetry too:
// the trace is of concrete states, never of the representatives the search expanded (so under
// symmetry the failing action and the message are found again on the concrete states: the
// representative's may name other ranks and clients, and come in another order).
import { Encoder, ModelAssertion, type Model } from '../models/Model.js';
import { fingerprintOf } from './fingerprints.js';
import type { FingerprintTable } from './fingerprints.js';
import type { Violation } from './explore.js';

export interface TraceStep<S, A> {
  /** The action that led here (null for the initial state). */
  readonly action: A | null;
  readonly state: S;
}

export interface Counterexample<S, A> {
  readonly steps: readonly TraceStep<S, A>[];
  /** The action that failed an assertion in the last state, if that is the violation. */
  readonly failed: A | null;
  /** The violation's message, of the concrete states. */
  readonly message: string;
}

export function rebuild<S, A>(model: Model<S, A>, table: FingerprintTable, v: Violation, symmetry: boolean): Counterexample<S, A> {
  const enc = new Encoder();
  const fp = new Uint32Array(2);
  const is = (s: S, id: number) => { fingerprintOf(model, s, enc, fp, symmetry); return table.matches(id, fp); };
  const first = model.initStates().find((s) => is(s, v.path[0]));
  if (first === undefined) throw new Error('trace: no initial state has the stored fingerprint');
  const steps: TraceStep<S, A>[] = [{ action: null, state: first }];
  let s: S = first;
  for (const id of v.path.slice(1)) {
    let found = false;
    for (const a of model.actions(s)) {
      let t: S;
      try { t = model.nextState(s, a); } catch (e) { if (e instanceof ModelAssertion) continue; throw e; } // not the action taken
      if (is(t, id)) { steps.push({ action: a, state: t }); s = t; found = true; break; }
    }
    if (!found) throw new Error(`trace: no action of step ${steps.length} reaches the stored state`);
  }
  if (!symmetry) return { steps, failed: v.failedAction === null ? null : model.actions(s)[v.failedAction], message: v.message };
  if (v.failedAction === null) {
    const message = v.property === 'stuck' ? model.stuck?.(s) : model.properties.find((p) => p.name === v.property)?.check(s);
    return { steps, failed: null, message: message ?? v.message };
  }
  const acts = model.actions(s);
  // the action at the search's index first: the one that failed when the representative was this state itself
  for (const a of [acts[v.failedAction], ...acts]) {
    if (a === undefined) continue;
    try { model.nextState(s, a); } catch (e) {
      if (!(e instanceof ModelAssertion)) throw e;
      if (e.property === v.property) return { steps, failed: a, message: e.message };
    }
  }
  throw new Error(`trace: no action of the last state fails ${v.property}`);
}
