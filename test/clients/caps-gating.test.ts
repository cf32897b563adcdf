// Client caps and dentry leases gate lock transitions (issue: clients). Printed lock lines,
// inode caps as Ceph prints them, and the messages to and from clients.
import { describe, expect, it } from 'vitest';
import { createCluster, type ObjectSpec } from '../../src/cluster/topology.js';
import { clientOpen, deliverAll, deliverOne, finishRequest, findRequest, submitRequest } from '../../src/cluster/sim.js';
import { ccap_string, parseCaps } from '../../src/clients/capString.js';
import { printInodeCaps } from '../../src/trace/printCaps.js';
import { get_caps_allowed_by_type } from '../../src/locker/caps.js';
import { CAP_ANY, CAP_LONER } from '../../src/locks/flags.js';
import { line, lines, sent, rd, xl } from '../helpers.js';

const C = (w: string) => parseCaps(w)!;
const build = (ranks: number, objects: ObjectSpec[], clients: [number, number][]) =>
  createCluster({ ranks, seed: 1, objects, clients: clients.map(([id, session]) => ({ id, session })) });
const held = (c: ReturnType<typeof build>, id: number, path: string) => ccap_string(c.clients[id].held(path));

describe('a transition waits for revoked caps to be acknowledged', () => {
  it('W1 step 1/5: sync->lock revokes As from client.4101; the gather completes only after the ack', () => {
    const c = build(1, [{ kind: 'inode', path: '/f', is_dir: false, auth: 0, replicas: [], caps: { 4101: C('As') } }], [[4101, 0]]);
    let t = submitRequest(c, 0, 'client.4101:12', [xl('iauth /f')]);
    expect(line(c, 0, 'iauth /f')).toBe('(iauth sync->lock)');
    expect(sent(t)).toEqual(['mds.0 -> client.4101 client_caps(revoke /f seq 1 caps=- wanted=-)']);
    expect(printInodeCaps(c.ranks[0].inodes['/f'])).toBe('caps={4101=-/As/-@1}');
    // the client hangs on: its ack is held on its link; nothing else can complete the gather
    c.net.held[c.net.link(-4101, 0)] = true;
    deliverAll(c);
    expect(line(c, 0, 'iauth /f')).toBe('(iauth sync->lock)');
    expect(findRequest(c, 'client.4101:12')!.status).toBe('waiting');
    expect(held(c, 4101, '/f')).toBe('-');
    // the ack arrives: confirm_receipt, eval(inode) finishes the gather, the xlock is taken
    c.net.held[c.net.link(-4101, 0)] = false;
    t = deliverOne(c)!;
    expect(sent(t)).toEqual([]);
    expect(line(c, 0, 'iauth /f')).toBe('(iauth xlock x=1 by request(client.4101:12))');
    expect(printInodeCaps(c.ranks[0].inodes['/f'])).toBe('caps={4101=-/-@1}');
    expect(findRequest(c, 'client.4101:12')!.status).toBe('granted');
  });

  it('W2 steps 4-5: the loner must give Ax back before excl->sync completes and AC_SYNC goes out', () => {
    const c = build(3, [{ kind: 'inode', path: '/f', is_dir: false, auth: 0, replicas: [1, 2], locks: { iauth: 'excl' }, caps: { 4101: C('Asx') }, loner: 4101 }], [[4101, 0], [4102, 1]]);
    expect(printInodeCaps(c.ranks[0].inodes['/f'])).toBe('caps={4101=Asx/-@0},l=4101');
    submitRequest(c, 1, 'client.4102:9', [rd('iauth /f')]);
    deliverOne(c, { from: 1, to: 0 });
    deliverOne(c, { from: 0, to: 1 });
    let t = deliverOne(c, { from: 1, to: 0 })!; // REQRDLOCK
    expect(line(c, 0, 'iauth /f')).toBe('(iauth excl->sync)');
    expect(sent(t)).toEqual(['mds.0 -> client.4101 client_caps(revoke /f seq 1 caps=As wanted=-)']);
    deliverOne(c, { from: 0, to: -4101 });
    t = deliverOne(c, { from: -4101, to: 0 })!;
    expect(line(c, 0, 'iauth /f')).toBe('(iauth sync)');
    // the ack runs eval(inode); the loner is no longer wanted, so every lock is evaluated, and
    // scatter_eval also scatters the replicated file's inest (Locker::eval(CInode*), mask = all)
    expect(sent(t)).toEqual(['mds.0 -> mds.1 lock(a=sync iauth /f)', 'mds.0 -> mds.2 lock(a=sync iauth /f)',
      'mds.0 -> mds.1 lock(a=mix inest /f)', 'mds.0 -> mds.2 lock(a=mix inest /f)']);
    expect(c.ranks[0].inodes['/f'].loner_cap).toBe(-1);
    deliverAll(c);
    expect(lines(c, 'iauth /f')).toEqual(['(iauth sync)', '(iauth sync r=1)', '(iauth sync)']);
    expect(held(c, 4101, '/f')).toBe('As');
  });

  it('W6 steps 1-4: a dentry xlock revokes client.4103\'s lease and waits for its release', () => {
    const c = build(3, [{ kind: 'dentry', path: '/d/x', auth: 0, replicas: [1, 2], leases: [4103] }], [[4101, 0], [4103, 0]]);
    expect(line(c, 0, 'dn /d/x')).toBe('(dn sync l)');
    let t = submitRequest(c, 0, 'client.4101:30', [xl('dn /d/x')]);
    expect(sent(t)).toEqual(['mds.0 -> client.4103 client_lease(a=revoke /d/x)', 'mds.0 -> mds.1 lock(a=lock dn /d/x)', 'mds.0 -> mds.2 lock(a=lock dn /d/x)']);
    for (const [f, to] of [[0, 1], [0, 2], [1, 0], [2, 0]]) deliverOne(c, { from: f, to });
    expect(line(c, 0, 'dn /d/x')).toBe('(dn sync->lock l)');
    deliverOne(c, { from: 0, to: -4103 });
    expect(c.clients[4103].leases).toEqual([]);
    t = deliverOne(c, { from: -4103, to: 0 })!;
    expect(line(c, 0, 'dn /d/x')).toBe('(dn xlock x=1 by request(client.4101:30))');
    expect(c.ranks[0].dentries['/d/x'].client_leases).toEqual([]);
  });
});

