// Server::handle_client_request / dispatch_client_request (a request re-enters its handler
// from the top after every wait), and the end of a request: journal_and_reply with its early
// (unsafe) reply, the journal commit that runs the op's finisher, respond_to_request and
// reply_client_request (the safe reply; non-rdlocks dropped before it, the rest after).
import type { CInode } from '../cache/CInode.js';
import type { CDentry } from '../cache/CDentry.js';
import { retry_request } from '../locker/dispatch.js';
import { ClientRequest, type ClientOp } from '../request/ClientRequest.js';
import { MDRequest } from '../request/MDRequest.js';
import type { MDSCacheObject } from '../cache/MDSCacheObject.js';
import { assertMds, mdsEvent, requestEvent, send, type Ctx } from '../locker/context.js';
import { drop_rdlocks_for_early_reply, request_drop_non_rdlocks, request_finish } from '../locker/acquire.js';
import { set_xlocks_done } from '../locker/xlock.js';
import { encode_inodestat_caps } from '../locker/clientCaps.js';
import { errnoName, type JournalEvent } from '../messages/index.js';
import { opDef } from '../../ops/ops.js';
import { handle_client_getattr, handle_client_inode_op, handle_client_open, handle_client_readdir, handle_client_setdirlayout } from './stat.js';
import { handle_client_mknod, handle_client_openc } from './create.js';
import { handle_client_unlink } from './unlink.js';
import { handle_client_link } from './link.js';
import { handle_client_rename } from './rename.js';
import { journal_finish } from './finish.js';

/** Server::handle_client_request: a client's request arrives on this rank. */
export function handle_client_request(ctx: Ctx, reqid: string, client: number, op: ClientOp, num_fwd: number): void {
  const existing = ctx.mds.requests[reqid];
  if (existing) {
    // MDCache::request_start: a peer of the same request still here (a forward raced it)
    assertMds(ctx, existing.is_peer(), `request ${reqid} already runs here`);
    existing.waiting_for_finish.push({ client, op, num_fwd });
    requestEvent(ctx, reqid, 'arrived while its peer request is still here: waits for it to finish');
    return;
  }
  const mdr = new MDRequest(reqid, client, ctx.mds.id, []);
  mdr.client_request = new ClientRequest(op, num_fwd);
  ctx.mds.requests[reqid] = mdr;
  requestEvent(ctx, reqid, `${op.text}${num_fwd ? ` (forwarded ${num_fwd}x)` : ''}`);
  dispatch_client_request(ctx, mdr);
}

/** Server::dispatch_client_request: run the op's handler from the top. */
export function dispatch_client_request(ctx: Ctx, mdr: MDRequest): void {
  assertMds(ctx, mdr.waiting_on_peer.length === 0, `dispatch of ${mdr.reqid} while it waits on a peer`);
  const cr = mdr.client_request!;
  if (cr.phase !== 'locking' && cr.phase !== 'witnessing') return; // journaled: only its commit goes on
  switch (cr.op.name) {
    case 'lookup': return handle_client_getattr(ctx, mdr, true);
    case 'getattr': return handle_client_getattr(ctx, mdr, false);
    case 'open': return handle_client_open(ctx, mdr);
    case 'readdir': return handle_client_readdir(ctx, mdr);
    case 'setdirlayout': return handle_client_setdirlayout(ctx, mdr);
    case 'setattr': case 'setxattr': case 'removexattr': case 'setlayout': case 'setfilelock': case 'getfilelock':
      return handle_client_inode_op(ctx, mdr);
    case 'create': return handle_client_openc(ctx, mdr);
    case 'mknod': case 'mkdir': case 'symlink': return handle_client_mknod(ctx, mdr);
    case 'unlink': case 'rmdir': return handle_client_unlink(ctx, mdr);
    case 'link': return handle_client_link(ctx, mdr);
    case 'rename': return handle_client_rename(ctx, mdr);
  }
}

/** MDRequestImpl::auth_pin: pin an auth object for the request (once). */
export function auth_pin(mdr: MDRequest, obj: MDSCacheObject): void {
  if (mdr.auth_pins.includes(obj.key)) return;
  obj.auth_pin();
  mdr.auth_pins.push(obj.key);
}

/** The caps a reply about `tracei` carries for the client (encode_inodestat), if it has a cap here. */
function traceCaps(ctx: Ctx, mdr: MDRequest, tracei: CInode | null): { path: string; caps: number } | null {
  if (!tracei || ctx.mds.inodes[tracei.path] !== tracei) return null;
  const got = encode_inodestat_caps(tracei, mdr.client);
  return got ? { path: tracei.path, caps: got.cap.pending } : null;
}

