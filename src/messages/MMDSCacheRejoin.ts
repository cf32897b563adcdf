// MMDSCacheRejoin (src/messages/MMDSCacheRejoin.h), the part locks read: a recovering rank's
// weak rejoin (the replicas it holds of the receiver's objects), a survivor's strong rejoin
// (its replicas of the recovering rank's objects with their scatterlock states, and the
// auth pins, xlocks and remote wrlocks its requests hold there), and the auth's ack setting
// each replica's lock states. Objects are named by key (`/d/f`, `dentry /d/f`); lock states by
// lock type.
import type { LockRef } from '../request/LockOp.js';

export type RejoinOp = 'weak' | 'strong' | 'ack';

/** One object and lock states by lock type: strong_inodes' filelock/nestlock/dftlock, dn_strong.lock, an ack's inode_locks. */
export interface RejoinObject {
  readonly key: string;
  readonly locks: readonly (readonly [type: number, state: number])[];
}

export interface MMDSCacheRejoin {
  readonly kind: 'rejoin';
  readonly from: number;
  readonly to: number;
  readonly op: RejoinOp;
  /** weak: keys; strong and ack: objects with lock states. */
  readonly objects: readonly RejoinObject[];
  /** strong: authpinned_inodes / authpinned_dentries. */
  readonly authpins?: readonly { readonly reqid: string; readonly key: string }[];
  /** strong: xlocked_inodes / xlocked_dentries. */
  readonly xlocks?: readonly { readonly reqid: string; readonly lock: LockRef }[];
  /** strong: wrlocked_inodes (remote wrlocks). */
  readonly wrlocks?: readonly { readonly reqid: string; readonly lock: LockRef }[];
}
