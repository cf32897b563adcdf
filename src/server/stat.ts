// The inode ops: getattr and lookup (Server::handle_client_getattr), open (handle_client_open),
// readdir, setdirlayout, and the ops that lock one inode and journal or answer (setattr,
// setxattr, removexattr, setlayout, setfilelock, getfilelock).
import { opDef } from '../../ops/ops.js';
import type { CInode } from '../cache/CInode.js';
import { caps_for_mode } from '../clients/capString.js';
import { ERRNO } from '../messages/index.js';
import { ALL_LOCKED } from '../request/ClientRequest.js';
import { RDLOCK } from '../request/LockOp.js';
import type { MDRequest } from '../request/MDRequest.js';
import type { Ctx } from '../locker/context.js';
import { drop_local_auth_pins, drop_locks } from '../locker/acquire.js';
import { issue_new_caps } from '../locker/clientCaps.js';
import { try_rdlock_snap_layout, parentInode } from '../locker/snaplayout.js';
import { acquire } from './lockvec.js';
import { handlerLocks } from './oplocks.js';
import { granted, journal_and_reply, respond_to_request } from './dispatch.js';
import { rdlock_path_pin_ref, try_get_auth_inode } from './rdlock_path.js';
import { request_forward } from './forward.js';
import { path_traverse, MDS_TRAVERSE_WANT_AUTH } from './path_traverse.js';
import { retry_request } from '../locker/dispatch.js';


/** MDRequestImpl::can_batch: a first getattr (depth 0) or lookup (depth 1) that holds nothing yet. */
function can_batch(mdr: MDRequest): boolean {
  return mdr.locks.length === 0 && mdr.auth_pins.length === 0 && Object.keys(mdr.remote_auth_pins).length === 0;
}

/** Server::handle_client_getattr (lookup too). Batching same-mask requests is not modelled. */
export function handle_client_getattr(ctx: Ctx, mdr: MDRequest, is_lookup: boolean): void {
  const cr = mdr.client_request!;
  if (is_lookup && cr.op.path.name === null) return respond_to_request(ctx, mdr, -ERRNO.EINVAL);
  const want_auth = false; // only CEPH_STAT_RSTAT wants the auth
  if (can_batch(mdr)) {
    // the batch probe: a lock-free traversal that waits for unreadable dentries
    const r = path_traverse(ctx, mdr, cr.op.path, want_auth ? MDS_TRAVERSE_WANT_AUTH : 0, 0);
    if (r > 0) return;
  }
  const ref = rdlock_path_pin_ref(ctx, mdr, want_auth);
  if (!ref) return;
  const locks = opDef(cr.op.name).locks;
  const lov = handlerLocks(locks.slice(0, 3), mdr, { in: ref });
  const fileLock = handlerLocks(locks.slice(3), mdr, { in: ref });
  if (!fileLock.empty) {
    // don't wait on an unstable filelock a client may read the size through (stat next to writers)
    const f = ref.filelock;
    if (mdr.isHeld({ path: ref.path, type: f.type }, RDLOCK)) {
      lov.ops.push(...fileLock.ops);
    } else if (f.is_stable() || f.num_wrlock > 0 || !f.can_read(mdr.client)) {
      if (lov.ops.some((o) => mdr.isHeld(o.lock, RDLOCK))) {
        // the filelock became wanted between retries: start over rather than lock out of order
        drop_locks(ctx, mdr);
        drop_local_auth_pins(ctx, mdr);
        return retry_request(ctx, mdr.reqid);
      }
      lov.ops.push(...fileLock.ops);
      cr.locking_state &= ~ALL_LOCKED;
    }
  }
  if (!acquire(ctx, mdr, lov)) return;
  granted(ctx, mdr);
  respond_to_request(ctx, mdr, 0, ref);
}

/** Server::handle_client_open (also what a create of an existing name becomes). */
export function handle_client_open(ctx: Ctx, mdr: MDRequest): void {
  const cr = mdr.client_request!;
  const need_auth = cr.op.mode !== 'rdonly' || cr.op.trunc;
  const cur = rdlock_path_pin_ref(ctx, mdr, need_auth);
  if (!cur) return;
  if (cr.op.trunc && cur.is_dir) return respond_to_request(ctx, mdr, -ERRNO.EISDIR);
  const lov = handlerLocks(opDef('open').locks, mdr, { in: cur });
  if (!acquire(ctx, mdr, lov)) return;
  granted(ctx, mdr);
  const mode = cur.is_dir ? 'pin' : cr.op.mode;
  issue_new_caps(ctx, cur, mdr.client, caps_for_mode(mode));
  if (cr.op.trunc) return journal_and_reply(ctx, mdr, cur); // do_open_truncate
  respond_to_request(ctx, mdr, 0, cur);
}

/** Server::handle_client_readdir: the dirfrag's auth answers (try_open_auth_dirfrag forwards there). */
export function handle_client_readdir(ctx: Ctx, mdr: MDRequest): void {
  const cr = mdr.client_request!;
  const diri = rdlock_path_pin_ref(ctx, mdr, false);
  if (!diri) return;
  if (!diri.is_dir) return respond_to_request(ctx, mdr, -ERRNO.ENOTDIR);
  if (!acquire(ctx, mdr, handlerLocks(opDef(cr.op.name).locks, mdr, { in: diri }))) return;
  const dir = ctx.mds.dirfrags[diri.path];
  const auth = dir ? dir.authority : diri.authority;
  if (auth !== ctx.mds.id) return request_forward(ctx, mdr, auth);
  granted(ctx, mdr);
  respond_to_request(ctx, mdr, 0, diri);
}

/** Server::handle_client_setdirlayout: no traversal; xlock_policylock, then the parent's snap chain. */
export function handle_client_setdirlayout(ctx: Ctx, mdr: MDRequest): void {
  const cr = mdr.client_request!;
  const cur = try_get_auth_inode(ctx, mdr, cr.op.path.base);
  if (!cur) return;
  cr.in[0] = cur.path;
  if (!cur.is_dir) return respond_to_request(ctx, mdr, -ERRNO.ENOTDIR);
  if (!(cr.locking_state & ALL_LOCKED)) {
    // Server::xlock_policylock(want_layout = true, xlock_snaplock = false)
    if (!acquire(ctx, mdr, handlerLocks(opDef('setdirlayout').locks, mdr, { in: cur }))) return;
    const parent = parentInode(ctx, cur);
    if (parent && !try_rdlock_snap_layout(ctx, parent, mdr, 0, !cur.has_layout)) return;
    cr.locking_state |= ALL_LOCKED;
  }
  journal_and_reply(ctx, mdr, cur);
}

/** What an inode op may not be done on: setlayout on anything but a file. */
function wrongType(cur: CInode, op: string): number {
  return op === 'setlayout' && cur.is_dir ? -ERRNO.EINVAL : 0;
}

/** setattr, setxattr, removexattr, setlayout, setfilelock, getfilelock: lock the inode at its auth, then journal or answer. */
export function handle_client_inode_op(ctx: Ctx, mdr: MDRequest): void {
  const cr = mdr.client_request!;
  const def = opDef(cr.op.name);
  const cur = rdlock_path_pin_ref(ctx, mdr, true);
  if (!cur) return;
  const bad = wrongType(cur, cr.op.name);
  if (bad) return respond_to_request(ctx, mdr, bad);
  if (!acquire(ctx, mdr, handlerLocks(def.locks, mdr, { in: cur }))) return;
  if (def.journal) return journal_and_reply(ctx, mdr, cur);
  granted(ctx, mdr);
  respond_to_request(ctx, mdr, 0);
}

