// A request (MDRequestImpl / MutationImpl) on one rank: the wish list it passes to
// acquire_locks on every retry, and what it holds. A peer request is the auth-side shadow
// of another rank's request (same reqid), created by OP_AUTHPIN / OP_XLOCK / OP_WRLOCK.
import { immerable } from 'immer';
import type { LockOp, LockRef } from './LockOp.js';

export type RequestStatus = 'waiting' | 'granted' | 'finished';

export class MDRequest {
  [immerable] = true;
  readonly reqid: string;
  /** Client id of the request; -1 for MDS-internal mutations. */
  readonly client: number;
  /** The rank it runs on. */
  readonly rank: number;
  /** Set for a peer request: the leader's rank. */
  readonly peer_to: number;
  /** The LockOpVec given to acquire_locks (the leader's wish list; for a peer, rebuilt per op). */
  wanted: LockOp[];
  /** Held locks (MutationImpl::locks). */
  locks: LockOp[] = [];
  /** The lock being acquired by a multi-step path (start_locking). */
  locking: LockRef | null = null;
  locking_target_mds = -1;
  /** Objects auth-pinned by this request on this rank, by object key. */
  auth_pins: string[] = [];
  /** Objects auth-pinned for it on other ranks: object key -> rank. */
  remote_auth_pins: Record<string, number> = {};
  /** Ranks holding peer requests of this request. */
  peers: number[] = [];
  /** Ranks whose peer reply it waits for. */
  waiting_on_peer: number[] = [];
  /** Peer request only: the op being served (OP_XLOCK/OP_WRLOCK on a lock), acked when acquired. */
  peer_op: { op: number; lock: LockRef } | null = null;
  status: RequestStatus = 'waiting';
  /** Killed while it waited for a peer reply: finished when the reply comes (MDCache::request_kill). */
  aborted = false;
  /** Whether it has sent its early reply (set_xlocks_done). */
  early_replied = false;
  /** Times acquire_locks ran (Ceph's retry counter + 1). */
  attempts = 0;

  constructor(reqid: string, client: number, rank: number, wanted: LockOp[], peer_to = -1) {
    this.reqid = reqid;
    this.client = client;
    this.rank = rank;
    this.wanted = wanted;
    this.peer_to = peer_to;
  }

  is_peer(): boolean { return this.peer_to >= 0; }
  is_leader(): boolean { return this.peer_to < 0; }

  findHeld(lock: LockRef): LockOp | undefined {
    return this.locks.find((o) => o.lock.path === lock.path && o.lock.type === lock.type);
  }
  isHeld(lock: LockRef, flag: number): boolean { return ((this.findHeld(lock)?.flags ?? 0) & flag) !== 0; }
  /** MutationImpl::emplace_lock: record a hold (OR into an existing entry). */
  addHeld(lock: LockRef, flag: number, target = -1): void {
    const h = this.findHeld(lock);
    if (h) { h.flags |= flag; if (target >= 0) h.wrlock_target = target; }
    else this.locks.push({ lock, flags: flag, wrlock_target: target });
  }
  /** Clear flags of a hold; forget it when none remain. */
  removeHeld(lock: LockRef, flag: number): void {
    const i = this.locks.findIndex((o) => o.lock.path === lock.path && o.lock.type === lock.type);
    if (i < 0) return;
    this.locks[i].flags &= ~flag;
    if (this.locks[i].flags === 0) this.locks.splice(i, 1);
  }
}
