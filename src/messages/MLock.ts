// MLock (src/messages/MLock.h): the lock protocol between an auth and its replicas.
// Negative actions go auth -> replica, positive replica -> auth (locks.h LOCK_AC_*).
export const LOCK_AC_SYNC = -1;
export const LOCK_AC_MIX = -2;
export const LOCK_AC_LOCK = -3;
export const LOCK_AC_LOCKFLUSHED = -4;
export const LOCK_AC_SYNCACK = 1;
export const LOCK_AC_MIXACK = 2;
export const LOCK_AC_LOCKACK = 3;
export const LOCK_AC_REQSCATTER = 7;
export const LOCK_AC_REQUNSCATTER = 8;
export const LOCK_AC_NUDGE = 9;
export const LOCK_AC_REQRDLOCK = 10;

const ACTION_NAMES: Record<number, string> = {
  [LOCK_AC_SYNC]: 'sync', [LOCK_AC_MIX]: 'mix', [LOCK_AC_LOCK]: 'lock', [LOCK_AC_LOCKFLUSHED]: 'lockflushed',
  [LOCK_AC_SYNCACK]: 'syncack', [LOCK_AC_MIXACK]: 'mixack', [LOCK_AC_LOCKACK]: 'lockack',
  [LOCK_AC_REQSCATTER]: 'reqscatter', [LOCK_AC_REQUNSCATTER]: 'requnscatter', [LOCK_AC_NUDGE]: 'nudge',
  [LOCK_AC_REQRDLOCK]: 'reqrdlock',
};

/** SimpleLock::get_lock_action_name; `???` for an unknown value, as in Ceph. */
export function lockActionName(a: number): string { return ACTION_NAMES[a] ?? '???'; }
export const LOCK_ACTION_NAMES: readonly string[] = Object.values(ACTION_NAMES);
export function lockActionByName(name: string): number | undefined {
  const hit = Object.entries(ACTION_NAMES).find(([, n]) => n === name);
  return hit ? Number(hit[0]) : undefined;
}

/**
 * The `lockdata` payload, reduced to what the simulator tracks: the scattered counter a
 * replica hands back (SYNCACK/LOCKACK) or the auth's folded value (SYNC/MIX with data).
 */
export interface LockData {
  /** The sender's copy was dirty or flushing (it carries un-gathered updates). */
  readonly dirty: boolean;
  /** Updates carried to the auth. */
  readonly pending: number;
  /** The auth's folded value (auth -> replica). */
  readonly value: number;
  /** Replica -> auth: the sender is the auth of the directory's dirfrag, and reports its stats. */
  readonly frag?: boolean;
}

export interface MLock {
  readonly kind: 'lock';
  readonly from: number;
  readonly to: number;
  readonly action: number;
  readonly lockType: number;
  /** object_info, as the object's path. */
  readonly path: string;
  readonly data: LockData | null;
}
