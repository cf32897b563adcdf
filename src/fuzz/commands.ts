// The commands fast-check draws (fc.commands): each carries raw numbers and is resolved against
// the current cluster into a concrete, legal FuzzStep, or into nothing (then check() is false
// and fast-check skips it, which keeps shrunk runs legal). Raw numbers pick among the legal
// choices by index, so a command keeps a meaning while the run around it shrinks. A step sent
// to a rank that is not active resolves to nothing too (steps.ts activeRankOf).
import fc from 'fast-check';
import type { Cluster } from '../cluster/Cluster.js';
import { STATE_ACTIVE, STATE_REJOIN, is_degraded } from '../cluster/mdsmap.js';
import { exportsDrawable } from '../migration/step.js';
import { migrating } from '../migration/state.js';
import type { Fault } from '../cluster/faults.js';
import { carriedLocks } from '../cluster/carried.js';
import type { MDSCacheObject } from '../cache/MDSCacheObject.js';
import type { SimpleLock } from '../locks/index.js';
import { REMOTE_WRLOCK, WRLOCK, type LockRef } from '../request/LockOp.js';
import { execute, type RunState } from './run.js';
import { activeRankOf, type FuzzStep, type Mode, type WantedLock } from './steps.js';

export class FuzzCommand implements fc.Command<RunState, RunState> {
  constructor(private readonly label: string, readonly resolve: (s: RunState) => FuzzStep | null) {}
  check(s: Readonly<RunState>): boolean {
    if (s.failure !== null || s.known !== null) return false;
    const step = this.resolve(s as RunState);
    if (step === null) return false;
    const to = activeRankOf(s.cluster, step);
    return to === null || s.cluster.mdsmap.state[to] === STATE_ACTIVE;
  }
  run(s: RunState): void { execute(s, this.resolve(s)!); }
  toString(): string { return this.label; }
}

const pick = <T>(list: readonly T[], i: number): T | null => (list.length === 0 ? null : list[i % list.length]);

/**
 * Legal ways to lock `lock` from a request on a rank (the loader's rules, src/scenario/steps.ts):
 * wrlocks only on scatterlocks; xlock of a scatterlock only on its auth; remote_wrlock only on
 * a scatterlock from a non-auth rank. Narrower than the loader in two ways: local locks
 * (iversion, dversion) are left out (clients never name them; acquire_locks adds them to
 * xlocks on the auth), and so are xlocks of inest/idft: sm_scatterlock has no xlock states, so
 * xlock_start ends in simple_lock on a row-less prexlock and aborts, as in Ceph, whose Server
 * never asks for it.
 */
function modesFor(lock: SimpleLock): Mode[] {
  switch (lock.lt.cls) {
    case 'LocalLock': return [];
    case 'SimpleLock': return ['rdlock', 'xlock'];
    case 'ScatterLock': {
      const xlock: Mode[] = lock.lt.sm.name === 'sm_filelock' ? ['xlock'] : [];
      return lock.auth ? ['rdlock', 'wrlock', ...xlock] : ['rdlock', 'wrlock', 'remote_wrlock'];
    }
  }
}

const objectsOn = (c: Cluster, rank: number): MDSCacheObject[] =>
  [...Object.values(c.ranks[rank].inodes), ...Object.values(c.ranks[rank].dentries)];

/** Client requests still running, leaders only, in rank then submission order. */
export const runningRequests = (c: Cluster) =>
  c.ranks.flatMap((m) => Object.values(m.requests).filter((r) => r.is_leader() && r.client >= 0));

interface RawLock { obj: number; lock: number; mode: number }

