// Locker::acquire_locks (all-or-wait, in Ceph's lock order) and the release paths:
// drop_locks, _drop_locks, request_drop_remote_locks, request_drop_locks.
import { CEPH_LOCK_DN, CEPH_LOCK_IPOLICY, CEPH_LOCK_ISNAP, CEPH_LOCK_IVERSION } from '../../statemachines/index.js';
import type { CDentry } from '../cache/CDentry.js';
import type { CInode } from '../cache/CInode.js';
import type { SimpleLock } from '../locks/index.js';
import { OP_AUTHPIN, OP_DROPLOCKS, OP_FINISH } from '../messages/index.js';
import type { MDRequest } from '../request/MDRequest.js';
import {
  RDLOCK, WRLOCK, XLOCK, REMOTE_WRLOCK, STATE_PIN, op, sameLock, sort_and_merge, type LockOp, type LockRef,
} from '../request/LockOp.js';
import { assertMds, lockOf, log, parentOf, refOf, requestEvent, send, type Ctx } from './context.js';
import { cluster_degraded, peer_active, peer_rejoined, wait_for_active_peer, wait_for_cluster_recovered } from './peerState.js';
import { issue_caps_set, type NeedIssue } from './issue.js';
import { add_object_waiter, can_auth_pin, kick_object, unfreeze, WAIT_FROZEN, WAIT_SINGLEAUTH, WAIT_UNFREEZE } from './freeze.js';
import { rdlock_finish, rdlock_start } from './rdlock.js';
import { wrlock_finish, wrlock_start, wrlock_try, remote_wrlock_finish, remote_wrlock_start } from './wrlock.js';
import { xlock_finish, xlock_start, cancel_locking } from './xlock.js';

/** The lock objects of `ops`, looked up before any step runs (see acquire_locks). */
function lockObjects(ctx: Ctx, ops: readonly LockOp[]): SimpleLock[] {
  const out: SimpleLock[] = new Array(ops.length);
  for (let i = 0; i < ops.length; i++) out[i] = lockOf(ctx, ops[i].lock);
  return out;
}

/** The op with the lock's name as it is now (a rename woken meanwhile may have moved it). */
function current(o: LockOp, lock: SimpleLock): LockOp {
  return lock.parent === o.lock.path ? o : { ...o, lock: refOf(lock) };
}

/**
 * Locker::acquire_locks: take every lock of `wanted` in order, or stop at the first that
 * must wait, keeping what is already held. Non-auth objects that may need the auth's help
 * are auth-pinned remotely first (OP_AUTHPIN). Returns true when all are held.
 */
