// MutationImpl::LockOp and LockOpVec (src/mds/Mutation.h): what a request wants and holds.
import { lockType } from '../../statemachines/index.js';

export const RDLOCK = 1;
export const WRLOCK = 2;
export const XLOCK = 4;
export const REMOTE_WRLOCK = 8;
export const STATE_PIN = 16;

/** A lock is named across ranks by (lock type, object path), like MLock's (type, object_info). */
export interface LockRef {
  readonly path: string;
  readonly type: number;
}

export interface LockOp {
  readonly lock: LockRef;
  flags: number;
  /** REMOTE_WRLOCK: the rank that granted it. */
  wrlock_target: number;
}

export const sameLock = (a: LockRef, b: LockRef) => a.path === b.path && a.type === b.type;
export const lockRefName = (l: LockRef) => `${lockType(l.type).name} ${l.path}`;

export function op(lock: LockRef, flags: number, wrlock_target = -1): LockOp {
  return { lock, flags, wrlock_target };
}

/**
 * LockOpVec::sort_and_merge: within each run of consecutive entries on the same object,
 * order by lock type value; merge entries for the same lock (OR flags, keep the remote
 * target); XLOCK absorbs the other flags.
 */
export function sort_and_merge(ops: readonly LockOp[]): LockOp[] {
  const out: LockOp[] = [];
  let runStart = 0; // where the current object's run begins in `out`
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i];
    if (i > 0 && o.lock.path !== ops[i - 1].lock.path) runStart = out.length;
    // a run is a handful of entries: a stable insertion by type value, merging the same lock
    let at = out.length;
    while (at > runStart && out[at - 1].lock.type > o.lock.type) at--;
    const prev = at > runStart ? out[at - 1] : undefined;
    if (prev && prev.lock.type === o.lock.type) {
      prev.flags |= o.flags;
      if (o.flags & REMOTE_WRLOCK) prev.wrlock_target = o.wrlock_target;
      if (prev.flags & XLOCK) prev.flags = XLOCK;
    } else {
      out.splice(at, 0, { lock: o.lock, flags: o.flags & XLOCK ? XLOCK : o.flags, wrlock_target: o.wrlock_target });
    }
  }
  return out;
}
