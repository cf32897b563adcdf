// Deadlocks Ceph has too, which the op fuzz cannot always steer around: they are counted, not
// reported as failures, when they explain everything a drain leaves waiting. Two cycles, each
// with its scenarios in scenarios/findings/:
// - snaplock traversal: a request's path traversal rdlocks the snaplock of a directory
//   (try_rdlock_snap_layout, path_traverse's RDLOCK_SNAP) while the dentry above it is still
//   readable on its way to an xlock (a lease or replica being gathered); the rename or rmdir
//   of that directory then xlocks the snaplock and waits for the rdlock, held by a request
//   waiting on something the xlocker holds;
// - frozen auth pins: cross-rank renames each freeze their source inode on its auth
//   (freeze_auth_pin) and wait to auth-pin an inode another one froze, keeping their own.
// And one request parked for good, no cycle (scenarios/bugs/, drawn only with failures):
// - a replica's wrlock after its auth failed over: Locker::wrlock_start, woken while the auth
//   was not active, sent no REQSCATTER and waits on the stable lock alone; the auth is active
//   again and nothing will wake it (Ceph PR #71408, rule replica-wrlock-waits-for-active-auth).
import { CEPH_LOCK_ISNAP } from '../../statemachines/index.js';
import type { Cluster } from '../cluster/Cluster.js';
import { deadlocks, waits } from '../inspect/why.js';
import { RDLOCK, WRLOCK, sameLock } from '../request/LockOp.js';
import { WAIT_STABLE } from '../locks/index.js';
import { STATE_ACTIVE } from '../cluster/mdsmap.js';
import { OBJECT_WAIT } from '../cache/MDSCacheObject.js';
import { WAIT_UNFREEZE } from '../locker/freeze.js';

export const SNAPLOCK_TRAVERSAL = 'snaplock traversal deadlock (scenarios/findings/*-deadlock-on-snaplock.yaml)';
export const FROZEN_AUTH_PINS = 'frozen auth pin deadlock of cross-rank renames (scenarios/findings/crossing-renames-deadlock-on-frozen-auth-pins.yaml)';
export const PARKED_REPLICA_WRLOCK = 'replica wrlock parked after its auth failed over (scenarios/bugs/replica-wrlock-parks-after-auth-failover.yaml, Ceph PR #71408)';

const parse = (node: string): { reqid: string; rank: number } => {
  const at = node.lastIndexOf('@mds.');
  return { reqid: node.slice(0, at), rank: Number(node.slice(at + 5)) };
};

/** The snaplock path `a` waits to xlock, if it waits on one. */
function snapWait(c: Cluster, a: string): string | null {
  const { reqid, rank } = parse(a);
  const r = c.ranks[rank];
  for (const obj of Object.values(r.inodes)) {
    if (obj.waiting.some((w) => w.reqid === reqid && w.type === CEPH_LOCK_ISNAP)) {
      const m = r.requests[reqid];
      const wants = m?.wanted.some((o) => o.lock.path === obj.path && o.lock.type === CEPH_LOCK_ISNAP && !(o.flags & RDLOCK)) || m?.peer_op?.lock.type === CEPH_LOCK_ISNAP;
      return wants ? obj.path : null;
    }
  }
  return null;
}

/** Whether `a` waits to auth-pin an object some request froze. */
function unfreezeWait(c: Cluster, a: string): boolean {
  const { reqid, rank } = parse(a);
  const r = c.ranks[rank];
  return r.objects()
    .some((o) => o.frozen_by !== null && o.waiting.some((w) => w.reqid === reqid && w.type === OBJECT_WAIT && (w.mask & WAIT_UNFREEZE) !== 0));
}

/**
 * Whether `a` is a replica's wrlock request parked by wrlock_start for good: waiting on the
 * stable waiters of a scatterlock it wants to wrlock, on a replica whose copy is stable and
 * allows no wrlock, with the auth active again after a failure (a later incarnation) and no
 * message in flight to move the lock.
 */
function parkedReplicaWrlock(c: Cluster, a: string): boolean {
  const { reqid, rank } = parse(a);
  const m = c.ranks[rank].requests[reqid];
  if (!m?.is_leader() || c.net.inFlight() > 0) return false;
  for (const obj of Object.values(c.ranks[rank].inodes)) {
    const w = obj.waiting.find((x) => x.reqid === reqid && x.type !== OBJECT_WAIT);
    if (!w) continue;
    const lock = obj.getLock(w.type)!;
    const auth = obj.authority;
    return w.mask === WAIT_STABLE && lock.lt.cls === 'ScatterLock' && !lock.auth && lock.is_stable() && !lock.can_wrlock(m.client) &&
      m.wanted.some((o) => sameLock(o.lock, { path: lock.parent, type: lock.type }) && (o.flags & WRLOCK) !== 0) &&
      c.mdsmap.state[auth] === STATE_ACTIVE && c.mdsmap.inc[auth] > 1;
  }
  return false;
}

const holdsSnapRdlock = (c: Cluster, b: string, path: string): boolean => {
  const { reqid, rank } = parse(b);
  return c.ranks[rank].requests[reqid]?.locks.some((o) => o.lock.path === path && o.lock.type === CEPH_LOCK_ISNAP && (o.flags & RDLOCK) !== 0) ?? false;
};

/** The known deadlock that explains every waiting request of a drained cluster, or null. */
export function knownDeadlock(c: Cluster): string | null {
  const ws = waits(c);
  const cycles = deadlocks(ws);
  const snap = cycles.filter((cyc) => cyc.some((a, i) => {
    const path = snapWait(c, a);
    return path !== null && holdsSnapRdlock(c, cyc[(i + 1) % cyc.length], path);
  }));
  const frozen = cycles.filter((cyc) => cyc.every((a) => unfreezeWait(c, a)));
  const parked = ws.filter((w) => parkedReplicaWrlock(c, w.node)).map((w) => [w.node]);
  const known = [...snap, ...frozen, ...parked];
  if (known.length === 0) return null;
  // every waiting request must wait, directly or not, on a known cycle or parked request
  const edges = new Map(ws.map((w) => [w.node, w.blockers.flatMap((b) => b.requests)]));
  const roots = new Set(known.flat());
  const reaches = (n: string, seen = new Set<string>()): boolean => {
    if (roots.has(n)) return true;
    if (seen.has(n)) return false;
    seen.add(n);
    return (edges.get(n) ?? []).some((x) => reaches(x, seen));
  };
  if (!ws.every((w) => reaches(w.node))) return null;
  return snap.length ? SNAPLOCK_TRAVERSAL : frozen.length ? FROZEN_AUTH_PINS : PARKED_REPLICA_WRLOCK;
}
