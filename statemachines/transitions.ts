// The transition edges the Locker takes, as data. The starters' maps (Ceph's switch
// statements in simple_sync, simple_lock, ...) are read by src/locker/ itself; the rest lists
// where handlers and eval_gather move a lock. Together with each row's `next` they are every
// edge of the protocol; xstate machines and scenario coverage are derived from this list.
import type { StateMachine } from './machine.js';
import * as S from './states.js';

type Map_ = Readonly<Record<number, number>>;

/** Locker functions that start a transition on the auth: current stable state -> entered state. */
export const STARTERS: Readonly<Record<string, Map_>> = {
  simple_sync: { [S.LOCK_MIX]: S.LOCK_MIX_SYNC, [S.LOCK_LOCK]: S.LOCK_LOCK_SYNC, [S.LOCK_XSYN]: S.LOCK_XSYN_SYNC, [S.LOCK_EXCL]: S.LOCK_EXCL_SYNC },
  simple_lock: { [S.LOCK_SYNC]: S.LOCK_SYNC_LOCK, [S.LOCK_XSYN]: S.LOCK_XSYN_LOCK, [S.LOCK_EXCL]: S.LOCK_EXCL_LOCK, [S.LOCK_MIX]: S.LOCK_MIX_LOCK, [S.LOCK_TSYN]: S.LOCK_TSYN_LOCK },
  simple_excl: { [S.LOCK_LOCK]: S.LOCK_LOCK_EXCL, [S.LOCK_SYNC]: S.LOCK_SYNC_EXCL, [S.LOCK_XSYN]: S.LOCK_XSYN_EXCL },
  simple_xlock: { [S.LOCK_LOCK]: S.LOCK_LOCK_XLOCK, [S.LOCK_XLOCKDONE]: S.LOCK_LOCK_XLOCK },
  scatter_mix: { [S.LOCK_LOCK]: S.LOCK_MIX, [S.LOCK_SYNC]: S.LOCK_SYNC_MIX, [S.LOCK_EXCL]: S.LOCK_EXCL_MIX, [S.LOCK_XSYN]: S.LOCK_XSYN_MIX, [S.LOCK_TSYN]: S.LOCK_TSYN_MIX },
  file_excl: { [S.LOCK_SYNC]: S.LOCK_SYNC_EXCL, [S.LOCK_MIX]: S.LOCK_MIX_EXCL, [S.LOCK_LOCK]: S.LOCK_LOCK_EXCL, [S.LOCK_XSYN]: S.LOCK_XSYN_EXCL },
  file_xsyn: { [S.LOCK_EXCL]: S.LOCK_EXCL_XSYN },
};

export type Side = 'auth' | 'replica';

/**
 * States no edge of the simulated Locker can reach, and why: the ones current Ceph never
 * enters (quirk Q7) and the ones entered only by subsystems mdslock does not model.
 */
export const UNREACHABLE: Readonly<Record<number, string>> = {
  [S.LOCK_TSYN]: 'scatter_tempsync aborts in Ceph (Q7)',
  [S.LOCK_TSYN_LOCK]: 'scatter_tempsync aborts in Ceph (Q7)',
  [S.LOCK_TSYN_MIX]: 'scatter_tempsync aborts in Ceph (Q7)',
  [S.LOCK_LOCK_TSYN]: 'scatter_tempsync aborts in Ceph (Q7)',
  [S.LOCK_MIX_TSYN]: 'scatter_tempsync aborts in Ceph (Q7)',
  [S.LOCK_REMOTEXLOCK]: 'no Ceph code sets it (Q7)',
  [S.LOCK_SNAP_SYNC]: 'entered by snapshot code outside the Locker (not modelled)',
  [S.LOCK_XLOCKSNAP]: 'snapshots (not modelled)',
  [S.LOCK_PRE_SCAN]: 'file size recovery (not modelled)',
  [S.LOCK_SCAN]: 'file size recovery (not modelled)',
};

/**
 * Declared edges no run of the simulated Locker can take, and why (every other edge is
 * exercised by a file under scenarios/: test/inspect/edges.test.ts holds that).
 */
export const UNREACHABLE_EDGES: readonly { machines: readonly StateMachine['name'][]; from: number; to: number; side: Side; why: string }[] = [
  { machines: ['sm_scatterlock', 'sm_filelock'], from: S.LOCK_MIX_LOCK, to: S.LOCK_LOCK, side: 'auth',
    why: 'simple_lock on an unreplicated inode goes on to mix->lock(2) at once, and eval_gather moves a replicated one there; only losing the last replica mid-gather (not modelled) would take it' },
  { machines: ['sm_scatterlock', 'sm_filelock'], from: S.LOCK_MIX_SYNC, to: S.LOCK_SYNC, side: 'replica',
    why: "the auth's final AC_SYNC follows this replica's SYNCACK, sent as it parks in mix->sync(2); only a degraded cluster (Q4, not modelled) skips that" },
  { machines: ['sm_filelock'], from: S.LOCK_XLOCKDONE, to: S.LOCK_LOCK_XLOCK, side: 'auth',
    why: 'xlock_start never restarts an IFILE xlockdone' },
  { machines: ['sm_filelock'], from: S.LOCK_LOCK_XLOCK, to: S.LOCK_XLOCK, side: 'auth',
    why: "a filelock enters lock->xlock only from LOCK, where nobody holds an xlock, so can_xlock's XCL (the xlocker's client) never holds there" },
];

