// The explorer: visits every state a model can reach (breadth-first by default, so the first
// violation found has a shortest trace), checks every property in every state, reports states
// where nothing is enabled yet the model says something is left undone (stuck), and counts
// what TLC counts: states generated, distinct states, depth. Generic over the model.
import { Encoder, ModelAssertion, type Model } from '../models/Model.js';
import { FingerprintTable, collisionEstimate, fingerprintOf } from './fingerprints.js';
import { frontier as makeFrontier, type QueueOptions } from './frontier.js';

export interface ExploreOptions {
  readonly maxStates?: number;
  readonly maxDepth?: number;
  /** Stop after this many milliseconds. */
  readonly timeMs?: number;
  readonly dfs?: boolean;
  /** Fingerprint states up to the model's symmetry (interchangeable ranks, clients). */
  readonly symmetry?: boolean;
  /** The breadth-first queue's memory budget, past which it spills to a temporary file. */
  readonly queue?: QueueOptions;
  /** Called now and then while running (about every 100 ms). */
  readonly progress?: (p: Progress) => void;
  /** A clock, injected so output stays deterministic where it must. */
  readonly now?: () => number;
}

export interface Progress { readonly generated: number; readonly distinct: number; readonly depth: number; readonly queued: number; readonly ms: number }

export interface Violation {
  /** The property broken, or `stuck` / an assertion's name. */
  readonly property: string;
  readonly message: string;
  /** Ids of the states from an initial state to the bad one (for a failed action: to the state it ran in). */
  readonly path: readonly number[];
  /** When an action itself failed (an assertion): its index among the last state's actions. */
  readonly failedAction: number | null;
}

export interface ExploreResult {
  readonly generated: number;
  readonly distinct: number;
  /** The longest shortest path from an initial state, in actions (BFS), or the deepest state reached (DFS). */
  readonly depth: number;
  /** Every reachable state was visited (no bound cut the search, no violation stopped it). */
  readonly exhausted: boolean;
  /** Which bound stopped the search, if one did. */
  readonly bound: 'max-states' | 'max-depth' | 'time' | null;
  readonly violation: Violation | null;
  /** Actions taken, by kind; kinds never taken are the model's to list. */
  readonly coverage: ReadonlyMap<string, number>;
  readonly ms: number;
  readonly bytesPerState: number;
  /** Bytes of queued states the search wrote to disk (its queue went over its memory budget). */
  readonly spilledBytes: number;
  /** TLC's optimistic estimate of the chance two distinct states shared a fingerprint: n(g-n)/2^64. */
  readonly collisionProbability: number;
  /** The table, for rebuilding traces. */
  readonly table: FingerprintTable;
}

/** The first property `s` breaks, or null. */
export function brokenProperty<S>(model: Model<S, unknown>, s: S): { property: string; message: string } | null {
  for (const p of model.properties) { const m = p.check(s); if (m !== null) return { property: p.name, message: m }; }
  return null;
}

/**
 * The state action `i` of `acts` leads to from `s` (decoded from `bytes`): in place on a fresh
 * decode where the model allows it, on `s` itself for the last action. Throws ModelAssertion.
 */
export function successor<S, A>(model: Model<S, A>, s: S, bytes: Uint8Array, acts: readonly A[], i: number): S {
  if (!model.applyInPlace) return model.nextState(s, acts[i]);
  return model.applyInPlace(i === acts.length - 1 ? s : model.decode(bytes), acts[i]);
}

export function explore<S, A>(model: Model<S, A>, o: ExploreOptions = {}): ExploreResult {
  const now = o.now ?? (() => performance.now());
  const t0 = now();
  const symmetry = o.symmetry ?? false;
  const maxStates = o.maxStates ?? Infinity, maxDepth = o.maxDepth ?? Infinity, timeMs = o.timeMs ?? Infinity;
  const table = new FingerprintTable();
  const frontier = makeFrontier(o.dfs ?? false, o.queue);
  const enc = new Encoder();
  const fp = new Uint32Array(2), here = new Uint32Array(2);
  const coverage = new Map<string, number>();
  let generated = 0, expanded = 0, depthSeen = 0;
  let violation: Violation | null = null;
  let bound: ExploreResult['bound'] = null;
  let lastProgress = t0;

  /** Store a state; push it unless it breaks a property (then report it). Returns false to stop. */
  const visit = (s: S, parent: number, depth: number): boolean => {
    fingerprintOf(model, s, enc, fp, symmetry);
    const id = table.add(fp, parent);
    if (id < 0) return true;
    const bad = brokenProperty(model, s);
    if (bad) { violation = { ...bad, path: table.path(id), failedAction: null }; return false; }
    if (depth > depthSeen) depthSeen = depth;
    frontier.push(enc.buf, enc.len, id, depth, fp);
    if (table.size >= maxStates) { bound = 'max-states'; return false; }
    return true;
  };

  let going = true;
  try {
    for (const s of model.initStates()) { generated++; if (!(going = visit(s, -1, 0))) break; }
    while (going && frontier.length > 0) {
      const { bytes, id, depth } = frontier.pop(here);
      const s = model.decode(bytes);
      if (depth >= maxDepth) { bound = 'max-depth'; continue; }
      const acts = model.actions(s);
      let moved = false;
      for (let i = 0; i < acts.length; i++) {
        generated++;
        let t: S;
        try {
          t = successor(model, s, bytes, acts, i);
        } catch (e) {
          if (!(e instanceof ModelAssertion)) throw e;
          violation = { property: e.property, message: e.message, path: table.path(id), failedAction: i };
          going = false;
          break;
        }
        if (model.actionKind) { const k = model.actionKind(acts[i]); coverage.set(k, (coverage.get(k) ?? 0) + 1); }
        if (!(going = visit(t, id, depth + 1))) break;
        if ((fp[0] !== here[0] || fp[1] !== here[1]) && !model.isFault?.(acts[i])) moved = true;
      }
      // stuck: nothing can change the state (no action, or only ones that leave it as it is)
      if (going && !moved && model.stuck) {
        const why = model.stuck(model.decode(bytes));
        if (why !== null) { violation = { property: 'stuck', message: why, path: table.path(id), failedAction: null }; break; }
      }
      if (o.progress || timeMs !== Infinity) {
        if ((++expanded & 255) === 0 || !going) {
          const t = now();
          if (t - t0 > timeMs) { bound = 'time'; going = false; }
          if (o.progress && t - lastProgress >= 100) { lastProgress = t; o.progress({ generated, distinct: table.size, depth: depthSeen, queued: frontier.length, ms: t - t0 }); }
        }
      }
    }
  } finally {
    frontier.close();
  }
  const n = table.size;
  return {
    generated, distinct: n, depth: depthSeen, exhausted: violation === null && bound === null && frontier.length === 0,
    bound, violation, coverage, ms: now() - t0, bytesPerState: table.bytesPerState(), spilledBytes: frontier.spilledBytes,
    collisionProbability: collisionEstimate(n, generated), table,
  };
}
