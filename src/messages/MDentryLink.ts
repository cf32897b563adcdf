// MDentryLink and MDentryUnlink (src/messages/): after a namespace change is journaled, the
// auth tells the ranks replicating the dentry (MDCache::send_dentry_link / send_dentry_unlink).
// A primary link carries a replica of the inode with its locks' states; an unlink of a primary
// dentry carries the stray dentry the inode moved to.
import type { LockState } from '../../statemachines/index.js';

/** An inode replica as encode_replica_inode sends it: what a new replica copy is built from. */
export interface InodeReplica {
  readonly key: string;
  readonly ino: number;
  readonly is_dir: boolean;
  readonly authority: number;
  /** The auth's lock states by lock type (the replica takes each state's replica_state). */
  readonly states: readonly (readonly [type: number, state: LockState])[];
}

export interface MDentryLink {
  readonly kind: 'dentry_link';
  readonly from: number;
  readonly to: number;
  /** The dentry's path. */
  readonly path: string;
  /** The linked inode's key; a primary link carries its replica. */
  readonly inode: string;
  readonly remote: boolean;
  readonly replica: InodeReplica | null;
}

/** encode_replica_stray, reduced: the stray directory inode and the stray dentry's lock state. */
export interface StrayReplica {
  readonly dir: InodeReplica;
  readonly dnState: LockState;
}

export interface MDentryUnlink {
  readonly kind: 'dentry_unlink';
  readonly from: number;
  readonly to: number;
  readonly path: string;
  /** For a primary dentry: where the inode now lives (the stray dentry, auth on the sender). */
  readonly straydn: string | null;
  readonly stray: StrayReplica | null;
}
