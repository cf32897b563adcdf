// One MDS rank: its cache (copies of inodes and dentries, auth or replica) and its requests.
import { immerable } from 'immer';
import { CEPH_LOCK_DN, CEPH_LOCK_DVERSION } from '../../statemachines/index.js';
import type { CInode } from '../cache/CInode.js';
import type { CDentry } from '../cache/CDentry.js';
import type { CDir } from '../cache/CDir.js';
import type { MDSCacheObject } from '../cache/MDSCacheObject.js';
import type { SimpleLock } from '../locks/index.js';
import type { MDRequest } from '../request/MDRequest.js';
import type { LockRef } from '../request/LockOp.js';
import type { Message } from '../messages/index.js';
import type { ExportState, ImportState } from '../migration/state.js';

export class MDSRank {
  [immerable] = true;
  readonly id: number;
  inodes: Record<string, CInode> = {};
  dentries: Record<string, CDentry> = {};
  /** Directory fragments open on this rank, by the directory's path. */
  dirfrags: Record<string, CDir> = {};
  /** Leader and peer requests on this rank, by reqid. */
  requests: Record<string, MDRequest> = {};
  /**
   * Locker::updated_scatterlocks: dirty scatterlocks awaiting scatter_tick, oldest first. Keyed
   * `<type> <path>`; string keys keep insertion order, so re-marking (delete, add) moves a lock
   * to the back as Ceph's xlist does, in O(1).
   */
  updated_scatterlocks: Record<string, LockRef> = {};
  /** Discovers in flight from this rank (MDCache's discover waiters): what, and the requests to retry on the reply. */
  discovering: Record<string, { base: string; name: string | null; ino: boolean; path_locked: boolean; reqids: string[] }> = {};
  /** Requests waiting until everything journaled so far is safe (MDLog::wait_for_safe). */
  safe_waiters: string[] = [];
  /** Counter for internal mutation ids (write-behinds). */
  next_mutation = 1;
  /** MDSRank::waiting_for_active_peer: requests to retry when a peer rank is back (clientreplay or active), by rank. */
  waiting_for_active_peer: Record<number, string[]> = {};
  /** Requests to retry when no rank is degraded (wait_for_cluster_recovered). */
  waiting_for_cluster_recovered: string[] = [];
  /** On a recovering rank: messages it cannot take before it is active (waiting_for_replay, waiting_for_active). */
  waiting_for_active: Message[] = [];
  /** Rejoin (MDCache): ranks whose strong rejoin (recovering) or ack (any) is awaited; ranks rejoins were sent to. */
  rejoin_gather: number[] = [];
  rejoin_ack_gather: number[] = [];
  rejoin_sent: number[] = [];
  /** Recovering: its rejoin is done and it asked the monitor for active (MDSRank::rejoin_done). */
  rejoin_done = false;
  /** Recovering: replica scatterlocks the acks left unstable, evaluated once every rejoin is in. */
  rejoin_eval_locks: LockRef[] = [];
  /** Migrator::export_state and import_state, by the exported directory. */
  exports: Record<string, ExportState> = {};
  imports: Record<string, ImportState> = {};

  constructor(id: number) { this.id = id; }

  /** Every copy cached here: the inodes, then the dentries. */
  objects(): MDSCacheObject[] {
    return [...Object.values(this.inodes), ...Object.values(this.dentries)];
  }

  /** By object key (objectKey): `/d/x` is the inode, `dentry /d/x` the dentry. */
  object(key: string): MDSCacheObject | undefined {
    return key.startsWith('dentry ') ? this.dentries[key.slice(7)] : this.inodes[key];
  }

  /** The object carrying a lock: the lock type says whether it is a dentry or an inode. */
  objectOf(ref: LockRef): MDSCacheObject | undefined {
    return ref.type === CEPH_LOCK_DN || ref.type === CEPH_LOCK_DVERSION ? this.dentries[ref.path] : this.inodes[ref.path];
  }

  lock(ref: LockRef): SimpleLock | undefined {
    return this.objectOf(ref)?.getLock(ref.type);
  }
}
