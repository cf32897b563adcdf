import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { MACHINES, LOCK_SYNC_LOCK, LOCK_LOCK, STATE_CONSTANTS } from '../statemachines/index.js';
import { xstateConfig, xstateMachine, GATHER_DONE } from '../src/inspect/xstate.js';

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

  it('rejects an edge to a state the machine has no row for', () => {
    expect(() => xstateConfig(MACHINES.locallock, [{ from: LOCK_LOCK, to: 1, via: 'x' }])).toThrow(/leaves the table/);
  });
});
