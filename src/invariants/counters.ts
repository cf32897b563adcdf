// I3 counters: each copy's num_rdlock / num_wrlock / num_xlock equals the holds that live
// requests on that rank record (MDRequest.locks), and none is negative. Leaders, peer
// requests and the internal write-behind mutations (mds.N:writebehind.K) all count; a remote
// xlock counts on the leader's (replica) copy as well as on the auth's, as Ceph's
// handle_peer_request_reply does get_xlock on both. A remote wrlock counts only on the auth,
// where the peer request holds it.
import type { Cluster } from '../cluster/Cluster.js';
import { RDLOCK, WRLOCK, XLOCK, lockRefName } from '../request/LockOp.js';
import { lockCopies, violation, type LockCopies, type Violation } from './violation.js';

export function checkCounters(c: Cluster, all: LockCopies = lockCopies(c)): Violation[] {
  // holds per rank and lock name: [rd, wr, x]
  const held = new Map<string, [number, number, number]>();
  for (const mds of c.ranks) {
    for (const mdr of Object.values(mds.requests)) {
      for (const o of mdr.locks) {
        const key = `${mds.id} ${lockRefName(o.lock)}`;
        const n = held.get(key) ?? [0, 0, 0];
        if (o.flags & RDLOCK) n[0]++;
        if (o.flags & WRLOCK) n[1]++;
        if (o.flags & XLOCK) n[2]++;
        held.set(key, n);
      }
    }
  }
  const out: Violation[] = [];
  for (const [name, { ref, copies }] of all) {
    for (const { rank, lock } of copies) {
      const [rd, wr, x] = held.get(`${rank} ${name}`) ?? [0, 0, 0];
      const has = [lock.num_rdlock, lock.num_wrlock, lock.num_xlock];
      if (has.some((v) => v < 0) || has[0] !== rd || has[1] !== wr || has[2] !== x) {
        out.push(violation('I3', [ref], `mds.${rank} ${name} counts r=${has[0]} w=${has[1]} x=${has[2]} but its requests hold r=${rd} w=${wr} x=${x}`));
      }
    }
  }
  return out;
}
