// The whole simulated cluster as one value: ranks, network, scheduler state and the count
// of scattered updates made (the ground truth the scatter-data invariant checks against).
import { immerable } from 'immer';
import { MDSRank } from './MDSRank.js';
import { Network } from './network.js';
import { ClientState } from '../clients/ClientState.js';
import { MDSMap } from './mdsmap.js';
import type { RuleId } from '../rules/variants.js';
import type { Message } from '../messages/index.js';

export class Cluster {
  [immerable] = true;
  ranks: MDSRank[];
  /** Clients by id, each with a session on one rank. */
  clients: Record<number, ClientState> = {};
  net: Network;
  /** Each rank's state: active, failed, or on its way back (mdsmap.ts). */
  mdsmap: MDSMap;
  /** Messages to a rank in replay, sent when it is past it (MDSRank::wait_for_bootstrapped_peer). */
  deferred: Message[] = [];
  sched: { rng: number };
  readonly seed: number;
  /** Scattered updates made under wrlock, per object path and lock type name (`inest /d`). */
  scatter_updates: Record<string, number> = {};
  /** Whether steps collect trace events (off for fuzzing and benchmarks: no lock printing). */
  traced = true;
  /** Counters: every Locker line, and (when a checker asks, with `fns`) how often each Locker function changed a lock. */
  stats: { lock_events: number; fns?: Record<string, number> } = { lock_events: 0 };
  /** The historical rule variants this cluster follows (src/rules/); none is Ceph main. Frozen: shared by copies. */
  rules: readonly RuleId[] = Object.freeze([]);
  /** The next inode number to hand out (Ceph's inode tables, one range for the cluster). */
  next_ino = 0x10000000000;

  constructor(numRanks: number, seed: number, clients: readonly { id: number; session: number }[] = []) {
    this.ranks = Array.from({ length: numRanks }, (_, i) => new MDSRank(i));
    for (const c of clients) this.clients[c.id] = new ClientState(c.id, c.session);
    this.net = new Network(numRanks, clients.map((c) => c.id));
    this.mdsmap = new MDSMap(numRanks);
    this.seed = seed;
    this.sched = { rng: seed | 0 };
  }
}
