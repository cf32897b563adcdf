// The exporter's side of a subtree migration (Migrator.cc): export_dir, dispatch_export_dir,
// handle_export_discover_ack, export_frozen (export_try_grab_locks), handle_export_prep_ack,
// export_go, handle_export_ack, export_logged_finish, export_finish (finish_export_dir) and
// export_try_cancel. What matters to locking: the export first takes wrlocks on the dir inode's
// ifile and inest as the loner, and an rdlock on its idft; it drops them to freeze the subtree
// (which waits for every auth pin in it, so every auth lock there is stable once frozen), then
// forces the two wrlocks again and holds them until it is no longer auth: while they are held
// no gather of the dir inode's scattered stats can finish, so the moving dirfrag is reported
// once (the modern form of Ceph commit 15a5d37a's fix). Journaling is a no-op here.
import { CEPH_LOCK_DN } from '../../statemachines/index.js';
import type { CInode } from '../cache/CInode.js';
import { CDir } from '../cache/CDir.js';
import type { MDSCacheObject } from '../cache/MDSCacheObject.js';
import { CEPH_CAP_OP_EXPORT, type ExportedObject, type MExportDir } from '../messages/index.js';
import { MDRequest } from '../request/MDRequest.js';
import { RDLOCK, STATE_PIN, WRLOCK, type LockOp } from '../request/LockOp.js';
import { isScatter, log, mdsEvent, refOf, requestEvent, send, type Ctx } from '../locker/context.js';
import { acquire_locks, request_finish } from '../locker/acquire.js';
import { take_unfreeze_waiters } from '../locker/freeze.js';
import { wrlock_force } from '../locker/wrlock.js';
import { run_waiters } from '../locker/waiters.js';
import { rule } from '../rules/active.js';
import { parentPath } from '../cluster/tree.js';
import type { ScatterLock, SimpleLock } from '../locks/index.js';
import { subtreeOf } from './subtree.js';

const op = (ctx: Ctx, to: number, dir: string, o: Omit<MExportDir, 'kind' | 'from' | 'to' | 'dir'>): void =>
  send(ctx, { kind: 'export', from: ctx.mds.id, to, dir, ...o });

const event = (ctx: Ctx, dir: string, what: string): void => mdsEvent(ctx, `export ${dir}: ${what}`);

/** Migrator::export_dir: an internal request takes the dir inode's locks (dispatch_export_dir). */
export function export_dir(ctx: Ctx, dir: string, dest: number): void {
  const diri = ctx.mds.inodes[dir];
  const mutid = `mds.${ctx.mds.id}:export.${ctx.mds.next_mutation++}`;
  // lock_scatter_gather: a wrlock taken as the loner would take it (STATE_PIN), to keep the
  // stats gather from finishing; on the auth, scatter_wanted drives the locks to mix
  const wanted: LockOp[] = [
    { lock: refOf(diri.filelock), flags: WRLOCK | STATE_PIN, wrlock_target: -1 },
    { lock: refOf(diri.nestlock), flags: WRLOCK | STATE_PIN, wrlock_target: -1 },
    { lock: refOf(diri.dirfragtreelock), flags: RDLOCK, wrlock_target: -1 },
  ];
  const mdr = new MDRequest(mutid, -1, ctx.mds.id, wanted);
  mdr.export_dir = dir;
  ctx.mds.requests[mutid] = mdr;
  diri.has_subtree_or_exporting_dirfrag = true; // CDir::mark_exporting
  if (diri.is_auth()) { diri.filelock.set_scatter_wanted(); diri.nestlock.set_scatter_wanted(); }
  ctx.mds.exports[dir] = { state: 'locking', peer: dest, mutid, bystanders: [], warning_ack_waiting: [], notify_ack_waiting: [] };
  event(ctx, dir, `to mds.${dest}: locking`);
  dispatch_export_dir(ctx, mdr);
}

