// The benchmark's workloads (lock lists, client ops) are real runs of the simulator: they complete, and one seed gives
// one final state (lock event count, messages, every lock as printed). No timing here:
// `npm run bench` measures, this only keeps what it measures honest.
import { describe, expect, it } from 'vitest';
import { Workload, workloadCluster, type WorkloadOptions } from '../bench/workload.js';
import { bareLoop } from '../bench/bare.js';
import { OpWorkload, opWorkloadCluster, type OpWorkloadOptions } from '../bench/opWorkload.js';
import { propertyRun } from '../bench/property.js';
import { immerLoop, xstateLoop } from '../bench/reference.js';
import { printLock } from '../src/trace/printLock.js';
import type { Cluster } from '../src/cluster/Cluster.js';

function finalState(c: Cluster): string[] {
  const out: string[] = [];
  for (const mds of c.ranks) {
    for (const o of [...Object.values(mds.inodes), ...Object.values(mds.dentries)]) {
      out.push(`mds.${mds.id} ${o.key} ${o.locks().map((l) => printLock(l)).join(' ')}`);
    }
  }
  return out;
}

function run(seed: number) {
  const opts: WorkloadOptions = { ranks: 3, inodes: 20, requests: 300, seed };
  const c = workloadCluster(opts);
  const w = new Workload(c, opts).run();
  return { events: c.stats.lock_events, sent: c.net.sent, delivered: c.net.delivered, counts: w.counts, locks: finalState(c) };
}

describe('benchmark workload', () => {
  it('runs to completion: every request submitted and finished, every message delivered', () => {
    const r = run(1);
    expect(r.counts.submit).toBe(300);
    expect(r.counts.finish + r.counts.cancel).toBe(300);
    expect(r.sent).toBe(r.delivered);
    expect(r.events).toBeGreaterThan(1000);
  });

  it('the same seed gives the same final state; another seed another run', () => {
    const a = run(7);
    expect(run(7)).toEqual(a);
    expect(run(8).locks.join('\n') !== a.locks.join('\n') || run(8).events !== a.events).toBe(true);
  });

  it('scales to more ranks', () => {
    const opts: WorkloadOptions = { ranks: 8, inodes: 10, requests: 100, seed: 3 };
    const c = workloadCluster(opts);
    new Workload(c, opts).run();
    expect(c.net.sent).toBe(c.net.delivered);
  });
});

describe('op benchmark workload', () => {
  const opRun = (seed: number) => {
    const o: OpWorkloadOptions = { ranks: 3, dirs: 6, names: 8, ops: 300, seed };
    const c = opWorkloadCluster(o);
    const w = new OpWorkload(c, o).run();
    const replies = Object.values(c.clients).flatMap((cl) => Object.values(cl.replies));
    return { w, c, replies, locks: finalState(c), events: c.stats.lock_events };
  };

  it('runs every op to its safe reply (or kills a deadlock), leaving nothing in flight', () => {
    const { w, c, replies, events } = opRun(1);
    expect(w.completed + w.killed).toBe(300);
    expect(c.net.sent).toBe(c.net.delivered);
    expect(c.ranks.every((r) => Object.keys(r.requests).length === 0)).toBe(true);
    // the mix meets: successes and Ceph's error replies both occur, and ops cross ranks
    expect(replies.filter((r) => r === 'safe').length).toBeGreaterThan(150);
    expect(replies).toContain('ENOENT');
    expect(c.net.delivered).toBeGreaterThan(1000);
    expect(events).toBeGreaterThan(5000);
  });

  it('the same seed gives the same final state', () => {
    const a = opRun(5);
    const b = opRun(5);
    expect(b.locks).toEqual(a.locks);
    expect(b.events).toBe(a.events);
  });
});

describe('benchmark references', () => {
  it('the bare loop, xstate and immer loops and a property run are deterministic', () => {
    expect(bareLoop(3, 10, 10000, 1)).toBe(bareLoop(3, 10, 10000, 1));
    expect(xstateLoop(200, 1)).toBe(xstateLoop(200, 1));
    expect(immerLoop(5, 10, 1)).toBe(5);
    expect(propertyRun(1)).toBe(propertyRun(1));
  });
});
