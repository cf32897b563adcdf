// Locker::eval_gather: finish a transition once everything incompatible with the next state
// is gone (replica acks, local holds, leases, client caps, dirty scattered data).
import {
  AUTH, LOCK_SYNC, LOCK_SYNC_LOCK, LOCK_MIX_SYNC, LOCK_MIX_SYNC2, LOCK_SYNC_MIX, LOCK_SYNC_MIX2,
  LOCK_MIX_LOCK, LOCK_MIX_LOCK2, LOCK_TSYN_MIX, LOCK_EXCL_MIX, LOCK_XSYN_MIX, LOCK_XLOCK,
  LOCK_XLOCKDONE, LOCK_EXCL_SYNC, LOCK_LOCK_SYNC, LOCK_XSYN_SYNC, CEPH_LOCK_IFILE, CEPH_LOCK_INEST,
} from '../../statemachines/index.js';
import type { SimpleLock } from '../locks/index.js';
import {
  LOCK_AC_LOCKACK, LOCK_AC_SYNCACK, LOCK_AC_MIXACK, LOCK_AC_LOCK, LOCK_AC_MIX, LOCK_AC_SYNC,
} from '../messages/index.js';
import {
  parentOf, inodeOf, isScatter, log, mark, mdsEvent, sendToAuth, sendToReplicas, MDSAssertion, type Ctx,
} from './context.js';
import { caps_fit } from './caps.js';
import { need_issue, type NeedIssue } from './issue.js';
import type { Waiter } from '../cache/MDSCacheObject.js';
import { try_drop_loner } from './loner.js';
import { WAIT_STABLE, WAIT_WR, WAIT_RD, WAIT_XLOCK } from '../locks/index.js';
import { finish_waiters } from './waiters.js';
import { kick_object, WAIT_FROZEN } from './freeze.js';
import { encode_for_auth, encode_for_replica } from './scatterData.js';
import { scatter_writebehind } from './scatter.js';
import { try_eval } from './eval.js';
import { rule } from '../rules/active.js';
import { STATE_REJOIN, get_state } from '../cluster/mdsmap.js';
import { peer_rejoined } from './peerState.js';

/** Whether a hold of a kind allowed by `code` in the next state may stay across the transition. */
function stays(code: number, auth: boolean): boolean {
  return code !== 0 && (auth ? code <= AUTH : code < AUTH);
}

/** What an unstable lock still waits for before eval_gather can finish it (bits of gather_pending). */
export const PENDING_REPLICAS = 1;
export const PENDING_RDLOCKS = 2;
export const PENDING_WRLOCKS = 4;
export const PENDING_XLOCKS = 8;
export const PENDING_LEASES = 16;
export const PENDING_FLUSH = 32;
export const PENDING_CAPS = 64;
/** A replica parked in sync->mix(2) / mix->sync(2) waits for the auth's next message. */
export const PENDING_AUTH = 128;

/** eval_gather's completion test as the conditions still unmet (0: complete); `capsFit`: issued caps fit the next state. */
export function gather_pending(lock: SimpleLock, capsFit: boolean): number {
  const N = lock.sm.states[lock.get_next_state()];
  let p = 0;
  if (lock.gather_set !== 0) p |= PENDING_REPLICAS;
  if (!stays(N.can_rdlock, lock.auth) && lock.is_rdlocked()) p |= PENDING_RDLOCKS;
  if (!stays(N.can_wrlock, lock.auth) && lock.is_wrlocked()) p |= PENDING_WRLOCKS;
  if (!stays(N.can_xlock, lock.auth) && lock.is_xlocked()) p |= PENDING_XLOCKS;
  if (!stays(N.can_lease, lock.auth) && lock.is_leased()) p |= PENDING_LEASES;
  // a replica's flushing waits for the auth's LOCKFLUSHED: only the auth's own flush is waited for
  if ((lock.auth || rule('replica-honours-flushing')) && isScatter(lock) && lock.is_flushing()) p |= PENDING_FLUSH;
  if (!capsFit) p |= PENDING_CAPS;
  if (lock.state === LOCK_SYNC_MIX2 || lock.state === LOCK_MIX_SYNC2) p |= PENDING_AUTH;
  return p;
}

/**
 * Locker::eval_gather. `pneed_issue`: where the caps to issue go (null: issued here);
 * `pfinishers`: where woken waiters go (null: run here; eval(inode) passes its own).
 */