export function acquire_locks(ctx: Ctx, mdr: MDRequest, wanted: readonly LockOp[], auth_pin_freeze: string | null = null): boolean {
  mdr.attempts++;
  const ops: LockOp[] = wanted.slice(); // entries are not mutated here; sort_and_merge copies them
  const mustpin: string[] = []; // object keys (a few: an array beats a Set here)
  const pin = (key: string) => { if (!mustpin.includes(key)) mustpin.push(key); };
  if (auth_pin_freeze) pin(auth_pin_freeze);
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i];
    const lock = lockOf(ctx, o.lock);
    const obj = parentOf(ctx, lock);
    if (o.flags & XLOCK) {
      pin(obj.key);
      // the auth journals the object: a leader wrlocks its versionlock, a peer xlocks it
      const vflag = mdr.is_leader() ? WRLOCK : XLOCK;
      if (lock.type === CEPH_LOCK_DN && obj.is_auth()) {
        ops.splice(i + 1, 0, op({ path: obj.path, type: (obj as CDentry).versionlock.type }, vflag));
      } else if (obj.kind === 'inode' && lock.type !== CEPH_LOCK_IVERSION && obj.is_auth()) {
        ops.splice(i + 1, 0, op({ path: obj.path, type: (obj as CInode).versionlock.type }, vflag));
      }
    } else if ((o.flags & WRLOCK) && lock.lt.cls !== 'LocalLock') {
      const c = o.flags & STATE_PIN ? lock.excl_client : mdr.client;
      if (obj.is_auth()) pin(obj.key);
      else if (!lock.can_wrlock(c) && mdr.is_leader()) pin(obj.key); // a REQSCATTER may follow
    } else if (o.flags & REMOTE_WRLOCK) {
      pin(obj.key);
    } else if (o.flags & RDLOCK) {
      if (obj.is_auth()) pin(obj.key);
      else if (!lock.can_rdlock(mdr.client)) pin(obj.key); // a REQRDLOCK may follow
    }
  }
  const sorted = sort_and_merge(ops);

  // auth pins: local now, remote by OP_AUTHPIN; an object whose auth is moving, or a local one
  // frozen by another request, makes the request drop everything and wait
  let remote: Map<number, string[]> | null = null;
  if (mustpin.length > 1) mustpin.sort();
  const pinned = (key: string) => (mdr.auth_pins.includes(key) || mdr.remote_auth_pins[key] !== undefined) && (key !== auth_pin_freeze || mdr.remote_frozen === key);
  for (const key of mustpin) {
    if (pinned(key)) continue;
    const obj = ctx.mds.object(key)!;
    const mask = !obj.is_auth() ? (obj.ambiguous_auth ? WAIT_SINGLEAUTH : 0) : can_auth_pin(ctx.mds, obj, mdr.reqid) ? 0 : WAIT_UNFREEZE;
    if (!mask) continue;
    drop_locks(ctx, mdr);
    drop_local_auth_pins(ctx, mdr);
    add_object_waiter(obj, mask, mdr.reqid);
    return false;
  }
  for (const key of mustpin) {
    if (pinned(key)) continue;
    const obj = ctx.mds.object(key)!;
    if (obj.is_auth()) {
      obj.auth_pin();
      mdr.auth_pins.push(key);
    } else {
      remote ??= new Map();
      const list = remote.get(obj.authority) ?? [];
      list.push(key);
      remote.set(obj.authority, list);
    }
  }
  if (remote) {
    for (const rank of [...remote.keys()].sort((a, b) => a - b)) {
      if (!peer_active(ctx, rank)) {
        if (mdr.waiting_on_peer.length === 0) wait_for_active_peer(ctx, rank, mdr.reqid);
        return false;
      }
      const objects = [...remote.get(rank)!, ...Object.keys(mdr.remote_auth_pins).filter((p) => mdr.remote_auth_pins[p] === rank)].sort();
      const freeze = auth_pin_freeze && objects.includes(auth_pin_freeze) ? { authpin_freeze: auth_pin_freeze } : {};
      send(ctx, { kind: 'peer', from: ctx.mds.id, to: rank, op: OP_AUTHPIN, reqid: mdr.reqid, objects, ...freeze, ...(mdr.locks.length ? { notify_blocking: true } : {}) });
      assertMds(ctx, !mdr.waiting_on_peer.includes(rank), `acquire_locks: ${mdr.reqid} already waits on mds.${rank}`);
      mdr.waiting_on_peer.push(rank);
    }
    return false;
  }

  // caps the cancelled lockings leave to issue: issued once, at the end (Ceph's `out:` label)
  const issue_set: NeedIssue = [];
  const done = (result: boolean) => { issue_caps_set(ctx, issue_set); return result; };
  const cancelOther = (ref: LockRef) => { if (mdr.locking && !sameLock(mdr.locking, ref)) cancel_locking(ctx, mdr, issue_set); };
  // the lock objects first: a request woken by one of these steps may prepare a rename or an
  // unlink, which renames paths (rekey.ts) where Ceph's pointers would not notice
  const locks = lockObjects(ctx, sorted);
  for (let i = 0; i < sorted.length; i++) {
    const lock = locks[i];
    const o = current(sorted[i], lock);
    if (o.flags & XLOCK) {
      if (mdr.isHeld(o.lock, XLOCK)) continue;
      cancelOther(o.lock);
      if (!xlock_start(ctx, lock, mdr)) return done(false);
    } else if (o.flags & (WRLOCK | REMOTE_WRLOCK)) {
      if ((o.flags & REMOTE_WRLOCK) && !mdr.isHeld(o.lock, REMOTE_WRLOCK)) {
        cancelOther(o.lock);
        remote_wrlock_start(ctx, o.lock, o.wrlock_target, mdr);
        return done(false);
      }
      if (o.flags & WRLOCK) {
        if (mdr.isHeld(o.lock, WRLOCK)) continue;
        if (o.flags & REMOTE_WRLOCK) {
          const c = o.flags & STATE_PIN ? lock.excl_client : mdr.client;
          if (!wrlock_try(ctx, lock, mdr, c)) {
            // cannot wait while holding the remote wrlock: give it back and ask again
            remote_wrlock_finish(ctx, o.lock, o.wrlock_target, mdr);
            remote_wrlock_start(ctx, o.lock, o.wrlock_target, mdr);
            return done(false);
          }
        } else if (!wrlock_start(ctx, o, lock, mdr)) {
          return done(false);
        }
      }
    } else {
      if (mdr.isHeld(o.lock, RDLOCK)) continue;
      if (lock.needs_recover()) {
        // a replica the rejoin ack left in a state the recovering auth set: wait until the
        // recovering rank has its requests back (SimpleLock::set_state_rejoin)
        if (cluster_degraded(ctx)) {
          drop_locks(ctx, mdr);
          wait_for_cluster_recovered(ctx, mdr.reqid);
          return done(false);
        }
        lock.clear_need_recover();
      }
      if (!rdlock_start(ctx, lock, mdr)) return done(false);
    }
  }
  return done(true);
}

