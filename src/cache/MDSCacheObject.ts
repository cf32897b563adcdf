// What CInode and CDentry share (src/mds/mdstypes.h MDSCacheObject): authority, replica map,
// auth pins and the waiter list. One instance is one rank's copy of the object.
import { immerable } from 'immer';
import { lockType } from '../../statemachines/index.js';
import type { SimpleLock } from '../locks/index.js';

/** A parked callback: the request to retry when a waited-for lock event happens. */
export interface Waiter {
  /** The lock type waited on; Ceph stores `mask << wait_shift(type)`. */
  readonly type: number;
  /** Lock-level waiter bits (WAIT_RD, WAIT_WR, WAIT_STABLE ...). */
  readonly mask: number;
  readonly reqid: string;
}

/** Ceph's multimap key order: `mask << wait_shift` compares as (wait_shift, mask). */
function waitKey(w: Waiter): number { return lockType(w.type).waitShift * 16 + w.mask; }

export abstract class MDSCacheObject {
  [immerable] = true;
  abstract readonly kind: 'inode' | 'dentry';
  /** Path name: `/f`, `/d`, or `/d/x` for a dentry. */
  readonly path: string;
  /** Rank that is auth for the object. */
  readonly authority: number;
  /** The rank holding this copy. */
  readonly rank: number;
  /** On the auth: the ranks holding replicas (Ceph's replica_map keys). Empty on a replica. */
  replicas: number[];
  auth_pins = 0;
  waiting: Waiter[] = [];

  constructor(path: string, authority: number, rank: number, replicas: readonly number[]) {
    this.path = path;
    this.authority = authority;
    this.rank = rank;
    this.replicas = rank === authority ? [...replicas].sort((a, b) => a - b) : [];
  }

  is_auth(): boolean { return this.rank === this.authority; }
  is_replicated(): boolean { return this.replicas.length > 0; }
  auth_pin(): void { this.auth_pins++; }
  auth_unpin(): void {
    if (this.auth_pins <= 0) throw new Error(`auth_unpin on ${this.path} with no auth pins`);
    this.auth_pins--;
  }

  abstract locks(): SimpleLock[];
  abstract getLock(type: number): SimpleLock | undefined;

  /** MDSCacheObject::add_waiter: one entry per (shifted mask, callback). */
  add_waiter(type: number, mask: number, reqid: string): void { this.waiting.push({ type, mask, reqid }); }
  is_waiter_for(type: number, mask: number): boolean {
    return this.waiting.some((w) => w.type === type && (w.mask & mask) !== 0);
  }
  /**
   * MDSCacheObject::take_waiting: Ceph keeps waiters in a multimap keyed by mask, so the
   * matching ones come out in ascending mask order, insertion order within one mask.
   */
  take_waiting(type: number, mask: number): Waiter[] {
    const taken: Waiter[] = [];
    const kept: Waiter[] = [];
    for (const w of this.waiting) (w.type === type && (w.mask & mask) !== 0 ? taken : kept).push(w);
    if (taken.length === 0) return taken;
    this.waiting = kept;
    return taken.sort((a, b) => waitKey(a) - waitKey(b));
  }
}
