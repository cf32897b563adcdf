// The benchmark workload: a seeded stream of legal lock requests from every rank on a cluster
// of inodes (and their dentries) replicated on every other rank, driven one command at a
// time (submit, deliver a message, finish a granted request). The same driver serves the
// replay benchmark, the property-run benchmark and the test that pins its final state.
import { lockTypeByName } from '../statemachines/index.js';
import type { Cluster } from '../src/cluster/Cluster.js';
import { createCluster, type ObjectSpec } from '../src/cluster/topology.js';
import { nextRandom } from '../src/cluster/rng.js';
import { deliverOne, finishRequest, scatterUpdate, submitRequest, tick } from '../src/cluster/sim.js';
import { op, RDLOCK, WRLOCK, XLOCK, type LockOp } from '../src/request/LockOp.js';
import type { MDRequest } from '../src/request/MDRequest.js';

export interface WorkloadOptions {
  ranks: number;
  inodes: number;
  /** Client requests to submit in total. */
  requests: number;
  seed: number;
  /** Requests running at once (submitted, not yet finished). */
  window?: number;
}

export type Command = 'submit' | 'deliver' | 'finish' | 'tick' | 'cancel';

const type = (name: string) => lockTypeByName(name)!.type;
// What a request may ask for. Only legal asks: simplelocks take no wrlock (Ceph's
// wrlock_force is internal); of the scatterlocks only ifile has xlock rows (sm_scatterlock
// has none: xlocking inest/idft enters a row-less state and aborts), and only on the auth (a
// remote xlock of a scatterlock is an MDS assertion); a versionlock is wrlocked by the auth
// that journals the object.
const RD_ANYWHERE = ['iauth', 'ilink', 'ixattr', 'ifile', 'inest', 'idft', 'isnap', 'ipolicy', 'dn'].map(type);
const WR_ANYWHERE = ['ifile', 'inest', 'idft'].map(type);
const WR_AUTH = [type('iversion')];
const XL_ANYWHERE = ['iauth', 'ilink', 'ixattr', 'dn'].map(type);
const XL_AUTH = [type('ifile')];
const SCATTER = new Set(WR_ANYWHERE);

export const objectPath = (i: number) => `/i${i}`;

/** Inode `/iN` and dentry `/iN` per object, auth on rank N mod ranks, replicated on all others. */
export function workloadObjects(ranks: number, inodes: number): ObjectSpec[] {
  const out: ObjectSpec[] = [];
  for (let i = 0; i < inodes; i++) {
    const auth = i % ranks;
    const replicas = Array.from({ length: ranks }, (_, r) => r).filter((r) => r !== auth);
    out.push({ kind: 'inode', path: objectPath(i), is_dir: i % 2 === 0, auth, replicas });
    out.push({ kind: 'dentry', path: objectPath(i), auth, replicas });
  }
  return out;
}

export function workloadCluster(o: WorkloadOptions): Cluster {
  const c = createCluster({ ranks: o.ranks, seed: o.seed, objects: workloadObjects(o.ranks, o.inodes) });
  c.traced = false;
  return c;
}

interface Running { reqid: string; rank: number; mdr: MDRequest }

/** Drives one cluster with its own PRNG stream (the cluster's scheduler keeps its own). */
export class Workload {
  readonly cluster: Cluster;
  readonly opts: Required<WorkloadOptions>;
  private rng: number;
  private submitted = 0;
  private running: Running[] = [];
  /** Ticks since the last submit or finish: ticks can nudge forever without progress. */
  private ticks = 0;
  readonly counts: Record<Command, number> = { submit: 0, deliver: 0, finish: 0, tick: 0, cancel: 0 };

  constructor(cluster: Cluster, opts: WorkloadOptions) {
    this.cluster = cluster;
    this.opts = { window: 4 * opts.ranks, ...opts };
    this.rng = (opts.seed ^ 0x5bd1e995) | 0;
  }

