// Which of the Locker's transition edges (statemachines/transitions.ts, plus each row's `next`)
// a set of runs exercised, per machine and per side (auth or replica copy), in total and per
// file. Edges are read back from the trace: each Locker log line shows a lock copy's state after
// a rule, so two successive states of one copy are one edge. An observed edge that is not
// declared means the simulator or the edge list is wrong, and is reported as such.
import { setsStateOutsideEdges } from '../trace/stateSetters.js';
import {
  MACHINES, STARTERS, UNREACHABLE, UNREACHABLE_EDGES, lockTypeByName, lockerEdges, stateByName, stateName,
  type LockerEdge, type Side, type StateMachine,
} from '../../statemachines/index.js';
import type { Cluster } from '../cluster/Cluster.js';
import type { TraceEvent } from '../locker/context.js';

export interface EdgeKey { machine: StateMachine['name']; from: number; to: number; side: Side }
/** An edge with the Locker functions that take it. */
export interface Edge extends EdgeKey { readonly by: readonly string[] }

const key = (e: EdgeKey) => `${e.machine} ${e.side} ${e.from}>${e.to}`;

/**
 * The functions behind each declared edge of `sm`. An edge's `via` is a function, or for a
 * replica the message it follows: handle_lock passes those to handle_simple_lock for
 * sm_simplelock and to handle_file_lock for the others (src/locker/handlers.ts). An eval_gather
 * edge out of the state a starter enters is also taken by the starter itself when it has
 * nothing to gather (it sets the next state at once); simple_lock from mix first goes on to
 * mix->lock(2) and finishes from there. test/inspect/coverage.test.ts checks that every function
 * the scenarios' traces show taking an edge is listed here.
 */
function declaredEdges(sm: StateMachine): Map<string, Edge> {
  const edges = lockerEdges(sm);
  const isStage = (e: LockerEdge) => e.side === 'auth' && e.via === 'eval_gather' && sm.states[e.from].next !== e.to;
  const stage2 = new Map(edges.filter(isStage).map((e) => [e.from, e.to]));
  const finishers = new Map<number, string[]>();
  const addFinisher = (s: number, fn: string) => finishers.set(s, [...(finishers.get(s) ?? []), fn]);
  for (const e of edges) {
    if (e.side !== 'auth' || !Object.hasOwn(STARTERS, e.via)) continue;
    addFinisher(e.to, e.via);
    const next = stage2.get(e.to);
    if (next !== undefined) addFinisher(next, e.via);
  }
  const handler = sm.name === 'sm_simplelock' ? 'handle_simple_lock' : 'handle_file_lock';
  const out = new Map<string, Edge>();
  for (const e of edges) {
    const k: EdgeKey = { machine: sm.name, from: e.from, to: e.to, side: e.side };
    // out of mix->lock a finishing starter takes the stage to mix->lock(2), not mix->lock -> lock
    const finishing = e.side === 'auth' && e.via === 'eval_gather' && (!stage2.has(e.from) || isStage(e));
    const starters = finishing ? finishers.get(e.from) ?? [] : [];
    const by = [...(out.get(key(k))?.by ?? []), ...starters, e.via.startsWith('AC_') ? `${handler} on ${e.via}` : e.via];
    out.set(key(k), { ...k, by: [...new Set(by)] });
  }
  return out;
}

const DECLARED = new Map(Object.values(MACHINES).map((sm) => [sm.name, declaredEdges(sm)]));

const isUnreachable = (e: EdgeKey) =>
  UNREACHABLE[e.from] !== undefined || UNREACHABLE[e.to] !== undefined ||
  UNREACHABLE_EDGES.some((u) => u.machines.includes(e.machine) && u.from === e.from && u.to === e.to && u.side === e.side);

export interface MachineCoverage {
  readonly machine: StateMachine['name'];
  /** Declared edges a run can take. */
  readonly declared: number;
  readonly covered: number;
  readonly uncovered: Edge[];
  /** Taken, yet not a reachable declared edge: `by` is what the trace shows taking it. */
  readonly undeclared: Edge[];
  readonly unreachable: Edge[];
}

