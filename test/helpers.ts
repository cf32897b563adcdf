// Shared test helpers: build clusters, name locks the way scenarios do, read printed lines.
import { lockTypeByName } from '../statemachines/index.js';
import { createCluster, type ObjectSpec } from '../src/cluster/topology.js';
import type { Cluster } from '../src/cluster/Cluster.js';
import { op, RDLOCK, WRLOCK, XLOCK, REMOTE_WRLOCK, type LockOp, type LockRef } from '../src/request/LockOp.js';
import { printLock } from '../src/trace/printLock.js';
import type { TraceEvent } from '../src/locker/context.js';
import { printSend } from '../src/trace/printEvent.js';

/** `iauth /f` -> a lock reference. */
export function ref(name: string): LockRef {
  const [t, path] = name.split(' ');
  const lt = lockTypeByName(t);
  if (!lt) throw new Error(`unknown lock type ${t}`);
  return { path, type: lt.type };
}

export const rd = (n: string): LockOp => op(ref(n), RDLOCK);
export const wr = (n: string): LockOp => op(ref(n), WRLOCK);
export const xl = (n: string): LockOp => op(ref(n), XLOCK);
export const rwr = (n: string, target: number): LockOp => op(ref(n), REMOTE_WRLOCK, target);

export function cluster(ranks: number, objects: ObjectSpec[], seed = 1): Cluster {
  return createCluster({ ranks, seed, objects });
}

export const file = (path: string, replicas = [1, 2], locks?: Record<string, string>, auth = 0): ObjectSpec =>
  ({ kind: 'inode', path, is_dir: false, auth, replicas, locks });
export const dir = (path: string, replicas = [1, 2], extra: Partial<ObjectSpec & { kind: 'inode' }> = {}): ObjectSpec =>
  ({ kind: 'inode', path, is_dir: true, auth: 0, replicas, ...extra });
export const dentry = (path: string, replicas = [1, 2], extra: { leased?: number[]; lock?: string } = {}): ObjectSpec =>
  ({ kind: 'dentry', path, auth: 0, replicas, ...extra });

/** The printed lock on a rank: `line(c, 1, 'iauth /f')` -> `(iauth sync r=1)`. */
export function line(c: Cluster, rank: number, name: string): string {
  const l = c.ranks[rank].lock(ref(name));
  if (!l) throw new Error(`mds.${rank} has no ${name}`);
  return printLock(l);
}

/** Printed lines of one lock on every listed rank. */
export function lines(c: Cluster, name: string, ranks = [0, 1, 2]): string[] {
  return ranks.map((r) => line(c, r, name));
}

/** Messages sent in a trace, as `mds.0 -> mds.1 lock(a=lock iauth /f)`. */
export function sent(t: TraceEvent[]): string[] {
  return t.filter((e) => e.kind === 'send').map((e) => e.kind === 'send' ? printSend(e.msg) : '');
}

/** Printed lock states a trace passed through, on a rank, for one lock print prefix. */
export function passed(t: TraceEvent[], rank: number, prefix: string): string[] {
  return t.filter((e) => e.kind === 'locker' && e.rank === rank && e.lock.startsWith(`(${prefix} `))
    .map((e) => (e.kind === 'locker' ? e.lock : ''))
    .filter((l, i, a) => i === 0 || a[i - 1] !== l);
}

/** Messages in flight, printed, in link order. */
export function inFlight(c: Cluster): string[] {
  return c.net.all().map((m) => printSend(m));
}
