// Locker rules on 1-3 rank clusters, beyond the walkthroughs: exact printed lines and messages.
import { describe, expect, it } from 'vitest';
import { CEPH_LOCK_IAUTH } from '../../statemachines/index.js';
import { cluster, file, dir, dentry, rd, wr, xl, rwr, ref, line, lines, sent, passed } from '../helpers.js';
import {
  submitRequest, deliverOne, deliverAll, finishRequest, earlyReply, scatterUpdate, tick, findRequest, runOn,
} from '../../src/cluster/sim.js';
import { simple_sync, simple_excl } from '../../src/locker/simple.js';
import type { Cluster } from '../../src/cluster/Cluster.js';
import { LOCK_AC_MIX, LOCK_AC_SYNC } from '../../src/messages/index.js';
import { MDSAssertion } from '../../src/locker/context.js';
import type { ScatterLock } from '../../src/locks/index.js';

const setLoner = (c: Cluster, path: string, client: number) => {
  const i = c.ranks[c.ranks.findIndex((r) => r.inodes[path]?.is_auth())].inodes[path];
  i.loner_cap = i.want_loner_cap = client;
  for (const l of [i.authlock, i.filelock, i.linklock, i.xattrlock]) l.excl_client = client;
};

describe('simple_sync / simple_excl and the evaluation that follows', () => {
  it('simple_sync from LOCK needs no gather: AC_SYNC with data at the end', () => {
    const c = cluster(3, [file('/f', [1, 2], { iauth: 'lock' })]);
    const t = runOn(c, 0, (ctx) => { simple_sync(ctx, ctx.mds.inodes['/f'].authlock); });
    expect(passed(t, 0, 'iauth')).toEqual(['(iauth lock->sync)', '(iauth sync)']);
    expect(sent(t)).toEqual(['mds.0 -> mds.1 lock(a=sync iauth /f)', 'mds.0 -> mds.2 lock(a=sync iauth /f)']);
    deliverAll(c);
    expect(lines(c, 'iauth /f')).toEqual(['(iauth sync)', '(iauth sync)', '(iauth sync)']);
  });

  it('simple_excl from SYNC gathers replicas (LOCKACK in sync->excl); with no caps wanted simple_eval syncs again', () => {
    const c = cluster(3, [file('/f')]);
    setLoner(c, '/f', 4101);
    let t = runOn(c, 0, (ctx) => simple_excl(ctx, ctx.mds.inodes['/f'].authlock));
    expect(line(c, 0, 'iauth /f')).toBe('(iauth sync->excl g=1,2)');
    expect(sent(t)).toEqual(['mds.0 -> mds.1 lock(a=lock iauth /f)', 'mds.0 -> mds.2 lock(a=lock iauth /f)']);
    deliverOne(c, { from: 0, to: 1 });
    deliverOne(c, { from: 0, to: 2 });
    deliverOne(c, { from: 1, to: 0 });
    t = deliverOne(c, { from: 2, to: 0 })!;
    expect(passed(t, 0, 'iauth')).toEqual(['(iauth sync->excl)', '(iauth excl)', '(iauth excl->sync)', '(iauth sync)']);
    deliverAll(c);
    expect(lines(c, 'iauth /f')).toEqual(['(iauth sync)', '(iauth sync)', '(iauth sync)']);
    expect(c.ranks[0].inodes['/f'].auth_pins).toBe(0);
  });
});