export class Coverage {
  /** Edges taken, with the functions whose log lines show them. */
  private readonly seen = new Map<string, { edge: EdgeKey; fns: Set<string> }>();
  private readonly perFile = new Map<string, Set<string>>();

  /**
   * Record the edges of one run: `initial` is the cluster before its first step. With `file`,
   * they also count for that file in files().
   */
  addRun(initial: Cluster, events: Iterable<TraceEvent | { kind: string }>, file?: string): void {
    let mine: Set<string> | undefined;
    if (file !== undefined) {
      mine = this.perFile.get(file) ?? new Set<string>();
      this.perFile.set(file, mine);
    }
    const last = new Map<string, number>();
    for (const r of initial.ranks) {
      for (const o of r.objects()) {
        for (const l of o.locks()) last.set(`${r.id} ${l.lt.name} ${o.key}`, l.state);
      }
    }
    for (const e of events) {
      // a successor's replay rebuilds the rank's locks as constructed: their states are unknown until logged
      if (e.kind === 'mds' && (e as Extract<TraceEvent, { kind: 'mds' }>).what.startsWith('replay')) {
        const prefix = `${(e as Extract<TraceEvent, { kind: 'mds' }>).rank} `;
        for (const k of [...last.keys()]) if (k.startsWith(prefix)) last.delete(k);
      }
      if (e.kind !== 'locker') continue;
      const ev = e as Extract<TraceEvent, { kind: 'locker' }>;
      const [type, state] = ev.lock.slice(1, -1).split(' '); // `(<type> <state>[ ...])`
      const lt = lockTypeByName(type);
      const to = stateByName(state);
      if (!lt || to === undefined) continue;
      const k = `${ev.rank} ${lt.name} ${lt.owner === 'CDentry' ? `dentry ${ev.path}` : ev.path}`;
      const from = last.get(k);
      last.set(k, to);
      if (from === undefined || from === to || setsStateOutsideEdges(ev.fn)) continue;
      const edge: EdgeKey = { machine: lt.sm.name, from, to, side: ev.auth ? 'auth' : 'replica' };
      const s = this.seen.get(key(edge)) ?? { edge, fns: new Set<string>() };
      s.fns.add(ev.fn);
      this.seen.set(key(edge), s);
      mine?.add(key(edge));
    }
  }

  /** A seen edge with its declared functions, or (undeclared) the ones the trace shows. */
  private described(k: string): Edge {
    const { edge, fns } = this.seen.get(k)!;
    return DECLARED.get(edge.machine)!.get(k) ?? { ...edge, by: [...fns].sort() };
  }

  report(): MachineCoverage[] {
    return Object.values(MACHINES).map((sm) => {
      const all = [...DECLARED.get(sm.name)!.values()];
      const reachable = all.filter((e) => !isUnreachable(e));
      const isReachable = new Set(reachable.map(key));
      const seen = [...this.seen.keys()].filter((k) => this.seen.get(k)!.edge.machine === sm.name);
      return {
        machine: sm.name,
        declared: reachable.length,
        covered: reachable.filter((e) => this.seen.has(key(e))).length,
        uncovered: reachable.filter((e) => !this.seen.has(key(e))),
        undeclared: seen.filter((k) => !isReachable.has(k)).map((k) => this.described(k)),
        unreachable: all.filter(isUnreachable),
      };
    });
  }

  /** Per file, in the order first added: the distinct edges its runs took, in the order first taken. */
  files(): { file: string; edges: Edge[] }[] {
    return [...this.perFile].map(([file, ks]) => ({ file, edges: [...ks].map((k) => this.described(k)) }));
  }

  /** The functions the traces show taking `e` (empty if no run took it). */
  takenBy(e: EdgeKey): string[] {
    return [...(this.seen.get(key(e))?.fns ?? [])].sort();
  }
}

/** `sm_simplelock auth: lock -> lock->sync (simple_sync)` */
export const edgeText = (e: Edge): string =>
  `${e.machine} ${e.side}: ${stateName(e.from)} -> ${stateName(e.to)}${e.by.length ? ` (${e.by.join(', ')})` : ''}`;
