// The machines as one JSON document (`mdslock tables --json`): states keyed by printed name,
// Ceph's 14 column names, permissions as "ANY"/"AUTH"/"XCL"/"REQ" or null, caps as arrays of
// generic cap names, `next`/`replica_state` as printed names or null.
import {
  MACHINES, COLUMNS, PERM_NAMES, gcapNames, stateName, STATE_CONSTANTS,
  type StateMachine, type StateRow,
} from '../../statemachines/index.js';

const PERM_COLUMNS = new Set(['can_read', 'can_read_projected', 'can_rdlock', 'can_wrlock', 'can_force_wrlock', 'can_lease', 'can_xlock']);
const CAP_COLUMNS = new Set(['caps', 'loner_caps', 'xlocker_caps', 'replica_caps']);

export type JsonCell = string | boolean | null | string[] | number;

export function rowJson(row: StateRow): Record<string, JsonCell> {
  const out: Record<string, JsonCell> = {};
  for (const col of COLUMNS) {
    const v = row[col];
    if (col === 'next' || col === 'replica_state') out[col] = v === 0 ? null : stateName(v as number);
    else if (col === 'loner') out[col] = v as boolean;
    else if (PERM_COLUMNS.has(col)) out[col] = v === 0 ? null : PERM_NAMES[v as number];
    else if (CAP_COLUMNS.has(col)) out[col] = gcapNames(v as number);
  }
  return out;
}

export function machineJson(sm: StateMachine) {
  const states: Record<string, Record<string, JsonCell> & { value: number; constant: string }> = {};
  for (const s of sm.defined) states[stateName(s)] = { value: s, constant: STATE_CONSTANTS[s], ...rowJson(sm.states[s]) };
  return {
    name: sm.name,
    states,
    allowed_ever_auth: gcapNames(sm.allowed_ever_auth),
    allowed_ever_replica: gcapNames(sm.allowed_ever_replica),
    careful: gcapNames(sm.careful),
    can_remote_xlock: sm.can_remote_xlock,
  };
}

export function tablesJson() {
  return Object.fromEntries(Object.entries(MACHINES).map(([k, sm]) => [k, machineJson(sm)]));
}
