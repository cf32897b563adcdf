// MLock handlers: Locker::handle_lock, handle_simple_lock, handle_file_lock, handle_reqrdlock.
// A message in a state Ceph asserts against is reported as the abort it would cause.
import {
  LOCK_SYNC, LOCK_LOCK, LOCK_MIX, LOCK_SYNC_LOCK, LOCK_SYNC_EXCL, LOCK_MIX_SYNC, LOCK_MIX_SYNC2,
  LOCK_MIX_LOCK, LOCK_MIX_LOCK2, LOCK_MIX_EXCL, LOCK_SYNC_MIX, LOCK_SYNC_MIX2, LOCK_MIX_TSYN,
  stateName,
} from '../../statemachines/index.js';
import { WAIT_RD, WAIT_STABLE, WAIT_WR, type ScatterLock, type SimpleLock } from '../locks/index.js';
import {
  LOCK_AC_SYNC, LOCK_AC_LOCK, LOCK_AC_MIX, LOCK_AC_LOCKFLUSHED, LOCK_AC_LOCKACK, LOCK_AC_SYNCACK,
  LOCK_AC_MIXACK, LOCK_AC_REQSCATTER, LOCK_AC_REQUNSCATTER, LOCK_AC_NUDGE, LOCK_AC_REQRDLOCK,
  lockActionName, printMessage, type MLock,
} from '../messages/index.js';
import { assertMds, inodeOf, log, mark, mdsEvent, parentOf, type Ctx } from './context.js';
import { issue_caps } from './caps.js';
import { revoke_client_leases } from './leases.js';
import { add_message_waiter, finish_waiters } from './waiters.js';
import { decode_from_auth, decode_from_replica } from './scatterData.js';
import { eval_gather } from './eval_gather.js';
import { simple_lock, simple_sync } from './simple.js';
import { scatter_mix, scatter_nudge } from './scatter.js';
import { rule } from '../rules/active.js';
import { STATE_REJOIN, get_state, rankStateName } from '../cluster/mdsmap.js';

/** Locker::handle_lock: find the lock; drop the message if the object is not cached here. */
export function handle_lock(ctx: Ctx, m: MLock): void {
  // senders skip a rank before rejoin: "nobody should be talking to us during recovery"
  assertMds(ctx, get_state(ctx.cluster.mdsmap, ctx.mds.id) >= STATE_REJOIN, `handle_lock: ${printMessage(m)} from mds.${m.from} while mds.${ctx.mds.id} is in ${rankStateName(get_state(ctx.cluster.mdsmap, ctx.mds.id))}`);
  const obj = ctx.mds.objectOf({ path: m.path, type: m.lockType });
  if (!obj) return; // "must have trimmed"
  const lock = obj.getLock(m.lockType);
  assertMds(ctx, lock !== undefined && lock.lt.cls !== 'LocalLock', `handle_lock: no lockable type ${m.lockType} on ${m.path}`);
  if (lock.lt.sm.name === 'sm_simplelock') handle_simple_lock(ctx, lock, m);
  else handle_file_lock(ctx, lock as ScatterLock, m);
}

/** handle_simple_lock / handle_file_lock, first: a rejoining rank drops messages about objects still rejoining. */
function still_rejoining(ctx: Ctx, lock: SimpleLock, m: MLock): boolean {
  if (get_state(ctx.cluster.mdsmap, ctx.mds.id) !== STATE_REJOIN || !parentOf(ctx, lock).rejoining) return false;
  mdsEvent(ctx, `${lock.lt.name} ${lock.parent} still rejoining, dropping ${printMessage(m)}`);
  return true;
}

// (the abort messages are built only when the check fails: these run on every message)
function expectState(ctx: Ctx, lock: SimpleLock, m: MLock, states: number[]): void {
  if (states.includes(lock.state)) return;
  assertMds(ctx, false,
    `${lock.lt.sm.name === 'sm_simplelock' ? 'handle_simple_lock' : 'handle_file_lock'} a=${lockActionName(m.action)} on ${lock.lt.name} ${lock.parent} in state ${stateName(lock.state)}`);
}

