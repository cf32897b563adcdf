// The shape of Ceph's sm_state_t / sm_t (src/mds/locks.h) and the compiler that turns a
// declarative table into the dense, state-indexed form the simulator reads on its hot path.
import { LOCK_MAX, type LockState } from './states.js';
import type { Perm } from './codes.js';

/** One row of a state machine, with Ceph's column names, in Ceph's column order. */
export interface StateRow {
  readonly next: LockState;          // 0 = stable
  readonly loner: boolean;           // loner mode: non-loner clients get only `caps`
  readonly replica_state: LockState; // state a replica copy is in while the auth is here
  readonly can_read: Perm;
  readonly can_read_projected: Perm;
  readonly can_rdlock: Perm;
  readonly can_wrlock: Perm;
  readonly can_force_wrlock: Perm;
  readonly can_lease: Perm;
  readonly can_xlock: Perm;
  readonly caps: number;             // generic caps for every client
  readonly loner_caps: number;       // extra for the loner
  readonly xlocker_caps: number;     // extra for the xlocking client
  readonly replica_caps: number;     // what a replica MDS may issue
}

export const COLUMNS = [
  'next', 'loner', 'replica_state', 'can_read', 'can_read_projected', 'can_rdlock', 'can_wrlock',
  'can_force_wrlock', 'can_lease', 'can_xlock', 'caps', 'loner_caps', 'xlocker_caps', 'replica_caps',
] as const satisfies readonly (keyof StateRow)[];

/** A row in table notation: the 14 columns positionally, as Ceph's tables lay them out. */
export type RowTuple = readonly [
  next: LockState, loner: boolean, replica_state: LockState,
  can_read: Perm, can_read_projected: Perm, can_rdlock: Perm, can_wrlock: Perm,
  can_force_wrlock: Perm, can_lease: Perm, can_xlock: Perm,
  caps: number, loner_caps: number, xlocker_caps: number, replica_caps: number,
];

export interface MachineFields {
  readonly allowed_ever_auth: number;
  readonly allowed_ever_replica: number;
  readonly careful: number;
  readonly can_remote_xlock: boolean;
}

export interface StateMachine extends MachineFields {
  readonly name: 'sm_simplelock' | 'sm_scatterlock' | 'sm_filelock' | 'sm_locallock';
  /** Indexed by state value, LOCK_MAX long. A state Ceph gives no row reads as ZERO_ROW. */
  readonly states: readonly StateRow[];
  /** The states that have a row, in the table's order. */
  readonly defined: readonly LockState[];
}

/** What an uninitialised C array element holds: stable, no permissions, no caps. */
export const ZERO_ROW: StateRow = Object.freeze(rowFromTuple([0, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));

function rowFromTuple(t: RowTuple): StateRow {
  const [next, loner, replica_state, can_read, can_read_projected, can_rdlock, can_wrlock,
    can_force_wrlock, can_lease, can_xlock, caps, loner_caps, xlocker_caps, replica_caps] = t;
  return { next, loner, replica_state, can_read, can_read_projected, can_rdlock, can_wrlock,
    can_force_wrlock, can_lease, can_xlock, caps, loner_caps, xlocker_caps, replica_caps };
}

export function defineMachine(
  name: StateMachine['name'],
  rows: readonly (readonly [LockState, RowTuple])[],
  fields: MachineFields,
): StateMachine {
  const states: StateRow[] = new Array(LOCK_MAX).fill(ZERO_ROW);
  const defined: LockState[] = [];
  for (const [state, tuple] of rows) {
    if (states[state] !== ZERO_ROW) throw new Error(`${name}: state ${state} defined twice`);
    states[state] = Object.freeze(rowFromTuple(tuple));
    defined.push(state);
  }
  return Object.freeze({ name, states: Object.freeze(states), defined: Object.freeze(defined), ...fields });
}

/** A copy of `sm` with one cell of one row changed (a historical table: src/rules/). */
export function patchMachine<K extends keyof StateRow>(sm: StateMachine, state: LockState, column: K, value: StateRow[K]): StateMachine {
  if (sm.states[state] === ZERO_ROW) throw new Error(`${sm.name}: no row for state ${state}`);
  const states = sm.states.slice();
  states[state] = Object.freeze({ ...sm.states[state], [column]: value });
  return Object.freeze({ ...sm, states: Object.freeze(states) });
}