function resolveRequest(s: RunState, rank: number, client: number, raw: readonly RawLock[]): FuzzStep | null {
  const r = rank % s.cluster.ranks.length;
  const objs = objectsOn(s.cluster, r);
  const wanted = new Map<string, WantedLock>();
  for (const w of raw) {
    const obj = pick(objs, w.obj);
    const lock = obj && pick(carriedLocks(obj).filter((l) => modesFor(l).length > 0), w.lock);
    if (!obj || !lock) continue;
    const key = `${lock.parent} ${lock.type}`;
    const mode = pick(modesFor(lock), w.mode)!;
    // Known finding (scenarios/findings/remote-xlocks-deadlock-on-versionlock.yaml): two remote
    // xlocks on one object are granted in two peer rounds, each adding the auth's versionlock
    // xlock, so two such requests deadlock on the auth. One remote xlock per object, then.
    const remoteX = mode === 'xlock' && !lock.auth;
    if (remoteX && [...wanted.values()].some((x) => x.mode === 'xlock' && x.ref.path === lock.parent && x.target !== r)) continue;
    if (!wanted.has(key)) wanted.set(key, { mode, ref: { path: lock.parent, type: lock.type }, target: obj.authority });
  }
  if (wanted.size === 0) return null;
  // one order across objects, by path (as Ceph's callers lock parents before children), so
  // that no deadlock comes from two requests naming the same locks in opposite orders
  const locks = [...wanted.values()].sort((a, b) => (a.ref.path < b.ref.path ? -1 : a.ref.path > b.ref.path ? 1 : a.ref.type - b.ref.type));
  return { kind: 'request', rank: r, reqid: `client.${4101 + client}:${s.submitted + 1}`, locks };
}

const rank = fc.nat(3);
const index = fc.nat(15);

/** The commands of a fuzz run, with relative weights (the client commands are clientCommands.ts). */
export function commandArbs(): fc.Arbitrary<FuzzCommand>[] {
  const request = fc.record({ rank, client: fc.nat(2), locks: fc.array(fc.record({ obj: index, lock: index, mode: index }), { minLength: 1, maxLength: 3 }) })
    .map(({ rank, client, locks }) => new FuzzCommand(`request(${rank},${client},${JSON.stringify(locks)})`, (s) => resolveRequest(s, rank, client, locks)));
  const onRequest = (kind: 'finish' | 'early_reply') => index.map((i) => new FuzzCommand(`${kind}(${i})`, (s) => {
    // finishing a request that waits for a peer reply kills it when the reply comes
    const ok = runningRequests(s.cluster).filter((r) => !r.aborted &&
      (kind === 'finish' || (r.status === 'granted' && r.peers.length === 0 && !r.early_replied)));
    const mdr = pick(ok, i);
    return mdr && { kind, reqid: mdr.reqid };
  }));
  const update = index.map((i) => new FuzzCommand(`update(${i})`, (s) => {
    const held = runningRequests(s.cluster).filter((r) => r.status === 'granted')
      .flatMap((r) => r.locks.filter((o) => (o.flags & WRLOCK) && s.cluster.ranks[r.rank].lock(o.lock)?.lt.cls === 'ScatterLock').map((o) => ({ reqid: r.reqid, ref: o.lock })));
    const h = pick(held, i);
    return h && { kind: 'update', reqid: h.reqid, ref: h.ref };
  }));
  return [
    ...Array(4).fill(request), ...Array(2).fill(onRequest('finish')), onRequest('early_reply'),
    ...deliveryArbs(), ...Array(2).fill(update),
  ];
}

/** What moves any run on: deliveries (one link, or all), lease releases, nudges and ticks. */
export function deliveryArbs(): fc.Arbitrary<FuzzCommand>[] {
  const deliver = index.map((i) => new FuzzCommand(`deliver(${i})`, (s) => {
    const link = pick(s.cluster.net.deliverable(), i);
    if (link === null) return null;
    const [from, to] = s.cluster.net.ends(link);
    return { kind: 'deliver', from, to };
  }));
  const deliverAll = fc.constant(new FuzzCommand('deliver_all', (s) => (s.cluster.net.deliverable().length > 0 ? { kind: 'deliver_all' } : null)));
  const leaseRelease = index.map((i) => new FuzzCommand(`lease_release(${i})`, (s) => {
    // leases of no modelled client only: a client gives its own back when the MDS revokes it
    const leased = s.cluster.ranks.flatMap((m) => Object.values(m.dentries).filter((d) => d.lock.is_leased() && d.client_leases.length === 0).map((d) => ({ rank: m.id, path: d.path })));
    const l = pick(leased, i);
    return l && { kind: 'lease_release', rank: l.rank, path: l.path };
  }));
  const nudge = fc.tuple(rank, index).map(([r, i]) => new FuzzCommand(`nudge(${r},${i})`, (s) => {
    const on = r % s.cluster.ranks.length;
    const lock = pick(Object.values(s.cluster.ranks[on].inodes).flatMap((o) => carriedLocks(o).filter((l) => l.lt.cls === 'ScatterLock')), i);
    return lock && { kind: 'nudge', rank: on, ref: { path: lock.parent, type: lock.type } };
  }));
  const tick = rank.map((r) => new FuzzCommand(`tick(${r})`, (s) => ({ kind: 'tick', rank: r % s.cluster.ranks.length })));
  return [...Array(6).fill(deliver), deliverAll, leaseRelease, nudge, tick];
}