describe('loner and EXCL', () => {
  it('the single writer becomes the loner and gets EXCL caps; a second client wanting the file takes them away', () => {
    const c = build(1, [{ kind: 'inode', path: '/f', is_dir: false, auth: 0, replicas: [] }], [[4101, 0], [4102, 0]]);
    let t = clientOpen(c, 4101, '/f', C('Fwb'));
    expect(line(c, 0, 'ifile /f')).toBe('(ifile excl)');
    expect(sent(t)).toEqual(['mds.0 -> client.4101 client_caps(grant /f seq 1 caps=pAsLsXsFsxcrwb wanted=Fwb)']);
    expect(printInodeCaps(c.ranks[0].inodes['/f'])).toBe('caps={4101=pAsLsXsFsxcrwb/Fwb@1},l=4101');
    deliverAll(c);
    expect(held(c, 4101, '/f')).toBe('pAsLsXsFsxcrwb');
    // a reader arrives: no single candidate any more; file_eval leaves EXCL for MIX (a writer)
    t = clientOpen(c, 4102, '/f', C('Fr'));
    expect(line(c, 0, 'ifile /f')).toBe('(ifile excl->mix)');
    expect(sent(t)).toEqual([
      'mds.0 -> client.4101 client_caps(revoke /f seq 2 caps=pAsLsXsFrw wanted=Fwb)',
      'mds.0 -> client.4102 client_caps(grant /f seq 1 caps=pAsLsXs wanted=Fr)',
    ]);
    expect(printInodeCaps(c.ranks[0].inodes['/f'])).toBe('caps={4101=pAsLsXsFrw/pAsLsXsFsxcrwb/Fwb@2,4102=pAsLsXs/Fr@1},l=4101(-1)');
    deliverAll(c);
    expect(line(c, 0, 'ifile /f')).toBe('(ifile mix)');
    expect(printInodeCaps(c.ranks[0].inodes['/f'])).toBe('caps={4101=pAsLsXsFrw/Fwb@2,4102=pAsLsXsFrw/Fr@2}');
    expect([held(c, 4101, '/f'), held(c, 4102, '/f')]).toEqual(['pAsLsXsFrw', 'pAsLsXsFrw']);
  });

  it('excl->xsyn is a loner state (PR #54669): non-loner clients are allowed no file caps, the loner keeps Fcb', () => {
    const c = build(1, [{ kind: 'inode', path: '/f', is_dir: false, auth: 0, replicas: [], locks: { ifile: 'excl' }, loner: 4101,
      caps: { 4101: C('pFsxcrwb'), 4102: C('p') }, wanted: { 4101: C('Fwb'), 4102: C('Fc') } }], [[4101, 0], [4102, 0]]);
    const t = submitRequest(c, 0, 'client.4103:1', [rd('ifile /f')]);
    const inode = c.ranks[0].inodes['/f'];
    expect(line(c, 0, 'ifile /f')).toBe('(ifile excl->xsyn)');
    const fileBits = (caps: number) => ccap_string(caps & (255 << 8));
    expect(fileBits(get_caps_allowed_by_type(inode, CAP_ANY))).toBe('-');
    expect(fileBits(get_caps_allowed_by_type(inode, CAP_LONER))).toBe('Fcb');
    expect(sent(t)).toEqual(['mds.0 -> client.4101 client_caps(revoke /f seq 1 caps=pFcb wanted=Fwb)']);
    // the ack finishes the gather inside eval(inode): waiters are collected (Q9), so try_eval
    // first takes the loner back to EXCL; then the reader retries and goes to XSYN again
    const acked = deliverAll(c);
    expect(acked.filter((e) => e.kind === 'locker').map((e) => e.kind === 'locker' ? e.lock : '')).toEqual([
      '(ifile xsyn)', '(ifile xsyn->excl)', '(ifile excl)', '(ifile excl->xsyn)', '(ifile xsyn)', '(ifile xsyn r=1)']);
    expect([held(c, 4101, '/f'), held(c, 4102, '/f')]).toEqual(['pFcb', 'p']);
    finishRequest(c, 'client.4103:1');
  });
});