function ack_from(ctx: Ctx, lock: SimpleLock, m: MLock): void {
  if (!lock.is_gathering(m.from)) assertMds(ctx, false, `${lockActionName(m.action)} from mds.${m.from} not in the gather set of ${lock.lt.name} ${lock.parent}`);
  lock.remove_gather(m.from);
}

/** Locker::handle_reqrdlock (auth): sync the lock if it is not SYNC; otherwise drop (Q8). */
export function handle_reqrdlock(ctx: Ctx, lock: SimpleLock, m: MLock): void {
  if (lock.auth && lock.state !== LOCK_SYNC) {
    if (lock.is_stable()) simple_sync(ctx, lock);
    else add_message_waiter(ctx, lock, WAIT_STABLE, m);
  }
}

/** Locker::handle_simple_lock. Unknown actions are silently ignored (Q10). */
export function handle_simple_lock(ctx: Ctx, lock: SimpleLock, m: MLock): void {
  if (still_rejoining(ctx, lock, m)) return;
  switch (m.action) {
    case LOCK_AC_SYNC:
      expectState(ctx, lock, m, [LOCK_LOCK]);
      decode_from_auth(lock, m.data);
      lock.set_state(LOCK_SYNC);
      log(ctx, 'handle_simple_lock', lock);
      finish_waiters(ctx, lock, WAIT_RD | WAIT_STABLE);
      break;
    case LOCK_AC_LOCK: {
      expectState(ctx, lock, m, [LOCK_SYNC]);
      const at = mark(ctx);
      lock.set_state(LOCK_SYNC_LOCK);
      if (lock.is_leased()) revoke_client_leases(ctx, lock);
      log(ctx, 'handle_simple_lock', lock, at);
      eval_gather(ctx, lock, true);
      break;
    }
    case LOCK_AC_LOCKACK:
      expectState(ctx, lock, m, [LOCK_SYNC_LOCK, LOCK_SYNC_EXCL]);
      ack_from(ctx, lock, m);
      log(ctx, 'handle_simple_lock', lock);
      if (!lock.is_gathering()) eval_gather(ctx, lock);
      break;
    case LOCK_AC_REQRDLOCK:
      handle_reqrdlock(ctx, lock, m);
      break;
  }
}

