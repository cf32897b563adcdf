import { describe, expect, it } from 'vitest';
import {
  CEPH_LOCK_IAUTH, CEPH_LOCK_IFILE, CEPH_LOCK_INEST, CEPH_LOCK_DN, CEPH_LOCK_IVERSION,
  LOCK_SYNC, LOCK_LOCK, LOCK_EXCL, LOCK_XLOCKDONE, LOCK_LOCK_SYNC, LOCK_MIX, LOCK_SYNC_EXCL,
  LOCK_MIX_SYNC2, LOCK_XLOCK, LOCK_PREXLOCK, LOCK_XSYN, LOCK_SYNC_LOCK, LOCK_EXCL_SYNC,
  CEPH_CAP_GSHARED as S, CEPH_CAP_GEXCL as X, CEPH_CAP_GCACHE as C, CEPH_CAP_GRD as R,
  CEPH_CAP_GBUFFER as B, CEPH_CAP_GLAZYIO as L,
} from '../../statemachines/index.js';
import {
  SimpleLock, ScatterLock, LocalLock, createLock, CAP_ANY, CAP_LONER, CAP_XLOCKER, LEASED,
  DIRTY, FLUSHING, FLUSHED,
} from '../../src/locks/index.js';

const lock = (type: number, auth: boolean, state: number) => {
  const l = createLock(type, auth);
  l.state = state;
  return l;
};

describe('stability and row lookups', () => {
  it('is_stable follows next, and a state without a row is stable (zero row)', () => {
    expect(lock(CEPH_LOCK_IAUTH, true, LOCK_SYNC).is_stable()).toBe(true);
    expect(lock(CEPH_LOCK_IAUTH, true, LOCK_SYNC_LOCK).is_stable()).toBe(false);
    expect(lock(CEPH_LOCK_IAUTH, true, LOCK_SYNC_LOCK).get_next_state()).toBe(LOCK_LOCK);
    // Quirk Q3: no MIX_SYNC2 row in sm_scatterlock, so a replica parked there is "stable".
    const nest = lock(CEPH_LOCK_INEST, false, LOCK_MIX_SYNC2);
    expect(nest.is_stable()).toBe(true);
    expect(nest.can_rdlock(-1)).toBe(false);
    expect(lock(CEPH_LOCK_IFILE, false, LOCK_MIX_SYNC2).is_stable()).toBe(false);
  });

  it('get_replica_state and is_loner_mode read the current row', () => {
    expect(lock(CEPH_LOCK_IAUTH, true, LOCK_EXCL).get_replica_state()).toBe(LOCK_LOCK);
    expect(lock(CEPH_LOCK_IAUTH, true, LOCK_SYNC).get_replica_state()).toBe(LOCK_SYNC);
    expect(lock(CEPH_LOCK_IAUTH, true, LOCK_EXCL).is_loner_mode()).toBe(true);
    expect(lock(CEPH_LOCK_IAUTH, true, LOCK_LOCK).is_loner_mode()).toBe(false);
  });
});

