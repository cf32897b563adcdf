// Lock states: Ceph's `enum` in src/mds/locks.h (values are the enumeration order) and the
// printed names of SimpleLock::get_state_name.

export const LOCK_UNDEF = 0;
export const LOCK_SYNC = 1;
export const LOCK_LOCK = 2;
export const LOCK_PREXLOCK = 3;
export const LOCK_XLOCK = 4;
export const LOCK_XLOCKDONE = 5;
export const LOCK_XLOCKSNAP = 6;
export const LOCK_LOCK_XLOCK = 7;
export const LOCK_SYNC_LOCK = 8;
export const LOCK_LOCK_SYNC = 9;
export const LOCK_EXCL = 10;
export const LOCK_EXCL_SYNC = 11;
export const LOCK_EXCL_LOCK = 12;
export const LOCK_SYNC_EXCL = 13;
export const LOCK_LOCK_EXCL = 14;
export const LOCK_REMOTEXLOCK = 15;
export const LOCK_MIX = 16;
export const LOCK_SYNC_MIX = 17;
export const LOCK_SYNC_MIX2 = 18;
export const LOCK_LOCK_MIX = 19;
export const LOCK_EXCL_MIX = 20;
export const LOCK_MIX_SYNC = 21;
export const LOCK_MIX_SYNC2 = 22;
export const LOCK_MIX_LOCK = 23;
export const LOCK_MIX_LOCK2 = 24;
export const LOCK_MIX_EXCL = 25;
export const LOCK_TSYN = 26;
export const LOCK_TSYN_LOCK = 27;
export const LOCK_TSYN_MIX = 28;
export const LOCK_LOCK_TSYN = 29;
export const LOCK_MIX_TSYN = 30;
export const LOCK_PRE_SCAN = 31;
export const LOCK_SCAN = 32;
export const LOCK_SNAP_SYNC = 33;
export const LOCK_XSYN = 34;
export const LOCK_XSYN_EXCL = 35;
export const LOCK_EXCL_XSYN = 36;
export const LOCK_XSYN_SYNC = 37;
export const LOCK_XSYN_LOCK = 38;
export const LOCK_XSYN_MIX = 39;
export const LOCK_MAX = 40;

/** A value of Ceph's lock-state enum (0 .. LOCK_MAX-1). */
export type LockState = number;

/** C constant names, indexed by state value. */
export const STATE_CONSTANTS: readonly string[] = [
  'LOCK_UNDEF', 'LOCK_SYNC', 'LOCK_LOCK', 'LOCK_PREXLOCK', 'LOCK_XLOCK', 'LOCK_XLOCKDONE',
  'LOCK_XLOCKSNAP', 'LOCK_LOCK_XLOCK', 'LOCK_SYNC_LOCK', 'LOCK_LOCK_SYNC', 'LOCK_EXCL',
  'LOCK_EXCL_SYNC', 'LOCK_EXCL_LOCK', 'LOCK_SYNC_EXCL', 'LOCK_LOCK_EXCL', 'LOCK_REMOTEXLOCK',
  'LOCK_MIX', 'LOCK_SYNC_MIX', 'LOCK_SYNC_MIX2', 'LOCK_LOCK_MIX', 'LOCK_EXCL_MIX',
  'LOCK_MIX_SYNC', 'LOCK_MIX_SYNC2', 'LOCK_MIX_LOCK', 'LOCK_MIX_LOCK2', 'LOCK_MIX_EXCL',
  'LOCK_TSYN', 'LOCK_TSYN_LOCK', 'LOCK_TSYN_MIX', 'LOCK_LOCK_TSYN', 'LOCK_MIX_TSYN',
  'LOCK_PRE_SCAN', 'LOCK_SCAN', 'LOCK_SNAP_SYNC', 'LOCK_XSYN', 'LOCK_XSYN_EXCL',
  'LOCK_EXCL_XSYN', 'LOCK_XSYN_SYNC', 'LOCK_XSYN_LOCK', 'LOCK_XSYN_MIX',
];

/**
 * Printed names (SimpleLock::get_state_name). LOCK_LOCK_MIX has none: Ceph aborts when
 * asked to print it, and no code path enters it.
 */
export const STATE_NAMES: readonly (string | null)[] = [
  'UNDEF', 'sync', 'lock', 'prexlock', 'xlock', 'xlockdone', 'xlocksnap', 'lock->xlock',
  'sync->lock', 'lock->sync', 'excl', 'excl->sync', 'excl->lock', 'sync->excl', 'lock->excl',
  'remote_xlock', 'mix', 'sync->mix', 'sync->mix(2)', null, 'excl->mix', 'mix->sync',
  'mix->sync(2)', 'mix->lock', 'mix->lock(2)', 'mix->excl', 'tsyn', 'tsyn->lock', 'tsyn->mix',
  'lock->tsyn', 'mix->tsyn', '*->scan', 'scan', 'snap->sync', 'xsyn', 'xsyn->excl',
  'excl->xsyn', 'xsyn->sync', 'xsyn->lock', 'xsyn->mix',
];

export function stateName(s: LockState): string {
  const name = STATE_NAMES[s];
  if (name == null) throw new Error(`lock state ${s} has no printed name (Ceph aborts printing it)`);
  return name;
}

const BY_NAME = new Map<string, LockState>();
STATE_NAMES.forEach((n, i) => { if (n != null && i !== LOCK_UNDEF) BY_NAME.set(n, i); });

/** Parse a printed state name (`sync->mix(2)`) back to its value; undefined if unknown. */
export function stateByName(name: string): LockState | undefined {
  return BY_NAME.get(name);
}
