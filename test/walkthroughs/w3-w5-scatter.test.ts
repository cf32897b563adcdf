// W3, W4 and W5 of the spec: filelock sync->mix driven by a replica wrlock, mix->sync with a
// dirty replica and write-behind, and inest mix->lock with write-behind and return to mix.
// Every printed line after every step, and the scattered counter end to end.
import { describe, expect, it } from 'vitest';
import { cluster, dir, rd, wr, line, lines, sent, passed, ref } from '../helpers.js';
import {
  submitRequest, deliverOne, deliverAll, finishRequest, scatterUpdate, tick, findRequest,
} from '../../src/cluster/sim.js';
import type { Cluster } from '../../src/cluster/Cluster.js';
import type { ScatterLock } from '../../src/locks/index.js';

const scatter = (c: Cluster, rank: number, name: string) => c.ranks[rank].lock(ref(name)) as ScatterLock;

/** W3: ends with the mkdir on mds.1 holding wrlock(ifile /d) and its copy dirty. */
function w3(c: Cluster) {
  // 1. mkdir on mds.1 needs wrlock(ifile /d): remote auth pin, then REQSCATTER
  let t = submitRequest(c, 1, 'client.4102:15', [wr('ifile /d')]);
  expect(sent(t)).toEqual(['mds.1 -> mds.0 peer_request(client.4102:15 authpin /d)']);
  deliverOne(c, { from: 1, to: 0 });
  t = deliverOne(c, { from: 0, to: 1 })!;
  expect(sent(t)).toEqual(['mds.1 -> mds.0 lock(a=reqscatter ifile /d)']);
  expect(line(c, 1, 'ifile /d')).toBe('(ifile sync)');
  // 2. mds.0: scatter_mix
  t = deliverOne(c, { from: 1, to: 0 })!;
  expect(line(c, 0, 'ifile /d')).toBe('(ifile sync->mix g=1,2)');
  expect(sent(t)).toEqual(['mds.0 -> mds.1 lock(a=mix ifile /d)', 'mds.0 -> mds.2 lock(a=mix ifile /d)']);
  // 3-4. replicas ack and park in sync->mix(2); mds.1's mkdir retries and waits again
  t = deliverOne(c, { from: 0, to: 2 })!;
  expect(line(c, 2, 'ifile /d')).toBe('(ifile sync->mix(2))');
  expect(sent(t)).toEqual(['mds.2 -> mds.0 lock(a=mixack ifile /d)']);
  deliverOne(c, { from: 0, to: 1 });
  expect(line(c, 1, 'ifile /d')).toBe('(ifile sync->mix(2))');
  expect(findRequest(c, 'client.4102:15')!.status).toBe('waiting');
  // 5. mds.0 gets both MIXACKs: MIX, AC_MIX with data; file_eval keeps the delegation point in MIX
  deliverOne(c, { from: 2, to: 0 });
  expect(line(c, 0, 'ifile /d')).toBe('(ifile sync->mix g=1)');
  t = deliverOne(c, { from: 1, to: 0 })!;
  expect(line(c, 0, 'ifile /d')).toBe('(ifile mix)');
  expect(sent(t)).toEqual(['mds.0 -> mds.1 lock(a=mix ifile /d)', 'mds.0 -> mds.2 lock(a=mix ifile /d)']);
  // 6-7. replicas go to MIX; the mkdir wrlocks locally
  deliverOne(c, { from: 0, to: 2 });
  expect(line(c, 2, 'ifile /d')).toBe('(ifile mix)');
  deliverOne(c, { from: 0, to: 1 });
  expect(line(c, 1, 'ifile /d')).toBe('(ifile mix w=1)');
  expect(findRequest(c, 'client.4102:15')!.status).toBe('granted');
  // 8. the mkdir updates its dirfrag's fragstat
  scatterUpdate(c, 'client.4102:15', ref('ifile /d'));
  expect(line(c, 1, 'ifile /d')).toBe('(ifile mix w=1 dirty)');
}

