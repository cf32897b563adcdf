// dsync's arithmetic, apart so the tests can hold it against the source's numbers: the quorum
// and tolerance of a lock (DRWMutex.lockBlocking) and the verdict of a refresh (refreshLock).
import type { LockOp } from './configRead.js';

export interface DsyncConfig {
  readonly nodes: number;
  readonly clients: readonly (readonly LockOp[])[];
  readonly resources: readonly string[];
  /** Ticks between a holder's refreshes (drwMutexRefreshInterval, 10 s). */
  readonly refresh: number;
  /** Ticks an entry may go unrefreshed before its locker drops it (lockValidityDuration, 1 min). */
  readonly expiry: number;
  readonly maxTicks: number;
  /** How many client-locker links may be cut, lockers may crash, in one run. */
  readonly cuts: number;
  readonly crashes: number;
}

/** DRWMutex.lockBlocking: tolerance n/2, quorum n - tolerance, plus one for a write lock when that is exactly half; then tolerance n - quorum. */
export function quorumOf(n: number, write: boolean): { quorum: number; tolerance: number } {
  const half = Math.floor(n / 2);
  let quorum = n - half;
  if (write && quorum === half) quorum++;
  return { quorum, tolerance: n - quorum };
}

/** refreshLock: the lock is lost when more than n - quorum lockers answer that they do not have it; lockers that do not answer count for nothing. */
export function refreshVerdict(notFound: number, n: number, quorum: number): 'kept' | 'lost' {
  return notFound > n - quorum ? 'lost' : 'kept';
}
