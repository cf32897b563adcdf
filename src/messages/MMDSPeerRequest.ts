// MMDSPeerRequest (src/messages/MMDSPeerRequest.h): leader <-> auth requests for remote
// auth pins, xlocks and wrlocks on behalf of one client request (same reqid on both ranks).
import type { LockData } from './MLock.js';

export const OP_XLOCK = 1;
export const OP_XLOCKACK = -1;
export const OP_UNXLOCK = 2;
export const OP_AUTHPIN = 3;
export const OP_AUTHPINACK = -3;
export const OP_WRLOCK = 8;
export const OP_WRLOCKACK = -8;
export const OP_UNWRLOCK = 9;
export const OP_DROPLOCKS = 11;
export const OP_FINISH = 17;

const OP_NAMES: Record<number, string> = {
  [OP_XLOCK]: 'xlock', [OP_XLOCKACK]: 'xlock_ack', [OP_UNXLOCK]: 'unxlock', [OP_AUTHPIN]: 'authpin',
  [OP_AUTHPINACK]: 'authpin_ack', [OP_WRLOCK]: 'wrlock', [OP_WRLOCKACK]: 'wrlock_ack',
  [OP_UNWRLOCK]: 'unwrlock', [OP_DROPLOCKS]: 'drop_locks', [OP_FINISH]: 'finish',
};

export function peerOpName(op: number): string { return OP_NAMES[op] ?? '???'; }

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
  /** OP_XLOCKACK: the lock state for the leader's copy. */
  readonly data?: LockData | null;
}
