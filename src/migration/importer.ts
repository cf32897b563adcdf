// The importer's and the bystanders' side of a subtree migration (Migrator.cc):
// handle_export_discover, handle_export_prep, handle_export_dir (decode_import_dir),
// import_finish, handle_export_cancel, handle_export_notify. The importer forces wrlocks on
// its copy of the dir inode's ifile and inest at the prep (as the exporter does) and holds them
// until the last finish; the subtree is frozen and its auth ambiguous here from the prep on, so
// nothing is evaluated or pinned before the exporter has let go. Bystanders change no lock:
// they learn that the subtree's auth is in doubt (warning) and then who it is (final notify).
import { CEPH_LOCK_DN, CEPH_LOCK_IPOLICY, CEPH_LOCK_ISNAP, LOCK_SYNC } from '../../statemachines/index.js';
import { CInode } from '../cache/CInode.js';
import { CDentry } from '../cache/CDentry.js';
import { CDir } from '../cache/CDir.js';
import type { MDSCacheObject, Waiter } from '../cache/MDSCacheObject.js';
import { Capability } from '../clients/Capability.js';
import { CEPH_CAP_OP_IMPORT, type ExportedObject, type MExportDir } from '../messages/index.js';
import { MDRequest } from '../request/MDRequest.js';
import { log, mdsEvent, send, type Ctx } from '../locker/context.js';
import { request_finish } from '../locker/acquire.js';
import { wrlock_force } from '../locker/wrlock.js';
import { mark_updated_scatterlock } from '../locker/scatter.js';
import { clear_ambiguous_auth, take_unfreeze_waiters } from '../locker/freeze.js';
import { run_waiters } from '../locker/waiters.js';
import { set_loner_cap } from '../locker/loner.js';
import { CEPH_CAP_LOCKS, eval_inode, try_eval } from '../locker/eval.js';
import { rule } from '../rules/active.js';
import type { ScatterLock } from '../locks/index.js';
import { subtreeOf } from './subtree.js';

const reply = (ctx: Ctx, m: MExportDir, o: Omit<MExportDir, 'kind' | 'from' | 'to' | 'dir'>): void =>
  send(ctx, { kind: 'export', from: ctx.mds.id, to: m.from, dir: m.dir, ...o });

const event = (ctx: Ctx, dir: string, what: string): void => mdsEvent(ctx, `import ${dir}: ${what}`);

const copies = (ctx: Ctx, keys: readonly string[]): MDSCacheObject[] => keys.map((k) => ctx.mds.object(k)).filter((o) => o !== undefined);

/** CDir::unfreeze_tree and set_dir_auth back to one auth: the single-auth waiters run now, the unfreeze ones (returned) once the locks are let go. */
function thaw(ctx: Ctx, objects: readonly MDSCacheObject[], dirs: readonly string[]): Waiter[] {
  for (const d of dirs) { const frag = ctx.mds.dirfrags[d]; if (frag) frag.freeze_tree = null; }
  for (const o of objects) if (o.ambiguous_auth) clear_ambiguous_auth(ctx, o);
  return take_unfreeze_waiters(ctx.mds);
}

/** Migrator::handle_export_discover: the importer has the dir inode (mdslock asks that of the step), and says so. */
function handle_export_discover(ctx: Ctx, m: MExportDir): void {
  event(ctx, m.dir, `discovered, from mds.${m.from}`);
  reply(ctx, m, { op: 'discover_ack', ok: true });
}

/** Migrator::handle_export_prep: the dir inode's stats locks must take a wrlock (as the loner would); force them, freeze, ack. */
function handle_export_prep(ctx: Ctx, m: MExportDir): void {
  const diri = ctx.mds.inodes[m.dir];
  const loner = diri.loner_cap;
  if (!diri.filelock.can_wrlock(loner) || !diri.nestlock.can_wrlock(loner)) {
    event(ctx, m.dir, `prep refused: ${diri.filelock.can_wrlock(loner) ? 'inest' : 'ifile'} ${m.dir} cannot be wrlocked here`);
    return reply(ctx, m, { op: 'prep_ack', ok: false });
  }
  const mutid = `mds.${ctx.mds.id}:import.${ctx.mds.next_mutation++}`;
  const mut = new MDRequest(mutid, -1, ctx.mds.id, []);
  mut.status = 'granted';
  ctx.mds.requests[mutid] = mut;
  if (!rule('export-without-scatter-wrlocks')) { wrlock_force(ctx, diri.filelock, mut); wrlock_force(ctx, diri.nestlock, mut); }
  ctx.mds.imports[m.dir] = { state: 'prepped', peer: m.from, mutid, keys: m.keys ?? [] };
  // dir_auth (exporter, me): what is cached of it here waits for a single auth; the tree is
  // frozen here too, which matters from the import on (its dirfrags come frozen)
  for (const o of copies(ctx, m.keys ?? [])) o.ambiguous_auth = true;
  event(ctx, m.dir, 'prepped');
  reply(ctx, m, { op: 'prep_ack', ok: true });
}

