import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { MACHINES, LOCK_SYNC_LOCK, LOCK_LOCK, STATE_CONSTANTS } from '../statemachines/index.js';
import { xstateConfig, xstateMachine, GATHER_DONE, eventOf } from '../src/inspect/xstate.js';

describe('xstate machines derived from the tables', () => {
  it('has one state per table row and a GATHER_DONE edge for every transitional row', () => {
    for (const sm of Object.values(MACHINES)) {
      const cfg = xstateConfig(sm);
      expect(Object.keys(cfg.states)).toEqual(sm.defined.map((s) => STATE_CONSTANTS[s]));
      for (const s of sm.defined) {
        const on = cfg.states[STATE_CONSTANTS[s]].on as Record<string, { target: string }>;
        if (sm.states[s].next === 0) expect(on[GATHER_DONE]).toBeUndefined();
        else expect(on[GATHER_DONE].target).toBe(STATE_CONSTANTS[sm.states[s].next]);
      }
    }
  });

  it('runs: an actor in sync->lock moves to lock on GATHER_DONE; Locker edges are added as events', () => {
    const m = xstateMachine(MACHINES.simplelock, [{ from: 1, to: LOCK_SYNC_LOCK, via: 'simple_lock' }]);
    const actor = createActor(m).start();
    expect(actor.getSnapshot().value).toBe('LOCK_SYNC');
    actor.send({ type: 'simple_lock' });
    expect(actor.getSnapshot().value).toBe('LOCK_SYNC_LOCK');
    actor.send({ type: GATHER_DONE });
    expect(actor.getSnapshot().value).toBe(STATE_CONSTANTS[LOCK_LOCK]);
    actor.stop();
  });

  it('rejects an edge from a state the machine has no row for', () => {
    expect(() => xstateConfig(MACHINES.locallock, [{ from: 1, to: LOCK_LOCK, via: 'x' }])).toThrow(/leaves the table/);
  });
});

describe('Locker edges in the xstate machines, and paths through them', () => {
  it('every machine accepts its Locker edges; each edge is an event of its from-state', async () => {
    const { lockerEdges } = await import('../statemachines/index.js');
    for (const sm of Object.values(MACHINES)) {
      const edges = lockerEdges(sm);
      const cfg = xstateConfig(sm, edges);
      for (const e of edges) {
        const on = cfg.states[STATE_CONSTANTS[e.from]].on as Record<string, { meta: { targets: string[] } }>;
        expect(on[eventOf(e)].meta.targets).toContain(STATE_CONSTANTS[e.to]);
      }
    }
    expect(lockerEdges(MACHINES.locallock)).toEqual([]);
  });

  it('finds the auth path from sync to prexlock and xlock: simple_lock, gather, simple_xlock, ...', async () => {
    const { shortestPath } = await import('../src/inspect/paths.js');
    const { LOCK_SYNC, LOCK_XLOCK, LOCK_PREXLOCK, LOCK_MIX_SYNC2, LOCK_MIX } = await import('../statemachines/index.js');
    expect(shortestPath(MACHINES.simplelock, LOCK_SYNC, LOCK_PREXLOCK)).toEqual([
      { event: 'simple_lock', to: 'sync->lock' }, { event: GATHER_DONE, to: 'lock' },
      { event: 'simple_xlock', to: 'lock->xlock' }, { event: GATHER_DONE, to: 'prexlock' },
    ]);
    // unguarded, the shortest way in is the xlocking client's XCL shortcut from lock->xlock
    expect(shortestPath(MACHINES.simplelock, LOCK_SYNC, LOCK_XLOCK)!.map((s) => s.event)).toEqual(['simple_lock', GATHER_DONE, 'simple_xlock', 'xlock_start']);
    // a scatterlock replica parks in mix->sync(2), a state with no row
    expect(shortestPath(MACHINES.scatterlock, LOCK_MIX, LOCK_MIX_SYNC2)!.map((s) => s.to)).toEqual(['mix->sync', 'mix->sync(2) (no row: reads as all zeros)']);
    expect(shortestPath(MACHINES.simplelock, LOCK_SYNC, LOCK_MIX)).toBeNull();
  });
});
