// I1 exclusion: while a lock is xlocked on any copy, no other request holds an rdlock or a
// wrlock (local or remote), and no other client a lease, on any copy of it. Exclusion is
// between clients: the xlocker's own client keeps what the table's XCL grants it (I2 checks
// each such grant). A remote xlock is one request holding XLOCK on two copies (the auth's
// peer request and the leader), so holders are told apart by request id. A second xlocker is
// allowed only as Ceph allows it: the same client, re-xlocking after the first replied early.
import type { Cluster } from '../cluster/Cluster.js';
import { XCL } from '../../statemachines/index.js';
import { RDLOCK, WRLOCK, REMOTE_WRLOCK, XLOCK, sameLock } from '../request/LockOp.js';
import type { CDentry } from '../cache/CDentry.js';
import { lockCopies, violation, type LockCopies, type Violation } from './violation.js';

export function checkExclusion(c: Cluster, all: LockCopies = lockCopies(c)): Violation[] {
  const out: Violation[] = [];
  for (const [name, { ref, copies }] of all) {
    if (!copies.some((x) => x.lock.is_xlocked())) continue;
    const holds = copies.flatMap((x) => Object.values(c.ranks[x.rank].requests)
      .map((mdr) => ({ copy: x, mdr, flags: mdr.locks.find((o) => sameLock(o.lock, ref))?.flags ?? 0 }))
      .filter((h) => h.flags !== 0));
    const xholds = holds.filter((h) => h.flags & XLOCK);
    const xlockers = [...new Set(xholds.map((h) => h.mdr.reqid))];
    // Several xlockers are Ceph's XLOCKDONE re-xlock: after an early reply (set_xlock_done) the
    // same client's next request may xlock again. All of one client, and all but one done.
    const clients = new Set(xholds.map((h) => h.mdr.client));
    const undone = new Set(xholds.filter((h) => !h.mdr.early_replied).map((h) => h.mdr.reqid));
    if (xlockers.length > 1 && (clients.size > 1 || [...clients][0] < 0 || undone.size > 1)) {
      out.push(violation('I1', [ref], `${name} is xlocked by ${xlockers.join(' and ')} at once`));
      continue;
    }
    const xclient = holds.find((h) => h.flags & XLOCK)?.mdr.client ?? -1;
    for (const { copy, mdr, flags } of holds) {
      if (flags & XLOCK) continue;
      // the xlocker's own client keeps what XCL granted it (I2 judged each grant)
      if (mdr.client >= 0 && mdr.client === xclient) continue;
      const what = flags & RDLOCK ? 'an rdlock' : 'a wrlock';
      if (flags & (RDLOCK | WRLOCK | REMOTE_WRLOCK)) {
        out.push(violation('I1', [ref], `${mdr.reqid} holds ${what} on mds.${copy.rank} ${name} while ${xlockers[0] ?? 'a request'} xlocks it`));
      }
    }
    for (const { rank, obj, lock } of copies) {
      if (!lock.is_leased()) continue;
      const holders = obj.kind === 'dentry' ? (obj as CDentry).client_leases : [];
      // a lease of no modelled client: only an XCL lease column (the xlocker's) could allow it
      if (holders.length === 0 && lock.row.can_lease !== XCL) {
        out.push(violation('I1', [ref], `mds.${rank} ${name} is leased while ${xlockers[0] ?? 'a request'} xlocks it`));
      }
      // a client's lease: only the xlocker's own client may keep one (as it keeps its rdlocks);
      // Ceph grants it one in XLOCKDONE (can_lease XCL) and a re-xlock does not revoke it
      for (const h of holders) {
        if (h !== xclient) out.push(violation('I1', [ref], `client.${h} holds a lease on mds.${rank} ${name} while ${xlockers[0] ?? 'a request'} xlocks it`));
      }
    }
  }
  return out;
}
