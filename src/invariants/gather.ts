// I4 gather: the gather set is a subset of the object's replica set (a replica copy has
// none, so gathers nothing), and it is empty whenever the lock is in a stable state.
import type { Cluster } from '../cluster/Cluster.js';
import { lockCopies, violation, type LockCopies, type Violation } from './violation.js';

export function checkGather(c: Cluster, all: LockCopies = lockCopies(c)): Violation[] {
  const out: Violation[] = [];
  for (const [name, { ref, copies }] of all) {
    for (const { rank, obj, lock } of copies) {
      const replicas = obj.replicas.reduce((m, r) => m | (1 << r), 0);
      if ((lock.gather_set & ~replicas) !== 0) {
        out.push(violation('I4', [ref], `mds.${rank} ${name} gathers from ${lock.gather_ranks().map((r) => `mds.${r}`).join(',')}, not all replicas of it`));
      } else if (lock.is_stable() && lock.gather_set !== 0) {
        out.push(violation('I4', [ref], `mds.${rank} ${name} is stable with a gather pending (g=${lock.gather_ranks().join(',')})`));
      }
    }
  }
  return out;
}
