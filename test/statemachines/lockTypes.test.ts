import { describe, expect, it } from 'vitest';
import {
  LOCK_TYPES, lockType, lockTypeByName, capMask, sm_simplelock, sm_scatterlock, sm_filelock, sm_locallock,
} from '../../statemachines/index.js';

describe('lock types (ceph_fs.h numbering without IQUIESCE)', () => {
  it('has the twelve classic types with Ceph values, names, machine, class, owner, cap shift', () => {
    const rows = LOCK_TYPES.map((t) => [t.type, t.name, t.sm.name, t.cls, t.owner, t.capShift]);
    expect(rows).toEqual([
      [1, 'dn', 'sm_simplelock', 'SimpleLock', 'CDentry', 0],
      [2, 'dversion', 'sm_locallock', 'LocalLock', 'CDentry', 0],
      [16, 'isnap', 'sm_simplelock', 'SimpleLock', 'CInode', 0],
      [32, 'ipolicy', 'sm_simplelock', 'SimpleLock', 'CInode', 0],
      [64, 'ifile', 'sm_filelock', 'ScatterLock', 'CInode', 8],
      [128, 'inest', 'sm_scatterlock', 'ScatterLock', 'CInode', 0],
      [256, 'idft', 'sm_scatterlock', 'ScatterLock', 'CInode', 0],
      [512, 'iauth', 'sm_simplelock', 'SimpleLock', 'CInode', 2],
      [1024, 'ilink', 'sm_simplelock', 'SimpleLock', 'CInode', 4],
      [2048, 'ixattr', 'sm_simplelock', 'SimpleLock', 'CInode', 6],
      [4096, 'iflock', 'sm_simplelock', 'SimpleLock', 'CInode', 0],
      [8192, 'iversion', 'sm_locallock', 'LocalLock', 'CInode', 0],
    ]);
  });

  it('has wait shifts 8 + 4k in Ceph order DN, DVERSION, IAUTH, ILINK, IDFT, IFILE, IVERSION, IXATTR, ISNAP, INEST, IFLOCK, IPOLICY', () => {
    const order = ['dn', 'dversion', 'iauth', 'ilink', 'idft', 'ifile', 'iversion', 'ixattr', 'isnap', 'inest', 'iflock', 'ipolicy'];
    expect(order.map((n) => lockTypeByName(n)!.waitShift)).toEqual(order.map((_, k) => 8 + 4 * k));
  });

  it('maps machines and cap masks', () => {
    expect(lockType(512).sm).toBe(sm_simplelock);
    expect(lockType(128).sm).toBe(sm_scatterlock);
    expect(lockType(64).sm).toBe(sm_filelock);
    expect(lockType(2).sm).toBe(sm_locallock);
    expect(capMask(64)).toBe(255);
    expect(capMask(512)).toBe(3);
    expect(lockTypeByName('ino')).toBeUndefined();
    expect(() => lockType(8)).toThrow(/unknown lock type/);
  });
});
