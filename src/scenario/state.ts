// The state of every lock copy on every rank, as `replay --state` prints it after each step
// (as TLC prints the state at each step of a trace): each lock's print and each inode copy's
// client caps, one line each, ranks in order, objects and locks in cache order.
import type { Cluster } from '../cluster/Cluster.js';
import { carriedLocks } from '../cluster/carried.js';
import { LOCK_LOCK, LOCK_SYNC, stateName } from '../../statemachines/index.js';
import type { SimpleLock } from '../locks/index.js';
import { printLock } from '../trace/printLock.js';
import { printInodeCaps } from '../trace/printCaps.js';

/** `changed`: what the step changed; `nondefault`: every lock not in a fresh copy's print; `all`. */
export type StateMode = 'changed' | 'nondefault' | 'all';

export interface StateLine {
  readonly rank: number;
  /** `iauth /f`, or `caps /f` for an inode copy's client caps. */
  readonly name: string;
  /** The print: `(iauth sync r=1)`, `caps={4101=pAs/-@1}`. */
  readonly text: string;
}

/** A fresh copy's print: sync (lock for a local lock), nothing held. */
const freshPrint = (l: SimpleLock) => `(${l.lt.name} ${stateName(l.lt.cls === 'LocalLock' ? LOCK_LOCK : LOCK_SYNC)})`;

export function stateLines(c: Cluster, mode: Exclude<StateMode, 'changed'>): StateLine[] {
  const out: StateLine[] = [];
  for (const r of c.ranks) {
    for (const obj of r.objects()) {
      for (const l of carriedLocks(obj)) {
        const text = printLock(l);
        if (mode === 'all' || text !== freshPrint(l)) out.push({ rank: r.id, name: `${l.lt.name} ${obj.path}`, text });
      }
      if (obj.kind === 'inode') {
        const inode = r.inodes[obj.path];
        if (mode === 'all' || Object.keys(inode.caps).length > 0) out.push({ rank: r.id, name: `caps ${obj.path}`, text: printInodeCaps(inode) });
      }
    }
  }
  return out;
}
