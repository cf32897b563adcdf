// One MDS rank: its cache (copies of inodes and dentries, auth or replica) and its requests.
import { immerable } from 'immer';
import type { CInode } from '../cache/CInode.js';
import type { CDentry } from '../cache/CDentry.js';
import type { MDSCacheObject } from '../cache/MDSCacheObject.js';
import type { SimpleLock } from '../locks/index.js';
import type { MDRequest } from '../request/MDRequest.js';
import type { LockRef } from '../request/LockOp.js';

export class MDSRank {
  [immerable] = true;
  readonly id: number;
  inodes: Record<string, CInode> = {};
  dentries: Record<string, CDentry> = {};
  /** Leader and peer requests on this rank, by reqid. */
  requests: Record<string, MDRequest> = {};
  /** Locker::updated_scatterlocks: dirty scatterlocks awaiting scatter_tick, oldest first. */
  updated_scatterlocks: LockRef[] = [];
  /** Counter for internal mutation ids (write-behinds). */
  next_mutation = 1;

  constructor(id: number) { this.id = id; }

  object(path: string): MDSCacheObject | undefined {
    return this.inodes[path] ?? this.dentries[path];
  }

  lock(ref: LockRef): SimpleLock | undefined {
    return this.object(ref.path)?.getLock(ref.type);
  }
}
