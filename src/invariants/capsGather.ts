// I6 (a), gather complete: while a cap-bearing lock (iauth, ilink, ixattr, ifile) is stable,
// the caps issued in its field (issued, so bits still being revoked count) fit what the state
// allows the others, the loner and the xlocker (CInode::issued_caps_need_gather is false).
// A transition whose target allows less gathers the revokes and ends only once they are
// acknowledged, so a stable state with excess caps means a revocation was not waited for.
//
// Ceph itself enters two stable states at once and revokes afterwards (found by the fuzz,
// confirmed in Locker.cc); there the excess is tolerated exactly: every excess bit of a role
// (the others, the loner) is being revoked from it (no cap of that role still has it pending)
// and was allowed that role in a state the lock is entered from. The xlocker gets none.
//   - Locker::scatter_mix from LOCK sets MIX and then issue_caps (quirk Q6): the Fc/Fb the
//     others held in LOCK are revoked while the filelock is already MIX.
//   - Locker::_finish_xlock, when the xlocker is the target loner, sets EXCL and then
//     need_issue: the Fc/Fb that XLOCK/XLOCKDONE allowed the others are revoked while the
//     filelock is already EXCL.
import type { CInode } from '../cache/CInode.js';
import { get_caps_issued } from '../locker/caps.js';
import { CAP_ANY, CAP_LONER, CAP_XLOCKER, type CapWho, type SimpleLock } from '../locks/index.js';
import { LOCK_EXCL, LOCK_LOCK, LOCK_MIX, LOCK_XLOCK, LOCK_XLOCKDONE, capMask, gcapString } from '../../statemachines/index.js';
import { violation, type Violation } from './violation.js';

/** Stable states Ceph enters without gathering caps, and the states it enters them from. */
const ENTERED_AT_ONCE: readonly { state: number; from: readonly number[] }[] = [
  { state: LOCK_MIX, from: [LOCK_LOCK] }, // scatter_mix
  { state: LOCK_EXCL, from: [LOCK_XLOCK, LOCK_XLOCKDONE] }, // _finish_xlock
];

/** Pending caps in one lock's field, split as get_caps_issued splits issued (a replica has no loner). */
function pendingSplit(inode: CInode, lock: SimpleLock): { loner: number; other: number } {
  const loner = inode.is_auth() ? inode.loner_cap : -1;
  const out = { loner: 0, other: 0 };
  for (const cap of Object.values(inode.caps)) {
    const p = (cap.pending >> lock.lt.capShift) & capMask(lock.type);
    if (cap.client === loner) out.loner |= p; else out.other |= p;
  }
  return out;
}

/** Excess caps of one role that Ceph tolerates: being revoked from that role, and allowed it before. */
function tolerated(lock: SimpleLock, who: CapWho, excess: number, pending: number): boolean {
  const e = ENTERED_AT_ONCE.find((x) => x.state === lock.state);
  if (!e || (excess & pending) !== 0) return false;
  return (excess & ~e.from.reduce((a, s) => a | lock.gcaps_allowed(who, s), 0)) === 0;
}

export function checkCapsGather(rank: number, inode: CInode, locks: readonly SimpleLock[], out: Violation[]): void {
  for (const lock of locks) {
    if (!lock.is_stable()) continue;
    const issued = get_caps_issued(inode, lock.lt.capShift, capMask(lock.type));
    const other = issued.other & ~lock.gcaps_allowed(CAP_ANY);
    const loner = issued.loner & ~lock.gcaps_allowed(CAP_LONER);
    const xlocker = issued.xlocker & ~lock.gcaps_allowed(CAP_XLOCKER);
    if ((other | loner | xlocker) === 0) continue;
    const pending = pendingSplit(inode, lock);
    if (xlocker === 0 && (other === 0 || tolerated(lock, CAP_ANY, other, pending.other)) &&
      (loner === 0 || tolerated(lock, CAP_LONER, loner, pending.loner))) continue;
    out.push(violation('I6', [{ path: lock.parent, type: lock.type }], `mds.${rank} ${lock.lt.name} ${lock.parent} is stable with caps ${gcapString(other | loner | xlocker)} issued beyond what it allows`));
  }
}