describe('permission codes on auth and replica copies', () => {
  it('ANY allows both copies, AUTH only the auth, REQ never', () => {
    for (const auth of [true, false]) expect(lock(CEPH_LOCK_IAUTH, auth, LOCK_SYNC).can_rdlock(-1)).toBe(true);
    expect(lock(CEPH_LOCK_IAUTH, true, LOCK_LOCK).can_read(-1)).toBe(true);   // AUTH
    expect(lock(CEPH_LOCK_IAUTH, false, LOCK_LOCK).can_read(-1)).toBe(false);
    expect(lock(CEPH_LOCK_IAUTH, true, LOCK_LOCK).can_rdlock(4101)).toBe(false); // REQ
    expect(lock(CEPH_LOCK_IAUTH, true, LOCK_LOCK).req_rdlock_from_auth()).toBe(true);
    expect(lock(CEPH_LOCK_IFILE, true, LOCK_LOCK).can_wrlock(-1)).toBe(true);  // AUTH
    expect(lock(CEPH_LOCK_IFILE, false, LOCK_LOCK).can_wrlock(-1)).toBe(false);
    expect(lock(CEPH_LOCK_IFILE, false, LOCK_MIX).can_wrlock(-1)).toBe(true);  // ANY
    expect(lock(CEPH_LOCK_IFILE, false, LOCK_MIX).can_lease(-1)).toBe(false);
    expect(lock(CEPH_LOCK_DN, false, LOCK_SYNC).can_lease(4103)).toBe(true);
  });

  it('XCL admits only the xlocking client for read/rdlock/lease/xlock, whatever the copy', () => {
    for (const auth of [true, false]) {
      const l = lock(CEPH_LOCK_DN, auth, LOCK_XLOCKDONE);
      l.xlock_by_client = 4101;
      expect([l.can_read(4101), l.can_rdlock(4101), l.can_lease(4101), l.can_read_projected(4101)]).toEqual([true, true, true, true]);
      expect([l.can_read(4102), l.can_rdlock(4102), l.can_lease(4102)]).toEqual([false, false, false]);
      expect(l.can_rdlock(-1)).toBe(false); // client must be >= 0
      l.excl_client = 4102;
      expect(l.can_rdlock(4102)).toBe(false); // excl_client does not count for rdlock
    }
    const lx = lock(CEPH_LOCK_IAUTH, true, LOCK_PREXLOCK);
    expect(lx.can_xlock(-1)).toBe(true); // ANY
  });

  it('XCL for can_wrlock / can_force_wrlock also admits the loner (excl_client)', () => {
    const l = lock(CEPH_LOCK_IAUTH, true, LOCK_EXCL);
    l.excl_client = 4101;
    expect(l.can_wrlock(4101)).toBe(true);
    expect(l.can_wrlock(4102)).toBe(false);
    l.xlock_by_client = 4102;
    expect(l.can_wrlock(4102)).toBe(true);
    const f = lock(CEPH_LOCK_IAUTH, false, LOCK_EXCL_SYNC);
    f.excl_client = 4101;
    expect(f.can_force_wrlock(4101)).toBe(true);
    expect(f.can_force_wrlock(4103)).toBe(false);
  });

  it('can_read_projected is AUTH in filelock xsyn', () => {
    expect(lock(CEPH_LOCK_IFILE, true, LOCK_XSYN).can_read_projected(-1)).toBe(true);
    expect(lock(CEPH_LOCK_IFILE, false, LOCK_XSYN).can_read_projected(-1)).toBe(false);
  });
});

describe('counters and xlock bookkeeping', () => {
  it('counts holds; is_locked ignores leases; is_sync_and_unlocked', () => {
    const l = new SimpleLock(CEPH_LOCK_IAUTH, true);
    expect(l.is_sync_and_unlocked()).toBe(true);
    l.get_client_lease();
    expect(l.is_leased()).toBe(true);
    expect(l.is_locked()).toBe(false);
    expect(l.is_sync_and_unlocked()).toBe(false);
    l.put_client_lease();
    l.get_rdlock(); l.get_rdlock();
    expect(l.num_rdlock).toBe(2);
    expect(l.is_locked()).toBe(true);
    l.put_rdlock(); l.put_rdlock();
    expect(() => l.put_rdlock()).toThrow();
    l.state = LOCK_SYNC_LOCK;
    l.get_wrlock(true);
    expect(l.is_unstable_and_locked()).toBe(true);
  });

  it('get_xlock / set_xlock_done / put_xlock keep xlock_by_client until the count reaches 0', () => {
    const l = lock(CEPH_LOCK_IAUTH, true, LOCK_XLOCK);
    l.get_xlock('client.4101:12', 4101);
    expect([l.num_xlock, l.xlock_by, l.xlock_by_client]).toEqual([1, 'client.4101:12', 4101]);
    expect(() => l.get_xlock('client.4102:1', 4102)).toThrow(/already xlocked/);
    l.set_xlock_done();
    expect([l.state, l.xlock_by, l.xlock_by_client]).toEqual([LOCK_XLOCKDONE, null, 4101]);
    l.put_xlock();
    expect([l.num_xlock, l.xlock_by_client]).toEqual([0, -1]);
    expect(() => lock(CEPH_LOCK_IAUTH, true, LOCK_SYNC_LOCK).get_xlock('r', 1)).toThrow();
  });

  it('gather set is a set of ranks, printed ascending', () => {
    const l = new SimpleLock(CEPH_LOCK_IAUTH, true);
    l.init_gather([2, 1]);
    expect(l.gather_ranks()).toEqual([1, 2]);
    expect(l.is_gathering(2)).toBe(true);
    l.remove_gather(2);
    expect(l.gather_ranks()).toEqual([1]);
    l.clear_gather();
    expect(l.is_gathering()).toBe(false);
  });
});