/** Locker::_drop_locks: release holds (caps to issue into `pneed_issue`); foreign xlocks only forget their count locally. */
export function _drop_locks(ctx: Ctx, mdr: MDRequest, pneed_issue: NeedIssue, drop_rdlocks: boolean): void {
  const peers = new Set<number>();
  // lock objects first: what a release wakes may rename paths (see acquire_locks)
  const held = mdr.locks.slice();
  const locks = lockObjects(ctx, held);
  for (let i = 0; i < held.length; i++) {
    const lock = locks[i];
    const o = current(held[i], lock);
    if (o.flags & XLOCK) {
      if (lock.auth || lock.lt.cls === 'LocalLock') {
        xlock_finish(ctx, lock, mdr, pneed_issue);
      } else {
        peers.add(parentOf(ctx, lock).authority);
        lock.put_xlock();
        mdr.removeHeld(o.lock, XLOCK);
        log(ctx, '_drop_locks', lock, -1, 'remote xlock forgotten here; the auth drops its own');
      }
    } else if (o.flags & (WRLOCK | REMOTE_WRLOCK)) {
      if (o.flags & REMOTE_WRLOCK) {
        peers.add(o.wrlock_target);
        mdr.removeHeld(o.lock, REMOTE_WRLOCK);
      }
      if (o.flags & WRLOCK) wrlock_finish(ctx, lock, mdr, pneed_issue);
    } else if ((o.flags & RDLOCK) && drop_rdlocks) {
      rdlock_finish(ctx, lock, mdr, pneed_issue);
    }
  }
  for (const r of [...peers].sort((a, b) => a - b)) {
    if (peer_rejoined(ctx, r)) send(ctx, { kind: 'peer', from: ctx.mds.id, to: r, op: OP_DROPLOCKS, reqid: mdr.reqid });
  }
}

/** Locker::drop_locks: given no set, it issues the caps the drops leave, once, at its end. */
export function drop_locks(ctx: Ctx, mdr: MDRequest, pneed_issue: NeedIssue | null = null): void {
  const need = pneed_issue ?? [];
  if (mdr.locking) cancel_locking(ctx, mdr, need);
  _drop_locks(ctx, mdr, need, true);
  if (!pneed_issue) issue_caps_set(ctx, need);
  if (mdr.client_request) mdr.client_request.locking_state = 0; // a retry locks everything again
}

