// The explorer's parts: the fingerprint table, the frontier, the bounds, and stuck states, on
// small models whose reachable states are known by hand.
import { describe, expect, it } from 'vitest';
import { FingerprintTable, fingerprint } from '../../src/checker/fingerprints.js';
import { frontier } from '../../src/checker/frontier.js';
import { explore } from '../../src/checker/explore.js';
import { simulate } from '../../src/checker/simulate.js';
import { rebuild } from '../../src/checker/trace.js';
import { Decoder, Encoder, type Model } from '../../src/models/Model.js';

/** A counter from 0 that may add 1 or 2 up to `max`; `stuckAt` has no action and is reported stuck. */
function counter(max: number, stuckAt = -1, bad = -1): Model<number, number> {
  return {
    name: 'counter',
    initStates: () => [0],
    actions: (s) => (s === stuckAt ? [] : [1, 2].filter((d) => s + d <= max)),
    nextState: (s, a) => s + a,
    encode: (s, e) => e.uint(s),
    decode: (b) => new Decoder(b).uint(),
    properties: [{ name: 'not_bad', check: (s) => (s === bad ? `reached ${s}` : null) }],
    stuck: (s) => (s === max ? null : `stopped at ${s}`),
    describe: (_s, a) => `add ${a}`,
    actionKind: (a) => `add ${a}`,
  };
}

describe('FingerprintTable', () => {
  it('stores each fingerprint once, in discovery order, through growth', () => {
    const t = new FingerprintTable(4);
    const fp = new Uint32Array(2);
    const enc = new Encoder();
    for (let i = 0; i < 5000; i++) {
      enc.reset().uint(i);
      fingerprint(enc.buf, fp, enc.len);
      expect(t.add(fp, i - 1)).toBe(i);
    }
    for (let i = 0; i < 5000; i += 97) {
      enc.reset().uint(i);
      fingerprint(enc.buf, fp, enc.len);
      expect(t.add(fp, 0)).toBe(-1);
      expect(t.find(fp)).toBe(i);
      expect(t.parent(i)).toBe(i - 1);
    }
    expect(t.size).toBe(5000);
    expect(t.bytesPerState()).toBeLessThan(64);
  });

  it('fingerprints differ for different bytes and lengths', () => {
    const a = new Uint32Array(2), b = new Uint32Array(2);
    fingerprint(new Uint8Array([1, 2, 3]), a);
    fingerprint(new Uint8Array([1, 2, 3, 0]), b);
    expect([...a]).not.toEqual([...b]);
  });
});

describe('Frontier', () => {
  const bytes = (x: number) => new Uint8Array([x, x + 1]);
  it('is first in, first out for breadth-first search, across segments and a spill to disk', () => {
    const f = frontier(false, { memoryBytes: 1000, segmentBytes: 300 });
    const seen: number[] = [], fps: number[] = [];
    const fp = new Uint32Array(2);
    const pop = () => { const x = f.pop(fp); expect([...x.bytes]).toEqual([x.id & 0xff, ((x.id & 0xff) + 1) & 0xff]); seen.push(x.id); fps.push(fp[1]); };
    for (let i = 0; i < 10000; i++) {
      f.push(bytes(i & 0xff), 2, i, 0, new Uint32Array([0, i * 3]));
      if (i % 2) pop();
    }
    while (f.length) pop();
    expect(seen).toEqual(Array.from({ length: 10000 }, (_, i) => i));
    expect(fps).toEqual(seen.map((i) => i * 3));
    expect(f.spilledBytes).toBeGreaterThan(0);
    f.close();
  });

  it('is last in, first out for depth-first search, each pop a copy', () => {
    const f = frontier(true);
    const fp = new Uint32Array(2);
    f.push(bytes(1), 2, 1, 0, fp);
    f.push(bytes(2), 2, 2, 1, fp);
    const top = f.pop(fp);
    f.push(bytes(9), 2, 3, 1, fp);
    expect([top.id, [...top.bytes]]).toEqual([2, [2, 3]]);
    expect([f.pop(fp).id, f.pop(fp).id]).toEqual([3, 1]);
  });
});

describe('explore', () => {
  it('visits every reachable state once and counts what it generated', () => {
    const r = explore(counter(10));
    expect(r.distinct).toBe(11);
    expect(r.generated).toBe(1 + 2 * 9 + 1); // the initial state; two actions from 0..8, one from 9
    expect(r.depth).toBe(5);
    expect(r.exhausted).toBe(true);
    expect(r.coverage.get('add 2')).toBe(9);
  });

  it('finds a shortest trace to a bad state (breadth-first)', () => {
    const m = counter(20, -1, 7);
    const r = explore(m);
    expect(r.violation?.property).toBe('not_bad');
    const cx = rebuild(m, r.table, r.violation!, false);
    expect(cx.steps.map((s) => s.state)).toEqual([0, 1, 3, 5, 7]);
  });

  it('reports a stuck state, and a state whose only actions lead back to itself is stuck too', () => {
    expect(explore(counter(10, 4)).violation).toMatchObject({ property: 'stuck', message: 'stopped at 4' });
    const loop: Model<number, number> = { ...counter(3), actions: (s) => (s === 2 ? [0] : [1]) };
    expect(explore(loop).violation).toMatchObject({ property: 'stuck', message: 'stopped at 2' });
  });

  it('stops at --max-states and --time, and says so', () => {
    expect(explore(counter(1000), { maxStates: 10 })).toMatchObject({ distinct: 10, exhausted: false, bound: 'max-states' });
    let t = 0;
    const r = explore(counter(100000), { timeMs: 50, now: () => (t += 1) });
    expect(r.bound).toBe('time');
    expect(r.exhausted).toBe(false);
  });
});

describe('simulate', () => {
  it('walks at random, seeded: the same seed, the same walks; a bad state found gets a real path', () => {
    const a = simulate(counter(50), { runs: 20, depth: 10, seed: 3 });
    const b = simulate(counter(50), { runs: 20, depth: 10, seed: 3 });
    expect([a.distinct, a.generated, a.depth]).toEqual([b.distinct, b.generated, b.depth]);
    expect(a.distinct).toBeLessThan(51);
    expect(a.exhausted).toBe(false);
    const m = counter(50, -1, 9);
    const r = simulate(m, { runs: 200, depth: 30, seed: 1 });
    expect(r.violation?.property).toBe('not_bad');
    const states = rebuild(m, r.table, r.violation!, false).steps.map((x) => x.state);
    expect(states.at(-1)).toBe(9);
    states.slice(1).forEach((x, k) => expect([1, 2]).toContain(x - states[k]));
  });

  it('reports a walk that gets stuck', () => {
    expect(simulate(counter(10, 4), { runs: 50, depth: 20, seed: 2 }).violation).toMatchObject({ property: 'stuck', message: 'stopped at 4' });
  });
});
