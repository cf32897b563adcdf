// A state machine as a picture, from the data alone: every state of the machine (stable ones
// boxed, transitional ones dashed), every Locker edge of transitions.ts labelled with the
// functions and messages that take it (the auth's black, a replica's blue and dashed), and,
// asked, the states a table column lets in shaded. DOT text; renderSvg draws it with Graphviz
// compiled to WebAssembly (no native install; the same input draws the same SVG).
import {
  LOCK_TYPES, MACHINES, lockerEdges, stateName, type StateMachine, type StateRow,
} from '../../statemachines/index.js';
import { machineStates } from '../inspect/parsePrint.js';

/** The columns `--show` can shade by: a state is shaded when its code or caps are not zero. */
export const SHOWABLE = ['can_read', 'can_read_projected', 'can_rdlock', 'can_wrlock', 'can_force_wrlock', 'can_lease', 'can_xlock', 'caps', 'loner_caps', 'xlocker_caps', 'replica_caps'] as const;
export type Showable = (typeof SHOWABLE)[number];

/** The machine a name means: `filelock`, `sm_filelock`, or a lock type (`ifile`). */
export function machineFor(name: string): StateMachine | null {
  const m = (MACHINES as Record<string, StateMachine>)[name.replace(/^sm_/, '')];
  return m ?? LOCK_TYPES.find((l) => l.name === name)?.sm ?? null;
}

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function machineDot(sm: StateMachine, show: Showable | null = null): string {
  const lt = LOCK_TYPES.find((l) => l.sm === sm)!;
  const states = [...machineStates(lt)].sort((a, b) => a - b);
  const out = [
    `digraph ${sm.name} {`,
    `  label=${quote(`${sm.name} (Ceph's locks.c): boxes are stable states, dashed ovals transitional; black edges the auth's, blue dashed a replica's${show ? `; shaded: ${show} is not zero` : ''}`)};`,
    '  labelloc=t; fontname="Helvetica"; node [fontname="Helvetica" fontsize=11]; edge [fontname="Helvetica" fontsize=9];',
  ];
  for (const s of states) {
    const row: StateRow = sm.states[s];
    const stable = row.next === 0;
    const shaded = show !== null && row[show] !== 0;
    const style = [stable ? 'rounded' : 'dashed', ...(shaded ? ['filled'] : [])].join(',');
    out.push(`  ${quote(stateName(s))} [shape=${stable ? 'box' : 'ellipse'} style=${quote(style)}${shaded ? ' fillcolor="#fff3b0"' : ''}];`);
  }
  // one arrow per pair and side, labelled with every function or message that takes it
  const byPair = new Map<string, { from: number; to: number; side: string; via: string[] }>();
  for (const e of lockerEdges(sm)) {
    const key = `${e.from} ${e.to} ${e.side}`;
    const x = byPair.get(key) ?? { from: e.from, to: e.to, side: e.side, via: [] };
    if (!x.via.includes(e.via)) x.via.push(e.via);
    byPair.set(key, x);
  }
  for (const e of [...byPair.values()].sort((a, b) => a.from - b.from || a.to - b.to || (a.side < b.side ? -1 : 1))) {
    const replica = e.side === 'replica';
    out.push(`  ${quote(stateName(e.from))} -> ${quote(stateName(e.to))} [label=${quote(e.via.sort().join('\\n'))}${replica ? ' color="#1f5fbf" fontcolor="#1f5fbf" style=dashed' : ''}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

/** DOT drawn as SVG by Graphviz in WebAssembly. */
export async function renderSvg(dot: string): Promise<string> {
  const { Graphviz } = await import('@hpcc-js/wasm-graphviz');
  return (await Graphviz.load()).dot(dot);
}
