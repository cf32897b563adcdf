// The whole simulated cluster as one value: ranks, network, scheduler state and the count
// of scattered updates made (the ground truth the scatter-data invariant checks against).
import { immerable } from 'immer';
import { MDSRank } from './MDSRank.js';
import { Network } from './network.js';

export class Cluster {
  [immerable] = true;
  ranks: MDSRank[];
  net: Network;
  sched: { rng: number };
  readonly seed: number;
  /** Scattered updates made under wrlock, per object path and lock type name (`inest /d`). */
  scatter_updates: Record<string, number> = {};
  /** Whether steps collect trace events (off for fuzzing and benchmarks: no lock printing). */
  traced = true;
  stats = { lock_events: 0 };

  constructor(numRanks: number, seed: number) {
    this.ranks = Array.from({ length: numRanks }, (_, i) => new MDSRank(i));
    this.net = new Network(numRanks);
    this.seed = seed;
    this.sched = { rng: seed | 0 };
  }
}
