// A request (MDRequestImpl / MutationImpl) on one rank: the wish list it passes to
// acquire_locks on every retry, and what it holds. A peer request is the auth-side shadow
// of another rank's request (same reqid), created by OP_AUTHPIN / OP_XLOCK / OP_WRLOCK.
import { immerable } from 'immer';
import type { LockOp, LockRef } from './LockOp.js';
import type { ClientOp, ClientRequest } from './ClientRequest.js';
import type { MMDSPeerRequest } from '../messages/MMDSPeerRequest.js';

export type RequestStatus = 'waiting' | 'granted' | 'finished';

/** What a peer prepared for its leader (Server::handle_peer_*_prep) and applies or commits later. */
export interface PeerPrep {
  readonly op: 'link' | 'unlink' | 'rmdir' | 'rename';
  /** Whether the prepare was journaled (EPeerUpdate): then the commit is journaled too. */
  journaled: boolean;
  /** Where the prepare is: waiting for notify acks or its journal, applied and acked, committing. */
  phase: 'preparing' | 'prepared' | 'committing';
  readonly srcdn?: string;
  readonly destdn?: string;
  readonly straydn?: string | null;
  /** rename: this rank was the srcdn auth of a primary dentry and exports the inode. */
  exporter?: boolean;
}

/** An MDS-internal mutation's kind from its id (`mds.1:writebehind.2`, `mds.0:export.3`, `mds.2:import.1`), or null for a client's request. */
export const mutationKind = (reqid: string): string | null => /^mds\.\d+:(\w+)\./.exec(reqid)?.[1] ?? null;

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
  /** Peer: the object its auth pin froze for the leader (is_freeze_authpin), until prepare freezes it for good. */
  freeze_authpin: string | null = null;
  /** Peer (srcdn auth of a rename): the inode its prepare froze (freeze_inode), until commit. */
  frozen_inode: string | null = null;
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
  /** An internal export request (CEPH_MDS_OP_EXPORTDIR): the directory whose dirfrag it exports. */
  export_dir: string | null = null;
  /** A client op's Server state (null for a lock-list request and for peers). */
  client_request: ClientRequest | null = null;
  /** Peer only: the prepare it made for its leader (a witness), committed or rolled back at OP_FINISH. */
  peer_prep: PeerPrep | null = null;
  /** Leader: rename's extra witnesses (from the srcdn auth) and the inode it exported here. */
  extra_witnesses: number[] = [];
  /** Leader: the object its remote auth pin froze (is_remote_frozen_authpin with rename_inode). */
  remote_frozen: string | null = null;
  /** Peer: the request message being handled, kept to handle again when what it waits for comes (mdr->peer_request). */
  peer_request_msg: MMDSPeerRequest | null = null;
  /** Peer only: client requests for the same reqid that arrived while it was here (more()->waiting_for_finish). */
  waiting_for_finish: { client: number; op: ClientOp; num_fwd: number }[] = [];

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