/** Migrator::dispatch_export_dir: once the locks are held, ask the importer to discover the dir. */
export function dispatch_export_dir(ctx: Ctx, mdr: MDRequest): void {
  const dir = mdr.export_dir!;
  const st = ctx.mds.exports[dir];
  if (st?.state !== 'locking' || mdr.status === 'granted') return;
  if (!acquire_locks(ctx, mdr, mdr.wanted)) {
    requestEvent(ctx, mdr.reqid, 'waiting');
    return;
  }
  mdr.status = 'granted';
  requestEvent(ctx, mdr.reqid, 'granted');
  st.state = 'discovering';
  event(ctx, dir, 'discovering');
  op(ctx, st.peer, dir, { op: 'discover' });
}

/** Migrator::handle_export_discover_ack: drop the locks "to avoid deadlock" and freeze the subtree. */
function handle_export_discover_ack(ctx: Ctx, m: MExportDir): void {
  const st = ctx.mds.exports[m.dir];
  if (st?.state !== 'discovering') return;
  const mdr = ctx.mds.requests[st.mutid];
  if (mdr) request_finish(ctx, mdr, 'finished (the export freezes)');
  st.state = 'freezing';
  setFreeze(ctx, m.dir, 'freezing');
  event(ctx, m.dir, 'freezing');
  maybe_finish_freeze(ctx, m.dir);
}

/** CDir::freeze_tree / _freeze_tree / unfreeze_tree on the subtree's dirfrags here (what is in them follows: tree_freeze). */
function setFreeze(ctx: Ctx, dir: string, f: 'freezing' | 'frozen' | null): void {
  for (const d of subtreeOf(ctx.mds, dir).dirs) { const frag = ctx.mds.dirfrags[d]; if (frag) frag.freeze_tree = f; }
}

/**
 * CDir::unfreeze_tree, wherever the export's dirfrags are now: a rename or an rmdir (to a stray
 * directory) may have moved one out of the tree while it froze. Other exports keep their freeze.
 */
function unfreeze_all_but_exports(ctx: Ctx): void {
  for (const frag of Object.values(ctx.mds.dirfrags)) frag.freeze_tree = null;
  for (const [d, x] of Object.entries(ctx.mds.exports)) if (x.state !== 'locking' && x.state !== 'discovering') setFreeze(ctx, d, x.state === 'freezing' ? 'freezing' : 'frozen');
}

/** CDir::maybe_finish_freeze, for each export freezing here: frozen once no auth pin is left in the subtree. */
export function maybe_finish_freezes(ctx: Ctx): void {
  // for-in allocates nothing when no export is under way: this runs after every step on a rank
  for (const dir in ctx.mds.exports) {
    const st = ctx.mds.exports[dir];
    // a directory removed or renamed away before its export got under way takes the export
    // with it (mdslock keys exports by path; Ceph's rmdir and rename wait on the export's locks
    // once the tree is frozen)
    if (!ctx.mds.dirfrags[dir]?.is_auth() && ['locking', 'discovering', 'freezing'].includes(st.state)) export_try_cancel(ctx, dir, `${dir}'s dirfrag is no longer here`);
    else if (st.state === 'freezing') maybe_finish_freeze(ctx, dir);
  }
}

function maybe_finish_freeze(ctx: Ctx, dir: string): void {
  const objects = subtreeOf(ctx.mds, dir).objects;
  const pins = objects.reduce((n, o) => n + o.auth_pins, 0);
  if (pins > 0) return;
  setFreeze(ctx, dir, 'frozen');
  event(ctx, dir, 'frozen');
  export_frozen(ctx, dir);
}

