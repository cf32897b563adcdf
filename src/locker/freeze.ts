// Frozen and ambiguous-auth objects, as far as a cross-rank rename needs them: the rename's
// inode is frozen on its old auth (freeze_auth_pin at OP_AUTHPIN, freeze_inode at the prepare)
// so no other request pins it, and its auth is ambiguous everywhere until the move is done.
// Requests that would pin it wait (WAIT_UNFREEZE, WAIT_SINGLEAUTH); a freezer waits for the
// pins others hold to drain (WAIT_FROZEN).
import { OBJECT_WAIT, type MDSCacheObject, type Waiter } from '../cache/MDSCacheObject.js';
import type { MDSRank } from '../cluster/MDSRank.js';
import { parentPath } from '../cluster/tree.js';
import type { Ctx } from './context.js';
import { run_waiters } from './waiters.js';

export const WAIT_UNFREEZE = 1;
export const WAIT_SINGLEAUTH = 2;
export const WAIT_FROZEN = 4;

export const OBJECT_WAIT_NAMES: Record<number, string> = { [WAIT_UNFREEZE]: 'unfreeze', [WAIT_SINGLEAUTH]: 'single auth', [WAIT_FROZEN]: 'frozen' };

export function add_object_waiter(obj: MDSCacheObject, mask: number, reqid: string): void {
  if (!obj.waiting.some((w) => w.type === OBJECT_WAIT && w.mask === mask && w.reqid === reqid)) obj.add_waiter({ type: OBJECT_WAIT, mask, reqid });
}

/** Wake the requests waiting on the object for `mask`. */
export function kick_object(ctx: Ctx, obj: MDSCacheObject, mask: number): void {
  if (obj.waiting.length === 0) return;
  const taken = obj.take_waiting(OBJECT_WAIT, mask);
  if (taken.length) run_waiters(ctx, taken);
}

export function unfreeze(ctx: Ctx, obj: MDSCacheObject): void {
  obj.frozen_by = null;
  kick_object(ctx, obj, WAIT_UNFREEZE);
}

export function clear_ambiguous_auth(ctx: Ctx, obj: MDSCacheObject): void {
  obj.ambiguous_auth = false;
  kick_object(ctx, obj, WAIT_SINGLEAUTH);
}

/**
 * A tree freeze (an export's) covering the object on this rank: the state of the dirfrag it
 * lives in (CInode / CDentry::is_freezing, is_frozen ask their dir). An object moved out of
 * the tree (to a stray directory) is free of it at once.
 */
export function tree_freeze(mds: MDSRank, obj: MDSCacheObject): 'freezing' | 'frozen' | null {
  const dir = parentPath(obj.path);
  return dir === null ? null : mds.dirfrags[dir]?.freeze_tree ?? null;
}

/** MDSCacheObject::can_auth_pin with the tree freeze: none while freezing or frozen. */
export const can_auth_pin = (mds: MDSRank, obj: MDSCacheObject, reqid: string): boolean => tree_freeze(mds, obj) === null && obj.can_auth_pin(reqid);

/** CDir::unfreeze_tree's waiters: every object here waiting for an unfreeze (a retry that still finds a freeze waits again). */
export function take_unfreeze_waiters(mds: MDSRank): Waiter[] {
  return mds.objects().flatMap((o) => (o.waiting.length ? o.take_waiting(OBJECT_WAIT, WAIT_UNFREEZE) : []));
}
