// Breadth-first search on several worker threads, with the same result as one thread: states,
// ids, counts, coverage and counterexamples. The search goes a level at a time. Each worker
// expands the states of the level it found (in id order) and returns every successor as a
// candidate; the main thread, which owns the visited set, takes all candidates in the order the
// one-thread explorer would meet them (by parent id, then action index), decides which are new,
// checks what the one-thread explorer checks at the same point, and tells each worker which of
// its candidates to keep for the next level. Fingerprints come from the states' content, so all
// threads agree on them though each encodes with its own numbering.
import { Worker } from 'node:worker_threads';
import type { Model } from '../models/Model.js';
import { FingerprintTable, collisionEstimate } from './fingerprints.js';
import type { ExploreOptions, ExploreResult, Violation } from './explore.js';
import type { ModelSource } from './modelSource.js';

/** A worker's successors for one level (parallel arrays, one entry per candidate). */
export interface Candidates {
  readonly parent: Int32Array;
  readonly action: Int32Array;
  /** Two words per candidate. */
  readonly fp: Uint32Array;
  /** 0 fine, 1 breaks a property, 2 its action failed an assertion (no state). */
  readonly flag: Uint8Array;
  /** Index into `kinds`, the worker's action kinds. */
  readonly kind: Uint16Array;
  readonly kinds: readonly string[];
  readonly messages: Readonly<Record<number, { property: string; message: string }>>;
  /** Parents of this level found stuck. */
  readonly stuck: readonly { parent: number; message: string }[];
  /** The cluster model's Locker functions run, cumulative. */
  readonly functions: Readonly<Record<string, number>> | null;
}

/** States one worker hands another, so each expands about as many. */
export interface Shipment {
  readonly from: number;
  readonly to: number;
  /** What the receiver must learn of the sender's numbering first (null: nothing new, or bytes need none). */
  readonly entries: unknown;
  readonly ids: readonly number[];
  readonly fps: readonly number[];
  readonly bytes: readonly Uint8Array[];
}

export type ToWorker =
  | { readonly type: 'initial' }
  | { readonly type: 'expand' }
  | { readonly type: 'keep'; readonly idx: Int32Array; readonly ids: Int32Array; readonly fps: Uint32Array; readonly ship: readonly { to: number; count: number }[] }
  | { readonly type: 'receive'; readonly shipments: readonly Shipment[] };

/** The worker threads, each answering the messages it is sent in order; a worker's crash fails the search. */
class Pool {
  private readonly workers: Worker[];
  private readonly waiting: { res: (m: unknown) => void; rej: (e: Error) => void }[][];
  private readonly ready: Promise<unknown[]>;
  private failed: Error | null = null;

  constructor(n: number, source: ModelSource, symmetry: boolean) {
    this.workers = Array.from({ length: n }, (_, index) => new Worker(new URL('./workerEntry.mjs', import.meta.url), { workerData: { source, symmetry, index, count: n } }));
    this.waiting = this.workers.map(() => []);
    this.workers.forEach((w, i) => {
      w.on('message', (m) => this.waiting[i].shift()?.res(m));
      w.on('error', (e) => {
        this.failed = e;
        for (const q of this.waiting) for (const p of q.splice(0)) p.rej(e);
      });
    });
    this.ready = Promise.all(this.workers.map((_, i) => this.next(i)));
  }

  private next(i: number): Promise<unknown> {
    return this.failed ? Promise.reject(this.failed) : new Promise((res, rej) => this.waiting[i].push({ res, rej }));
  }

  /** The same message to every worker, or one per worker; their replies. */
  async ask<T>(m: ToWorker | readonly ToWorker[]): Promise<T[]> {
    await this.ready;
    const replies = this.workers.map((_, i) => this.next(i) as Promise<T>);
    this.workers.forEach((w, i) => w.postMessage(Array.isArray(m) ? m[i] : m));
    return Promise.all(replies);
  }

  async tell(i: number, m: ToWorker): Promise<void> {
    await this.ready;
    this.workers[i].postMessage(m);
  }

  close(): Promise<number[]> { return Promise.all(this.workers.map((w) => w.terminate())); }
}

