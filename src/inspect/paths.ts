// "How does a lock get from state A to state B?": shortest event paths over the xstate machine
// derived from the tables and the Locker's edges, using xstate's graph utilities.
import { getShortestPaths } from 'xstate/graph';
import { lockerEdges, STATE_CONSTANTS, type StateMachine } from '../../statemachines/index.js';
import { GATHER_DONE, eventOf, xstateConfig, xstateMachine } from './xstate.js';

export interface PathStep { event: string; to: string }

export function shortestPath(sm: StateMachine, from: number, to: number): PathStep[] | null {
  const edges = lockerEdges(sm);
  const cfg = xstateConfig(sm, edges);
  const machine = xstateMachine(sm, edges);
  const events = [GATHER_DONE, ...new Set(edges.map(eventOf))].map((type) => ({ type }));
  const start = machine.resolveState({ value: STATE_CONSTANTS[from], context: undefined });
  const paths = getShortestPaths(machine, {
    fromState: start,
    events,
    toState: (s) => s.value === STATE_CONSTANTS[to],
  } as Parameters<typeof getShortestPaths>[1]);
  if (paths.length === 0) return null;
  const steps = paths[0].steps.slice(1);
  return steps.map((st) => ({ event: st.event.type, to: cfg.states[String(st.state.value)].description }));
}
