// The smaller points where mdslock was made to follow Ceph's Locker.cc / CInode.cc (ceph-ci
// 61144dd8) more closely: the caps that count as "write" for the loner and the liked caps,
// evaluation of replica copies, the dirfragtree lock of a base inode, Ceph's assertions, and
// which waiters eval(inode) collects.
import { describe, expect, it } from 'vitest';
import { LOCK_LOCK, LOCK_SYNC_LOCK } from '../../statemachines/index.js';
import { cluster, dir, file, line, rd, sent } from '../helpers.js';
import { runOn } from '../../src/cluster/sim.js';
import { MDSAssertion } from '../../src/locker/context.js';
import { Capability } from '../../src/clients/Capability.js';
import { parseCaps } from '../../src/clients/capString.js';
import { calc_ideal_loner } from '../../src/locker/loner.js';
import { get_caps_liked, issue_caps } from '../../src/locker/caps.js';
import { eval_inode, scatter_eval, try_eval_inode } from '../../src/locker/eval.js';
import { file_excl, file_xsyn } from '../../src/locker/file.js';
import { remote_wrlock_start } from '../../src/locker/wrlock.js';
import { start_locking, finish_locking } from '../../src/locker/xlock.js';
import { add_waiter } from '../../src/locker/waiters.js';
import { WAIT_RD, WAIT_STABLE, type ScatterLock } from '../../src/locks/index.js';
import { MDRequest } from '../../src/request/MDRequest.js';
import { XLOCK, op } from '../../src/request/LockOp.js';
import { acquire_locks } from '../../src/locker/acquire.js';
import { ref } from '../helpers.js';
import type { Cluster } from '../../src/cluster/Cluster.js';
import type { TraceEvent } from '../../src/locker/context.js';

