// W1 and W2 of the spec (walkthroughs.md), every printed line after every step. No clients
// exist yet, so the cap revocations of W1 step 1/5 and W2 step 4/5 are absent: W1 step 5 is
// skipped, and in W2 excl->sync completes as soon as the REQRDLOCK is handled.
import { describe, expect, it } from 'vitest';
import { cluster, file, rd, xl, line, lines, sent, passed, inFlight } from '../helpers.js';
import { submitRequest, deliverOne, deliverAll, finishRequest, earlyReply, findRequest } from '../../src/cluster/sim.js';

describe('W1: simplelock sync -> lock with two replicas, xlock, xlockdone, back to sync', () => {
  it('prints the spec lines after every step', () => {
    const c = cluster(3, [file('/f')]);
    submitRequest(c, 1, 'client.4102:7', [rd('iauth /f')]);
    expect(lines(c, 'iauth /f')).toEqual(['(iauth sync)', '(iauth sync r=1)', '(iauth sync)']);
    expect(line(c, 0, 'iversion /f')).toBe('(iversion lock)');

    // 1. setattr(mode) on mds.0 wants xlock(iauth) (+ wrlock(iversion) as leader on the auth)
    let t = submitRequest(c, 0, 'client.4101:12', [xl('iauth /f')]);
    expect(line(c, 0, 'iauth /f')).toBe('(iauth sync->lock g=1,2)');
    expect(sent(t)).toEqual(['mds.0 -> mds.1 lock(a=lock iauth /f)', 'mds.0 -> mds.2 lock(a=lock iauth /f)']);
    expect(findRequest(c, 'client.4101:12')!.status).toBe('waiting');
    // 2. mds.2 handles AC_LOCK
    t = deliverOne(c, { from: 0, to: 2 })!;
    expect(line(c, 2, 'iauth /f')).toBe('(iauth lock)');
    expect(sent(t)).toEqual(['mds.2 -> mds.0 lock(a=lockack iauth /f)']);
    // 3. mds.1 handles AC_LOCK: r=1 blocks
    t = deliverOne(c, { from: 0, to: 1 })!;
    expect(line(c, 1, 'iauth /f')).toBe('(iauth sync->lock r=1)');
    expect(sent(t)).toEqual([]);
    // 4. mds.0 handles LOCKACK from mds.2
    deliverOne(c, { from: 2, to: 0 });
    expect(line(c, 0, 'iauth /f')).toBe('(iauth sync->lock g=1)');
    // 6. the getattr finishes on mds.1
    t = finishRequest(c, 'client.4102:7');
    expect(line(c, 1, 'iauth /f')).toBe('(iauth lock)');
    expect(sent(t)).toEqual(['mds.1 -> mds.0 lock(a=lockack iauth /f)']);
    // 7. mds.0 handles LOCKACK from mds.1: LOCK, the setattr retries synchronously and xlocks
    t = deliverOne(c, { from: 1, to: 0 })!;
    expect(passed(t, 0, 'iauth').slice(-4)).toEqual(['(iauth lock)', '(iauth lock->xlock)', '(iauth prexlock)', '(iauth xlock x=1 by request(client.4101:12))']);
    expect(line(c, 0, 'iversion /f')).toBe('(iversion lock w=1 last_client=4101)');
    expect(findRequest(c, 'client.4101:12')!.status).toBe('granted');
    expect(inFlight(c)).toEqual([]);
    // 8. early reply
    earlyReply(c, 'client.4101:12');
    expect(line(c, 0, 'iauth /f')).toBe('(iauth xlockdone x=1)');
    // 9. the request finishes
    t = finishRequest(c, 'client.4101:12');
    expect(line(c, 0, 'iauth /f')).toBe('(iauth sync)');
    expect(line(c, 0, 'iversion /f')).toBe('(iversion lock)');
    expect(sent(t)).toEqual(['mds.0 -> mds.1 lock(a=sync iauth /f)', 'mds.0 -> mds.2 lock(a=sync iauth /f)']);
    // 10. replicas handle AC_SYNC
    deliverAll(c);
    expect(lines(c, 'iauth /f')).toEqual(['(iauth sync)', '(iauth sync)', '(iauth sync)']);
    expect(c.ranks[0].inodes['/f'].auth_pins).toBe(0);
  });
});

describe('W2: replica rdlock on a LOCK-state copy via REQRDLOCK', () => {
  it('prints the spec lines after every step', () => {
    const c = cluster(3, [file('/f', [1, 2], { iauth: 'excl' })]);
    expect(lines(c, 'iauth /f')).toEqual(['(iauth excl)', '(iauth lock)', '(iauth lock)']);
    // 1. getattr on mds.1: cannot rdlock (LOCK: REQ) -> remote auth pin first
    let t = submitRequest(c, 1, 'client.4102:9', [rd('iauth /f')]);
    expect(sent(t)).toEqual(['mds.1 -> mds.0 peer_request(client.4102:9 authpin /f)']);
    // 2. mds.0 creates the peer request and pins /f
    t = deliverOne(c, { from: 1, to: 0 })!;
    expect(sent(t)).toEqual(['mds.0 -> mds.1 peer_request(client.4102:9 authpin_ack /f)']);
    expect(c.ranks[0].inodes['/f'].auth_pins).toBe(1);
    // 3. mds.1 retries: _rdlock_kick sends REQRDLOCK, waits
    t = deliverOne(c, { from: 0, to: 1 })!;
    expect(sent(t)).toEqual(['mds.1 -> mds.0 lock(a=reqrdlock iauth /f)']);
    expect(line(c, 1, 'iauth /f')).toBe('(iauth lock)');
    // 4-5. mds.0 handles REQRDLOCK: simple_sync (no client caps to revoke: excl->sync completes)
    t = deliverOne(c, { from: 1, to: 0 })!;
    expect(passed(t, 0, 'iauth')).toEqual(['(iauth excl->sync)', '(iauth sync)']);
    expect(sent(t)).toEqual(['mds.0 -> mds.1 lock(a=sync iauth /f)', 'mds.0 -> mds.2 lock(a=sync iauth /f)']);
    // 6. replicas handle AC_SYNC; on mds.1 the request retries and rdlocks locally
    deliverOne(c, { from: 0, to: 2 });
    deliverOne(c, { from: 0, to: 1 });
    expect(lines(c, 'iauth /f')).toEqual(['(iauth sync)', '(iauth sync r=1)', '(iauth sync)']);
    expect(findRequest(c, 'client.4102:9')!.status).toBe('granted');
    // 7. the request finishes; OP_FINISH releases the peer request's auth pin
    t = finishRequest(c, 'client.4102:9');
    expect(line(c, 1, 'iauth /f')).toBe('(iauth sync)');
    expect(sent(t)).toEqual(['mds.1 -> mds.0 peer_request(client.4102:9 finish)']);
    deliverAll(c);
    expect(c.ranks[0].inodes['/f'].auth_pins).toBe(0);
    expect(c.ranks[0].requests['client.4102:9']).toBeUndefined();
  });
});
