// What a Locker rule runs against: the cluster state (a plain object, or an immer draft in
// replay mode), the rank it runs on, and the effects it produces. Messages are collected,
// not sent: the simulation step (cluster/sim.ts) hands them to the network afterwards.
import type { Cluster } from '../cluster/Cluster.js';
import type { MDSRank } from '../cluster/MDSRank.js';
import type { MDSCacheObject } from '../cache/MDSCacheObject.js';
import type { CInode } from '../cache/CInode.js';
import type { CDentry } from '../cache/CDentry.js';
import { printInode, printDentry } from '../trace/printObject.js';
import type { SimpleLock, ScatterLock } from '../locks/index.js';
import { peer_rejoined } from './peerState.js';
import type { LockData, Message } from '../messages/index.js';
import type { LockRef } from '../request/LockOp.js';
import { printLock } from '../trace/printLock.js';

export type TraceEvent =
  | {
    readonly kind: 'locker'; readonly rank: number; readonly fn: string; readonly lock: string; readonly path: string; readonly auth: boolean; readonly note?: string;
    /** The lock's object as Ceph's log prints it at that moment (replay --ceph-log). */
    readonly object: string;
  }
  | { readonly kind: 'send'; readonly msg: Message }
  | { readonly kind: 'deliver'; readonly msg: Message; readonly duplicate?: true }
  | { readonly kind: 'request'; readonly rank: number; readonly reqid: string; readonly what: string; readonly peer?: boolean; readonly why?: string }
  | { readonly kind: 'lease'; readonly rank: number; readonly path: string; readonly what: string }
  /** A rank's life: failed, a recovery state entered, a rejoin step, a message dropped or deferred for a rank not up. */
  | { readonly kind: 'mds'; readonly rank: number; readonly what: string };

export interface Effects {
  messages: Message[];
  /** Trace events, or null when the cluster runs untraced (fuzzing, benchmarks). */
  trace: TraceEvent[] | null;
  /**
   * Inodes an unlink or rename moved (old key, new key), renamed everywhere once the step's
   * rules are done: code that waits on a lock and is woken holds keys, as Ceph holds pointers.
   */
  rekeys: [from: string, to: string][];
}

export interface Ctx {
  readonly cluster: Cluster;
  readonly mds: MDSRank;
  readonly fx: Effects;
}

export function newEffects(traced = true): Effects { return { messages: [], trace: traced ? [] : null, rekeys: [] }; }

/** The inode `from` (and everything under it) is named `to` from the end of this step on. */
export function move_inode(ctx: Ctx, from: string, to: string): void {
  if (from !== to) ctx.fx.rekeys.push([from, to]);
}

export function send(ctx: Ctx, msg: Message): void {
  ctx.fx.messages.push(msg);
  ctx.fx.trace?.push({ kind: 'send', msg });
}

/** Where the trace stands: a Locker line logged with this mark goes before what followed it. */
export function mark(ctx: Ctx): number {
  return ctx.fx.trace?.length ?? -1;
}

/**
 * A Locker log line: the function and the lock as it prints after the function's change.
 * Counted always (lock events), printed only when traced. With `at` (a mark taken where the
 * decision began) the line goes before the messages the decision sent, so the trace reads
 * cause then effect. A `note` says why a counter moves without a request taking or dropping it.
 */
export function log(ctx: Ctx, fn: string, lock: SimpleLock, at = -1, note?: string): void {
  ctx.cluster.stats.lock_events++;
  const fns = ctx.cluster.stats.fns;
  if (fns) fns[fn] = (fns[fn] ?? 0) + 1;
  const trace = ctx.fx.trace;
  if (!trace) return;
  const obj = parentOf(ctx, lock);
  const e: TraceEvent = {
    kind: 'locker', rank: ctx.mds.id, fn, lock: printLock(lock), path: lock.parent, auth: lock.auth, ...(note ? { note } : {}),
    object: obj.kind === 'inode' ? printInode(obj as CInode) : printDentry(obj as CDentry),
  };
  if (at >= 0 && at < trace.length) trace.splice(at, 0, e);
  else trace.push(e);
}

export function mdsEvent(ctx: Ctx, what: string): void {
  ctx.fx.trace?.push({ kind: 'mds', rank: ctx.mds.id, what });
}

export function requestEvent(ctx: Ctx, reqid: string, what: string, peer = false): void {
  ctx.fx.trace?.push({ kind: 'request', rank: ctx.mds.id, reqid, what, ...(peer ? { peer } : {}) });
}

export function parentOf(ctx: Ctx, lock: SimpleLock): MDSCacheObject {
  const o = ctx.mds.objectOf({ path: lock.parent, type: lock.type });
  if (!o) throw new Error(`mds.${ctx.mds.id} has no object ${lock.parent}`);
  return o;
}

/** The parent inode, or null for a dentry lock. */
export function inodeOf(ctx: Ctx, lock: SimpleLock): CInode | null {
  const o = parentOf(ctx, lock);
  return o.kind === 'inode' ? (o as CInode) : null;
}

export function lockOf(ctx: Ctx, ref: LockRef): SimpleLock {
  const l = ctx.mds.lock(ref);
  if (!l) throw new Error(`mds.${ctx.mds.id} has no ${ref.path} lock of type ${ref.type}`);
  return l;
}

export const refOf = (lock: SimpleLock): LockRef => ({ path: lock.parent, type: lock.type });

export function isScatter(lock: SimpleLock): lock is ScatterLock {
  return lock.lt.cls === 'ScatterLock';
}

/**
 * A Ceph assertion that would abort the MDS. The simulator stops the step and reports it:
 * reaching one is a protocol finding, not a simulator error.
 */
export class MDSAssertion extends Error {
  /** What the step had done (and logged) before the abort. */
  trace: TraceEvent[] = [];
  constructor(rank: number, what: string) {
    super(`mds.${rank} would abort: ${what}`);
  }
}

export function assertMds(ctx: Ctx, cond: boolean, what: string): asserts cond {
  if (!cond) throw new MDSAssertion(ctx.mds.id, what);
}

/**
 * Send an MLock action to every replica of the lock's parent (Locker::send_lock_message),
 * but those on a rank not yet back in rejoin: init_gather still counts them.
 */
export function sendToReplicas(ctx: Ctx, lock: SimpleLock, action: number, data: LockData | null = null): void {
  const obj = parentOf(ctx, lock);
  for (const r of obj.replicas) {
    if (!peer_rejoined(ctx, r)) continue;
    send(ctx, { kind: 'lock', from: ctx.mds.id, to: r, action, lockType: lock.type, path: lock.parent, data });
  }
}

/** Send an MLock action to the auth of the lock's parent. */
export function sendToAuth(ctx: Ctx, lock: SimpleLock, action: number, data: LockData | null = null): void {
  const obj = parentOf(ctx, lock);
  send(ctx, { kind: 'lock', from: ctx.mds.id, to: obj.authority, action, lockType: lock.type, path: lock.parent, data });
}
