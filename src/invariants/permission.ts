// I2 permission: every hold was allowed by the table, for the role (auth or replica) of the
// copy it is taken on, at the moment it was granted. The grant moment is observed, not
// re-derived: while one simulation step runs, MDRequest.addHeld (where every Locker path
// records a hold) and SimpleLock.set_state (to see the state a lock left for LOCK_XLOCK) are
// wrapped with recorders that read the lock and call through unchanged; the wrappers are
// removed when the step ends.
//
// Forced and indirect paths, and how they are judged:
// - an xlock on the auth is granted by entering LOCK_XLOCK: the state it left must allow
//   can_xlock (XCL: by the client already xlocking, as from XLOCKDONE);
// - a remote xlock is recorded on the leader's replica copy on OP_XLOCKACK: that copy must be
//   in LOCK (the replica state of XLOCK) and the auth's peer request must hold the xlock;
// - a remote wrlock is recorded on the leader only: it must target another rank whose peer
//   request holds the wrlock there (judged when granted): the object's auth, or for a rename
//   the auth of the source directory's dirfrag, which may hold a replica of the inode;
// - scatter_writebehind's wrlock (mutation mds.N:writebehind.K) and an export's and an
//   import's wrlocks on the dir inode (mutations mds.N:export.K, mds.N:import.K, after the
//   freeze) are forced (Ceph's get_wrlock(true), wrlock_force) and are exempt from can_wrlock;
// - local locks (iversion, dversion) have no table: a wrlock needs no xlock on the copy, an
//   xlock neither wrlocks nor another xlock (LocalLock::can_xlock_local).
// - a rank in rejoin takes no request: a hold recorded there is one a survivor's strong rejoin
//   restores (handle_cache_rejoin_strong sets XLOCK or MIX outright, as before the failure),
//   not a grant, and is not judged.
import type { Cluster } from '../cluster/Cluster.js';
import { LOCK_LOCK, LOCK_XLOCK, stateName } from '../../statemachines/index.js';
import { SimpleLock } from '../locks/index.js';
import { MDRequest } from '../request/MDRequest.js';
import { RDLOCK, WRLOCK, XLOCK, REMOTE_WRLOCK, STATE_PIN, lockRefName, type LockRef } from '../request/LockOp.js';
import { violation, type Violation } from './violation.js';
import { permits } from './permits.js';
import { STATE_REJOIN } from '../cluster/mdsmap.js';

/** A write-behind's, or an export's or import's mutation's, wrlocks are forced (wrlock_force): no state need permit them. */
const isForced = (mdr: MDRequest) => mdr.client < 0 && mdr.export_dir === null;

function judge(c: Cluster, mdr: MDRequest, ref: LockRef, flag: number, target: number, before: WeakMap<SimpleLock, { state: number; xlockClient: number }>): string | null {
  const lock = c.ranks[mdr.rank].lock(ref);
  if (!lock) return `a hold on ${lockRefName(ref)}, which mds.${mdr.rank} does not cache`;
  const local = lock.lt.cls === 'LocalLock';
  const who = { auth: lock.auth, client: mdr.client };
  const here = `mds.${mdr.rank} ${lockRefName(ref)} in ${stateName(lock.state)}`;
  if (flag & RDLOCK) {
    if (local || !permits(lock.row.can_rdlock, who, lock.xlock_by_client)) return `rdlock on ${here}`;
  }
  if ((flag & WRLOCK) && !isForced(mdr)) {
    const client = flag & STATE_PIN ? lock.excl_client : mdr.client;
    const ok = local ? lock.num_xlock === 0 : permits(lock.row.can_wrlock, { ...who, client }, lock.xlock_by_client, lock.excl_client);
    if (!ok) return `wrlock on ${here}`;
  }
  if (flag & REMOTE_WRLOCK) {
    const peerHolds = target !== mdr.rank && (c.ranks[target]?.requests[mdr.reqid]?.isHeld(ref, WRLOCK) ?? false);
    if (!peerHolds) return `remote wrlock on ${here} recorded as granted by mds.${target}, whose peer request holds no wrlock on it`;
  }
  if (flag & XLOCK) {
    if (local) {
      if (lock.num_wrlock !== 0 || lock.num_xlock !== 1) return `local xlock on ${here} with w=${lock.num_wrlock} x=${lock.num_xlock}`;
    } else if (lock.auth) {
      const prev = before.get(lock);
      if (lock.state !== LOCK_XLOCK || !prev) return `xlock on ${here} without entering xlock`;
      if (!permits(lock.sm.states[prev.state].can_xlock, who, prev.xlockClient)) return `xlock on ${here}, entered from ${stateName(prev.state)}`;
    } else {
      const authority = c.ranks[mdr.rank].objectOf(ref)!.authority;
      const peerHolds = c.ranks[authority].requests[mdr.reqid]?.isHeld(ref, XLOCK) ?? false;
      if (lock.state !== LOCK_LOCK || !peerHolds) return `remote xlock recorded on ${here}${peerHolds ? '' : ` without the auth mds.${authority} holding it`}`;
    }
  }
  return null;
}

/** Run one step with grant recording on; permission violations are appended to `out`. */
export function checkGrants<T>(c: Cluster, step: () => T, out: Violation[]): T {
  const addHeld = MDRequest.prototype.addHeld;
  const setState = SimpleLock.prototype.set_state;
  const before = new WeakMap<SimpleLock, { state: number; xlockClient: number }>();
  MDRequest.prototype.addHeld = function (this: MDRequest, lock: LockRef, flag: number, target = -1) {
    addHeld.call(this, lock, flag, target);
    if (c.mdsmap.state[this.rank] === STATE_REJOIN) return;
    const bad = judge(c, this, lock, flag, target, before);
    if (bad) out.push(violation('I2', [lock], `${this.reqid} was granted ${bad}, which the table does not allow`));
  };
  SimpleLock.prototype.set_state = function (this: SimpleLock, s: number) {
    if (s === LOCK_XLOCK) before.set(this, { state: this.state, xlockClient: this.xlock_by_client });
    setState.call(this, s);
  };
  try {
    return step();
  } finally {
    MDRequest.prototype.addHeld = addHeld;
    SimpleLock.prototype.set_state = setState;
  }
}
