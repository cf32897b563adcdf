// The twelve classic lock types (include/ceph_fs.h, numbering without IQUIESCE) and how
// SimpleLock.h's LockType classifies them. The numeric value also orders locks of one
// object in acquire_locks (sort_and_merge).
import type { StateMachine } from './machine.js';
import { sm_simplelock } from './sm_simplelock.js';
import { sm_scatterlock } from './sm_scatterlock.js';
import { sm_filelock } from './sm_filelock.js';
import { sm_locallock } from './sm_locallock.js';

export const CEPH_LOCK_DN = 1;
export const CEPH_LOCK_DVERSION = 2;
export const CEPH_LOCK_ISNAP = 16;
export const CEPH_LOCK_IPOLICY = 32;
export const CEPH_LOCK_IFILE = 64;
export const CEPH_LOCK_INEST = 128;
export const CEPH_LOCK_IDFT = 256;
export const CEPH_LOCK_IAUTH = 512;
export const CEPH_LOCK_ILINK = 1024;
export const CEPH_LOCK_IXATTR = 2048;
export const CEPH_LOCK_IFLOCK = 4096;
export const CEPH_LOCK_IVERSION = 8192;

export type LockClass = 'SimpleLock' | 'ScatterLock' | 'LocalLock';

export interface LockType {
  readonly type: number;          // CEPH_LOCK_* value
  readonly name: string;          // get_lock_type_name
  readonly sm: StateMachine;
  readonly cls: LockClass;
  readonly owner: 'CInode' | 'CDentry';
  readonly member: string;        // the C++ member that holds it
  readonly capShift: number;      // 0 = governs no client caps
  readonly waitShift: number;     // SimpleLock::get_wait_shift
}

/**
 * A class instance, not a plain object, on purpose: locks hold a reference to their type, and
 * immer leaves class instances that are not marked immerable alone (no drafting of tables).
 */
class LockTypeDef implements LockType {
  constructor(readonly type: number, readonly name: string, readonly sm: StateMachine, readonly cls: LockClass,
    readonly owner: LockType['owner'], readonly member: string, readonly capShift: number, readonly waitShift: number) {
    Object.freeze(this);
  }
}

function t(type: number, name: string, sm: StateMachine, cls: LockClass, owner: LockType['owner'],
  member: string, capShift: number, waitShift: number): LockType {
  return new LockTypeDef(type, name, sm, cls, owner, member, capShift, waitShift);
}

/** In ascending type value. */
export const LOCK_TYPES: readonly LockType[] = Object.freeze([
  t(CEPH_LOCK_DN, 'dn', sm_simplelock, 'SimpleLock', 'CDentry', 'lock', 0, 8),
  t(CEPH_LOCK_DVERSION, 'dversion', sm_locallock, 'LocalLock', 'CDentry', 'versionlock', 0, 12),
  t(CEPH_LOCK_ISNAP, 'isnap', sm_simplelock, 'SimpleLock', 'CInode', 'snaplock', 0, 40),
  t(CEPH_LOCK_IPOLICY, 'ipolicy', sm_simplelock, 'SimpleLock', 'CInode', 'policylock', 0, 52),
  t(CEPH_LOCK_IFILE, 'ifile', sm_filelock, 'ScatterLock', 'CInode', 'filelock', 8, 28),
  t(CEPH_LOCK_INEST, 'inest', sm_scatterlock, 'ScatterLock', 'CInode', 'nestlock', 0, 44),
  t(CEPH_LOCK_IDFT, 'idft', sm_scatterlock, 'ScatterLock', 'CInode', 'dirfragtreelock', 0, 24),
  t(CEPH_LOCK_IAUTH, 'iauth', sm_simplelock, 'SimpleLock', 'CInode', 'authlock', 2, 16),
  t(CEPH_LOCK_ILINK, 'ilink', sm_simplelock, 'SimpleLock', 'CInode', 'linklock', 4, 20),
  t(CEPH_LOCK_IXATTR, 'ixattr', sm_simplelock, 'SimpleLock', 'CInode', 'xattrlock', 6, 36),
  t(CEPH_LOCK_IFLOCK, 'iflock', sm_simplelock, 'SimpleLock', 'CInode', 'flocklock', 0, 48),
  t(CEPH_LOCK_IVERSION, 'iversion', sm_locallock, 'LocalLock', 'CInode', 'versionlock', 0, 32),
]);

// Indexed by type value: every lock predicate looks its type up, so this is a plain array read.
const BY_VALUE: (LockType | undefined)[] = [];
for (const lt of LOCK_TYPES) BY_VALUE[lt.type] = lt;
const BY_NAME = new Map(LOCK_TYPES.map((lt) => [lt.name, lt]));

export function lockType(type: number): LockType {
  const lt = BY_VALUE[type];
  if (lt === undefined) throw new Error(`unknown lock type ${type}`);
  return lt;
}

/** The same lock type on another machine (a historical table: src/rules/). */
export function withMachine(lt: LockType, sm: StateMachine): LockType {
  return new LockTypeDef(lt.type, lt.name, sm, lt.cls, lt.owner, lt.member, lt.capShift, lt.waitShift);
}

export function lockTypeByName(name: string): LockType | undefined {
  return BY_NAME.get(name);
}

/** get_cap_mask: 8 bits for IFILE, 2 for the other types. */
export function capMask(type: number): number {
  return type === CEPH_LOCK_IFILE ? 255 : 3;
}