describe('W3: filelock sync -> mix with replicas, triggered by a replica wrlock', () => {
  it('prints the spec lines after every step', () => {
    w3(cluster(3, [dir('/d', [1, 2], { delegation: true })]));
  });
});

describe('W4: mix -> sync with a replica wrlock and dirty scattered data', () => {
  it('prints the spec lines after every step and gathers the update exactly once', () => {
    const c = cluster(3, [dir('/d', [1, 2], { delegation: true })]);
    w3(c);
    expect(lines(c, 'ifile /d')).toEqual(['(ifile mix)', '(ifile mix w=1 dirty)', '(ifile mix)']);
    // 1. getattr(Fs) on mds.0 needs rdlock(ifile): simple_sync from MIX
    let t = submitRequest(c, 0, 'client.4101:20', [rd('ifile /d')]);
    expect(line(c, 0, 'ifile /d')).toBe('(ifile mix->sync g=1,2)');
    expect(sent(t)).toEqual(['mds.0 -> mds.1 lock(a=sync ifile /d)', 'mds.0 -> mds.2 lock(a=sync ifile /d)']);
    // 2. mds.2 acks with its clean data
    t = deliverOne(c, { from: 0, to: 2 })!;
    expect(line(c, 2, 'ifile /d')).toBe('(ifile mix->sync(2))');
    expect(sent(t)).toEqual(['mds.2 -> mds.0 lock(a=syncack ifile /d)']);
    // 3. mds.1 cannot: its wrlock blocks
    deliverOne(c, { from: 0, to: 1 });
    expect(line(c, 1, 'ifile /d')).toBe('(ifile mix->sync w=1 dirty)');
    // 4. mds.0 handles mds.2's SYNCACK
    deliverOne(c, { from: 2, to: 0 });
    expect(line(c, 0, 'ifile /d')).toBe('(ifile mix->sync g=1)');
    // 5. the mkdir finishes: SYNCACK with its dirty data; OP_FINISH for its auth pin goes first
    t = finishRequest(c, 'client.4102:15');
    expect(line(c, 1, 'ifile /d')).toBe('(ifile mix->sync(2) flushing)');
    expect(sent(t)).toEqual(['mds.1 -> mds.0 peer_request(client.4102:15 finish)', 'mds.1 -> mds.0 lock(a=syncack ifile /d)']);
    // 6. mds.0 handles the SYNCACK: dirty -> write-behind
    deliverOne(c, { from: 1, to: 0 });
    t = deliverOne(c, { from: 1, to: 0 })!;
    expect(passed(t, 0, 'ifile')).toEqual(['(ifile mix->sync dirty)', '(ifile mix->sync w=1 flushing)']);
    expect(sent(t)).toEqual(['mds.0 -> mds.0 journal(commit scatter_writebehind ifile /d)']);
    // 7. the write-behind commits: sync, and the getattr takes its rdlock
    t = deliverOne(c, { from: 0, to: 0 })!;
    expect(passed(t, 0, 'ifile')).toEqual(['(ifile mix->sync w=1 flushed)', '(ifile mix->sync flushed)', '(ifile sync)', '(ifile sync r=1)']);
    expect(sent(t)).toEqual(['mds.0 -> mds.1 lock(a=sync ifile /d)', 'mds.0 -> mds.2 lock(a=sync ifile /d)']);
    expect(findRequest(c, 'client.4101:20')!.status).toBe('granted');
    // 8. replicas go to SYNC; mds.1's flushed data is now clean
    deliverAll(c);
    expect(lines(c, 'ifile /d')).toEqual(['(ifile sync r=1)', '(ifile sync)', '(ifile sync)']);
    // the one update made on mds.1 is folded into the inode once, and every copy knows it
    expect([0, 1, 2].map((r) => scatter(c, r, 'ifile /d').scatter_value)).toEqual([1, 1, 1]);
    expect([0, 1, 2].map((r) => scatter(c, r, 'ifile /d').scatter_pending)).toEqual([0, 0, 0]);
  });
});