const caps = (w: string) => parseCaps(w)!;
const aborts = (c: Cluster, rank: number, fn: Parameters<typeof runOn>[2], what: RegExp) => {
  let err: unknown = null;
  try { runOn(c, rank, fn); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(MDSAssertion);
  expect((err as Error).message).toMatch(what);
};

describe('caps as CInode.cc counts them', () => {
  it('"any write cap" for the loner is Ax Lx Xx Fx Fw Fb, not Fa (CEPH_CAP_ANY_WR)', () => {
    const c = cluster(1, [file('/f', [])]);
    const inode = c.ranks[0].inodes['/f'];
    inode.caps[4101] = new Capability(4101, 0, caps('Fa'));
    expect(calc_ideal_loner(inode)).toBe(-1);
    inode.caps[4101].wanted = caps('Fw');
    expect(calc_ideal_loner(inode)).toBe(4101);
  });

  it('a file likes every cap but Fa and Fl (CEPH_CAP_ANY & ~FILE_LAZYIO)', () => {
    const c = cluster(1, [file('/f', [])]);
    const liked = get_caps_liked(c.ranks[0].inodes['/f']);
    expect(liked & caps('Fa')).toBe(0);
    expect(liked & caps('Fl')).toBe(0);
    expect(liked & caps('pAsxLsxXsxFsxcrwb')).toBe(caps('pAsxLsxXsxFsxcrwb'));
  });
});

describe('evaluation', () => {
  it('try_eval(object) evaluates a replica copy too: its finished gather acks the auth', () => {
    const c = cluster(2, [file('/f', [1])]);
    const replica = c.ranks[1].inodes['/f'];
    replica.filelock.set_state(LOCK_SYNC_LOCK); // the auth's LOCK arrived; nothing holds the copy
    const t = runOn(c, 1, (ctx) => try_eval_inode(ctx, replica, replica.filelock.type));
    expect(line(c, 1, 'ifile /f')).toBe('(ifile lock)');
    expect(sent(t)).toEqual(['mds.1 -> mds.0 lock(a=lockack ifile /f)']);
  });

  it('scatter_eval syncs the dirfragtree lock of a base inode (the root) even at a delegation point', () => {
    const c = cluster(1, [dir('/', [], { delegation: true, locks: { idft: 'lock' } }), dir('/d', [], { delegation: true, locks: { idft: 'lock' } })]);
    runOn(c, 0, (ctx) => {
      for (const p of ['/', '/d']) scatter_eval(ctx, ctx.mds.inodes[p].dirfragtreelock, null);
    });
    expect(line(c, 0, 'idft /')).toBe('(idft sync)');
    expect(line(c, 0, 'idft /d')).toBe('(idft lock)');
  });

  it('eval(inode) collects only eval_gather\'s waiters; a starter\'s run at once (before them)', () => {
    const c = cluster(1, [file('/f', [], { iauth: 'lock' })]);
    const inode = c.ranks[0].inodes['/f'];
    inode.filelock.set_state(LOCK_SYNC_LOCK); // unstable, nothing left to gather: eval_gather finishes it
    inode.auth_pin();
    const wait = (reqid: string, name: string, mask: number) => {
      c.ranks[0].requests[reqid] = new MDRequest(reqid, 4101, 0, [rd(name)]);
      runOn(c, 0, (ctx) => add_waiter(ctx, ctx.mds.lock(ref(name))!, mask, reqid));
    };
    wait('client.4101:1', 'ifile /f', WAIT_STABLE); // woken by eval_gather: collected
    wait('client.4101:2', 'iauth /f', WAIT_RD); // woken by simple_sync, a starter: at once
    const t = runOn(c, 0, (ctx) => { eval_inode(ctx, inode); });
    const granted = t.filter((e): e is Extract<TraceEvent, { kind: 'request' }> => e.kind === 'request' && e.what === 'granted').map((e) => e.reqid);
    expect(granted).toEqual(['client.4101:2', 'client.4101:1']);
  });
});

describe("Ceph's assertions", () => {
  it('file_excl and file_xsyn abort while a replica\'s clients want caps', () => {
    const c = cluster(2, [file('/f', [1], { ifile: 'excl' })]);
    const inode = c.ranks[0].inodes['/f'];
    inode.loner_cap = inode.want_loner_cap = 4101;
    inode.mds_caps_wanted[1] = caps('Fr');
    aborts(c, 0, (ctx) => file_xsyn(ctx, inode.filelock as ScatterLock), /file_xsyn on \/f: needs auth, a loner and no replica wanting caps/);
    inode.filelock.set_state(LOCK_LOCK);
    aborts(c, 0, (ctx) => file_excl(ctx, inode.filelock as ScatterLock), /file_excl on \/f: a replica wants caps/);
  });

  it('start_locking while locking, finish_locking of another lock, and waiting twice on one peer (remote wrlock, auth pin) abort', () => {
    const c = cluster(2, [file('/f', [1])]);
    const mdr = new MDRequest('client.4101:1', 4101, 1, []);
    c.ranks[1].requests[mdr.reqid] = mdr;
    runOn(c, 1, (ctx) => start_locking(ctx, mdr, ctx.mds.lock(ref('iauth /f'))!));
    aborts(c, 1, (ctx) => start_locking(ctx, mdr, ctx.mds.lock(ref('ixattr /f'))!), /start_locking ixattr \/f: client\.4101:1 is already locking/);
    aborts(c, 1, (ctx) => finish_locking(ctx, mdr, ref('ixattr /f')), /finish_locking ixattr \/f: client\.4101:1 is locking iauth \/f/);
    mdr.locking = null;
    runOn(c, 1, (ctx) => remote_wrlock_start(ctx, ref('ifile /f'), 0, mdr));
    mdr.locking = null;
    aborts(c, 1, (ctx) => remote_wrlock_start(ctx, ref('ifile /f'), 0, mdr), /remote_wrlock_start: client\.4101:1 already waits on mds\.0/);
    aborts(c, 1, (ctx) => acquire_locks(ctx, mdr, [op(ref('iauth /f'), XLOCK)]), /acquire_locks: client\.4101:1 already waits on mds\.0/);
  });

  it('issue_caps aborts rather than revoke a new cap', () => {
    const c = cluster(1, [file('/f', [], { ifile: 'lock' })]);
    const inode = c.ranks[0].inodes['/f'];
    inode.caps[4101] = new Capability(4101, caps('pFsr'), 0);
    inode.caps[4101].is_new = true;
    aborts(c, 0, (ctx) => { issue_caps(ctx, inode); }, /issue_caps \/f: revoking client\.4101's new cap/);
  });
});
