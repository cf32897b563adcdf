import { describe, expect, it } from 'vitest';
import { CEPH_LOCK_IAUTH, CEPH_LOCK_IFILE, LOCK_EXCL, LOCK_LOCK, LOCK_SYNC, LOCK_MIX, CEPH_LOCK_INEST } from '../statemachines/index.js';
import { CInode } from '../src/cache/CInode.js';
import { CDentry } from '../src/cache/CDentry.js';
import { LocalLock, ScatterLock, SimpleLock } from '../src/locks/index.js';

describe('CInode and CDentry carry their locks as Ceph constructs them', () => {
  it('an inode has ten locks in member order, with Ceph classes and initial states', () => {
    const i = new CInode({ path: '/f', ino: 0x10000000001, is_dir: false, authority: 0, rank: 0, replicas: [2, 1] });
    expect(i.locks().map((l) => l.lt.name)).toEqual(['iversion', 'iauth', 'ilink', 'idft', 'ifile', 'ixattr', 'isnap', 'inest', 'iflock', 'ipolicy']);
    expect(i.locks().map((l) => l.state)).toEqual([LOCK_LOCK, ...Array(9).fill(LOCK_SYNC)]);
    expect(i.versionlock).toBeInstanceOf(LocalLock);
    expect(i.filelock).toBeInstanceOf(ScatterLock);
    expect(i.nestlock).toBeInstanceOf(ScatterLock);
    expect(i.authlock).toBeInstanceOf(SimpleLock);
    expect(i.replicas).toEqual([1, 2]);
    expect(i.is_auth() && i.is_replicated()).toBe(true);
    expect(i.carries(CEPH_LOCK_INEST)).toBe(false);
  });

  it('a replica copy starts in the replica_state of the auth state', () => {
    const authStates = new Map([[CEPH_LOCK_IAUTH, LOCK_EXCL], [CEPH_LOCK_IFILE, LOCK_MIX]]);
    const auth = new CInode({ path: '/f', ino: 2, is_dir: false, authority: 0, rank: 0, replicas: [1], authStates });
    const rep = new CInode({ path: '/f', ino: 2, is_dir: false, authority: 0, rank: 1, replicas: [1], authStates });
    expect([auth.authlock.state, rep.authlock.state]).toEqual([LOCK_EXCL, LOCK_LOCK]);
    expect([auth.filelock.state, rep.filelock.state]).toEqual([LOCK_MIX, LOCK_MIX]);
    expect(rep.is_auth()).toBe(false);
    expect(rep.authlock.can_rdlock(-1)).toBe(false);
    expect(rep.replicas).toEqual([]);
  });

  it('a dentry has dn then dversion', () => {
    const d = new CDentry({ path: '/d/x', authority: 0, rank: 0, replicas: [1] });
    expect(d.locks().map((l) => [l.lt.name, l.state])).toEqual([['dn', LOCK_SYNC], ['dversion', LOCK_LOCK]]);
  });

  it('take_waiting returns the matching waiters of that lock in registration order', () => {
    const i = new CInode({ path: '/f', ino: 2, is_dir: false, authority: 0, rank: 0, replicas: [] });
    i.add_waiter({ type: CEPH_LOCK_IFILE, mask: 4, reqid: 'a' });
    i.add_waiter({ type: CEPH_LOCK_IAUTH, mask: 4, reqid: 'b' });
    i.add_waiter({ type: CEPH_LOCK_IAUTH, mask: 1, reqid: 'c' });
    i.add_waiter({ type: CEPH_LOCK_IAUTH, mask: 2, reqid: 'd' });
    expect(i.take_waiting(CEPH_LOCK_IAUTH, 5).map((w) => w.reqid)).toEqual(['b', 'c']);
    expect(i.waiting.map((w) => w.reqid)).toEqual(['a', 'd']);
    expect(i.is_waiter_for(CEPH_LOCK_IAUTH, 2)).toBe(true);
  });
});