/** Migrator::export_frozen: take the locks the frozen tree keeps (export_try_grab_locks) and send the prep. */
function export_frozen(ctx: Ctx, dir: string): void {
  const st = ctx.mds.exports[dir];
  const diri = ctx.mds.inodes[dir];
  const tree = subtreeOf(ctx.mds, dir);
  const loner = diri.loner_cap;
  if (!diri.filelock.can_wrlock(loner) || !diri.nestlock.can_wrlock(loner)) return export_try_cancel(ctx, dir, `${diri.filelock.can_wrlock(loner) ? 'inest' : 'ifile'} ${dir} cannot be wrlocked`);
  // rdlock_try_set: the bounds' and the dir's fragment trees, the snaplocks up to the root
  const rd: SimpleLock[] = [...tree.bounds.map((b) => ctx.mds.inodes[b].dirfragtreelock), diri.dirfragtreelock];
  for (let p: string | null = dir; p !== null; p = parentPath(p)) { const a = ctx.mds.inodes[p]; if (a) rd.push(a.snaplock); }
  const busy = rd.find((l) => !l.can_rdlock(-1));
  if (busy) return export_try_cancel(ctx, dir, `${busy.lt.name} ${busy.parent} cannot be rdlocked`);
  const mutid = `mds.${ctx.mds.id}:export.${ctx.mds.next_mutation++}`;
  const mut = new MDRequest(mutid, -1, ctx.mds.id, []);
  mut.status = 'granted';
  ctx.mds.requests[mutid] = mut;
  st.mutid = mutid;
  for (const l of rd) { l.get_rdlock(); mut.addHeld(refOf(l), RDLOCK); }
  // the historical rule of bug 6 takes no wrlock: a gather may then finish mid-export
  if (!rule('export-without-scatter-wrlocks')) { wrlock_force(ctx, diri.filelock, mut); wrlock_force(ctx, diri.nestlock, mut); }
  if (diri.is_auth()) { diri.auth_pin(); mut.auth_pins.push(diri.key); }
  st.bystanders = bystandersOf(ctx, dir, tree.objects, st.peer);
  st.state = 'prepping';
  event(ctx, dir, 'prepping');
  op(ctx, st.peer, dir, { op: 'prep', bystanders: st.bystanders, keys: tree.objects.map((o) => o.key) });
}

/**
 * The ranks to warn and notify: the dirfrag's replicas (CDir::get_replicas), and any rank with a
 * copy of an object in the subtree (in Ceph that implies the dirfrag; mdslock's scenarios may
 * declare copies freely), but the importer.
 */
function bystandersOf(ctx: Ctx, dir: string, objects: readonly MDSCacheObject[], peer: number): number[] {
  const out = new Set(ctx.mds.dirfrags[dir]?.replicas ?? []);
  for (const o of objects) for (const r of o.replicas) out.add(r);
  out.delete(peer);
  return [...out].sort((a, b) => a - b);
}

/** Migrator::handle_export_prep_ack: warn the bystanders (the subtree's auth is about to be in doubt). */
function handle_export_prep_ack(ctx: Ctx, m: MExportDir): void {
  const st = ctx.mds.exports[m.dir];
  if (st?.state !== 'prepping') return;
  if (!m.ok) return export_try_cancel(ctx, m.dir, `mds.${st.peer} cannot import it`);
  st.state = 'warning';
  st.warning_ack_waiting = [...st.bystanders];
  st.notify_ack_waiting = [...st.bystanders];
  event(ctx, m.dir, st.bystanders.length ? `warning ${st.bystanders.map((r) => `mds.${r}`).join(', ')}` : 'nobody to warn');
  const keys = subtreeOf(ctx.mds, m.dir).objects.map((o) => o.key);
  for (const r of st.bystanders) op(ctx, r, m.dir, { op: 'notify', phase: 'warning', new_auth: st.peer, keys });
  if (st.bystanders.length === 0) export_go(ctx, m.dir);
}

