// Whether one state is stuck, judged as check (explore.ts) and fuzz (simulate.ts) judge it while
// they search: no action but a fault changes the state (none is enabled, or those enabled only
// leave it as it is), and the model says something is left undone. Replay asks this of each
// state it reaches, so that a file shows what check finds; the searches keep their own inline
// test, which reuses the successors they compute anyway.
import { Encoder, ModelAssertion, type Model } from '../models/Model.js';
import { fingerprintOf } from './fingerprints.js';

/** Why `s` is stuck, or null (not stuck, or the model judges no state stuck). */
export function stuckNow<S, A>(model: Model<S, A>, s: S): string | null {
  if (!model.stuck) return null;
  const enc = new Encoder(), here = new Uint32Array(2), there = new Uint32Array(2);
  fingerprintOf(model, s, enc, here, false);
  for (const a of model.actions(s)) {
    if (model.isFault?.(a)) continue;
    try {
      fingerprintOf(model, model.nextState(s, a), enc, there, false);
    } catch (e) {
      // a failed assertion is a violation of its own, not a state left undone
      if (e instanceof ModelAssertion) return null;
      throw e;
    }
    if (there[0] !== here[0] || there[1] !== here[1]) return null;
  }
  return model.stuck(s);
}
