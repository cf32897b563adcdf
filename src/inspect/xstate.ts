// xstate v5 machines derived from the tables (never written by hand): one xstate state per
// row, the `next` edge of each transitional state as GATHER_DONE, plus the Locker edges
// (statemachines/transitions.ts) as events named after the function or message that takes
// them. For inspection and path finding (xstate/graph), never the hot path.
import { createMachine, type AnyStateMachine } from 'xstate';
import { STATE_CONSTANTS, stateName, LOCK_SYNC, LOCK_LOCK, type StateMachine } from '../../statemachines/index.js';

export interface Edge {
  readonly from: number;
  readonly to: number;
  /** The event: a Locker function or message (e.g. `simple_lock`, `AC_LOCK`). */
  readonly via: string;
  readonly side?: 'auth' | 'replica';
}

/** The xstate event of an edge: replica-side edges get their own events (`eval_gather@replica`). */
export const eventOf = (e: Edge) => (e.side === 'replica' ? `${e.via}@replica` : e.via);

export const GATHER_DONE = 'GATHER_DONE';

export function xstateConfig(sm: StateMachine, edges: readonly Edge[] = []) {
  const states: Record<string, { description: string; on: Record<string, string[]>; meta: { value: number } }> = {};
  const state = (s: number, zeroRow = false) => {
    states[STATE_CONSTANTS[s]] ??= { description: stateName(s) + (zeroRow ? ' (no row: reads as all zeros)' : ''), on: {}, meta: { value: s } };
  };
  for (const s of sm.defined) state(s);
  // a Locker edge may enter a state the machine has no row for (Q3: scatterlock mix->sync(2))
  for (const e of edges) if (sm.defined.includes(e.from) && !sm.defined.includes(e.to)) state(e.to, true);
  const add = (from: number, to: number, via: string) => {
    const st = states[STATE_CONSTANTS[from]];
    if (!st || !states[STATE_CONSTANTS[to]]) throw new Error(`${sm.name}: edge ${via} ${from}->${to} leaves the table`);
    const targets = (st.on[via] ??= []);
    if (!targets.includes(STATE_CONSTANTS[to])) targets.push(STATE_CONSTANTS[to]);
  };
  for (const s of sm.defined) if (sm.states[s].next !== 0) add(s, sm.states[s].next, GATHER_DONE);
  for (const e of edges) add(e.from, e.to, eventOf(e));
  // xstate transitions take one target per event: several targets become guarded choices in
  // Ceph (which state follows depends on the lock); keep the first, list all in meta.
  const on = (o: Record<string, string[]>) => Object.fromEntries(Object.entries(o).map(([ev, ts]) => [ev, { target: ts[0], meta: { targets: ts } }]));
  return {
    id: sm.name,
    initial: STATE_CONSTANTS[sm.defined.includes(LOCK_SYNC) ? LOCK_SYNC : LOCK_LOCK],
    states: Object.fromEntries(Object.entries(states).map(([k, v]) => [k, { description: v.description, meta: v.meta, on: on(v.on) }])),
  };
}

export function xstateMachine(sm: StateMachine, edges: readonly Edge[] = []): AnyStateMachine {
  return createMachine(xstateConfig(sm, edges));
}