describe('xlock paths', () => {
  it('_finish_xlock goes to EXCL when the xlocker is the target loner, else straight to SYNC', () => {
    const c = cluster(1, [file('/f', []), file('/g', [])]);
    setLoner(c, '/f', 4101);
    setLoner(c, '/g', 4101);
    submitRequest(c, 0, 'client.4101:1', [xl('iauth /f')]);
    expect(line(c, 0, 'iauth /f')).toBe('(iauth xlock x=1 by request(client.4101:1))');
    let t = finishRequest(c, 'client.4101:1');
    expect(passed(t, 0, 'iauth')).toEqual(['(iauth xlock)', '(iauth excl)', '(iauth excl->sync)', '(iauth sync)']);
    submitRequest(c, 0, 'client.4102:1', [xl('iauth /g')]);
    t = finishRequest(c, 'client.4102:1');
    expect(passed(t, 0, 'iauth')).toEqual(['(iauth xlock)', '(iauth sync)']);
  });

  it('the xlocking client may re-xlock from xlockdone; a second xlock briefly makes x=2', () => {
    const c = cluster(1, [file('/f', [])]);
    submitRequest(c, 0, 'client.4101:1', [xl('iauth /f')]);
    earlyReply(c, 'client.4101:1');
    submitRequest(c, 0, 'client.4101:2', [rd('iauth /f')]); // XCL: the xlocker's client may rdlock
    expect(line(c, 0, 'iauth /f')).toBe('(iauth xlockdone r=1 x=1)');
    submitRequest(c, 0, 'client.4102:1', [rd('iauth /f')]);
    expect(findRequest(c, 'client.4102:1')!.status).toBe('waiting');
    submitRequest(c, 0, 'client.4101:3', [xl('ilink /f'), xl('iauth /f')]);
    // xlockdone + another client waiting for WAIT_STABLE: the same client must wait too
    expect(findRequest(c, 'client.4101:3')!.status).toBe('waiting');
  });

  it('cancel_locking from lock->xlock goes to xlockdone and eval_gather (not back to lock directly)', () => {
    const c = cluster(1, [file('/f', [])]);
    submitRequest(c, 0, 'client.4101:1', [wr('ifile /f')]);
    expect(line(c, 0, 'ifile /f')).toBe('(ifile lock w=1)');
    submitRequest(c, 0, 'client.4102:1', [xl('ifile /f')]);
    expect(line(c, 0, 'ifile /f')).toBe('(ifile lock->xlock w=1)');
    const t = finishRequest(c, 'client.4102:1'); // aborted while locking
    expect(passed(t, 0, 'ifile')).toEqual(['(ifile xlockdone w=1)', '(ifile lock w=1)']);
    expect(c.ranks[0].inodes['/f'].auth_pins).toBe(1); // the wrlocker's pin only
  });

  it('a replica cannot xlock a scatter/file lock remotely: Ceph asserts', () => {
    const c = cluster(2, [file('/f', [1])]);
    submitRequest(c, 1, 'client.4102:1', [xl('ifile /f')]);
    deliverOne(c, { from: 1, to: 0 });
    expect(() => deliverOne(c, { from: 0, to: 1 })).toThrow(MDSAssertion);
  });
});

describe('rdlock paths', () => {
  it('_rdlock_kick on a filelock in EXCL with a loner goes to XSYN (file_xsyn), where the auth may rdlock', () => {
    const c = cluster(1, [file('/f', [], { ifile: 'excl' })]);
    setLoner(c, '/f', 4101);
    const t = submitRequest(c, 0, 'client.4102:1', [rd('ifile /f')]);
    expect(passed(t, 0, 'ifile')).toEqual(['(ifile excl->xsyn)', '(ifile xsyn)', '(ifile xsyn r=1)']);
  });

  it('a REQRDLOCK reaching an unstable auth waits for stability, then finds SYNC and is dropped (Q8)', () => {
    const c = cluster(2, [file('/f', [1], { iauth: 'excl' })]);
    submitRequest(c, 0, 'client.4101:1', [xl('iauth /f')]);
    expect(line(c, 0, 'iauth /f')).toBe('(iauth xlock x=1 by request(client.4101:1))');
    submitRequest(c, 1, 'client.4102:1', [rd('iauth /f')]);
    deliverOne(c, { from: 1, to: 0 });
    deliverOne(c, { from: 0, to: 1 }); // authpin ack: REQRDLOCK goes out
    deliverOne(c, { from: 1, to: 0 }); // REQRDLOCK parked on WAIT_STABLE
    expect(c.ranks[0].inodes['/f'].waiting.map((w) => w.msg !== undefined)).toEqual([true]);
    const t = finishRequest(c, 'client.4101:1');
    expect(sent(t)).toEqual(['mds.0 -> mds.1 lock(a=sync iauth /f)']);
    expect(c.ranks[0].inodes['/f'].waiting).toEqual([]);
    deliverAll(c);
    expect(lines(c, 'iauth /f', [0, 1])).toEqual(['(iauth sync)', '(iauth sync r=1)']);
  });

  it('quirk Q3: a scatterlock replica in mix->sync(2) reads the all-zero row: stable, no rdlock', () => {
    const c = cluster(2, [dir('/d', [1], { locks: { inest: 'mix' } })]);
    submitRequest(c, 0, 'client.4101:1', [rd('inest /d')]);
    deliverOne(c, { from: 0, to: 1 });
    const rep = c.ranks[1].lock(ref('inest /d'))!;
    expect(line(c, 1, 'inest /d')).toBe('(inest mix->sync(2))');
    expect([rep.is_stable(), rep.can_rdlock(-1)]).toEqual([true, false]);
    deliverAll(c);
    expect(line(c, 0, 'inest /d')).toBe('(inest sync r=1)');
  });
});