describe('W5: inest mix -> lock with dirty data, write-behind and return to mix', () => {
  it('prints the spec lines after every step', () => {
    const c = cluster(3, [dir('/d', [1, 2], { delegation: true, locks: { inest: 'mix' } })]);
    // mds.1 propagated rstat changes from its dirfrag under a (local, MIX) wrlock
    submitRequest(c, 1, 'client.4102:16', [wr('inest /d')]);
    scatterUpdate(c, 'client.4102:16', ref('inest /d'));
    finishRequest(c, 'client.4102:16');
    expect(lines(c, 'inest /d')).toEqual(['(inest mix)', '(inest mix dirty)', '(inest mix)']);
    // 1. scatter_tick on mds.1 nudges the auth
    let t = tick(c, 1);
    expect(sent(t)).toEqual(['mds.1 -> mds.0 lock(a=nudge inest /d)']);
    expect(line(c, 1, 'inest /d')).toBe('(inest mix dirty)');
    expect(Object.values(c.ranks[1].updated_scatterlocks)).toEqual([ref('inest /d')]);
    // 2. mds.0: scatter_nudge -> simple_lock, nothing local to gather -> mix->lock(2) at once
    t = deliverOne(c, { from: 1, to: 0 })!;
    expect(passed(t, 0, 'inest')).toEqual(['(inest mix->lock)', '(inest mix->lock(2) g=1,2)']);
    expect(sent(t)).toEqual(['mds.0 -> mds.1 lock(a=lock inest /d)', 'mds.0 -> mds.2 lock(a=lock inest /d)']);
    // 3. mds.2 acks with clean data
    t = deliverOne(c, { from: 0, to: 2 })!;
    expect(line(c, 2, 'inest /d')).toBe('(inest lock)');
    expect(sent(t)).toEqual(['mds.2 -> mds.0 lock(a=lockack inest /d)']);
    // 4. mds.1 acks with its dirty data and starts flushing
    deliverOne(c, { from: 0, to: 1 });
    expect(line(c, 1, 'inest /d')).toBe('(inest lock flushing)');
    // 5. mds.0 handles both LOCKACKs: dirty -> write-behind
    deliverOne(c, { from: 2, to: 0 });
    expect(line(c, 0, 'inest /d')).toBe('(inest mix->lock(2) g=1)');
    t = deliverOne(c, { from: 1, to: 0 })!;
    expect(passed(t, 0, 'inest')).toEqual(['(inest mix->lock(2) dirty)', '(inest mix->lock(2) w=1 flushing)']);
    // 6. the write-behind commits: LOCKFLUSHED, LOCK, and scatter_eval sends it back to MIX
    t = deliverOne(c, { from: 0, to: 0 })!;
    expect(passed(t, 0, 'inest')).toEqual(['(inest mix->lock(2) w=1 flushed)', '(inest mix->lock(2) flushed)', '(inest lock)', '(inest mix)']);
    expect(sent(t)).toEqual([
      'mds.0 -> mds.1 lock(a=lockflushed inest /d)', 'mds.0 -> mds.2 lock(a=lockflushed inest /d)',
      'mds.0 -> mds.1 lock(a=mix inest /d)', 'mds.0 -> mds.2 lock(a=mix inest /d)',
    ]);
    // 7. replicas handle LOCKFLUSHED
    deliverOne(c, { from: 0, to: 1 });
    deliverOne(c, { from: 0, to: 2 });
    expect(lines(c, 'inest /d', [1, 2])).toEqual(['(inest lock)', '(inest lock)']);
    // 8. replicas handle AC_MIX; the next tick drops mds.1's stale queue entry
    deliverAll(c);
    expect(lines(c, 'inest /d')).toEqual(['(inest mix)', '(inest mix)', '(inest mix)']);
    expect(sent(tick(c, 1))).toEqual([]);
    expect(Object.values(c.ranks[1].updated_scatterlocks)).toEqual([]);
    expect([0, 1, 2].map((r) => scatter(c, r, 'inest /d').scatter_value)).toEqual([1, 1, 1]);
  });
});
