// I5 replica consistency: once nothing can still move a lock's replicas (no MLock for it on
// any link, no peer xlock of it in flight or parked on the auth, no rejoin naming its object)
// and the auth copy is stable, every replica copy is in the auth state's replica_state. While
// ranks recover, a copy on a rank before rejoin (dead, or replaying) and a rejoining copy (its
// auth's ack still to come) are provisional and not judged.
import type { Cluster } from '../cluster/Cluster.js';
import { STATE_REJOIN } from '../cluster/mdsmap.js';
import { stateName } from '../../statemachines/index.js';
import { OP_XLOCK } from '../messages/index.js';
import { lockRefName, sameLock } from '../request/LockOp.js';
import { authCopy, lockCopies, violation, type LockCopies, type Violation } from './violation.js';

/** Locks (by name) and objects (by key) something in flight or pending may still change on a replica. */
function busyLocks(c: Cluster): Set<string> {
  const busy = new Set<string>();
  for (const m of c.net.all()) {
    if (m.kind === 'lock' || (m.kind === 'peer' && m.op === OP_XLOCK)) busy.add(lockRefName({ path: m.path!, type: m.lockType! }));
    if (m.kind === 'rejoin') for (const o of m.objects) busy.add(o.key);
  }
  for (const mds of c.ranks) {
    for (const mdr of Object.values(mds.requests)) if (mdr.peer_op) busy.add(lockRefName(mdr.peer_op.lock));
  }
  return busy;
}

export function checkReplicas(c: Cluster, all: LockCopies = lockCopies(c)): Violation[] {
  const busy = busyLocks(c);
  const out: Violation[] = [];
  for (const [name, { ref, copies }] of all) {
    const auth = authCopy(copies);
    if (!auth || auth.lock.lt.cls === 'LocalLock' || busy.has(name) || busy.has(auth.obj.key) || !auth.lock.is_stable()) continue;
    const want = auth.lock.get_replica_state();
    for (const { rank, lock } of copies) {
      if (lock.auth || !auth.obj.replicas.includes(rank) || !sameLock({ path: lock.parent, type: lock.type }, ref)) continue;
      if (c.mdsmap.state[rank] < STATE_REJOIN || c.ranks[rank].objectOf(ref)?.rejoining) continue;
      if (lock.state !== want) {
        out.push(violation('I5', [ref], `mds.${rank} ${name} is ${stateName(lock.state)} but the auth mds.${auth.rank} is ${stateName(auth.lock.state)} (replica state ${stateName(want)}) and nothing is in flight`));
      }
    }
  }
  return out;
}