/** All locks are held: the request is granted (for `expect` and the trace). */
export function granted(ctx: Ctx, mdr: MDRequest): void {
  if (mdr.status === 'granted') return;
  mdr.status = 'granted';
  requestEvent(ctx, mdr.reqid, 'granted');
}

/**
 * Server::respond_to_request -> reply_client_request: drop the remote locks (OP_FINISH to the
 * peers) and the local non-rdlocks, send the safe reply (with the trace's caps unless the
 * early reply carried them), then request_finish drops the rest.
 */
export function respond_to_request(ctx: Ctx, mdr: MDRequest, r: number, tracei: CInode | null = null): void {
  const cr = mdr.client_request!;
  cr.phase = 'done';
  if (r < 0) requestEvent(ctx, mdr.reqid, `fails: ${errnoName(r)}`);
  request_drop_non_rdlocks(ctx, mdr);
  const caps = mdr.early_replied ? null : traceCaps(ctx, mdr, tracei);
  send(ctx, { kind: 'client_reply', from: ctx.mds.id, to: -mdr.client, reqid: mdr.reqid, result: r, safe: true, caps });
  request_finish(ctx, mdr);
}

/**
 * Server::journal_and_reply: the early reply (unless a journaled peer, or the op, rules it
 * out), then the journal entry, whose commit runs the op's finisher; after an early reply
 * the rdlocks go (but the snap and policy ones).
 */
export function journal_and_reply(ctx: Ctx, mdr: MDRequest, tracei: CInode | null): void {
  const cr = mdr.client_request!;
  granted(ctx, mdr);
  early_reply(ctx, mdr, tracei);
  cr.phase = 'journaling';
  const event: JournalEvent = { kind: 'event', from: ctx.mds.id, to: ctx.mds.id, event: 'EUpdate', phase: null, op: cr.op.name, reqid: mdr.reqid };
  send(ctx, event);
  if (mdr.early_replied) drop_rdlocks_for_early_reply(ctx, mdr);
}

/** Server::early_reply: xlocks to xlockdone (a rename's dentry xlocks stay) and the unsafe reply. */
function early_reply(ctx: Ctx, mdr: MDRequest, tracei: CInode | null): void {
  const cr = mdr.client_request!;
  if (opDef(cr.op.name).no_early_reply || cr.has_journaled_peers) return;
  set_xlocks_done(ctx, mdr, cr.op.name === 'rename');
  const caps = traceCaps(ctx, mdr, tracei);
  send(ctx, { kind: 'client_reply', from: ctx.mds.id, to: -mdr.client, reqid: mdr.reqid, result: 0, safe: false, caps });
  requestEvent(ctx, mdr.reqid, 'early reply');
}

/** CDentry::push_projected_linkage, as far as the projection goes: the dentry is projected until the request's entry is safe. */
export function project(mdr: MDRequest, dn: CDentry): void {
  dn.projected++;
  mdr.client_request!.projected.push(dn.path);
}

/**
 * The journal entry of a request is safe: its projections pop, its finisher runs (EUpdate on
 * a leader, EPeerUpdate on a peer); once nothing journaled is left unsafe, MDLog::wait_for_safe
 * waiters go on.
 */
export function handle_journal_event(ctx: Ctx, m: JournalEvent): void {
  const mdr = ctx.mds.requests[m.reqid];
  // a peer whose leader failed went while its prepare was being journaled (failure.ts: resolve
  // is not modelled beyond rolling such peers back): its entry commits to nothing
  if (!mdr && m.event === 'EPeerUpdate') return mdsEvent(ctx, `journal commit of ${m.reqid}'s prepare: the peer request went when its leader failed`);
  assertMds(ctx, mdr !== undefined, `journal commit of ${m.reqid}, which is gone`);
  const cr = mdr.client_request;
  if (cr && m.event === 'EUpdate') {
    for (const p of cr.projected) { const dn = ctx.mds.dentries[p]; if (dn) dn.projected--; }
    cr.projected = [];
  }
  journal_finish(ctx, mdr, m);
  const loop = ctx.cluster.net.queues[ctx.cluster.net.link(ctx.mds.id, ctx.mds.id)];
  if (ctx.mds.safe_waiters.length && !loop.some((x) => x.kind === 'event' || x.kind === 'journal')) {
    const waiters = ctx.mds.safe_waiters;
    ctx.mds.safe_waiters = [];
    for (const reqid of waiters) retry_request(ctx, reqid);
  }
}
