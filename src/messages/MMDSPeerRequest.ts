// MMDSPeerRequest (src/messages/MMDSPeerRequest.h): leader <-> peer requests on behalf of one
// client request (same reqid on both ranks): remote auth pins, xlocks and wrlocks, and the
// prepares of link, unlink, rmdir and rename that make a peer a witness.
import type { LockData } from './MLock.js';
import type { InodeReplica, StrayReplica } from './MDentryLink.js';

export const OP_XLOCK = 1;
export const OP_XLOCKACK = -1;
export const OP_UNXLOCK = 2;
export const OP_AUTHPIN = 3;
export const OP_AUTHPINACK = -3;
export const OP_LINKPREP = 4;
export const OP_LINKPREPACK = -4;
export const OP_UNLINKPREP = 5;
export const OP_RENAMEPREP = 7;
export const OP_RENAMEPREPACK = -7;
export const OP_WRLOCK = 8;
export const OP_WRLOCKACK = -8;
export const OP_UNWRLOCK = 9;
export const OP_RMDIRPREP = 10;
export const OP_RMDIRPREPACK = -10;
export const OP_DROPLOCKS = 11;
export const OP_RENAMENOTIFY = 12;
export const OP_RENAMENOTIFYACK = -12;
export const OP_FINISH = 17;
export const OP_COMMITTED = -18;

const OP_NAMES: Record<number, string> = {
  [OP_XLOCK]: 'xlock', [OP_XLOCKACK]: 'xlock_ack', [OP_UNXLOCK]: 'unxlock', [OP_AUTHPIN]: 'authpin',
  [OP_AUTHPINACK]: 'authpin_ack', [OP_WRLOCK]: 'wrlock', [OP_WRLOCKACK]: 'wrlock_ack',
  [OP_UNWRLOCK]: 'unwrlock', [OP_DROPLOCKS]: 'drop_locks', [OP_FINISH]: 'finish',
  [OP_LINKPREP]: 'link_prep', [OP_LINKPREPACK]: 'link_prep_ack', [OP_UNLINKPREP]: 'unlink_prep',
  [OP_RENAMEPREP]: 'rename_prep', [OP_RENAMEPREPACK]: 'rename_prep_ack', [OP_RMDIRPREP]: 'rmdir_prep',
  [OP_RMDIRPREPACK]: 'rmdir_prep_ack', [OP_RENAMENOTIFY]: 'rename_notify', [OP_RENAMENOTIFYACK]: 'rename_notify_ack',
  [OP_COMMITTED]: 'committed',
};

export function peerOpName(op: number): string { return OP_NAMES[op] ?? '???'; }
export const PEER_OP_NAMES: readonly string[] = Object.values(OP_NAMES);

export interface MMDSPeerRequest {
  readonly kind: 'peer';
  readonly from: number;
  readonly to: number;
  readonly op: number;
  readonly reqid: string;
  /** OP_XLOCK/OP_WRLOCK/OP_UNXLOCK/OP_UNWRLOCK and their acks: the lock. */
  readonly lockType?: number;
  readonly path?: string;
  /** OP_AUTHPIN / OP_AUTHPINACK: the objects. */
  readonly objects?: readonly string[];
  /** OP_AUTHPIN: the object to freeze_auth_pin (a rename's inode); OP_AUTHPINACK: the one frozen. */
  readonly authpin_freeze?: string;
  /** OP_AUTHPIN from a leader holding locks (NOTIFYBLOCKING); OP_AUTHPINACK: the pin is blocked (REQBLOCKED). */
  readonly notify_blocking?: boolean;
  readonly blocked?: boolean;
  /** OP_XLOCKACK: the lock state for the leader's copy. */
  readonly data?: LockData | null;
  /** Prepares: the dentries involved (rename's source and destination, rmdir's dentry) and the stray dentry. */
  readonly srcdn?: string;
  readonly destdn?: string;
  readonly straydn?: string | null;
  /** Prepares: the stray dentry's replica for the peer (encode_replica_stray). */
  readonly stray?: StrayReplica | null;
  /** OP_RENAMEPREP: the leader's witness list; OP_RENAMEPREPACK: the srcdn auth's replicas, when more must witness. */
  readonly witnesses?: readonly number[];
  /** Prepare acks: whether the peer journaled its prepare (EPeerUpdate), which rules out an early reply. */
  readonly journaled?: boolean;
  /** OP_RENAMEPREPACK from the srcdn auth: the renamed inode, exported to the leader with its auth lock states. */
  readonly inode_export?: InodeReplica & { readonly replicas: readonly number[] };
}
