// W6, W7 and W8 of the spec: dentry xlock on the auth with a client lease, remote xlock
// requested by a replica, and a local versionlock with a waiting xlock (no fairness).
import { describe, expect, it } from 'vitest';
import { cluster, dentry, file, wr, xl, line, lines, sent, passed } from '../helpers.js';
import {
  submitRequest, deliverOne, deliverAll, finishRequest, earlyReply, releaseLease, findRequest,
} from '../../src/cluster/sim.js';

describe('W6: dentry xlock on the auth with a client lease, xlockdone, release', () => {
  it('prints the spec lines after every step', () => {
    const c = cluster(3, [dentry('/d/x', [1, 2], { leased: [0] })]);
    expect(line(c, 0, 'dn /d/x')).toBe('(dn sync l)');
    expect(line(c, 0, 'dversion /d/x')).toBe('(dversion lock)');
    // 1. unlink: xlock(dn) (+ wrlock(dversion)); the lease and the replicas must go
    let t = submitRequest(c, 0, 'client.4101:30', [xl('dn /d/x')]);
    expect(line(c, 0, 'dn /d/x')).toBe('(dn sync->lock g=1,2 l)');
    expect(sent(t)).toEqual(['mds.0 -> mds.1 lock(a=lock dn /d/x)', 'mds.0 -> mds.2 lock(a=lock dn /d/x)']);
    // 2. replicas ack
    deliverOne(c, { from: 0, to: 1 });
    deliverOne(c, { from: 0, to: 2 });
    expect(lines(c, 'dn /d/x', [1, 2])).toEqual(['(dn lock)', '(dn lock)']);
    // 3. both LOCKACKs: still leased
    deliverOne(c, { from: 1, to: 0 });
    expect(line(c, 0, 'dn /d/x')).toBe('(dn sync->lock g=2 l)');
    deliverOne(c, { from: 2, to: 0 });
    expect(line(c, 0, 'dn /d/x')).toBe('(dn sync->lock l)');
    // 4. the client gives the lease back: LOCK, then the unlink xlocks synchronously
    t = releaseLease(c, 0, '/d/x');
    expect(passed(t, 0, 'dn')).toEqual(['(dn lock)', '(dn lock->xlock)', '(dn prexlock)', '(dn xlock x=1 by request(client.4101:30))']);
    expect(line(c, 0, 'dversion /d/x')).toBe('(dversion lock w=1 last_client=4101)');
    // 5. early reply
    earlyReply(c, 'client.4101:30');
    expect(line(c, 0, 'dn /d/x')).toBe('(dn xlockdone x=1)');
    // 6. the unlink is safe
    t = finishRequest(c, 'client.4101:30');
    expect(line(c, 0, 'dn /d/x')).toBe('(dn sync)');
    expect(line(c, 0, 'dversion /d/x')).toBe('(dversion lock)');
    expect(sent(t)).toEqual(['mds.0 -> mds.1 lock(a=sync dn /d/x)', 'mds.0 -> mds.2 lock(a=sync dn /d/x)']);
    // 7. replicas go to SYNC
    deliverAll(c);
    expect(lines(c, 'dn /d/x')).toEqual(['(dn sync)', '(dn sync)', '(dn sync)']);
  });
});

