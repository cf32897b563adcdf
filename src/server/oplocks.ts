// Interpreting an op's handler locks (ops/ops.ts): each entry's object by its role in the
// request, and its condition against the request and the cache, into a LockOpVec in the
// table's order.
import { lockTypeByName } from '../../statemachines/index.js';
import type { OpLock, Role, When } from '../../ops/ops.js';
import type { CDentry } from '../cache/CDentry.js';
import type { CInode } from '../cache/CInode.js';
import type { MDSCacheObject } from '../cache/MDSCacheObject.js';
import type { MDRequest } from '../request/MDRequest.js';
import type { Ctx } from '../locker/context.js';
import { parseCaps } from '../clients/capString.js';
import { LockOpVec } from './lockvec.js';

/** The objects a request names, on this rank (undefined when it has none for a role). */
export type Roles = Partial<Record<Role, MDSCacheObject>>;

/** The caps the client holds on an inode copy (issued), as the handler reads them. */
export function issuedTo(in_: CInode, client: number): number {
  return in_.caps[client]?.issued ?? 0;
}

function holds(w: When, mdr: MDRequest, roles: Roles): boolean {
  const op = mdr.client_request!.op;
  if ('mask' in w) {
    const in_ = roles.in as CInode | undefined;
    return (op.mask & parseCaps(w.mask)!) !== 0 && !(in_ && issuedTo(in_, mdr.client) & parseCaps(w.unless_issued)!);
  }
  if ('setattr' in w) return w.setattr.some((a) => op.setattr.includes(a));
  if ('flag' in w) return op.trunc;
  if ('is_dir' in w) return (roles[w.is_dir] as CInode | undefined)?.is_dir === true;
  return roles[w.exists] !== undefined;
}

/** The handler's LockOpVec for this request: the entries whose condition holds, in order. */
export function handlerLocks(locks: readonly OpLock[], mdr: MDRequest, roles: Roles): LockOpVec {
  const lov = new LockOpVec();
  for (const l of locks) {
    if (l.when && !holds(l.when, mdr, roles)) continue;
    const obj = roles[l.of];
    if (!obj) continue;
    const lock = obj.getLock(lockTypeByName(l.lock)!.type)!;
    if (l.op === 'rdlock') lov.add_rdlock(lock);
    else if (l.op === 'wrlock') lov.add_wrlock(lock);
    else lov.add_xlock(lock);
  }
  return lov;
}

export const inodeAt = (ctx: Ctx, key: string | null): CInode | undefined => (key === null ? undefined : ctx.mds.inodes[key]);
export const dentryAt = (ctx: Ctx, path: string | null | undefined): CDentry | undefined => (path ? ctx.mds.dentries[path] : undefined);