function handle_export_notify_ack(ctx: Ctx, m: MExportDir): void {
  const st = ctx.mds.exports[m.dir];
  if (!st) return;
  if (st.state === 'warning') {
    st.warning_ack_waiting = st.warning_ack_waiting.filter((r) => r !== m.from);
    if (st.warning_ack_waiting.length === 0) export_go(ctx, m.dir);
  } else if (st.state === 'notifying') {
    st.notify_ack_waiting = st.notify_ack_waiting.filter((r) => r !== m.from);
    if (st.notify_ack_waiting.length === 0) export_finish(ctx, m.dir);
  }
}

/** Migrator::export_go_synced: the subtree's auth is ambiguous here; its state goes to the importer (encode_export_dir). */
function export_go(ctx: Ctx, dir: string): void {
  const st = ctx.mds.exports[dir];
  const tree = subtreeOf(ctx.mds, dir);
  st.state = 'exporting';
  for (const o of tree.objects) o.ambiguous_auth = true;
  const objects = tree.objects.map((o) => encode_export(ctx, o));
  // the dirfrag's fnode carries its share of the dir inode's scattered stats not yet gathered
  const diri = ctx.mds.inodes[dir];
  const dirstat = diri.is_auth() ? [] : [diri.filelock, diri.nestlock].map((l) => { const pending = l.scatter_pending; l.scatter_pending = 0; return { type: l.type, pending }; });
  const dirs = tree.dirs.map((d) => ({ path: d, replicas: ctx.mds.dirfrags[d]?.replicas ?? [] }));
  event(ctx, dir, `exporting ${objects.length} objects`);
  op(ctx, st.peer, dir, { op: 'dir', objects, dirstat, dirs });
}

/** CInode::encode_export / CDentry::encode_export: lock states (not counts), loner, replicas, caps; scattered data moves with the fnode. */
function encode_export(ctx: Ctx, o: MDSCacheObject): ExportedObject {
  const locks = o.locks().filter((l) => l.lt.cls !== 'LocalLock');
  const scatter = locks.filter(isScatter).map((l) => {
    const s = { type: l.type, value: l.scatter_value, pending: l.scatter_pending, dirty: l.is_dirty_or_flushing() };
    l.scatter_pending = 0;
    return s;
  });
  const in_ = o.kind === 'inode' ? (o as CInode) : null;
  return {
    key: o.key, kind: o.kind, ino: in_?.ino ?? 0, is_dir: in_?.is_dir ?? false,
    states: locks.map((l) => [l.type, l.state] as const), replicas: [...o.replicas], loner: in_?.loner_cap ?? -1, scatter,
    caps: in_ ? Object.values(in_.caps).map((c) => ({ client: c.client, pending: c.pending, issued: c.issued, wanted: c.wanted, last_sent: c.last_sent })) : [],
    mds_caps_wanted: in_ ? { ...in_.mds_caps_wanted } : {}, has_layout: in_?.has_layout ?? false,
    linkage: o.kind === 'dentry' ? ctx.mds.dentries[o.path].linkage : null,
  };
}

/** Migrator::handle_export_ack, export_logged_finish: notify the bystanders of the new auth, or finish. */
function handle_export_ack(ctx: Ctx, m: MExportDir): void {
  const st = ctx.mds.exports[m.dir];
  if (st?.state !== 'exporting') return;
  st.state = 'loggingfinish';
  if (st.notify_ack_waiting.length === 0) return export_finish(ctx, m.dir);
  st.state = 'notifying';
  event(ctx, m.dir, `notifying ${st.notify_ack_waiting.map((r) => `mds.${r}`).join(', ')}`);
  const keys = subtreeOf(ctx.mds, m.dir).objects.map((o) => o.key);
  for (const r of st.notify_ack_waiting) op(ctx, r, m.dir, { op: 'notify', phase: 'final', new_auth: st.peer, keys });
  op(ctx, st.peer, m.dir, { op: 'finish', last: false }); // the importer sends the cap imports
}

