// What an invariant checker reports, and the walk over every lock copy they share. Checkers
// only read the cluster: they never change a lock, a request or the network.
import type { Cluster } from '../cluster/Cluster.js';
import type { MDSCacheObject } from '../cache/MDSCacheObject.js';
import { carriedLocks } from '../cluster/carried.js';
import type { SimpleLock } from '../locks/index.js';
import { lockRefName, type LockRef } from '../request/LockOp.js';

export type InvariantId = 'I1' | 'I2' | 'I3' | 'I4' | 'I5' | 'I6' | 'I7' | 'I8' | 'I9' | 'I10';

export const INVARIANT_NAMES: Readonly<Record<InvariantId, string>> = {
  I1: 'exclusion', I2: 'permission', I3: 'counters', I4: 'gather', I5: 'replica consistency',
  I6: 'caps', I7: 'quiescence', I8: 'scatter data', I9: 'determinism', I10: 'cap semantics',
};

export interface Violation {
  readonly invariant: InvariantId;
  readonly message: string;
  /** The locks involved: a counterexample's final `expect` prints them on every rank. */
  readonly locks: readonly LockRef[];
}

export const violation = (invariant: InvariantId, locks: readonly LockRef[], message: string): Violation =>
  ({ invariant, locks, message: `${invariant} ${INVARIANT_NAMES[invariant]}: ${message}` });

export interface Copy {
  readonly rank: number;
  readonly obj: MDSCacheObject;
  readonly lock: SimpleLock;
}

export type LockCopies = Map<string, { ref: LockRef; copies: Copy[] }>;

/** Every lock of the cluster by name (`iauth /f`), with its copies in rank order. */
export function lockCopies(c: Cluster): LockCopies {
  const out = new Map<string, { ref: LockRef; copies: Copy[] }>();
  for (const mds of c.ranks) {
    for (const obj of mds.objects()) {
      for (const lock of carriedLocks(obj)) {
        const ref = { path: lock.parent, type: lock.type };
        const key = lockRefName(ref);
        let e = out.get(key);
        if (!e) out.set(key, (e = { ref, copies: [] }));
        e.copies.push({ rank: mds.id, obj, lock });
      }
    }
  }
  return out;
}

/** The auth copy of a lock (every lock has one: topology places the auth first). */
export const authCopy = (copies: readonly Copy[]): Copy | undefined => copies.find((x) => x.lock.auth);
