// The op benchmark workload, like a metadata benchmark (mdtest): clients on every rank create,
// stat, open, rename and unlink files in directories whose dirfrags are spread over the
// ranks, so most ops run on another rank than the client's (forwards), and renames between
// directories of two ranks take witnesses, remote locks and the inode's migration. Names are
// drawn from a small pool per directory, so ops meet: a stat of a name being created, a
// rename over a file being unlinked; an op on a missing name gets Ceph's error reply.
// Requests stuck in a deadlock Ceph has too (scenarios/findings/) are killed, and counted.
import type { Cluster } from '../src/cluster/Cluster.js';
import { createCluster, type ObjectSpec } from '../src/cluster/topology.js';
import { nextRandom } from '../src/cluster/rng.js';
import { deliverOne, finishRequest, submitOp } from '../src/cluster/sim.js';
import { parseOp } from '../src/server/parseOp.js';

export interface OpWorkloadOptions {
  ranks: number;
  /** Directories /d0 .. /dN-1, the dirfrag of /dK on rank K mod ranks. */
  dirs: number;
  /** Names per directory the ops draw from. */
  names: number;
  /** Ops to submit in total. */
  ops: number;
  seed: number;
  /** Clients: client.4101 + i, its session on rank i mod ranks; each has one op in flight at most. */
  clients?: number;
}

/** The mix, in percent: creates, stats (lookup), opens, renames, unlinks. */
const MIX: [number, (w: OpWorkload, dir: string) => string][] = [
  [35, (w, d) => `create ${d}/${w.name()}`],
  [30, (w, d) => `lookup ${d}/${w.name()} mask=pAsLsXsFs`],
  [10, (w, d) => `create ${d}/${w.name()}`], // an open of an existing name, a create of a new one
  [10, (w, d) => `rename ${d}/${w.name()} ${w.dir()}/${w.name()}`],
  [15, (w, d) => `unlink ${d}/${w.name()}`],
];

export function opWorkloadCluster(o: OpWorkloadOptions): Cluster {
  const objects: ObjectSpec[] = [];
  const replicas = (auth: number) => Array.from({ length: o.ranks }, (_, r) => r).filter((r) => r !== auth);
  for (let k = 0; k < o.dirs; k++) {
    objects.push({ kind: 'inode', path: `/d${k}`, is_dir: true, auth: 0, replicas: replicas(0), ...(k % o.ranks ? { frag: k % o.ranks } : {}) });
  }
  const clients = Array.from({ length: o.clients ?? 2 * o.ranks }, (_, i) => ({ id: 4101 + i, session: i % o.ranks }));
  const c = createCluster({ ranks: o.ranks, seed: o.seed, objects, clients });
  c.traced = false;
  return c;
}

/** Drives one cluster: submit an op from a free client, else deliver; kill what deadlocked. */
export class OpWorkload {
  readonly cluster: Cluster;
  readonly opts: OpWorkloadOptions;
  private rng: number;
  private submitted = 0;
  /** Replies seen (safe, or an error), and requests killed out of a deadlock. */
  completed = 0;
  killed = 0;
  private readonly busy = new Map<number, string>(); // client id -> its reqid in flight
  private readonly clients: number[];

  constructor(cluster: Cluster, opts: OpWorkloadOptions) {
    this.cluster = cluster;
    this.opts = opts;
    this.rng = (opts.seed ^ 0x2545f491) | 0;
    this.clients = Object.keys(cluster.clients).map(Number).sort((a, b) => a - b);
  }

  private rand(n: number): number {
    const [r, next] = nextRandom(this.rng);
    this.rng = next;
    return Math.floor(r * n);
  }
  dir(): string { return `/d${this.rand(this.opts.dirs)}`; }
  name(): string { return `f${this.rand(this.opts.names)}`; }

  private text(): string {
    let k = this.rand(100);
    const d = this.dir();
    for (const [pct, make] of MIX) {
      if (k < pct) return make(this, d);
      k -= pct;
    }
    throw new Error('the mix adds up to 100');
  }

  /** Clients whose op got its safe reply (or an error) are free again. */
  private reap(): void {
    for (const [client, reqid] of this.busy) {
      const r = this.cluster.clients[client].replies[reqid];
      if (r !== undefined && r !== 'unsafe') {
        this.busy.delete(client);
        this.completed++;
      }
    }
  }

  private submit(client: number): void {
    const text = this.text();
    const parsed = parseOp(text);
    if ('error' in parsed) throw new Error(`op workload: ${text}: ${parsed.error}`);
    const reqid = `client.${client}:${++this.submitted}`;
    submitOp(this.cluster, this.cluster.clients[client].session, reqid, parsed.op);
    this.busy.set(client, reqid);
  }

  /** Nothing in flight and ops unanswered: a deadlock. Kill its requests, as an operator would. */
  private unstick(): void {
    for (const [client, reqid] of this.busy) {
      if (this.cluster.ranks.some((r) => r.requests[reqid])) finishRequest(this.cluster, reqid);
      this.busy.delete(client);
      this.killed++;
    }
  }

  run(limit = 2000 * this.opts.ops): this {
    for (let i = 0; i < limit; i++) {
      this.reap();
      const free = this.clients.filter((c) => !this.busy.has(c));
      if (this.submitted < this.opts.ops && free.length > 0 && this.rand(4) === 0) this.submit(free[this.rand(free.length)]);
      else if (deliverOne(this.cluster) === null) {
        if (this.busy.size > 0) this.unstick();
        else if (this.submitted < this.opts.ops) this.submit(free[this.rand(free.length)]);
        else return this;
      }
    }
    throw new Error(`op workload not done after ${limit} steps`);
  }
}
