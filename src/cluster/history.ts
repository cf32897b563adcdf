// Immutable snapshots for user-facing replays: every step runs inside immer's `produce`, so
// each step yields a new frozen Cluster sharing unchanged parts with the previous one. A
// replay can step back to any earlier snapshot and diff two of them. Fuzzing and benchmarks
// run the same step functions on a plain mutable Cluster instead (immer costs 300-800x).
import { produce, type Draft } from 'immer';
import type { Cluster } from './Cluster.js';
import type { TraceEvent } from '../locker/context.js';

export class History {
  readonly snapshots: Cluster[];

  constructor(initial: Cluster) {
    // freeze the starting point through immer so later drafts never touch it
    this.snapshots = [produce(initial, () => {})];
  }

  get current(): Cluster { return this.snapshots[this.snapshots.length - 1]; }

  /** Run one step on a draft of the current state; keep the resulting snapshot. */
  step(fn: (draft: Cluster) => TraceEvent[]): TraceEvent[] {
    let trace: TraceEvent[] = [];
    // a draft behaves as the Cluster it drafts (immer proxies keep the prototype)
    const next = produce(this.current, (d: Draft<Cluster>) => { trace = fn(d as unknown as Cluster); });
    this.snapshots.push(next);
    return trace;
  }

  /** Drop the last `n` steps. */
  back(n = 1): Cluster {
    if (n >= this.snapshots.length) throw new Error(`cannot step back ${n}: only ${this.snapshots.length - 1} steps`);
    this.snapshots.length -= n;
    return this.current;
  }
}