export interface LockerEdge {
  readonly from: number;
  readonly to: number;
  /** The Locker function or message that takes it. */
  readonly via: string;
  readonly side: Side;
}

/** Edges outside the starters and the `next` column, with the machines they exist in. */
const OTHER: readonly (LockerEdge & { machines?: readonly StateMachine['name'][] })[] = [
  // replica copies follow the auth's messages (handle_simple_lock / handle_file_lock)
  { from: S.LOCK_SYNC, to: S.LOCK_SYNC_LOCK, via: 'AC_LOCK', side: 'replica' },
  { from: S.LOCK_MIX, to: S.LOCK_MIX_LOCK, via: 'AC_LOCK', side: 'replica' },
  { from: S.LOCK_LOCK, to: S.LOCK_SYNC, via: 'AC_SYNC', side: 'replica' },
  { from: S.LOCK_MIX, to: S.LOCK_MIX_SYNC, via: 'AC_SYNC', side: 'replica' },
  { from: S.LOCK_MIX_SYNC, to: S.LOCK_SYNC, via: 'AC_SYNC', side: 'replica' },
  { from: S.LOCK_MIX_SYNC2, to: S.LOCK_SYNC, via: 'AC_SYNC', side: 'replica' },
  { from: S.LOCK_SYNC, to: S.LOCK_SYNC_MIX, via: 'AC_MIX', side: 'replica' },
  { from: S.LOCK_LOCK, to: S.LOCK_MIX, via: 'AC_MIX', side: 'replica' },
  { from: S.LOCK_SYNC_MIX2, to: S.LOCK_MIX, via: 'AC_MIX', side: 'replica' },
  // a replica finishing its gather parks in a (2) state until the auth's final message
  { from: S.LOCK_MIX_SYNC, to: S.LOCK_MIX_SYNC2, via: 'eval_gather', side: 'replica' },
  { from: S.LOCK_SYNC_MIX, to: S.LOCK_SYNC_MIX2, via: 'eval_gather', side: 'replica' },
  // two-stage mix->lock on the auth
  { from: S.LOCK_MIX_LOCK, to: S.LOCK_MIX_LOCK2, via: 'eval_gather', side: 'auth' },
  // xlocks
  { from: S.LOCK_PREXLOCK, to: S.LOCK_XLOCK, via: 'xlock_start', side: 'auth' },
  { from: S.LOCK_LOCK_XLOCK, to: S.LOCK_XLOCK, via: 'xlock_start', side: 'auth' },
  { from: S.LOCK_XLOCK, to: S.LOCK_XLOCKDONE, via: 'set_xlocks_done', side: 'auth' },
  { from: S.LOCK_LOCK_XLOCK, to: S.LOCK_XLOCKDONE, via: 'cancel_locking', side: 'auth' },
  { from: S.LOCK_XLOCK, to: S.LOCK_EXCL, via: '_finish_xlock', side: 'auth' },
  { from: S.LOCK_XLOCKDONE, to: S.LOCK_EXCL, via: '_finish_xlock', side: 'auth' },
  { from: S.LOCK_PREXLOCK, to: S.LOCK_EXCL, via: '_finish_xlock', side: 'auth' },
];

const has = (sm: StateMachine, s: number) => sm.defined.includes(s);
/** Replica-only parking states: sm_scatterlock has no row for mix->sync(2) (Q3), yet replicas use it. */
const PARKED = [S.LOCK_MIX_SYNC2, S.LOCK_SYNC_MIX2];

/**
 * Every edge the Locker can take in a machine: starters (auth), `next` of each transitional
 * row (auth; and replica where a replica gathers: sync->lock, mix->lock, sync->mix, mix->sync
 * end in acks, handled above), and the handler/xlock edges. Edges to or from states without a
 * row in the machine are left out; LocalLock never changes state.
 */
export function lockerEdges(sm: StateMachine): LockerEdge[] {
  if (sm.name === 'sm_locallock') return [];
  const out: LockerEdge[] = [];
  const parked = (s: number) => PARKED.includes(s) && has(sm, S.LOCK_MIX);
  const add = (e: LockerEdge) => {
    if ((has(sm, e.from) || parked(e.from)) && (has(sm, e.to) || parked(e.to)) &&
      !out.some((o) => o.from === e.from && o.to === e.to && o.side === e.side && o.via === e.via)) out.push(e);
  };
  for (const [fn, map] of Object.entries(STARTERS)) {
    if (fn.startsWith('file_') && sm.name !== 'sm_filelock') continue;
    // Locker::eval sends ifile to file_eval (file_excl): only simple_eval calls simple_excl
    if (fn === 'simple_excl' && sm.name !== 'sm_simplelock') continue;
    if (fn === 'scatter_mix' && sm.name === 'sm_simplelock') continue;
    for (const [from, to] of Object.entries(map)) add({ from: Number(from), to, via: fn, side: 'auth' });
  }
  // (the auth never parks in the replica-only (2) states: their exits are AC_SYNC / AC_MIX below)
  for (const s of sm.defined) if (sm.states[s].next !== 0 && !parked(s)) add({ from: s, to: sm.states[s].next, via: 'eval_gather', side: 'auth' });
  for (const s of [S.LOCK_SYNC_LOCK, S.LOCK_MIX_LOCK]) if (has(sm, s)) add({ from: s, to: S.LOCK_LOCK, via: 'eval_gather', side: 'replica' });
  for (const e of OTHER) add(e);
  return out;
}