/** Migrator::handle_export_dir / decode_import_dir: this rank is the subtree's auth now; its locks as the exporter had them. */
function handle_export_dir(ctx: Ctx, m: MExportDir): void {
  const st = ctx.mds.imports[m.dir];
  if (st?.state !== 'prepped') return;
  const me = ctx.mds.id;
  const withExporter = (rs: readonly number[]) => [...new Set([...rs, m.from])].filter((r) => r !== me).sort((a, b) => a - b);
  for (const d of m.dirs ?? []) {
    const frag = (ctx.mds.dirfrags[d.path] = new CDir(d.path, me, me, withExporter(d.replicas)));
    frag.freeze_tree = 'frozen';
  }
  for (const o of m.objects ?? []) decode_import(ctx, o, withExporter(o.replicas));
  st.keys = [...new Set([...st.keys, ...(m.objects ?? []).map((o) => o.key)])];
  // the dirfrag's stats not yet gathered arrive with it: they are this rank's to report now
  const diri = ctx.mds.inodes[m.dir];
  for (const { type, pending } of m.dirstat ?? []) {
    const l = diri.getLock(type) as ScatterLock;
    l.scatter_pending += pending;
    if (pending > 0) { if (l.auth) l.mark_dirty(); else mark_updated_scatterlock(ctx, l); }
  }
  diri.has_subtree_or_exporting_dirfrag = diri.authority !== me;
  st.state = 'acking';
  event(ctx, m.dir, `${m.objects?.length ?? 0} objects imported (ambiguous until the exporter finishes)`);
  reply(ctx, m, { op: 'dir_ack' });
}

function decode_import(ctx: Ctx, o: ExportedObject, replicas: number[]): void {
  const me = ctx.mds.id;
  let copy = ctx.mds.object(o.key);
  if (!copy) {
    const path = o.kind === 'dentry' ? o.key.slice('dentry '.length) : o.key;
    copy = o.kind === 'inode'
      ? new CInode({ path, ino: o.ino, is_dir: o.is_dir, authority: me, rank: me, replicas })
      : new CDentry({ path, authority: me, rank: me, replicas });
    if (o.kind === 'inode') ctx.mds.inodes[path] = copy as CInode; else ctx.mds.dentries[path] = copy as CDentry;
  }
  copy.authority = me;
  copy.replicas = replicas;
  copy.ambiguous_auth = true;
  const states = new Map(o.states);
  for (const l of copy.locks()) {
    l.auth = true;
    if (l.lt.cls === 'LocalLock') continue;
    const was = l.state;
    l.state = states.get(l.type) ?? l.state;
    l.clear_gather();
    if (l.state !== was) log(ctx, 'decode_import', l);
  }
  for (const s of o.scatter) {
    const l = copy.getLock(s.type) as ScatterLock;
    l.scatter_value = s.value;
    l.scatter_pending += s.pending;
    if (s.dirty || l.is_dirty()) mark_updated_scatterlock(ctx, l);
  }
  if (o.kind === 'dentry') { (copy as CDentry).linkage = o.linkage; return; }
  const in_ = copy as CInode;
  in_.has_layout = o.has_layout;
  set_loner_cap(in_, o.loner);
  in_.want_loner_cap = o.loner;
  in_.mds_caps_wanted = Object.fromEntries(Object.entries(o.mds_caps_wanted).filter(([r]) => Number(r) !== me));
  in_.replica_caps_wanted = 0;
  // finish_import_inode_caps: a cap per client, merged with what the exporter had issued
  for (const c of o.caps) {
    const cap = in_.caps[c.client] ?? new Capability(c.client);
    // Capability::merge: what the client may still hold (a revoke the exporter sent is not the
    // importer's to wait for) is issued anew; import_finish's eval revokes what the state forbids
    cap.pending |= c.issued | c.pending;
    cap.issued |= cap.pending;
    cap.wanted |= c.wanted;
    cap.last_sent = Math.max(cap.last_sent, c.last_sent);
    in_.caps[c.client] = cap;
  }
}