  private rand(n: number): number {
    const [r, next] = nextRandom(this.rng);
    this.rng = next;
    return Math.floor(r * n);
  }
  private pick<T>(a: readonly T[]): T { return a[this.rand(a.length)]; }

  /** One to three legal lock ops on one object (inode and/or its dentry), as a client on `rank`. */
  private ops(rank: number, i: number): LockOp[] {
    const path = objectPath(i);
    const auth = i % this.opts.ranks === rank;
    const out: LockOp[] = [];
    for (let n = 1 + this.rand(3); n > 0; n--) {
      const k = this.rand(10);
      if (k < 5) out.push(op({ path, type: this.pick(RD_ANYWHERE) }, RDLOCK));
      else if (k < 7) out.push(op({ path, type: this.pick(auth ? [...WR_ANYWHERE, ...WR_AUTH] : WR_ANYWHERE) }, WRLOCK));
      else out.push(op({ path, type: this.pick(auth ? [...XL_ANYWHERE, ...XL_AUTH] : XL_ANYWHERE) }, XLOCK));
    }
    return out;
  }

  get done(): boolean { return this.submitted >= this.opts.requests && this.running.length === 0; }

  /** Run one command; null when the workload is complete. */
  step(): Command | null {
    const c = this.cluster;
    const canSubmit = this.submitted < this.opts.requests && this.running.length < this.opts.window;
    const canDeliver = c.net.sent > c.net.delivered; // no link is ever held here
    const granted = this.running.findIndex((r) => r.mdr.status === 'granted');
    // weights: deliver 4, submit 1, finish 1 among what is possible now
    const choices: Command[] = [];
    if (canDeliver) choices.push('deliver', 'deliver', 'deliver', 'deliver');
    if (canSubmit) choices.push('submit');
    if (granted >= 0) choices.push('finish');
    if (choices.length === 0) return this.unstick();
    const cmd = this.pick(choices);
    if (cmd !== 'deliver') this.ticks = 0;
    if (cmd === 'deliver') deliverOne(c);
    else if (cmd === 'submit') this.submit();
    else this.finish(granted);
    this.counts[cmd]++;
    return cmd;
  }

  private submit(): void {
    const rank = this.rand(this.opts.ranks);
    const i = this.rand(this.opts.inodes);
    const reqid = `client.${4100 + rank}:${++this.submitted}`;
    submitRequest(this.cluster, rank, reqid, this.ops(rank, i));
    this.running.push({ reqid, rank, mdr: this.cluster.ranks[rank].requests[reqid] });
  }

  private finish(at: number): void {
    const { reqid, mdr } = this.running[at];
    // half the scatterlock writers change scattered data first (write-behind traffic later)
    for (const h of mdr.locks) {
      if ((h.flags & WRLOCK) && SCATTER.has(h.lock.type) && this.rand(2) === 0) scatterUpdate(this.cluster, reqid, h.lock);
    }
    finishRequest(this.cluster, reqid);
    this.running.splice(at, 1);
  }

  /**
   * Nothing to deliver, submit or finish: every running request waits. Let each rank tick
   * (scatter_tick nudges dirty scatterlocks); if that sends nothing, or three ticks in a row
   * granted nothing, give up on the oldest request (its locks drop, as a killed request's do).
   */
  private unstick(): Command | null {
    if (this.done) return null;
    const before = this.cluster.net.sent;
    if (this.ticks < 3) {
      for (let r = 0; r < this.opts.ranks; r++) tick(this.cluster, r);
      if (this.cluster.net.sent > before) { this.ticks++; this.counts.tick++; return 'tick'; }
    }
    this.ticks = 0;
    finishRequest(this.cluster, this.running[0].reqid);
    this.running.shift();
    this.counts.cancel++;
    return 'cancel';
  }

  /** Run to completion; `limit` bounds the commands (a livelock fails loudly). */
  run(limit = 100 * this.opts.requests + 1000): this {
    for (let i = 0; i < limit; i++) if (this.step() === null) return this;
    throw new Error(`workload not done after ${limit} commands`);
  }
}
