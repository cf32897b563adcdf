// The machines as aligned text tables for a terminal (`mdslock tables`).
import {
  MACHINES, COLUMNS, PERM_NAMES, gcapString, stateName, type StateMachine,
} from '../../statemachines/index.js';
import { PLAIN, type Style } from '../trace/style.js';

const HEAD: Record<(typeof COLUMNS)[number], string> = {
  next: 'next', loner: 'loner', replica_state: 'replica', can_read: 'r', can_read_projected: 'rp',
  can_rdlock: 'rd', can_wrlock: 'wr', can_force_wrlock: 'fwr', can_lease: 'l', can_xlock: 'x',
  caps: 'caps', loner_caps: 'loner', xlocker_caps: 'xlocker', replica_caps: 'replica',
};

function cell(col: (typeof COLUMNS)[number], v: number | boolean): string {
  if (col === 'next' || col === 'replica_state') return v === 0 ? '0' : stateName(v as number);
  if (col === 'loner') return v ? 'true' : 'false';
  if (col.startsWith('can_')) return v === 0 ? '0' : PERM_NAMES[v as number];
  return v === 0 ? '0' : gcapString(v as number);
}

export function machineText(sm: StateMachine, st: Style = PLAIN): string {
  const header = ['state', ...COLUMNS.map((c) => HEAD[c])];
  const rows = sm.defined.map((s) => [stateName(s), ...COLUMNS.map((c) => cell(c, sm.states[s][c]))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const out = [st.lockType(sm.name), st.dim(line(header))];
  for (const r of rows) out.push(line(r));
  out.push(st.dim(`allowed_ever_auth=${gcapString(sm.allowed_ever_auth) || '0'} allowed_ever_replica=${gcapString(sm.allowed_ever_replica) || '0'} ` +
    `careful=${gcapString(sm.careful) || '0'} can_remote_xlock=${sm.can_remote_xlock ? 1 : 0}`));
  return out.join('\n');
}

export function tablesText(st: Style = PLAIN): string {
  return Object.values(MACHINES).map((sm) => machineText(sm, st)).join('\n\n') + '\n' +
    '\nPermissions: ANY auth or replica, AUTH auth only, XCL xlocker (wrlocks: also the loner), REQ replica asks the auth.' +
    '\nCaps are generic cap letters: s=GSHARED x=GEXCL c=GCACHE r=GRD w=GWR b=GBUFFER a=GWREXTEND l=GLAZYIO.\n';
}
