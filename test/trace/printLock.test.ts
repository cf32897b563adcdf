import { describe, expect, it } from 'vitest';
import {
  CEPH_LOCK_IFILE, CEPH_LOCK_IAUTH, CEPH_LOCK_DN, CEPH_LOCK_INEST, CEPH_LOCK_IVERSION,
  LOCK_SYNC_MIX, LOCK_SYNC_LOCK, LOCK_MIX_SYNC, LOCK_MIX_LOCK2, LOCK_XLOCK, LOCK_XLOCKDONE,
  LOCK_LOCK_MIX, LOCK_SYNC_MIX2,
} from '../../statemachines/index.js';
import { createLock, LocalLock, ScatterLock, SimpleLock } from '../../src/locks/index.js';
import { printLock } from '../../src/trace/printLock.js';
import { colorStyle, styleFor, PLAIN } from '../../src/trace/style.js';

const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe("printLock is Ceph's print()", () => {
  it('prints every field in order', () => {
    const l = createLock(CEPH_LOCK_IFILE, true) as ScatterLock;
    l.state = LOCK_SYNC_MIX;
    l.init_gather([2, 1]);
    l.get_client_lease();
    l.num_rdlock = 2; l.num_wrlock = 1; l.num_xlock = 1;
    l.xlock_by = 'client.4101:12';
    expect(printLock(l)).toBe('(ifile sync->mix g=1,2 l r=2 w=1 x=1 by request(client.4101:12))');
  });

  it('omits zero counters, empty gather, and `by` once xlock_by is cleared', () => {
    expect(printLock(new SimpleLock(CEPH_LOCK_IAUTH, true))).toBe('(iauth sync)');
    const a = new SimpleLock(CEPH_LOCK_IAUTH, true, LOCK_SYNC_LOCK);
    a.get_rdlock();
    expect(printLock(a)).toBe('(iauth sync->lock r=1)');
    const d = new SimpleLock(CEPH_LOCK_DN, true, LOCK_XLOCK);
    d.get_xlock('client.4101:30', 4101);
    expect(printLock(d)).toBe('(dn xlock x=1 by request(client.4101:30))');
    d.set_xlock_done();
    expect(d.state).toBe(LOCK_XLOCKDONE);
    expect(printLock(d)).toBe('(dn xlockdone x=1)');
  });

  it('ScatterLock suffixes in order: dirty flushing flushed scatter_wanted (unscatter_wanted not printed)', () => {
    const n = new ScatterLock(CEPH_LOCK_INEST, true, LOCK_MIX_LOCK2);
    n.init_gather([1]);
    n.mark_dirty();
    expect(printLock(n)).toBe('(inest mix->lock(2) g=1 dirty)');
    n.start_flush(); n.mark_dirty();
    n.state_flags |= 4096;
    n.set_scatter_wanted(); n.set_unscatter_wanted();
    expect(printLock(n)).toBe('(inest mix->lock(2) g=1 dirty flushing flushed scatter_wanted)');
    const f = new ScatterLock(CEPH_LOCK_IFILE, true, LOCK_MIX_SYNC);
    f.get_wrlock(); f.mark_dirty(); f.start_flush();
    expect(printLock(f)).toBe('(ifile mix->sync w=1 flushing)');
  });

  it('LocalLock prints last_client only when >= 0', () => {
    const v = new LocalLock(CEPH_LOCK_IVERSION, true);
    expect(printLock(v)).toBe('(iversion lock)');
    v.get_wrlock_client(4103); v.get_wrlock_client(4103);
    expect(printLock(v)).toBe('(iversion lock w=2 last_client=4103)');
  });

  it('prints (2) states and refuses LOCK_LOCK_MIX as Ceph aborts on it', () => {
    const n = new ScatterLock(CEPH_LOCK_INEST, false, LOCK_SYNC_MIX2);
    expect(printLock(n)).toBe('(inest sync->mix(2))');
    n.state = LOCK_LOCK_MIX;
    expect(() => printLock(n)).toThrow(/no printed name/);
  });

  it('colour decorates the same text: stripping escapes gives the plain form', () => {
    const l = createLock(CEPH_LOCK_IFILE, true) as ScatterLock;
    l.state = LOCK_SYNC_MIX; l.init_gather([1]); l.mark_dirty();
    const coloured = printLock(l, colorStyle());
    expect(coloured).not.toBe(printLock(l));
    expect(strip(coloured)).toBe(printLock(l));
  });

  it('is plain when piped or NO_COLOR is set', () => {
    expect(styleFor({ isTTY: false }, {})).toBe(PLAIN);
    expect(styleFor({ isTTY: true }, { NO_COLOR: '1' })).toBe(PLAIN);
    expect(styleFor({ isTTY: true }, {})).not.toBe(PLAIN);
  });
});