describe('replicas and caps', () => {
  it("a replica issues within replica_caps and reports its client's wants, so the auth picks no loner and scatters", () => {
    const c = build(2, [{ kind: 'inode', path: '/f', is_dir: false, auth: 0, replicas: [1] }], [[4101, 0], [4102, 1]]);
    let t = clientOpen(c, 4102, '/f', C('Fr'));
    expect(sent(t)).toEqual(['mds.1 -> mds.0 inode_file_caps(/f wanted=Fr)', 'mds.1 -> client.4102 client_caps(grant /f seq 1 caps=pAsLsXsFscr wanted=Fr)']);
    deliverAll(c);
    clientOpen(c, 4101, '/f', C('Fwb'));
    expect(c.ranks[0].inodes['/f'].loner_cap).toBe(-1);
    expect(line(c, 0, 'ifile /f')).toBe('(ifile sync->mix g=1)');
    deliverOne(c, { from: 0, to: 1 });
    expect(line(c, 1, 'ifile /f')).toBe('(ifile sync->mix)'); // waits for client.4102 to give up Fsc
    t = deliverOne(c, { from: 1, to: -4102 })!;
    t = deliverOne(c, { from: -4102, to: 1 })!;
    expect(sent(t)).toEqual(['mds.1 -> mds.0 lock(a=mixack ifile /f)']);
    deliverAll(c);
    expect(lines(c, 'ifile /f', [0, 1])).toEqual(['(ifile mix)', '(ifile mix)']);
    expect([held(c, 4101, '/f'), held(c, 4102, '/f')]).toEqual(['pAsLsXsFrw', 'pAsLsXsFr']);
  });
});

describe('initial client state', () => {
  it("a replica's report to the auth is what all its clients want, within what it could ever have", () => {
    const c = build(2, [{ kind: 'inode', path: '/f', is_dir: false, auth: 0, replicas: [1], wanted: { 4102: C('Fr'), 4103: C('pFwb') } }], [[4102, 1], [4103, 1]]);
    // a replica's filelock can never allow Fw/Fb (allowed_ever_replica = scrl)
    expect(ccap_string(c.ranks[0].inodes['/f'].mds_caps_wanted[1])).toBe('Fr');
    expect(ccap_string(c.ranks[1].inodes['/f'].replica_caps_wanted)).toBe('Fr');
  });

  it('a lease_release step is for leases of no modelled client only', async () => {
    const { releaseLease } = await import('../../src/cluster/sim.js');
    const c = build(1, [{ kind: 'dentry', path: '/d/x', auth: 0, replicas: [], leases: [4103] }], [[4103, 0]]);
    expect(() => releaseLease(c, 0, '/d/x')).toThrow(/leased by client.4103/);
  });
});
