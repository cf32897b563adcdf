// Which of the Locker's transition edges (statemachines/transitions.ts, plus each row's `next`)
// a set of runs exercised, per machine and per side (auth or replica copy). Edges are read
// back from the trace: each Locker log line shows a lock copy's state after a rule, so two
// successive states of one copy are one edge. An observed edge that is not declared means the
// simulator or the edge list is wrong, and is reported as such.
import {
  MACHINES, UNREACHABLE, UNREACHABLE_EDGES, lockTypeByName, lockerEdges, stateByName, stateName, type Side, type StateMachine,
} from '../../statemachines/index.js';
import type { Cluster } from '../cluster/Cluster.js';
import type { TraceEvent } from '../locker/context.js';

export interface EdgeKey { machine: StateMachine['name']; from: number; to: number; side: Side }
const key = (e: EdgeKey) => `${e.machine} ${e.side} ${e.from}>${e.to}`;

export class Coverage {
  readonly seen = new Map<string, EdgeKey>();

  /** Record the edges of one run: `initial` is the cluster before the run's first step. */
  addRun(initial: Cluster, events: Iterable<TraceEvent | { kind: string }>): void {
    const last = new Map<string, number>();
    for (const r of initial.ranks) {
      for (const o of [...Object.values(r.inodes), ...Object.values(r.dentries)]) {
        for (const l of o.locks()) last.set(`${r.id} ${l.lt.name} ${o.key}`, l.state);
      }
    }
    for (const e of events) {
      if (e.kind !== 'locker') continue;
      const ev = e as Extract<TraceEvent, { kind: 'locker' }>;
      const [type, state] = ev.lock.slice(1, -1).split(' '); // `(<type> <state>[ ...])`
      const lt = lockTypeByName(type);
      const to = stateByName(state);
      if (!lt || to === undefined) continue;
      const k = `${ev.rank} ${lt.name} ${lt.owner === 'CDentry' ? `dentry ${ev.path}` : ev.path}`;
      const from = last.get(k);
      last.set(k, to);
      if (from === undefined || from === to) continue;
      const auth = initial.ranks[ev.rank][lt.owner === 'CDentry' ? 'dentries' : 'inodes'][ev.path]?.is_auth() ?? false;
      const edge: EdgeKey = { machine: lt.sm.name, from, to, side: auth ? 'auth' : 'replica' };
      this.seen.set(key(edge), edge);
    }
  }

  report() {
    return Object.values(MACHINES).map((sm) => {
      const declared = new Map<string, EdgeKey>();
      const unreachable: EdgeKey[] = [];
      for (const e of lockerEdges(sm)) {
        const k: EdgeKey = { machine: sm.name, from: e.from, to: e.to, side: e.side };
        const never = UNREACHABLE_EDGES.some((u) => u.machines.includes(sm.name) && u.from === e.from && u.to === e.to && u.side === e.side);
        if (never || UNREACHABLE[e.from] !== undefined || UNREACHABLE[e.to] !== undefined) unreachable.push(k);
        else declared.set(key(k), k);
      }
      const seen = [...this.seen.values()].filter((e) => e.machine === sm.name);
      return {
        machine: sm.name,
        declared: declared.size,
        covered: [...declared.keys()].filter((k) => this.seen.has(k)).length,
        uncovered: [...declared.values()].filter((e) => !this.seen.has(key(e))),
        undeclared: seen.filter((e) => !declared.has(key(e))),
        unreachable,
      };
    });
  }
}

export const edgeText = (e: EdgeKey) => `${e.side} ${stateName(e.from)} -> ${stateName(e.to)}`;
