// Simulation, as TLC's -simulate: random walks through a model from its initial states, seeded,
// each up to a number of actions, checking every property in every state met and the stuck
// test where a walk can go no further. For state spaces too large to exhaust. Every state met
// is stored with the parent it was first reached from, so a violation's trace is rebuilt as an
// exhaustive search's is (it is a real path, though not the shortest).
import { Encoder, ModelAssertion, type Model } from '../models/Model.js';
import { nextRandom } from '../cluster/rng.js';
import { FingerprintTable, collisionEstimate, fingerprintOf } from './fingerprints.js';
import { brokenProperty, type ExploreResult, type Progress, type Violation } from './explore.js';

export interface SimulateOptions {
  readonly runs: number;
  /** Actions per walk at most. */
  readonly depth: number;
  readonly seed: number;
  readonly timeMs?: number;
  readonly symmetry?: boolean;
  readonly progress?: (p: Progress) => void;
  readonly now?: () => number;
}

export function simulate<S, A>(model: Model<S, A>, o: SimulateOptions): ExploreResult & { readonly runs: number } {
  const now = o.now ?? (() => performance.now());
  const t0 = now();
  const table = new FingerprintTable();
  const enc = new Encoder();
  const fp = new Uint32Array(2);
  const symmetry = o.symmetry ?? false;
  const coverage = new Map<string, number>();
  const inits = model.initStates();
  let rng = o.seed | 0, generated = 0, deepest = 0, runs = 0, lastProgress = t0;
  let violation: Violation | null = null;
  let bound: ExploreResult['bound'] = null;
  const pick = (n: number) => { const [x, r] = nextRandom(rng); rng = r; return Math.floor(x * n); };
  /** Store a state (its first parent kept); the id it has, and whether it breaks a property. */
  const store = (s: S, parent: number): { id: number; bad: Violation | null } => {
    fingerprintOf(model, s, enc, fp, symmetry);
    const id = table.add(fp, parent);
    if (id < 0) return { id: table.find(fp), bad: null };
    const bad = brokenProperty(model, s);
    return { id, bad: bad && { ...bad, path: table.path(id), failedAction: null } };
  };

  walks: for (; runs < o.runs; runs++) {
    if (now() - t0 > (o.timeMs ?? Infinity)) { bound = 'time'; break; }
    let s = inits[pick(inits.length)];
    generated++;
    let cur = store(s, -1);
    if ((violation = cur.bad)) break;
    for (let d = 0; d < o.depth; d++) {
      const acts = model.actions(s);
      // each action's successor (or its failed assertion); stuck, as in exhaustive search, when none changes the state
      const moves: { i: number; t: S | null; err: ModelAssertion | null }[] = [];
      acts.forEach((a, i) => {
        try {
          const t = model.nextState(s, a);
          fingerprintOf(model, t, enc, fp, symmetry);
          if (!table.matches(cur.id, fp)) moves.push({ i, t, err: null });
        } catch (e) {
          if (!(e instanceof ModelAssertion)) throw e;
          moves.push({ i, t: null, err: e });
        }
      });
      if (moves.every((m) => m.err === null && model.isFault?.(acts[m.i]))) {
        const why = model.stuck?.(s) ?? null;
        if (why !== null) { violation = { property: 'stuck', message: why, path: table.path(cur.id), failedAction: null }; break walks; }
        if (moves.length === 0) break;
      }
      const { i, t, err } = moves[pick(moves.length)];
      const a = acts[i];
      generated++;
      if (err) {
        violation = { property: err.property, message: err.message, path: table.path(cur.id), failedAction: i };
        break walks;
      }
      if (model.actionKind) { const k = model.actionKind(a); coverage.set(k, (coverage.get(k) ?? 0) + 1); }
      cur = store(t!, cur.id);
      if ((violation = cur.bad)) break walks;
      s = t!;
      deepest = Math.max(deepest, d + 1);
    }
    if (o.progress && now() - lastProgress >= 100) { lastProgress = now(); o.progress({ generated, distinct: table.size, depth: deepest, queued: o.runs - runs - 1, ms: now() - t0 }); }
  }
  const n = table.size;
  return {
    runs, generated, distinct: n, depth: deepest, exhausted: false, bound, violation, coverage, ms: now() - t0,
    bytesPerState: table.bytesPerState(), spilledBytes: 0, collisionProbability: collisionEstimate(n, generated), table,
  };
}
