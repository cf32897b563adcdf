// The machines as aligned text tables for a terminal (`mdslock tables`), then one legend: the
// headers are short to keep a row on one line, so each is spelled out with its Ceph column.
import {
  MACHINES, COLUMNS, GENERIC_CAPS, PERM_NAMES, gcapString, stateName, type StateMachine,
} from '../../statemachines/index.js';
import { PLAIN, type Style } from '../trace/style.js';

type Column = (typeof COLUMNS)[number];

/** Each column's header (all distinct) and what it holds. */
export const HEADERS: Record<Column, { head: string; means: string }> = {
  next: { head: 'next', means: 'state entered once the gather completes (0: a stable state)' },
  loner: { head: 'loner', means: 'loner mode: clients other than the loner get only `caps`' },
  replica_state: { head: 'rstate', means: 'state replica copies are in while the auth is in this one (0: none given)' },
  can_read: { head: 'read', means: 'who may read the current value' },
  can_read_projected: { head: 'readp', means: 'who may read the projected (not yet journalled) value' },
  can_rdlock: { head: 'rdlock', means: 'who may take a rdlock' },
  can_wrlock: { head: 'wrlock', means: 'who may take a wrlock' },
  can_force_wrlock: { head: 'fwrlock', means: 'who may take a forced wrlock' },
  can_lease: { head: 'lease', means: 'who may issue a client a lease' },
  can_xlock: { head: 'xlock', means: 'who may take an xlock' },
  caps: { head: 'caps', means: 'generic caps any client may hold' },
  loner_caps: { head: 'lcaps', means: 'extra caps for the loner client' },
  xlocker_caps: { head: 'xcaps', means: 'extra caps for the xlocking client' },
  replica_caps: { head: 'rcaps', means: 'caps a replica MDS may issue' },
};

function cell(col: Column, v: number | boolean): string {
  if (col === 'next' || col === 'replica_state') return v === 0 ? '0' : stateName(v as number);
  if (col === 'loner') return v ? 'true' : 'false';
  if (col.startsWith('can_')) return v === 0 ? '0' : PERM_NAMES[v as number];
  return v === 0 ? '0' : gcapString(v as number);
}

export function machineText(sm: StateMachine, st: Style = PLAIN): string {
  const header = ['state', ...COLUMNS.map((c) => HEADERS[c].head)];
  const rows = sm.defined.map((s) => [stateName(s), ...COLUMNS.map((c) => cell(c, sm.states[s][c]))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const out = [st.lockType(sm.name), st.dim(line(header))];
  for (const r of rows) out.push(line(r));
  out.push(st.dim(`allowed_ever_auth=${gcapString(sm.allowed_ever_auth) || '0'} allowed_ever_replica=${gcapString(sm.allowed_ever_replica) || '0'} ` +
    `careful=${gcapString(sm.careful) || '0'} can_remote_xlock=${sm.can_remote_xlock ? 1 : 0}`));
  return out.join('\n');
}

/** The legend printed after the tables. */
export function legendText(st: Style = PLAIN): string {
  const head = Math.max(...COLUMNS.map((c) => HEADERS[c].head.length));
  const ceph = Math.max(...COLUMNS.map((c) => c.length));
  return [
    st.dim("Columns (Ceph's sm_state_t fields, in the order of the tables in src/mds/locks.c):"),
    ...COLUMNS.map((c) => `  ${HEADERS[c].head.padEnd(head)}  ${c.padEnd(ceph)}  ${HEADERS[c].means}`),
    st.dim('Permissions (read ... xlock):'),
    '  ANY   the auth or a replica',
    '  AUTH  the auth only',
    '  XCL   the xlocker\'s client (wrlock, fwrlock: also the loner)',
    '  REQ   nobody as is: a replica asks the auth (REQRDLOCK), which changes state',
    '  0     nobody',
    st.dim("Caps (caps ... rcaps, Ceph's gcap_string letters; 0: none):"),
    `  ${GENERIC_CAPS.map((c) => `${c.letter}=${c.name}`).join(' ')}`,
  ].join('\n') + '\n';
}

export function tablesText(st: Style = PLAIN): string {
  return Object.values(MACHINES).map((sm) => machineText(sm, st)).join('\n\n') + '\n\n' + legendText(st);
}