describe('wrlock paths', () => {
  it('REQSCATTER on an unstable auth sets scatter_wanted; the lock then goes to MIX for both ranks', () => {
    const c = cluster(3, [dir('/d')]);
    submitRequest(c, 0, 'client.4101:1', [wr('ifile /d')]);
    expect(line(c, 0, 'ifile /d')).toBe('(ifile sync->lock g=1,2)');
    submitRequest(c, 1, 'client.4102:1', [wr('ifile /d')]);
    deliverOne(c, { from: 1, to: 0 }); // authpin
    deliverOne(c, { from: 0, to: 1 }); // AC_LOCK: mds.1 acks from SYNC
    expect(line(c, 1, 'ifile /d')).toBe('(ifile lock)');
    const t = deliverOne(c, { from: 0, to: 1 })!; // authpin ack: retry, REQSCATTER
    expect(sent(t)).toEqual(['mds.1 -> mds.0 lock(a=reqscatter ifile /d)']);
    deliverOne(c, { from: 1, to: 0 }); // LOCKACK
    deliverOne(c, { from: 1, to: 0 }); // REQSCATTER while unstable
    expect(line(c, 0, 'ifile /d')).toBe('(ifile sync->lock g=2 scatter_wanted)');
    deliverAll(c);
    expect(lines(c, 'ifile /d')).toEqual(['(ifile mix w=1)', '(ifile mix w=1)', '(ifile mix)']);
    expect(['client.4101:1', 'client.4102:1'].map((r) => findRequest(c, r)!.status)).toEqual(['granted', 'granted']);
  });

  it('remote wrlock: the auth holds it for the leader, whose own copy is not counted', () => {
    const c = cluster(3, [dir('/d')]);
    submitRequest(c, 1, 'client.4102:2', [rwr('inest /d', 0)]);
    expect(deliverAll(c).length).toBeGreaterThan(0);
    // the peer wrlocks in LOCK; eval_gather's try_eval -> scatter_eval then scatters the
    // replicated inest at once (MIX allows the wrlock)
    expect(lines(c, 'inest /d')).toEqual(['(inest mix w=1)', '(inest mix)', '(inest mix)']);
    expect(findRequest(c, 'client.4102:2')!.status).toBe('granted');
    const t = finishRequest(c, 'client.4102:2');
    expect(sent(t)).toEqual(['mds.1 -> mds.0 peer_request(client.4102:2 finish)']);
    deliverAll(c);
    expect(lines(c, 'inest /d')).toEqual(['(inest mix)', '(inest mix)', '(inest mix)']);
  });

  it('a plain simplelock cannot be wrlocked by wrlock_start (Ceph force-wrlocks those): Ceph would assert', () => {
    const c = cluster(1, [file('/f', [])]);
    expect(() => submitRequest(c, 0, 'client.4101:1', [wr('iauth /f')])).toThrow(/simplelocks take wrlocks only by wrlock_force/);
  });
});

describe('scattered data on an unreplicated inode: nudge, write-behind, back to LOCK', () => {
  it('scatter_tick nudges the dirty auth lock: lock->sync with write-behind, then scatter_eval returns it to LOCK', () => {
    const c = cluster(1, [dir('/d', [], { locks: { inest: 'lock' } })]);
    submitRequest(c, 0, 'client.4101:1', [wr('inest /d')]);
    scatterUpdate(c, 'client.4101:1', ref('inest /d'));
    finishRequest(c, 'client.4101:1');
    expect(line(c, 0, 'inest /d')).toBe('(inest lock dirty)');
    let t = tick(c, 0);
    expect(passed(t, 0, 'inest')).toEqual(['(inest lock->sync dirty)', '(inest lock->sync w=1 flushing)']);
    t = deliverAll(c);
    expect(passed(t, 0, 'inest').at(-1)).toBe('(inest lock)');
    expect(t.some((e) => e.kind === 'locker' && e.lock === '(inest sync)')).toBe(true);
    expect((c.ranks[0].lock(ref('inest /d')) as ScatterLock).scatter_value).toBe(1);
  });
});