/** Migrator::import_finish: the cap imports go out; on the last finish the tree unfreezes, the locks go, the inodes with caps are evaluated. */
function import_finish(ctx: Ctx, m: MExportDir): void {
  const st = ctx.mds.imports[m.dir];
  if (!st) return;
  if (st.state === 'acking') {
    for (const o of copies(ctx, st.keys)) {
      if (o.kind !== 'inode') continue;
      const in_ = o as CInode;
      for (const cap of Object.values(in_.caps)) {
        send(ctx, { kind: 'caps', from: ctx.mds.id, to: -cap.client, op: CEPH_CAP_OP_IMPORT, client: cap.client, path: in_.path, seq: cap.last_sent, caps: cap.pending, wanted: cap.wanted, peer: st.peer });
      }
    }
    st.state = 'finishing';
  }
  if (!m.last) return;
  delete ctx.mds.imports[m.dir];
  event(ctx, m.dir, 'done: this rank is its auth');
  // the subtree as this rank, its auth now, walks it: with names made here while it was frozen
  const tree = subtreeOf(ctx.mds, m.dir);
  const objects = [...new Set([...copies(ctx, st.keys), ...tree.objects])];
  const waiters = thaw(ctx, objects, tree.dirs);
  const mut = ctx.mds.requests[st.mutid];
  if (mut) request_finish(ctx, mut);
  // the evals the freeze deferred: the inodes with caps (eval with caps_imported), and the
  // dentry, snap and policy locks not in sync; the rest keep the state they came in
  for (const o of objects) {
    if (o.kind === 'inode' && Object.keys((o as CInode).caps).length) eval_inode(ctx, o as CInode, CEPH_CAP_LOCKS, true);
    for (const l of o.locks()) if ([CEPH_LOCK_DN, CEPH_LOCK_ISNAP, CEPH_LOCK_IPOLICY].includes(l.type) && l.state !== LOCK_SYNC && l.is_stable()) try_eval(ctx, l);
  }
  run_waiters(ctx, waiters);
}

/** Migrator::handle_export_cancel: undo the prep. */
function handle_export_cancel(ctx: Ctx, m: MExportDir): void {
  const st = ctx.mds.imports[m.dir];
  if (!st) return;
  delete ctx.mds.imports[m.dir];
  const waiters = thaw(ctx, copies(ctx, st.keys), []);
  const mut = ctx.mds.requests[st.mutid];
  if (mut) request_finish(ctx, mut, 'cancelled');
  event(ctx, m.dir, 'cancelled');
  run_waiters(ctx, waiters);
}

/** Migrator::handle_export_notify (a bystander): the subtree's auth is in doubt (warning), then it is the importer's (final). */
function handle_export_notify(ctx: Ctx, m: MExportDir): void {
  const objects = copies(ctx, m.keys ?? []);
  const to = m.new_auth!;
  if (m.phase === 'warning') {
    for (const o of objects) o.ambiguous_auth = true;
  } else {
    for (const o of objects) { o.authority = to; clear_ambiguous_auth(ctx, o); }
    // the exported dirfrags (a bound's stays with its own auth)
    for (const d of [m.dir, ...objects.filter((o) => o.kind === 'inode').map((o) => o.path)]) {
      if (ctx.mds.dirfrags[d]?.authority === m.from) ctx.mds.dirfrags[d] = new CDir(d, to, ctx.mds.id, []);
    }
  }
  mdsEvent(ctx, `export ${m.dir} notify (${m.phase}) from mds.${m.from}: its auth ${m.phase === 'final' ? `is mds.${to}` : `moves to mds.${to}`}`);
  reply(ctx, m, { op: 'notify_ack' });
}

export function handle_export_message(ctx: Ctx, m: MExportDir): void {
  switch (m.op) {
    case 'discover': return handle_export_discover(ctx, m);
    case 'prep': return handle_export_prep(ctx, m);
    case 'dir': return handle_export_dir(ctx, m);
    case 'finish': return import_finish(ctx, m);
    case 'cancel': return handle_export_cancel(ctx, m);
    case 'notify': return handle_export_notify(ctx, m);
  }
}