describe('W7: remote xlock requested by a replica', () => {
  it('prints the spec lines after every step', () => {
    const c = cluster(3, [dentry('/d/y')]);
    // 1. mds.1 (leader) needs xlock(dn /d/y): remote auth pin first, no versionlock here
    let t = submitRequest(c, 1, 'client.4102:40', [xl('dn /d/y')]);
    expect(sent(t)).toEqual(['mds.1 -> mds.0 peer_request(client.4102:40 authpin dentry /d/y)']);
    // 2. mds.0 creates the peer request
    t = deliverOne(c, { from: 1, to: 0 })!;
    expect(sent(t)).toEqual(['mds.0 -> mds.1 peer_request(client.4102:40 authpin_ack dentry /d/y)']);
    // 3. mds.1 retries: OP_XLOCK
    t = deliverOne(c, { from: 0, to: 1 })!;
    expect(sent(t)).toEqual(['mds.1 -> mds.0 peer_request(client.4102:40 xlock dn /d/y)']);
    expect(line(c, 1, 'dn /d/y')).toBe('(dn sync)');
    // 4. mds.0 runs acquire_locks for the peer: xlock(dn) + xlock(dversion)
    t = deliverOne(c, { from: 1, to: 0 })!;
    expect(line(c, 0, 'dn /d/y')).toBe('(dn sync->lock g=1,2)');
    expect(sent(t)).toEqual(['mds.0 -> mds.1 lock(a=lock dn /d/y)', 'mds.0 -> mds.2 lock(a=lock dn /d/y)']);
    // 5. replicas (mds.1 included) ack
    deliverOne(c, { from: 0, to: 1 });
    deliverOne(c, { from: 0, to: 2 });
    expect(lines(c, 'dn /d/y', [1, 2])).toEqual(['(dn lock)', '(dn lock)']);
    // 6. both LOCKACKs: LOCK, the peer xlocks, OP_XLOCKACK
    deliverOne(c, { from: 1, to: 0 });
    expect(line(c, 0, 'dn /d/y')).toBe('(dn sync->lock g=2)');
    t = deliverOne(c, { from: 2, to: 0 })!;
    expect(passed(t, 0, 'dn')).toEqual(['(dn sync->lock)', '(dn lock)', '(dn lock->xlock)', '(dn prexlock)', '(dn xlock x=1 by request(client.4102:40))']);
    expect(line(c, 0, 'dversion /d/y')).toBe('(dversion lock x=1 by request(client.4102:40))');
    expect(sent(t)).toEqual(['mds.0 -> mds.1 peer_request(client.4102:40 xlock_ack dn /d/y)']);
    // 7. mds.1 records the xlock on its LOCK copy
    deliverOne(c, { from: 0, to: 1 });
    expect(line(c, 1, 'dn /d/y')).toBe('(dn lock x=1 by request(client.4102:40))');
    expect(findRequest(c, 'client.4102:40')!.status).toBe('granted');
    // 8. the request completes on mds.1: OP_FINISH, the foreign xlock is forgotten locally
    t = finishRequest(c, 'client.4102:40');
    expect(line(c, 1, 'dn /d/y')).toBe('(dn lock)');
    expect(sent(t)).toEqual(['mds.1 -> mds.0 peer_request(client.4102:40 finish)']);
    // 9. mds.0 finishes the peer request
    t = deliverOne(c, { from: 1, to: 0 })!;
    expect(line(c, 0, 'dn /d/y')).toBe('(dn sync)');
    expect(line(c, 0, 'dversion /d/y')).toBe('(dversion lock)');
    expect(sent(t)).toEqual(['mds.0 -> mds.1 lock(a=sync dn /d/y)', 'mds.0 -> mds.2 lock(a=sync dn /d/y)']);
    // 10. replicas go to SYNC
    deliverAll(c);
    expect(lines(c, 'dn /d/y')).toEqual(['(dn sync)', '(dn sync)', '(dn sync)']);
    expect(c.ranks[0].dentries['/d/y'].auth_pins).toBe(0);
  });
});

describe('W8: local lock (versionlock): wrlocks, a waiting xlock, no fairness', () => {
  it('prints the spec lines after every step and sends nothing', () => {
    const c = cluster(1, [file('/f', [])]);
    const v = () => line(c, 0, 'iversion /f');
    expect(v()).toBe('(iversion lock)');
    submitRequest(c, 0, 'client.4101:50', [wr('iversion /f')]);
    expect(v()).toBe('(iversion lock w=1 last_client=4101)');
    submitRequest(c, 0, 'client.4103:8', [wr('iversion /f')]);
    expect(v()).toBe('(iversion lock w=2 last_client=4103)');
    submitRequest(c, 0, 'client.4102:60', [xl('iversion /f')]);
    expect(v()).toBe('(iversion lock w=2 last_client=4103)');
    expect(findRequest(c, 'client.4102:60')!.status).toBe('waiting');
    submitRequest(c, 0, 'client.4101:51', [wr('iversion /f')]); // a waiting xlock does not block wrlocks
    expect(v()).toBe('(iversion lock w=3 last_client=4101)');
    finishRequest(c, 'client.4101:50');
    expect(v()).toBe('(iversion lock w=2 last_client=4101)');
    finishRequest(c, 'client.4103:8');
    expect(v()).toBe('(iversion lock w=1 last_client=4101)');
    const t = finishRequest(c, 'client.4101:51');
    expect(passed(t, 0, 'iversion')).toEqual(['(iversion lock)', '(iversion lock x=1 by request(client.4102:60))']);
    submitRequest(c, 0, 'client.4103:9', [wr('iversion /f')]);
    expect(v()).toBe('(iversion lock x=1 by request(client.4102:60))');
    expect(findRequest(c, 'client.4103:9')!.status).toBe('waiting');
    const t2 = finishRequest(c, 'client.4102:60');
    expect(passed(t2, 0, 'iversion')).toEqual(['(iversion lock)', '(iversion lock w=1 last_client=4103)']);
    expect(c.net.sent).toBe(0);
  });
});