export function eval_gather(ctx: Ctx, lock: SimpleLock, first = false, pneed_issue: NeedIssue | null = null, pfinishers: Waiter[] | null = null): void {
  if (lock.is_stable()) throw new MDSAssertion(ctx.mds.id, `eval_gather on stable ${lock.lt.name} ${lock.parent}`);
  const obj = parentOf(ctx, lock);
  const inode = lock.lt.capShift > 0 ? inodeOf(ctx, lock) : null;
  let next = lock.get_next_state();
  const capsFit = !inode || caps_fit(inode, lock, next);
  // eval_gather's own `bool need_issue`: what it (or try_eval) wants issued on this lock's inode
  const need: NeedIssue = first && !capsFit && inode ? [inode] : [];
  const done = () => { if (need.length > 0 && inode) need_issue(ctx, inode, pneed_issue); };

  if (gather_pending(lock, capsFit) !== 0) {
    done();
    return;
  }

  let at = mark(ctx);
  if (!lock.auth) {
    // replica: acknowledge the auth's request, and park in a (2) state where the auth's
    // final message is still to come; while the auth recovers, wait for its rejoin ack (it
    // is not gathering), or with the auth not back in rejoin send nothing and move on
    const oldRule = rule('rejoin-ignores-peer-state'); // before ceph a4ed7ea8: ack whatever the auth's state
    if (!oldRule && obj.rejoining && get_state(ctx.cluster.mdsmap, obj.authority) === STATE_REJOIN) {
      mdsEvent(ctx, `eval_gather: ${lock.lt.name} ${lock.parent} finished its gather, but is still rejoining`);
      done();
      return;
    }
    if (oldRule || peer_rejoined(ctx, obj.authority)) switch (lock.state) {
      case LOCK_SYNC_LOCK:
        sendToAuth(ctx, lock, LOCK_AC_LOCKACK);
        break;
      case LOCK_MIX_SYNC:
        sendToAuth(ctx, lock, LOCK_AC_SYNCACK, encode_for_auth(lock, reportsFrag(ctx, lock)));
        next = LOCK_MIX_SYNC2;
        if (isScatter(lock)) lock.start_flush();
        break;
      case LOCK_SYNC_MIX:
        sendToAuth(ctx, lock, LOCK_AC_MIXACK);
        next = LOCK_SYNC_MIX2;
        break;
      case LOCK_MIX_LOCK:
        sendToAuth(ctx, lock, LOCK_AC_LOCKACK, encode_for_auth(lock, reportsFrag(ctx, lock)));
        if (isScatter(lock)) lock.start_flush();
        break;
      default:
        throw new MDSAssertion(ctx.mds.id, `eval_gather: replica ${lock.lt.name} ${lock.parent} in unexpected state`);
    }
  } else {
    if (lock.state === LOCK_MIX_LOCK && obj.is_replicated()) {
      // the local stage of mix->lock is done: now gather the replicas
      sendToReplicas(ctx, lock, LOCK_AC_LOCK);
      lock.init_gather(obj.replicas);
      lock.set_state(LOCK_MIX_LOCK2);
      log(ctx, 'eval_gather', lock, at);
      return;
    }
    if (isScatter(lock) && lock.is_dirty() && !lock.is_flushed()) {
      scatter_writebehind(ctx, lock);
      return;
    }
    if (isScatter(lock)) lock.clear_flushed();
    at = mark(ctx);
    switch (lock.state) {
      case LOCK_TSYN_MIX: case LOCK_SYNC_MIX: case LOCK_EXCL_MIX: case LOCK_XSYN_MIX:
        if (obj.is_replicated()) sendToReplicas(ctx, lock, LOCK_AC_MIX, encode_for_replica(lock));
        if (isScatter(lock)) lock.clear_scatter_wanted();
        break;
      case LOCK_XLOCK: case LOCK_XLOCKDONE: case LOCK_EXCL_SYNC: case LOCK_LOCK_SYNC: case LOCK_MIX_SYNC: case LOCK_XSYN_SYNC:
        // xlock states go to SYNC only in sm_simplelock (in sm_filelock their next is LOCK)
        if (next === LOCK_SYNC && obj.is_replicated()) sendToReplicas(ctx, lock, LOCK_AC_SYNC, encode_for_replica(lock));
        break;
    }
    // XLOCKSNAP (snapshots) is out of scope: no client ever holds GBUFFER here.
  }

  lock.set_state(next);
  log(ctx, 'eval_gather', lock, at);
  if (isScatter(lock) && lock.frag_reports.length === 1) lock.frag_reports = [];
  if (lock.auth && lock.is_stable()) {
    obj.auth_unpin();
    kick_object(ctx, obj, WAIT_FROZEN); // a freezer waiting for the pins to drain looks again
  }
  if (inode && lock.auth && inode.want_loner_cap !== inode.loner_cap && try_drop_loner(inode)) need.push(inode);
  finish_waiters(ctx, lock, WAIT_STABLE | WAIT_WR | WAIT_RD | WAIT_XLOCK, pfinishers);
  if (inode && !need.includes(inode)) need.push(inode);
  // re-tested: a woken request may already have started the next transition
  if (lock.auth && lock.is_stable()) try_eval(ctx, lock, need);
  done();
}

/** CInode::encode_lock_ifile / encode_lock_inest on a replica: a dirfrag's stats go along where this rank is its auth. */
function reportsFrag(ctx: Ctx, lock: SimpleLock): boolean {
  return (lock.type === CEPH_LOCK_IFILE || lock.type === CEPH_LOCK_INEST) && ctx.mds.dirfrags[lock.parent]?.is_auth() === true;
}
