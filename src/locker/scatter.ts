// Scatterlock transitions and scattered data: Locker::scatter_mix, scatter_writebehind(+finish),
// scatter_nudge, scatter_tick, mark_updated_scatterlock.
import {
  LOCK_LOCK, LOCK_MIX, LOCK_SYNC_MIX, LOCK_MIX_LOCK, LOCK_MIX_LOCK2, LOCK_MIX_EXCL, LOCK_MIX_TSYN,
} from '../../statemachines/index.js';
import { WAIT_STABLE, type ScatterLock, type SimpleLock } from '../locks/index.js';
import { LOCK_AC_MIX, LOCK_AC_LOCKFLUSHED, LOCK_AC_NUDGE, type JournalCommit } from '../messages/index.js';
import { MDRequest } from '../request/MDRequest.js';
import { WRLOCK } from '../request/LockOp.js';
import {
  assertMds, isScatter, lockOf, log, mark, parentOf, refOf, send, sendToAuth, sendToReplicas, type Ctx,
} from './context.js';
import { auth_takes_requests } from './peerState.js';
import { tree_freeze } from './freeze.js';
import { gather_caps, issue_if_caps, type NeedIssue } from './issue.js';
import { revoke_client_leases } from './leases.js';
import { finish_waiters } from './waiters.js';
import { encode_for_replica } from './scatterData.js';
import { simple_lock, simple_sync, transition } from './simple.js';
import { drop_locks } from './acquire.js';

/** Locker::scatter_mix: -> MIX. From LOCK it switches at once and revokes caps afterwards (Q6). Wakes no waiters. */
export function scatter_mix(ctx: Ctx, lock: ScatterLock, need: NeedIssue | null = null): void {
  assertMds(ctx, lock.auth && lock.is_stable(), `scatter_mix on ${lock.lt.name} ${lock.parent}: not auth or not stable`);
  const obj = parentOf(ctx, lock);
  if (lock.state === LOCK_LOCK) {
    const at = mark(ctx);
    if (obj.is_replicated()) sendToReplicas(ctx, lock, LOCK_AC_MIX, encode_for_replica(lock));
    lock.set_state(LOCK_MIX);
    lock.clear_scatter_wanted();
    log(ctx, 'scatter_mix', lock, at);
    issue_if_caps(ctx, lock, need);
    return;
  }
  let at = mark(ctx);
  transition(ctx, 'scatter_mix', lock);
  let gather = 0;
  if (lock.is_rdlocked()) gather++;
  if (obj.is_replicated() && lock.state === LOCK_SYNC_MIX) {
    sendToReplicas(ctx, lock, LOCK_AC_MIX);
    lock.init_gather(obj.replicas);
    gather++;
  }
  if (lock.is_leased()) {
    revoke_client_leases(ctx, lock);
    gather++;
  }
  gather += gather_caps(ctx, lock, need);
  log(ctx, 'scatter_mix', lock, at);
  if (gather > 0) {
    obj.auth_pin();
  } else {
    at = mark(ctx);
    if (obj.is_replicated()) sendToReplicas(ctx, lock, LOCK_AC_MIX, encode_for_replica(lock));
    lock.set_state(LOCK_MIX);
    lock.clear_scatter_wanted();
    log(ctx, 'scatter_mix', lock, at);
    issue_if_caps(ctx, lock, need);
  }
}

/** Locker::scatter_writebehind: fold dirty scattered data into the inode under a forced wrlock, journaled. */
export function scatter_writebehind(ctx: Ctx, lock: ScatterLock): void {
  const mutid = `mds.${ctx.mds.id}:writebehind.${ctx.mds.next_mutation++}`;
  const mut = new MDRequest(mutid, -1, ctx.mds.id, []);
  ctx.mds.requests[mutid] = mut;
  lock.get_wrlock(true);
  mut.addHeld(refOf(lock), WRLOCK);
  const amount = lock.scatter_pending;
  lock.scatter_pending = 0;
  lock.start_flush();
  log(ctx, 'scatter_writebehind', lock);
  send(ctx, { kind: 'journal', from: ctx.mds.id, to: ctx.mds.id, what: 'scatter_writebehind', lockType: lock.type, path: lock.parent, mutid, amount });
}

const LOCKFLUSHED_STATES = new Set([LOCK_MIX_LOCK, LOCK_MIX_LOCK2, LOCK_MIX_EXCL, LOCK_MIX_TSYN]);

/** Locker::scatter_writebehind_finish: the journal entry is safe. */
export function scatter_writebehind_finish(ctx: Ctx, commit: JournalCommit): void {
  const lock = lockOf(ctx, { path: commit.path, type: commit.lockType }) as ScatterLock;
  const obj = parentOf(ctx, lock);
  lock.scatter_value += commit.amount;
  lock.finish_flush();
  log(ctx, 'scatter_writebehind_finish', lock);
  if (obj.is_replicated() && LOCKFLUSHED_STATES.has(lock.state)) sendToReplicas(ctx, lock, LOCK_AC_LOCKFLUSHED);
  const mut = ctx.mds.requests[commit.mutid];
  if (mut) {
    drop_locks(ctx, mut);
    delete ctx.mds.requests[commit.mutid];
  }
  if (lock.is_stable()) finish_waiters(ctx, lock, WAIT_STABLE);
}

/** Locker::mark_updated_scatterlock: a request changed scattered data under its wrlock. */
export function mark_updated_scatterlock(ctx: Ctx, lock: ScatterLock): void {
  lock.mark_dirty();
  const key = `${lock.type} ${lock.parent}`;
  delete ctx.mds.updated_scatterlocks[key];
  ctx.mds.updated_scatterlocks[key] = refOf(lock);
}

/** Locker::scatter_nudge: push dirty scattered data to the inode (auth) or ask the auth to (replica). */
export function scatter_nudge(ctx: Ctx, lock: ScatterLock): void {
  const obj = parentOf(ctx, lock);
  // a tree freezing or frozen for an export: no nudge now (a dirty lock stays queued for the next tick)
  if (tree_freeze(ctx.mds, obj)) return;
  if (lock.auth) {
    let count = 0;
    for (;;) {
      if (!lock.is_stable()) return;
      if (obj.is_replicated() && lock.state !== LOCK_MIX) scatter_mix(ctx, lock);
      else if (lock.state !== LOCK_LOCK) simple_lock(ctx, lock);
      else simple_sync(ctx, lock);
      count++;
      if (lock.is_stable() && count === 2) break;
    }
  } else {
    if (auth_takes_requests(ctx, obj.authority)) sendToAuth(ctx, lock, LOCK_AC_NUDGE);
    if (lock.is_dirty()) mark_updated_scatterlock(ctx, lock); // re-queue, in case the auth was wrong
  }
}

/** Locker::scatter_tick, with the nudge interval always elapsed (mdslock has no clock). */
export function scatter_tick(ctx: Ctx): void {
  const list = ctx.mds.updated_scatterlocks;
  for (const key of Object.keys(list)) { // the entries queued when the tick started
    const ref = list[key];
    delete list[key];
    const lock = ctx.mds.lock(ref) as SimpleLock | undefined;
    if (!lock || !isScatter(lock) || !lock.is_dirty()) continue;
    scatter_nudge(ctx, lock);
  }
}