/** Migrator::export_finish: the importer unfreezes; here every copy becomes a replica, then the locks go. */
function export_finish(ctx: Ctx, dir: string): void {
  const st = ctx.mds.exports[dir];
  const tree = subtreeOf(ctx.mds, dir);
  op(ctx, st.peer, dir, { op: 'finish', last: true });
  for (const o of tree.objects) finish_export_object(ctx, o, st.peer);
  for (const d of tree.dirs) ctx.mds.dirfrags[d] = new CDir(d, st.peer, ctx.mds.id, []);
  const diri = ctx.mds.inodes[dir];
  diri.has_subtree_or_exporting_dirfrag = diri.authority !== st.peer || ctx.mds.dirfrags[dir].authority !== diri.authority;
  // no auth dirfrag of the dir inode is left here: a replica's dirty stats went with the fnode
  if (!diri.is_auth()) for (const l of [diri.filelock, diri.nestlock]) l.remove_dirty();
  delete ctx.mds.exports[dir];
  unfreeze_all_but_exports(ctx);
  event(ctx, dir, `done: mds.${st.peer} is its auth`);
  const waiters = [...tree.objects.flatMap((o) => { const w = o.waiting; o.waiting = []; return w; }), ...take_unfreeze_waiters(ctx.mds)];
  const mut = ctx.mds.requests[st.mutid];
  if (mut) request_finish(ctx, mut);
  // every waiter retries, and finds the objects replicas now
  run_waiters(ctx, waiters);
}

/** CInode::finish_export (export_twiddle but the dentry lock), finish_export_inode_caps, CDentry::finish_export. */
function finish_export_object(ctx: Ctx, o: MDSCacheObject, peer: number): void {
  o.authority = peer;
  o.replicas = [];
  o.ambiguous_auth = false;
  for (const l of o.locks()) {
    l.auth = false;
    if (l.lt.cls === 'LocalLock' || l.type === CEPH_LOCK_DN) continue;
    const was = l.state;
    l.export_twiddle();
    if (l.state !== was) log(ctx, 'export_twiddle', l);
  }
  if (o.kind !== 'inode') return;
  const in_ = o as CInode;
  for (const cap of Object.values(in_.caps)) {
    send(ctx, { kind: 'caps', from: ctx.mds.id, to: -cap.client, op: CEPH_CAP_OP_EXPORT, client: cap.client, path: in_.path, seq: cap.last_sent, caps: 0, wanted: cap.wanted, peer });
  }
  in_.caps = {};
  in_.mds_caps_wanted = {};
  in_.loner_cap = in_.want_loner_cap = -1;
  for (const l of in_.locks()) l.excl_client = -1;
  for (const l of [in_.filelock, in_.nestlock, in_.dirfragtreelock] as ScatterLock[]) l.remove_dirty();
}

/** Migrator::export_try_cancel, before anything was sent for good: unfreeze, drop the locks, tell the importer. */
function export_try_cancel(ctx: Ctx, dir: string, why: string): void {
  const st = ctx.mds.exports[dir];
  delete ctx.mds.exports[dir];
  unfreeze_all_but_exports(ctx);
  const diri = ctx.mds.inodes[dir];
  if (diri) diri.has_subtree_or_exporting_dirfrag = ctx.mds.dirfrags[dir]?.authority !== diri.authority;
  event(ctx, dir, `cancelled: ${why}`);
  if (st.state !== 'locking' && st.state !== 'discovering') op(ctx, st.peer, dir, { op: 'cancel' });
  const mut = ctx.mds.requests[st.mutid];
  if (mut) request_finish(ctx, mut, 'cancelled');
  const waiters = take_unfreeze_waiters(ctx.mds);
  run_waiters(ctx, waiters);
}

export function handle_export_reply(ctx: Ctx, m: MExportDir): void {
  switch (m.op) {
    case 'discover_ack': return handle_export_discover_ack(ctx, m);
    case 'prep_ack': return handle_export_prep_ack(ctx, m);
    case 'notify_ack': return handle_export_notify_ack(ctx, m);
    case 'dir_ack': return handle_export_ack(ctx, m);
  }
}
