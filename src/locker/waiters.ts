// Waiting on a lock and waking: SimpleLock::add_waiter / finish_waiters. Waking is
// synchronous, as Ceph's finish_contexts: a woken request re-runs acquire_locks here and now,
// inside the state change that woke it.
import type { SimpleLock } from '../locks/index.js';
import type { Waiter } from '../cache/MDSCacheObject.js';
import type { MDiscover, MLock } from '../messages/index.js';
import { handle_discover } from '../server/discover.js';
import { parentOf, type Ctx } from './context.js';
import { retry_request } from './dispatch.js';
import { handle_lock } from './handlers.js';
import { handle_client_caps } from './clientCaps.js';

export function add_waiter(ctx: Ctx, lock: SimpleLock, mask: number, reqid: string): void {
  parentOf(ctx, lock).add_waiter({ type: lock.type, mask, reqid });
}

export function add_message_waiter(ctx: Ctx, lock: SimpleLock, mask: number, msg: MLock | MDiscover): void {
  parentOf(ctx, lock).add_waiter({ type: lock.type, mask, msg });
}

export function is_waiter_for(ctx: Ctx, lock: SimpleLock, mask: number): boolean {
  return parentOf(ctx, lock).is_waiter_for(lock.type, mask);
}

/**
 * SimpleLock::finish_waiters: run the waiters now; with `pfinishers` (only eval_gather is
 * given one, by eval(inode)) collect them for the caller to run (take_waiting).
 */
export function finish_waiters(ctx: Ctx, lock: SimpleLock, mask: number, pfinishers: Waiter[] | null = null): void {
  const taken = parentOf(ctx, lock).take_waiting(lock.type, mask);
  if (pfinishers) pfinishers.push(...taken);
  else run_waiters(ctx, taken);
}

/** finish_contexts: run the callbacks now (retry the request, or handle the message again). */
export function run_waiters(ctx: Ctx, waiters: readonly Waiter[]): void {
  for (const w of waiters) {
    if (w.reqid !== undefined) retry_request(ctx, w.reqid);
    else if (w.msg?.kind === 'lock') handle_lock(ctx, w.msg);
    else if (w.msg?.kind === 'discover') handle_discover(ctx, w.msg);
    else if (w.msg?.kind === 'caps') handle_client_caps(ctx, w.msg);
  }
}