/** Locker::drop_non_rdlocks. */
export function drop_non_rdlocks(ctx: Ctx, mdr: MDRequest): void {
  const need: NeedIssue = [];
  _drop_locks(ctx, mdr, need, false);
  issue_caps_set(ctx, need);
}

/** Locker::request_drop_non_rdlocks: before a safe reply, so leases can be issued. */
export function request_drop_non_rdlocks(ctx: Ctx, mdr: MDRequest): void {
  request_drop_remote_locks(ctx, mdr);
  drop_non_rdlocks(ctx, mdr);
}

/**
 * Locker::drop_rdlocks_for_early_reply: after the unsafe reply the rdlocks go, but those of
 * snaplocks and policylocks, which later mksnap and setlayout on other ranks must wait for.
 */
export function drop_rdlocks_for_early_reply(ctx: Ctx, mdr: MDRequest): void {
  const need: NeedIssue = [];
  const rdlocked = mdr.locks.filter((o) => (o.flags & RDLOCK) && o.lock.type !== CEPH_LOCK_ISNAP && o.lock.type !== CEPH_LOCK_IPOLICY);
  for (const lock of rdlocked.map((o) => lockOf(ctx, o.lock))) rdlock_finish(ctx, lock, mdr, need);
  issue_caps_set(ctx, need);
}

/** Locker::request_drop_remote_locks: OP_FINISH to every peer; forget foreign holds. */
export function request_drop_remote_locks(ctx: Ctx, mdr: MDRequest): void {
  for (const r of [...mdr.peers].sort((a, b) => a - b)) {
    if (peer_rejoined(ctx, r)) send(ctx, { kind: 'peer', from: ctx.mds.id, to: r, op: OP_FINISH, reqid: mdr.reqid });
  }
  const held = mdr.locks.slice();
  const locks = lockObjects(ctx, held);
  for (let i = 0; i < held.length; i++) {
    const lock = locks[i];
    const o = current(held[i], lock);
    if ((o.flags & XLOCK) && !lock.auth && lock.lt.cls !== 'LocalLock') {
      lock.put_xlock(); // no OP_UNXLOCK and no wake-up: the peer finishing releases it
      mdr.removeHeld(o.lock, XLOCK);
      log(ctx, 'request_drop_remote_locks', lock, -1, 'remote xlock forgotten here; OP_FINISH releases it on the auth');
    }
    if (o.flags & REMOTE_WRLOCK) mdr.removeHeld(o.lock, REMOTE_WRLOCK);
  }
  mdr.peers = [];
}

/** Release every auth pin the request holds on this rank (a freezer waiting for pins to drain looks again). */
export function drop_local_auth_pins(ctx: Ctx, mdr: MDRequest): void {
  // MDRequestImpl::drop_local_auth_pins: a peer's auth-pin freeze goes with its pins
  const frozen = mdr.freeze_authpin ? ctx.mds.object(mdr.freeze_authpin) : undefined;
  mdr.freeze_authpin = null;
  if (frozen?.frozen_by === mdr.reqid) unfreeze(ctx, frozen);
  const pins = mdr.auth_pins;
  mdr.auth_pins = [];
  for (const p of pins) {
    const obj = ctx.mds.object(p);
    if (!obj) continue;
    obj.auth_unpin();
    kick_object(ctx, obj, WAIT_FROZEN);
  }
}

/** MDCache::request_finish / request_cleanup: the request is dead, then drops everything. */
export function request_finish(ctx: Ctx, mdr: MDRequest, what = 'finished'): void {
  mdr.status = 'finished'; // dead first: waiters woken by its own release must not retry it
  request_drop_locks(ctx, mdr);
  delete ctx.mds.requests[mdr.reqid];
  requestEvent(ctx, mdr.reqid, what);
}

/** Drop every lock, pin and peer of the request. */
export function request_drop_locks(ctx: Ctx, mdr: MDRequest): void {
  request_drop_remote_locks(ctx, mdr);
  drop_locks(ctx, mdr);
  drop_local_auth_pins(ctx, mdr);
  mdr.remote_auth_pins = {};
  mdr.waiting_on_peer = [];
}
