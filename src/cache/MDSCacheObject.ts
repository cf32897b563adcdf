// What CInode and CDentry share (src/mds/mdstypes.h MDSCacheObject): authority, replica map,
// auth pins and the waiter list. One instance is one rank's copy of the object.
import { immerable } from 'immer';
import type { SimpleLock } from '../locks/index.js';
import type { MClientCaps, MDiscover, MLock } from '../messages/index.js';

/**
 * A parked callback: the request to retry (C_MDS_RetryRequest) or the message to handle
 * again (handle_reqrdlock's C_MDS_RetryMessage) when a waited-for lock event happens.
 */
export interface Waiter {
  /** The lock type waited on; Ceph stores `mask << wait_shift(type)`. */
  readonly type: number;
  /** Lock-level waiter bits (WAIT_RD, WAIT_WR, WAIT_STABLE ...). */
  readonly mask: number;
  readonly reqid?: string;
  readonly msg?: MLock | MDiscover | MClientCaps;
}

/** The `type` of a waiter on the object itself rather than on one of its locks. */
export const OBJECT_WAIT = 0;

/**
 * How an object is named across ranks: an inode by its path, a dentry as `dentry <path>` (the
 * dentry `/d/x` and the inode it links share a path but are different objects).
 */
export function objectKey(kind: 'inode' | 'dentry', path: string): string {
  return kind === 'dentry' ? `dentry ${path}` : path;
}

export abstract class MDSCacheObject {
  [immerable] = true;
  abstract readonly kind: 'inode' | 'dentry';
  /** Path name: `/f`, `/d`, or `/d/x` for a dentry. Changes only when a rename moves it (rekey.ts). */
  path: string;
  /** Rank that is auth for the object (changes only when a rename moves an inode's auth). */
  authority: number;
  /** The rank holding this copy. */
  readonly rank: number;
  /** On the auth: the ranks holding replicas (Ceph's replica_map keys). Empty on a replica. */
  replicas: number[];
  auth_pins = 0;
  waiting: Waiter[] = [];
  /** The request that froze the object (freeze_auth_pin, freeze_inode): nobody else may auth-pin it. */
  frozen_by: string | null = null;
  /**
   * A subtree freeze covering it (CDir::freeze_tree, for an export): freezing until the
   * subtree's auth pins are gone, then frozen; no new auth pin either way, and no lock eval.
   */
  freeze_tree: 'freezing' | 'frozen' | null = null;
  /** Its auth is moving (a rename or an export in flight): requests wait before pinning it remotely. */
  ambiguous_auth = false;
  /** STATE_REJOINING: a replica whose auth is recovering, from its rejoin until the auth's ack. */
  rejoining = false;

  constructor(path: string, authority: number, rank: number, replicas: readonly number[]) {
    this.path = path;
    this.authority = authority;
    this.rank = rank;
    this.replicas = rank === authority ? [...replicas].sort((a, b) => a - b) : [];
  }

  get key(): string { return objectKey(this.kind, this.path); }
  is_auth(): boolean { return this.rank === this.authority; }
  /** MDSCacheObject::can_auth_pin, for this request (frozen objects take pins only from the freezer; a freezing or frozen tree from nobody). */
  can_auth_pin(reqid: string): boolean { return this.freeze_tree === null && (this.frozen_by === null || this.frozen_by === reqid); }
  is_replicated(): boolean { return this.replicas.length > 0; }
  auth_pin(): void { this.auth_pins++; }
  auth_unpin(): void {
    if (this.auth_pins <= 0) throw new Error(`auth_unpin on ${this.path} with no auth pins`);
    this.auth_pins--;
  }

  abstract locks(): SimpleLock[];
  abstract getLock(type: number): SimpleLock | undefined;

  /** MDSCacheObject::add_waiter: one entry per (shifted mask, callback). */
  add_waiter(w: Waiter): void { this.waiting.push(w); }
  is_waiter_for(type: number, mask: number): boolean {
    return this.waiting.some((w) => w.type === type && (w.mask & mask) !== 0);
  }
  /**
   * MDSCacheObject::take_waiting. Lock waiters are registered "ordered" in current Ceph, so
   * the matching ones come out in registration order.
   */
  take_waiting(type: number, mask: number): Waiter[] {
    const taken: Waiter[] = [];
    const kept: Waiter[] = [];
    for (const w of this.waiting) (w.type === type && (w.mask & mask) !== 0 ? taken : kept).push(w);
    if (taken.length > 0) this.waiting = kept;
    return taken;
  }
}
