// I6 caps: on every copy of an inode, while a cap-bearing lock (iauth, ilink, ixattr, ifile)
// is stable, the caps its clients hold (issued, so bits being revoked still count) fit what
// the state allows: others the state's caps, the loner its loner caps, the xlocker its
// xlocker caps (a replica: replica_caps). Every transition that would shrink them gathers the
// revocations first, so a stable state with excess caps means a revocation was skipped.
// Issued caps are read through src/locker/caps.ts (get_caps_issued), where client caps plug
// in. The fuzz commands do not drive clients yet, so today nothing is issued and this holds
// trivially: the checker is in place to bite once client commands are added.
import type { Cluster } from '../cluster/Cluster.js';
import type { CInode } from '../cache/CInode.js';
import { get_caps_issued } from '../locker/caps.js';
import { CAP_ANY, CAP_LONER, CAP_XLOCKER } from '../locks/index.js';
import { capMask, gcapString } from '../../statemachines/index.js';
import { violation, type Violation } from './violation.js';

export function checkCaps(c: Cluster): Violation[] {
  const out: Violation[] = [];
  for (const mds of c.ranks) {
    for (const inode of Object.values(mds.inodes) as CInode[]) {
      for (const lock of inode.locks()) {
        if (lock.lt.capShift === 0 || !lock.is_stable()) continue;
        const issued = get_caps_issued(inode, lock.lt.capShift, capMask(lock.type));
        const excess = (issued.other & ~lock.gcaps_allowed(CAP_ANY)) | (issued.loner & ~lock.gcaps_allowed(CAP_LONER)) |
          (issued.xlocker & ~lock.gcaps_allowed(CAP_XLOCKER));
        if (excess !== 0) {
          out.push(violation('I6', [{ path: lock.parent, type: lock.type }], `mds.${mds.id} ${lock.lt.name} ${lock.parent} is stable with caps ${gcapString(excess)} issued beyond what it allows`));
        }
      }
    }
  }
  return out;
}
