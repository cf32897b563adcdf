// The explorer's correctness check: the port of the reference SPIN model (test/fixtures/
// simplelock.pml) must reach exactly the distinct states SPIN 6.5.2 stores for it (spin -a,
// gcc -DSAFETY -DNOREDUCE, pan -m2000000; every step there is one atomic block, so SPIN's
// stored states are the reachable states), and its -DBUG variant must break the property.
import { describe, expect, it } from 'vitest';
import { SimplelockModel } from '../../src/models/simplelock.js';
import { explore } from '../../src/checker/explore.js';
import { rebuild } from '../../src/checker/trace.js';

const SPIN: [n: number, l: number, states: number][] = [[2, 1, 241], [3, 1, 1729], [4, 1, 13057], [2, 2, 58081], [3, 2, 2989441]];

describe('the simplelock reference model', () => {
  it.each(SPIN)('N=%i L=%i reaches SPIN\'s %i states, exhausted, the property holding', (n, l, states) => {
    const r = explore(new SimplelockModel({ n, l }));
    expect(r.violation).toBeNull();
    expect(r.exhausted).toBe(true);
    expect(r.distinct).toBe(states);
  }, 120_000);

  it('reaches the same states with its queue spilling to disk', () => {
    const r = explore(new SimplelockModel({ n: 4, l: 1 }), { queue: { memoryBytes: 4096, segmentBytes: 1024 } });
    expect(r.distinct).toBe(13057);
    expect(r.spilledBytes).toBeGreaterThan(0);
  });

  it('depth-first reaches the same states', () => {
    expect(explore(new SimplelockModel({ n: 3, l: 1 }), { dfs: true }).distinct).toBe(1729);
  });

  it('the BUG variant is caught, with a shortest trace that reaches the bad state', () => {
    const m = new SimplelockModel({ n: 2, l: 1, bug: true });
    const r = explore(m);
    expect(r.violation?.property).toBe('no_xlock_with_replica_rdlock');
    const cx = rebuild(m, r.table, r.violation!, false);
    // a replica rdlocks, the auth sends LOCK, the replica acks at once keeping its rdlock, the
    // other replica acks, the auth takes both acks and reaches LOCK: then the xlock fails
    expect(cx.steps.length - 1 + (cx.failed ? 1 : 0)).toBe(7);
    expect(cx.failed && m.describe(cx.steps.at(-1)!.state, cx.failed)).toBe('auth lock 0: xlock');
    // the trace really leads there: replaying its actions from the initial state
    let s = m.initStates()[0];
    for (const st of cx.steps.slice(1)) s = m.nextState(s, st.action!);
    expect(() => m.nextState(s, cx.failed!)).toThrow(/xlock while replicas hold 1 rdlock/);
  });

  it('a depth bound stops short of the bug and says the space was not exhausted', () => {
    const r = explore(new SimplelockModel({ n: 2, l: 1, bug: true }), { maxDepth: 5 });
    expect(r.violation).toBeNull();
    expect(r.exhausted).toBe(false);
    expect(r.bound).toBe('max-depth');
  });

  it('symmetry counts states equal up to a permutation of replicas once, and still finds the bug', () => {
    const full = explore(new SimplelockModel({ n: 3, l: 1 })).distinct;
    const sym = explore(new SimplelockModel({ n: 3, l: 1 }), { symmetry: true }).distinct;
    expect(sym).toBeLessThan(full);
    expect(sym).toBeGreaterThan(full / 6 - 1); // at most 3! states collapse into one
    const bug = explore(new SimplelockModel({ n: 3, l: 1, bug: true }), { symmetry: true });
    expect(bug.violation?.property).toBe('no_xlock_with_replica_rdlock');
    const m = new SimplelockModel({ n: 3, l: 1, bug: true });
    expect(rebuild(m, bug.table, bug.violation!, true).steps.length).toBeGreaterThan(1);
  });
});