describe('message handlers', () => {
  it('handle_simple_lock ignores unknown actions but asserts on a wrong state', () => {
    const c = cluster(2, [file('/f', [1])]);
    c.net.send({ kind: 'lock', from: 0, to: 1, action: LOCK_AC_MIX, lockType: CEPH_LOCK_IAUTH, path: '/f', data: null });
    expect(sent(deliverOne(c)!)).toEqual([]);
    expect(line(c, 1, 'iauth /f')).toBe('(iauth sync)');
    c.net.send({ kind: 'lock', from: 0, to: 1, action: LOCK_AC_SYNC, lockType: CEPH_LOCK_IAUTH, path: '/f', data: null });
    expect(() => deliverOne(c)).toThrow('mds.1 would abort: handle_simple_lock a=sync on iauth /f in state sync');
  });

  it('handle_file_lock aborts on an unexpected action; a message for an uncached object is dropped', () => {
    const c = cluster(2, [file('/f', [1])]);
    c.net.send({ kind: 'lock', from: 0, to: 1, action: 4, lockType: 64, path: '/f', data: null });
    expect(() => deliverOne(c)).toThrow(/handle_file_lock: unexpected action 4/);
    c.net.send({ kind: 'lock', from: 0, to: 1, action: LOCK_AC_SYNC, lockType: 64, path: '/nope', data: null });
    expect(sent(deliverOne(c)!)).toEqual([]);
  });
});

describe('a dentry and the inode it links share a path', () => {
  it('unlink /d/x: xlock on the dentry and on the inode\'s linklock, each with its own versionlock and pin', () => {
    const c = cluster(2, [dentry('/d/x', [1]), file('/d/x', [1])]);
    submitRequest(c, 0, 'client.4101:30', [xl('dn /d/x'), xl('ilink /d/x')]);
    deliverAll(c);
    expect(findRequest(c, 'client.4101:30')!.status).toBe('granted');
    expect([line(c, 0, 'dn /d/x'), line(c, 0, 'ilink /d/x')]).toEqual(['(dn xlock x=1 by request(client.4101:30))', '(ilink xlock x=1 by request(client.4101:30))']);
    expect([line(c, 0, 'dversion /d/x'), line(c, 0, 'iversion /d/x')]).toEqual(['(dversion lock w=1 last_client=4101)', '(iversion lock w=1 last_client=4101)']);
    expect(findRequest(c, 'client.4101:30')!.auth_pins).toEqual(['/d/x', 'dentry /d/x']);
    finishRequest(c, 'client.4101:30');
    deliverAll(c);
    expect([...lines(c, 'dn /d/x', [0, 1]), ...lines(c, 'ilink /d/x', [0, 1])]).toEqual(['(dn sync)', '(dn sync)', '(ilink sync)', '(ilink sync)']);
  });
});

describe('killing a request that waits for a peer reply (MDCache::request_kill)', () => {
  it('is delayed until the reply, then finishes it and its peer request', () => {
    const c = cluster(2, [file('/f', [1], { iauth: 'excl' })]);
    submitRequest(c, 1, 'client.4102:9', [rd('iauth /f')]);
    let t = finishRequest(c, 'client.4102:9');
    expect(sent(t)).toEqual([]);
    expect(findRequest(c, 'client.4102:9')!.aborted).toBe(true);
    expect(() => finishRequest(c, 'client.4102:9')).toThrow(/no running request/);
    deliverOne(c, { from: 1, to: 0 }); // OP_AUTHPIN: the auth pins /f for the peer request
    expect(c.ranks[0].inodes['/f'].auth_pins).toBe(1);
    t = deliverOne(c, { from: 0, to: 1 })!; // the ack: now the kill completes
    expect(sent(t)).toEqual(['mds.1 -> mds.0 peer_request(client.4102:9 finish)']);
    expect(findRequest(c, 'client.4102:9')).toBeUndefined();
    deliverAll(c);
    expect(c.ranks[0].inodes['/f'].auth_pins).toBe(0);
    expect(c.ranks[0].requests).toEqual({});
  });
});
