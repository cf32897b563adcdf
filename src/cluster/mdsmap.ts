// The MDSMap's view of each rank: up and active, failed (no daemon), or a standby's new
// incarnation on its way back (replay, resolve, reconnect, rejoin, clientreplay), with Ceph's
// state numbers (ceph_fs.h CEPH_MDS_STATE_*), whose order the Locker's guards compare. Every
// rank sees a new map at once (a simplification: Ceph's maps reach ranks one by one).
import { immerable } from 'immer';

export const STATE_FAILED = 0;
export const STATE_REPLAY = 8;
export const STATE_RESOLVE = 9;
export const STATE_RECONNECT = 10;
export const STATE_REJOIN = 11;
export const STATE_CLIENTREPLAY = 12;
export const STATE_ACTIVE = 13;

const NAMES: Record<number, string> = {
  [STATE_FAILED]: 'failed', [STATE_REPLAY]: 'replay', [STATE_RESOLVE]: 'resolve', [STATE_RECONNECT]: 'reconnect',
  [STATE_REJOIN]: 'rejoin', [STATE_CLIENTREPLAY]: 'clientreplay', [STATE_ACTIVE]: 'active',
};
export const RANK_STATE_NAMES: readonly string[] = Object.values(NAMES);
export const rankStateName = (s: number): string => NAMES[s] ?? `state ${s}`;
export const rankStateByName = (name: string): number | undefined => {
  const e = Object.entries(NAMES).find(([, n]) => n === name);
  return e ? Number(e[0]) : undefined;
};

/** A recovering rank's way back, in order (MDSRank::replay_done, resolve_done, reconnect_done, rejoin_done). */
export const RECOVERY_ORDER: readonly number[] = [STATE_REPLAY, STATE_RESOLVE, STATE_RECONNECT, STATE_REJOIN];

export class MDSMap {
  [immerable] = true;
  /** Per rank, its state. */
  state: number[];
  /** Per rank, its incarnation: the next one from its failure on (the standby that takes it over). */
  inc: number[];
  constructor(ranks: number) {
    this.state = new Array(ranks).fill(STATE_ACTIVE);
    this.inc = new Array(ranks).fill(1);
  }
}

export const get_state = (m: MDSMap, r: number): number => m.state[r];
/** MDSMap::is_degraded: a rank failed or on its way back. */
export const is_degraded = (m: MDSMap): boolean => m.state.some((s) => s !== STATE_ACTIVE);
export const is_up = (m: MDSMap, r: number): boolean => m.state[r] !== STATE_FAILED;
export const is_clientreplay_or_active_or_stopping = (m: MDSMap, r: number): boolean => m.state[r] >= STATE_CLIENTREPLAY;
/** MDSMap::is_rejoining: a rank in rejoin and none failed or before rejoin. */
export const is_rejoining = (m: MDSMap): boolean =>
  m.state.some((s) => s === STATE_REJOIN) && !m.state.some((s) => s === STATE_FAILED || (s >= STATE_REPLAY && s < STATE_REJOIN));