describe('caps allowed (gcaps_allowed, careful, xlocker mask)', () => {
  it('auth: loner mode gives non-loner clients only caps; loner gets loner_caps|caps', () => {
    const f = lock(CEPH_LOCK_IFILE, true, LOCK_EXCL);
    expect(f.gcaps_allowed(CAP_ANY)).toBe(0);
    expect(f.gcaps_allowed(CAP_LONER)).toBe(S | X | C | R | 16 | B);
    const s = lock(CEPH_LOCK_IFILE, true, LOCK_SYNC);
    expect(s.gcaps_allowed(CAP_ANY)).toBe(S | C | R | L);
  });

  it('quirk Q1: the loner test reads the current state even when another is passed', () => {
    const a = lock(CEPH_LOCK_IAUTH, true, LOCK_SYNC_EXCL); // loner mode
    expect(a.gcaps_allowed(CAP_ANY, LOCK_EXCL)).toBe(0);
    const b = lock(CEPH_LOCK_IAUTH, true, LOCK_SYNC);      // not loner mode
    expect(b.gcaps_allowed(CAP_ANY, LOCK_EXCL)).toBe(S | X); // loner_caps leak to everyone
  });

  it('xlocker gets xlocker_caps|caps only while an xlocker client exists; replica gets replica_caps', () => {
    const a = lock(CEPH_LOCK_IAUTH, true, LOCK_XLOCKDONE);
    expect(a.gcaps_allowed(CAP_XLOCKER)).toBe(0); // no xlocker: falls to loner_caps|caps = 0
    a.xlock_by_client = 4101;
    expect(a.gcaps_allowed(CAP_XLOCKER)).toBe(S);
    expect(lock(CEPH_LOCK_IFILE, false, LOCK_SYNC).gcaps_allowed(CAP_LONER)).toBe(S | C | R);
    expect(lock(CEPH_LOCK_IFILE, false, LOCK_MIX).gcaps_allowed(CAP_ANY)).toBe(R);
  });

  it('allowed_ever, careful and the xlocker mask', () => {
    expect(lock(CEPH_LOCK_IFILE, true, LOCK_SYNC).gcaps_allowed_ever()).toBe(255);
    expect(lock(CEPH_LOCK_IFILE, false, LOCK_SYNC).gcaps_allowed_ever()).toBe(S | C | R | L);
    const f = lock(CEPH_LOCK_IFILE, true, LOCK_LOCK);
    expect(f.gcaps_careful()).toBe(0);
    f.get_wrlock();
    expect(f.gcaps_careful()).toBe(S | X | C | B);
    f.xlock_by_client = 7;
    expect(f.gcaps_xlocker_mask(7)).toBe(0xf);
    expect(f.gcaps_xlocker_mask(8)).toBe(0);
    const a = lock(CEPH_LOCK_IAUTH, true, LOCK_LOCK_SYNC);
    a.xlock_by_client = 7;
    expect(a.gcaps_xlocker_mask(7)).toBe(S | X);
  });
});

describe('ScatterLock flags and LocalLock', () => {
  it('dirty -> flushing -> flushed', () => {
    const l = new ScatterLock(CEPH_LOCK_INEST, true);
    l.start_flush();
    expect(l.state_flags).toBe(0); // not dirty: no-op
    l.mark_dirty();
    expect(l.is_sync_and_unlocked()).toBe(false);
    l.start_flush();
    expect(l.state_flags).toBe(FLUSHING);
    l.mark_dirty();
    expect(l.is_dirty_or_flushing()).toBe(true);
    l.finish_flush();
    expect(l.state_flags).toBe(DIRTY | FLUSHED);
    l.clear_flushed();
    l.remove_dirty();
    expect(l.state_flags).toBe(0);
    l.set_scatter_wanted();
    expect(l.get_scatter_wanted()).toBe(true);
    l.state = LOCK_MIX;
    expect(l.can_scatter_pin()).toBe(true);
  });

  it('local lock: any number of wrlocks unless xlocked; last_wrlock_client resets to -2', () => {
    const v = new LocalLock(CEPH_LOCK_IVERSION, true);
    expect(v.state).toBe(LOCK_LOCK);
    v.get_wrlock_client(4101);
    v.get_wrlock_client(4103);
    expect([v.num_wrlock, v.last_wrlock_client]).toEqual([2, 4103]);
    expect(v.can_xlock_local()).toBe(false);
    v.put_wrlock(); v.put_wrlock();
    expect(v.last_wrlock_client).toBe(-2);
    v.get_xlock('client.4102:60', 4102);
    expect(v.can_wrlock()).toBe(false);
    expect(() => v.get_wrlock_client(1)).toThrow();
  });

  it('leases are a flag bit', () => {
    const d = new SimpleLock(CEPH_LOCK_DN, true);
    d.get_client_lease();
    expect(d.state_flags & LEASED).toBe(LEASED);
    expect(lock(CEPH_LOCK_DN, true, LOCK_LOCK_SYNC).can_lease(-1)).toBe(false);
    expect(FLUSHED).toBe(4096);
  });
});
