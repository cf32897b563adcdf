// Building a LockOpVec the way Server.cc does (add_rdlock / add_wrlock / add_xlock /
// add_remote_wrlock on lock objects) and handing it to acquire_locks, with a trace line
// naming the vector as the code built it (before acquire_locks adds its versionlocks).
import { RDLOCK, WRLOCK, XLOCK, REMOTE_WRLOCK, op, lockRefName, type LockOp } from '../request/LockOp.js';
import type { MDRequest } from '../request/MDRequest.js';
import type { SimpleLock } from '../locks/index.js';
import { acquire_locks } from '../locker/acquire.js';
import { refOf, requestEvent, type Ctx } from '../locker/context.js';

export class LockOpVec {
  readonly ops: LockOp[] = [];
  add_rdlock(l: SimpleLock): this { this.ops.push(op(refOf(l), RDLOCK)); return this; }
  add_wrlock(l: SimpleLock): this { this.ops.push(op(refOf(l), WRLOCK)); return this; }
  add_xlock(l: SimpleLock): this { this.ops.push(op(refOf(l), XLOCK)); return this; }
  add_remote_wrlock(l: SimpleLock, target: number): this { this.ops.push(op(refOf(l), REMOTE_WRLOCK, target)); return this; }
  get empty(): boolean { return this.ops.length === 0; }
}

/** `wrlock ifile /a`, `remote_wrlock ifile /a @mds.0`. */
export function lockOpText(o: LockOp): string {
  const kind = o.flags & XLOCK ? 'xlock' : o.flags & REMOTE_WRLOCK ? 'remote_wrlock' : o.flags & WRLOCK ? 'wrlock' : 'rdlock';
  return `${kind} ${lockRefName(o.lock)}${o.flags & REMOTE_WRLOCK ? ` @mds.${o.wrlock_target}` : ''}`;
}

/** Locker::acquire_locks on a client request's vector (and its auth_pin_freeze); `mdr.wanted` keeps it for `why`. */
export function acquire(ctx: Ctx, mdr: MDRequest, lov: LockOpVec, auth_pin_freeze: string | null = null): boolean {
  mdr.wanted = lov.ops;
  requestEvent(ctx, mdr.reqid, `acquire_locks: ${lov.ops.map(lockOpText).join(', ')}`);
  return acquire_locks(ctx, mdr, lov.ops, auth_pin_freeze);
}

/** A rename's auth_pin_freeze: the renamed inode, when a remote source dentry links it primarily. */
export function renameFreeze(srcdn: { is_auth(): boolean; linkage: { inode: string; remote: boolean } | null }): string | null {
  return !srcdn.is_auth() && srcdn.linkage && !srcdn.linkage.remote ? srcdn.linkage.inode : null;
}