/** Locker::handle_file_lock (IFILE, INEST, IDFT). Unknown actions abort (Q10). */
export function handle_file_lock(ctx: Ctx, lock: ScatterLock, m: MLock): void {
  if (still_rejoining(ctx, lock, m)) return;
  const inode = lock.lt.capShift > 0 ? inodeOf(ctx, lock) : null;
  switch (m.action) {
    // ---- replica side ----
    case LOCK_AC_SYNC:
      // a SYNC sent again (after an auth failover) may find the replica still in MIX_SYNC
      expectState(ctx, lock, m, rule('replica-rejects-sync-in-mix-sync') ? [LOCK_LOCK, LOCK_MIX, LOCK_MIX_SYNC2] : [LOCK_LOCK, LOCK_MIX, LOCK_MIX_SYNC, LOCK_MIX_SYNC2]);
      if (lock.state === LOCK_MIX) { // start of mix->sync
        lock.set_state(LOCK_MIX_SYNC);
        log(ctx, 'handle_file_lock', lock);
        eval_gather(ctx, lock, true);
        break;
      }
      lock.finish_flush();
      lock.clear_flushed();
      decode_from_auth(lock, m.data);
      lock.set_state(LOCK_SYNC);
      log(ctx, 'handle_file_lock', lock);
      // Ceph holds an rdlock of its own across the wake-ups and drops it without re-evaluation
      lock.get_rdlock();
      log(ctx, 'handle_file_lock', lock, -1, 'rdlock held across the wake-ups');
      if (inode) issue_caps(ctx, inode);
      finish_waiters(ctx, lock, WAIT_RD | WAIT_STABLE);
      lock.put_rdlock();
      log(ctx, 'handle_file_lock', lock, -1, 'rdlock of the wake-ups dropped');
      break;
    case LOCK_AC_LOCK: {
      const to = lock.state === LOCK_SYNC ? LOCK_SYNC_LOCK : lock.state === LOCK_MIX ? LOCK_MIX_LOCK : -1;
      expectState(ctx, lock, m, [LOCK_SYNC, LOCK_MIX]);
      lock.set_state(to);
      log(ctx, 'handle_file_lock', lock);
      eval_gather(ctx, lock, true);
      break;
    }
    case LOCK_AC_LOCKFLUSHED:
      lock.finish_flush();
      lock.clear_flushed();
      log(ctx, 'handle_file_lock', lock);
      if (lock.is_stable()) finish_waiters(ctx, lock, WAIT_STABLE);
      break;
    case LOCK_AC_MIX:
      expectState(ctx, lock, m, [LOCK_SYNC, LOCK_LOCK, LOCK_SYNC_MIX2]);
      if (lock.state === LOCK_SYNC) { // start of sync->mix
        lock.set_state(LOCK_SYNC_MIX);
        log(ctx, 'handle_file_lock', lock);
        eval_gather(ctx, lock, true);
        break;
      }
      lock.set_state(LOCK_MIX);
      decode_from_auth(lock, m.data);
      log(ctx, 'handle_file_lock', lock);
      if (inode) issue_caps(ctx, inode);
      finish_waiters(ctx, lock, WAIT_WR | WAIT_STABLE);
      break;
    // ---- auth side ----
    case LOCK_AC_LOCKACK:
      expectState(ctx, lock, m, [LOCK_SYNC_LOCK, LOCK_MIX_LOCK, LOCK_MIX_LOCK2, LOCK_MIX_EXCL, LOCK_SYNC_EXCL, LOCK_SYNC_MIX, LOCK_MIX_TSYN]);
      ack_from(ctx, lock, m);
      if ([LOCK_MIX_LOCK, LOCK_MIX_LOCK2, LOCK_MIX_EXCL, LOCK_MIX_TSYN].includes(lock.state)) {
        decode_from_replica(lock, m.data, m.from);
        lock.clear_flushed(); // the replica waits for LOCKFLUSHED: a fresh write-behind is needed
      }
      log(ctx, 'handle_file_lock', lock);
      if (!lock.is_gathering()) eval_gather(ctx, lock);
      break;
    case LOCK_AC_SYNCACK:
      expectState(ctx, lock, m, [LOCK_MIX_SYNC]);
      ack_from(ctx, lock, m);
      decode_from_replica(lock, m.data, m.from);
      log(ctx, 'handle_file_lock', lock);
      if (!lock.is_gathering()) eval_gather(ctx, lock);
      break;
    case LOCK_AC_MIXACK:
      expectState(ctx, lock, m, [LOCK_SYNC_MIX]);
      ack_from(ctx, lock, m);
      log(ctx, 'handle_file_lock', lock);
      if (!lock.is_gathering()) eval_gather(ctx, lock);
      break;
    case LOCK_AC_REQSCATTER:
      if (lock.is_stable()) {
        if (lock.state !== LOCK_MIX) scatter_mix(ctx, lock);
      } else {
        lock.set_scatter_wanted();
        log(ctx, 'handle_file_lock', lock);
      }
      break;
    case LOCK_AC_REQUNSCATTER:
      if (lock.is_stable()) {
        if (lock.state === LOCK_MIX) simple_lock(ctx, lock);
      } else {
        lock.set_unscatter_wanted();
      }
      break;
    case LOCK_AC_REQRDLOCK:
      handle_reqrdlock(ctx, lock, m);
      break;
    case LOCK_AC_NUDGE:
      if (lock.auth && parentOf(ctx, lock).is_replicated()) scatter_nudge(ctx, lock);
      break;
    default:
      assertMds(ctx, false, `handle_file_lock: unexpected action ${m.action}`);
  }
}