/** The one-thread explorer's result, computed by `workers` threads (breadth-first only). */
export async function exploreParallel(model: Model<unknown, unknown>, source: ModelSource, workers: number, o: ExploreOptions = {}): Promise<ExploreResult> {
  const now = o.now ?? (() => performance.now());
  const t0 = now();
  const maxStates = o.maxStates ?? Infinity, maxDepth = o.maxDepth ?? Infinity, timeMs = o.timeMs ?? Infinity;
  const pool = new Pool(workers, source, o.symmetry ?? false);
  const table = new FingerprintTable();
  const coverage = new Map<string, number>();
  const functionsOf: Readonly<Record<string, number>>[] = [];
  let generated = 0, depth = 0, queued = 0;
  let violation: Violation | null = null;
  let bound: ExploreResult['bound'] = null;

  try {
    let replies = await pool.ask<Candidates>({ type: 'initial' });
    for (let level = 0; ; level++) {
      // the candidates in the one-thread order: by parent, then action; a parent's stuck check after its successors
      const order: [number, number][] = [];
      replies.forEach((r, w) => { for (let c = 0; c < r.parent.length; c++) order.push([w, c]); });
      order.sort(([wa, a], [wb, b]) => replies[wa].parent[a] - replies[wb].parent[b] || replies[wa].action[a] - replies[wb].action[b]);
      const stuck = new Map<number, string>();
      for (const r of replies) for (const s of r.stuck) stuck.set(s.parent, s.message);
      const stuckParents = [...stuck.keys()].sort((a, b) => a - b);
      const keep: { idx: number[]; ids: number[]; fps: number[] }[] = replies.map(() => ({ idx: [], ids: [], fps: [] }));
      const fp = new Uint32Array(2);
      let sp = 0;
      const stuckBefore = (parent: number): boolean => {
        // parents before this one that were stuck come first, as their expansion did
        while (sp < stuckParents.length && stuckParents[sp] < parent) {
          const p = stuckParents[sp++];
          violation = { property: 'stuck', message: stuck.get(p)!, path: table.path(p), failedAction: null };
          return true;
        }
        return false;
      };
      let stop = false;
      for (const [w, c] of order) {
        const r = replies[w];
        const parent = r.parent[c];
        if (stuckBefore(parent)) { stop = true; break; }
        generated++;
        if (r.flag[c] === 2) {
          const m = r.messages[c];
          violation = { property: m.property, message: m.message, path: table.path(parent), failedAction: r.action[c] };
          stop = true;
          break;
        }
        if (parent >= 0) { const k = r.kinds[r.kind[c]]; coverage.set(k, (coverage.get(k) ?? 0) + 1); }
        fp[0] = r.fp[2 * c]; fp[1] = r.fp[2 * c + 1];
        const id = table.add(fp, parent);
        if (id < 0) continue;
        if (r.flag[c] === 1) {
          const m = r.messages[c];
          violation = { property: m.property, message: m.message, path: table.path(id), failedAction: null };
          stop = true;
          break;
        }
        depth = Math.max(depth, level);
        keep[w].idx.push(c); keep[w].ids.push(id); keep[w].fps.push(fp[0], fp[1]);
        if (table.size >= maxStates) { bound = 'max-states'; stop = true; break; }
      }
      if (!stop && stuckBefore(Infinity)) stop = true;
      replies.forEach((r, w) => { if (r.functions) functionsOf[w] = r.functions; }); // cumulative per worker
      queued = keep.reduce((n, k) => n + k.idx.length, 0);
      if (stop || queued === 0) break;
      if (level >= maxDepth) { bound = 'max-depth'; break; }
      if (now() - t0 > timeMs) { bound = 'time'; break; }
      o.progress?.({ generated, distinct: table.size, depth, queued, ms: now() - t0 });
      const ship = balance(keep.map((k) => k.idx.length));
      const shipped = (await pool.ask<Shipment[]>(keep.map((k, w) => ({ type: 'keep', idx: Int32Array.from(k.idx), ids: Int32Array.from(k.ids), fps: Uint32Array.from(k.fps), ship: ship[w] })))).flat();
      await Promise.all(keep.map((_, w) => pool.tell(w, { type: 'receive', shipments: shipped.filter((x) => x.to === w) })));
      replies = await pool.ask<Candidates>({ type: 'expand' });
    }
  } finally {
    await pool.close();
  }
  const cluster = model as { functions?: Map<string, number> };
  if (cluster.functions) for (const fns of functionsOf) for (const [f, n] of Object.entries(fns)) cluster.functions.set(f, (cluster.functions.get(f) ?? 0) + n);
  const n = table.size;
  return {
    generated, distinct: n, depth, exhausted: violation === null && bound === null && queued === 0, bound, violation, coverage,
    ms: now() - t0, bytesPerState: table.bytesPerState(), spilledBytes: 0, collisionProbability: collisionEstimate(n, generated), table,
  };
}

/** Which worker hands how many of its states to which, so each holds about the same number. */
export function balance(counts: readonly number[]): { to: number; count: number }[][] {
  const total = counts.reduce((a, b) => a + b, 0);
  const target = counts.map((_, w) => Math.floor(total / counts.length) + (w < total % counts.length ? 1 : 0));
  const give = counts.map((c, w) => Math.max(0, c - target[w]));
  const need = counts.map((c, w) => Math.max(0, target[w] - c));
  const plan: { to: number; count: number }[][] = counts.map(() => []);
  for (let from = 0, to = 0; from < counts.length; from++) {
    while (give[from] > 0) {
      while (need[to] === 0) to++;
      const n = Math.min(give[from], need[to]);
      plan[from].push({ to, count: n });
      give[from] -= n; need[to] -= n;
    }
  }
  return plan;
}
