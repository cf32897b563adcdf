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
export function sort_and_merge(ops: LockOp[]): LockOp[] {
  const out: LockOp[] = [];
  let i = 0;
  while (i < ops.length) {
    let j = i;
    while (j < ops.length && ops[j].lock.path === ops[i].lock.path) j++;
    const run = ops.slice(i, j).map((o, k) => ({ o, k }))
      .sort((a, b) => a.o.lock.type - b.o.lock.type || a.k - b.k).map((x) => x.o);
    for (const o of run) {
      const prev = out.length > 0 ? out[out.length - 1] : undefined;
      if (prev && sameLock(prev.lock, o.lock)) {
        prev.flags |= o.flags;
        if (o.flags & REMOTE_WRLOCK) prev.wrlock_target = o.wrlock_target;
        if (prev.flags & XLOCK) prev.flags = XLOCK;
      } else {
        const c = { ...o };
        if (c.flags & XLOCK) c.flags = XLOCK;
        out.push(c);
      }
    }
    i = j;
  }
  return out;
}