/**
 * Faults, drawn only when asked (`--faults`): a running request killed wherever it is, a copy
 * of the oldest lock message on a rank-to-rank link delivered with the original kept, and a
 * rank failing and a standby taking it over, as check draws them (models/cluster.ts): one
 * failure at a time, each rank once (its incarnation tells), the takeover at any point after
 * and up to rejoin in one step (the rejoin goes on by deliveries).
 */
export function faultArbs(faults: readonly Fault[]): fc.Arbitrary<FuzzCommand>[] {
  const kill = index.map((i) => new FuzzCommand(`kill(${i})`, (s) => {
    const mdr = pick(runningRequests(s.cluster).filter((r) => !r.aborted), i);
    return mdr && { kind: 'kill', reqid: mdr.reqid };
  }));
  const duplicate = index.map((i) => new FuzzCommand(`duplicate(${i})`, (s) => {
    const link = pick(lockLinks(s.cluster), i);
    if (link === null) return null;
    const [from, to] = s.cluster.net.ends(link);
    return { kind: 'duplicate', from, to };
  }));
  const fail = index.map((i) => new FuzzCommand(`fail(${i})`, (s) => {
    const map = s.cluster.mdsmap;
    const r = is_degraded(map) || migrating(s.cluster) ? null : pick(s.cluster.ranks.filter((m) => map.inc[m.id] === 1), i);
    return r && { kind: 'fail', rank: r.id };
  }));
  const recover = index.map((i) => new FuzzCommand(`recover(${i})`, (s) => {
    const r = pick(s.cluster.ranks.filter((m) => s.cluster.mdsmap.state[m.id] < STATE_REJOIN), i);
    return r && { kind: 'recover', rank: r.id, to: STATE_REJOIN };
  }));
  const exportDir = index.map((i) => new FuzzCommand(`export(${i})`, (s) => {
    const x = pick(exportsDrawable(s.cluster), i);
    return x && { kind: 'export', ...x };
  }));
  return [
    ...(faults.includes('kill') ? [kill] : []), ...(faults.includes('duplicate') ? [duplicate] : []),
    ...(faults.includes('fail') ? [fail, recover] : []), ...(faults.includes('export') ? [exportDir] : []),
  ];
}

/** Links between ranks whose oldest message is a lock message (what a duplicate copies). */
export const lockLinks = (c: Cluster): number[] =>
  c.net.deliverable().filter((l) => { const [from, to] = c.net.ends(l); return from >= 0 && to >= 0 && c.net.queues[l][0].kind === 'lock'; });

/** Scatterlocks a granted request holds (or remote-wrlocks) but does not wrlock on its rank, where a wrlock could be taken: what predirty_journal_parents may force. */
export function forceable(c: Cluster): { reqid: string; ref: LockRef }[] {
  return runningRequests(c).filter((r) => r.status === 'granted' && !r.aborted)
    .flatMap((r) => r.locks.filter((o) => {
      const lock = c.ranks[r.rank].lock(o.lock);
      return (o.flags & (WRLOCK | REMOTE_WRLOCK)) && !(o.flags & WRLOCK) && lock?.lt.cls === 'ScatterLock' && lock.can_wrlock(-1);
    })
      .map((o) => ({ reqid: r.reqid, ref: o.lock })));
}

/** wrlock_force steps, drawn only when asked (`--wrlock-force`). */
export const wrlockForceArb = (): fc.Arbitrary<FuzzCommand> => index.map((i) => new FuzzCommand(`wrlock_force(${i})`, (s) => {
  const h = pick(forceable(s.cluster), i);
  return h && { kind: 'wrlock_force', reqid: h.reqid, ref: h.ref };
}));
