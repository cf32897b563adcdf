// The rejoin exchange (MDCache::rejoin_send_rejoins, handle_cache_rejoin_weak / _strong /
// _ack, rejoin_gather_finish, rejoin_send_acks), the part that settles locks: the recovering
// rank tells each survivor which of its objects it holds replicas of (weak); a survivor drops
// the rank from those objects' gathers and replica lists, adds it back fresh, and acks with
// the states its replicas are to take; each survivor tells the recovering rank of its replicas
// of the recovering rank's objects, with their scatterlock states, and of the auth pins,
// xlocks and remote wrlocks its requests hold there (strong); the recovering rank rebuilds
// them, chooses its lock states from the caps its clients reconnected, and acks.
import {
  CEPH_LOCK_DN, CEPH_LOCK_IDFT, CEPH_LOCK_IFILE, CEPH_LOCK_INEST, LOCK_EXCL, LOCK_LOCK, LOCK_MIX,
  LOCK_MIX_EXCL, LOCK_MIX_LOCK, LOCK_MIX_LOCK2, LOCK_MIX_SYNC, LOCK_MIX_TSYN, LOCK_SYNC, LOCK_XLOCK,
} from '../../statemachines/index.js';
import { CEPH_CAP_GBUFFER, CEPH_CAP_GCACHE, CEPH_CAP_GEXCL, CEPH_CAP_GSHARED, CEPH_CAP_GWR, capMask } from '../../statemachines/index.js';
import { STATE_ACTIVE, STATE_REJOIN, get_state, is_up } from '../cluster/mdsmap.js';
import type { MDSCacheObject, Waiter } from '../cache/MDSCacheObject.js';
import type { CInode } from '../cache/CInode.js';
import type { CDentry } from '../cache/CDentry.js';
import { carriedLocks } from '../cluster/carried.js';
import { WAIT_ALL, type SimpleLock, type ScatterLock } from '../locks/index.js';
import { DIRTY, FLUSHING } from '../locks/flags.js';
import { MDRequest } from '../request/MDRequest.js';
import { WRLOCK, XLOCK, REMOTE_WRLOCK, type LockRef } from '../request/LockOp.js';
import { parseReqid } from '../cluster/names.js';
import type { MMDSCacheRejoin, RejoinObject } from '../messages/index.js';
import { isScatter, log, mdsEvent, parentOf, refOf, send, type Ctx } from '../locker/context.js';
import { eval_gather } from '../locker/eval_gather.js';
import { eval_inode } from '../locker/eval.js';
import { run_waiters } from '../locker/waiters.js';
import { choose_ideal_loner } from '../locker/loner.js';
import { ANY_WR, issue_caps } from '../locker/caps.js';
import { deliverParked } from '../cluster/dispatchMessage.js';

/** The locks a rejoin carries for an inode (CInode::_encode_locks_state_for_rejoin: all but the local versionlock). */
const rejoinLocks = (obj: MDSCacheObject): SimpleLock[] => carriedLocks(obj).filter((l) => l.lt.cls !== 'LocalLock');

/** MDCache::rejoin_send_rejoins: a recovering rank's weak rejoins to every rank, a survivor's strong ones to each rank in rejoin. */
export function rejoin_send_rejoins(ctx: Ctx): void {
  const m = ctx.mds, map = ctx.cluster.mdsmap;
  const recovering = get_state(map, m.id) === STATE_REJOIN;
  const sentBefore = m.rejoin_sent.length;
  for (const t of ctx.cluster.ranks.map((r) => r.id)) {
    if (t === m.id || m.rejoin_sent.includes(t) || !is_up(map, t)) continue;
    if (!recovering && get_state(map, t) !== STATE_REJOIN) continue;
    const mine = ctx.mds.objects().filter((o) => !o.is_auth() && o.authority === t);
    m.rejoin_sent.push(t);
    if (recovering) {
      m.rejoin_ack_gather.push(t);
      send(ctx, { kind: 'rejoin', from: m.id, to: t, op: 'weak', objects: mine.map((o) => ({ key: o.key, locks: [] })) });
      continue;
    }
    // strong: our replicas of its objects (rejoining from now until its ack), with the
    // scatterlock states it infers its own from, and what our requests hold there
    for (const o of mine) o.rejoining = true;
    const objects = mine.map((o): RejoinObject => ({
      key: o.key,
      locks: o.kind === 'dentry' ? [[CEPH_LOCK_DN, o.getLock(CEPH_LOCK_DN)!.state]] : [CEPH_LOCK_IFILE, CEPH_LOCK_INEST, CEPH_LOCK_IDFT].map((t) => [t, o.getLock(t)!.state] as const),
    }));
    const authpins: { reqid: string; key: string }[] = [];
    const xlocks: { reqid: string; lock: LockRef }[] = [];
    const wrlocks: { reqid: string; lock: LockRef }[] = [];
    for (const mdr of Object.values(m.requests)) {
      if (!mdr.is_leader()) continue;
      for (const [key, r] of Object.entries(mdr.remote_auth_pins)) if (r === t) authpins.push({ reqid: mdr.reqid, key });
      for (const o of mdr.locks) {
        const lock = m.lock(o.lock);
        if ((o.flags & XLOCK) && lock && !lock.auth && lock.lt.cls !== 'LocalLock' && parentOf(ctx, lock).authority === t) xlocks.push({ reqid: mdr.reqid, lock: o.lock });
        if ((o.flags & REMOTE_WRLOCK) && o.wrlock_target === t) wrlocks.push({ reqid: mdr.reqid, lock: o.lock });
      }
    }
    send(ctx, { kind: 'rejoin', from: m.id, to: t, op: 'strong', objects, authpins, xlocks, wrlocks });
  }
  // "nothing to rejoin": no other rank is up (a single-rank cluster), so no strong rejoin will come to finish the gather
  if (recovering && m.rejoin_sent.length === sentBefore && m.rejoin_gather.length === 0 && m.rejoin_ack_gather.includes(m.id)) rejoin_gather_finish(ctx);
}

export function handle_cache_rejoin(ctx: Ctx, msg: MMDSCacheRejoin): void {
  switch (msg.op) {
    case 'weak': return handle_cache_rejoin_weak(ctx, msg);
    case 'strong': return handle_cache_rejoin_strong(ctx, msg);
    case 'ack': return handle_cache_rejoin_ack(ctx, msg);
  }
}

/** The states a replica on `rep` is told to take (CInode::_encode_locks_state_for_rejoin / dn lock's get_replica_state). */
function ackLocks(obj: MDSCacheObject, rep: number): RejoinObject['locks'] {
  return rejoinLocks(obj).map((l) => [l.type, isScatter(l) ? encode_state_for_rejoin(l, rep) : l.get_replica_state()] as const);
}

/** ScatterLock::encode_state_for_rejoin: a gather kept open for the rank asks it for its ack; a mixed state makes rdlocks here wait for its requests. */
function encode_state_for_rejoin(l: ScatterLock, rep: number): number {
  const s = l.is_gathering(rep) ? (l.state === LOCK_MIX_SYNC ? LOCK_MIX_SYNC : LOCK_MIX_LOCK) : l.get_replica_state();
  if (s === LOCK_MIX || s === LOCK_MIX_LOCK || s === LOCK_MIX_SYNC) l.mark_need_recover();
  return s;
}

/** MDCache::handle_cache_rejoin_weak, on a survivor: fix replicas and gathers, ack at once, then evaluate the gathers that ended. */
function handle_cache_rejoin_weak(ctx: Ctx, msg: MMDSCacheRejoin): void {
  const from = msg.from;
  const named = new Set(msg.objects.map((o) => o.key));
  const ended: SimpleLock[] = [];
  const acks: RejoinObject[] = [];
  for (const obj of ctx.mds.objects()) {
    if (!obj.is_auth()) continue;
    if (named.has(obj.key)) {
      remove_replica(obj, from, true, ended);
      obj.replicas = [...obj.replicas, from].sort((a, b) => a - b);
      acks.push({ key: obj.key, locks: ackLocks(obj, from) });
    } else if (obj.replicas.includes(from)) {
      remove_replica(obj, from, false, ended); // rejoin_scour_survivor_replicas
    }
  }
  mdsEvent(ctx, `handle_cache_rejoin_weak from mds.${from}: ${acks.length} replica${acks.length === 1 ? '' : 's'} kept`);
  send(ctx, { kind: 'rejoin', from: ctx.mds.id, to: from, op: 'ack', objects: acks });
  for (const l of ended) if (!l.is_stable()) eval_gather(ctx, l);
}

/**
 * MDCache::inode_remove_replica / dentry_remove_replica: the rank leaves the object's gathers
 * (ScatterLock::remove_replica keeps it in a mixed gather on rejoin: its successor may hold
 * rejoined wrlocks) and, unless it rejoins, its replica list. `ended`: locks whose gather it closed.
 */
function remove_replica(obj: MDSCacheObject, from: number, rejoin: boolean, ended: SimpleLock[]): void {
  obj.replicas = obj.replicas.filter((r) => r !== from);
  for (const l of rejoinLocks(obj)) {
    if (!l.is_gathering(from)) continue;
    if (rejoin && isScatter(l) && [LOCK_MIX, LOCK_MIX_SYNC, LOCK_MIX_LOCK2, LOCK_MIX_TSYN, LOCK_MIX_EXCL].includes(l.state)) continue;
    l.remove_gather(from);
    if (!l.is_gathering()) ended.push(l);
  }
  if (obj.kind === 'inode') delete (obj as CInode).mds_caps_wanted[from];
}

/** MDCache::handle_cache_rejoin_strong, on the recovering auth. */
function handle_cache_rejoin_strong(ctx: Ctx, msg: MMDSCacheRejoin): void {
  const m = ctx.mds, from = msg.from;
  for (const o of msg.objects) {
    const obj = m.object(o.key);
    if (!obj?.is_auth()) continue; // (Ceph invents a missing object; mdslock's replay keeps them all)
    if (!obj.replicas.includes(from)) obj.replicas = [...obj.replicas, from].sort((a, b) => a - b);
    for (const [type, rstate] of o.locks) {
      // ScatterLock::infer_state_from_strong_rejoin: a replica in a mixed state means MIX here;
      // a file's replica in LOCK means LOCK
      const l = obj.getLock(type)!;
      if (type === CEPH_LOCK_DN) continue;
      const was = l.state;
      if (rstate === LOCK_MIX || rstate === LOCK_MIX_LOCK || rstate === LOCK_MIX_SYNC) l.state = LOCK_MIX;
      else if (type === CEPH_LOCK_IFILE && !(obj as CInode).is_dir && rstate === LOCK_LOCK) l.state = LOCK_LOCK;
      if (l.state !== was) log(ctx, 'handle_cache_rejoin_strong', l, -1, `inferred from mds.${from}'s replica`);
    }
  }
  const peer = (reqid: string): MDRequest => {
    let mdr = m.requests[reqid];
    if (!mdr) {
      mdr = new MDRequest(reqid, parseReqid(reqid)?.client ?? -1, m.id, [], from);
      mdr.status = 'granted';
      m.requests[reqid] = mdr;
    }
    return mdr;
  };
  for (const p of msg.authpins ?? []) {
    const obj = m.object(p.key);
    if (!obj) continue;
    const mdr = peer(p.reqid);
    if (!mdr.auth_pins.includes(p.key)) { obj.auth_pin(); mdr.auth_pins.push(p.key); }
  }
  for (const x of msg.xlocks ?? []) {
    const l = m.lock(x.lock);
    if (!l) continue;
    const obj = parentOf(ctx, l);
    const mdr = peer(x.reqid);
    const v = (obj as CInode | CDentry).versionlock;
    if (!mdr.isHeld(refOf(v), XLOCK)) { v.get_xlock(x.reqid, mdr.client); mdr.addHeld(refOf(v), XLOCK); }
    if (l.is_stable()) obj.auth_pin();
    l.set_state(LOCK_XLOCK);
    if (l.type === CEPH_LOCK_IFILE) (obj as CInode).loner_cap = -1;
    l.get_xlock(x.reqid, mdr.client);
    mdr.addHeld(x.lock, XLOCK);
    log(ctx, 'handle_cache_rejoin_strong', l, -1, `xlock of ${x.reqid} rejoined`);
  }
  for (const w of msg.wrlocks ?? []) {
    const l = m.lock(w.lock);
    if (!l) continue;
    const mdr = peer(w.reqid);
    l.set_state(LOCK_MIX);
    if (l.type === CEPH_LOCK_IFILE) (parentOf(ctx, l) as CInode).loner_cap = -1;
    l.get_wrlock();
    mdr.addHeld(w.lock, WRLOCK);
    log(ctx, 'handle_cache_rejoin_strong', l, -1, `wrlock of ${w.reqid} rejoined`);
  }
  m.rejoin_gather = m.rejoin_gather.filter((r) => r !== from);
  mdsEvent(ctx, `handle_cache_rejoin_strong from mds.${from}: ${msg.objects.length} replica${msg.objects.length === 1 ? '' : 's'}, ${(msg.xlocks?.length ?? 0) + (msg.wrlocks?.length ?? 0)} lock${(msg.xlocks?.length ?? 0) + (msg.wrlocks?.length ?? 0) === 1 ? '' : 's'} held by its requests`);
  if (m.rejoin_gather.length === 0 && m.rejoin_ack_gather.includes(m.id)) rejoin_gather_finish(ctx);
}

/** MDCache::rejoin_gather_finish: choose the lock states, ack every replica, and finish if every ack to our weak rejoins is in. */
function rejoin_gather_finish(ctx: Ctx): void {
  const m = ctx.mds;
  for (const inode of Object.values(m.inodes)) if (inode.is_auth()) choose_lock_states(ctx, inode);
  for (const t of ctx.cluster.ranks.map((r) => r.id)) {
    if (t === m.id || !is_up(ctx.cluster.mdsmap, t)) continue;
    const objects = ctx.mds.objects().filter((o) => o.is_auth() && o.replicas.includes(t)).map((o) => ({ key: o.key, locks: ackLocks(o, t) }));
    send(ctx, { kind: 'rejoin', from: m.id, to: t, op: 'ack', objects });
  }
  m.rejoin_ack_gather = m.rejoin_ack_gather.filter((r) => r !== m.id);
  mdsEvent(ctx, 'rejoin_gather_finish: lock states chosen from the reconnected caps, replicas acked');
  maybe_rejoin_done(ctx);
}

/** CInode::choose_lock_states: from the caps issued (reconnected), the dirty flags and the replicas. */
function choose_lock_states(ctx: Ctx, inode: CInode): void {
  let issued = 0;
  for (const cap of Object.values(inode.caps)) issued |= cap.issued;
  if (issued & ANY_WR) choose_ideal_loner(ctx, inode); // CEPH_CAP_ANY_EXCL | CEPH_CAP_ANY_WR (ANY_WR holds the excl bits)
  for (const l of [inode.filelock, inode.nestlock, inode.dirfragtreelock, inode.authlock, inode.xattrlock, inode.linklock]) {
    if (l.is_xlocked() || l.state === LOCK_MIX) continue;
    const i = (issued >> l.lt.capShift) & capMask(l.type);
    const was = l.state;
    l.state = i & (CEPH_CAP_GEXCL | CEPH_CAP_GBUFFER) ? LOCK_EXCL
      : i & CEPH_CAP_GWR ? (i & (CEPH_CAP_GCACHE | CEPH_CAP_GSHARED) ? LOCK_EXCL : LOCK_MIX)
        : isScatter(l) && l.is_dirty() ? (inode.is_replicated() ? LOCK_MIX : LOCK_LOCK)
          : LOCK_SYNC;
    if (l.state !== was) log(ctx, 'choose_lock_state', l);
  }
}

/** MDCache::handle_cache_rejoin_ack: a replica takes the states its auth chose. */
function handle_cache_rejoin_ack(ctx: Ctx, msg: MMDSCacheRejoin): void {
  const m = ctx.mds;
  const survivor = get_state(ctx.cluster.mdsmap, m.id) !== STATE_REJOIN;
  const waiters: Waiter[] = [];
  for (const o of msg.objects) {
    const obj = m.object(o.key);
    if (!obj || obj.is_auth()) continue;
    for (const [type, s] of o.locks) {
      const l = obj.getLock(type)!;
      set_state_rejoin(ctx, obj, l, s, waiters, survivor);
      if (!survivor && isScatter(l) && !l.is_stable() && !l.is_wrlocked()) m.rejoin_eval_locks.push(refOf(l));
    }
    obj.rejoining = false;
  }
  mdsEvent(ctx, `handle_cache_rejoin_ack from mds.${msg.from}: ${msg.objects.length} replica${msg.objects.length === 1 ? '' : 's'} set`);
  run_waiters(ctx, waiters);
  if (survivor) return;
  m.rejoin_ack_gather = m.rejoin_ack_gather.filter((r) => r !== msg.from);
  if (m.rejoin_gather.length === 0) {
    const evals = m.rejoin_eval_locks;
    m.rejoin_eval_locks = [];
    for (const ref of evals) { const l = m.lock(ref); if (l && !l.is_stable()) eval_gather(ctx, l); }
  }
  maybe_rejoin_done(ctx);
}

/**
 * SimpleLock::set_state_rejoin (ScatterLock::decode_state_rejoin turns flushing back into
 * dirty): the replica takes the auth's state; a lock that was not SYNC on a survivor, and
 * every lock on a recovering rank, needs recover (rdlocks wait for the cluster).
 */
function set_state_rejoin(ctx: Ctx, obj: MDSCacheObject, l: SimpleLock, s: number, waiters: Waiter[], survivor: boolean): void {
  if (!survivor || l.state !== LOCK_SYNC) l.mark_need_recover();
  const was = l.state;
  l.state = s;
  if (isScatter(l) && l.is_flushing()) l.state_flags = (l.state_flags & ~FLUSHING) | DIRTY;
  if (l.state !== was) log(ctx, 'set_state_rejoin', l);
  if (l.is_stable()) waiters.push(...obj.take_waiting(l.type, WAIT_ALL));
}

/**
 * MDSRank::rejoin_done once both gathers are empty: the rank asks the monitor for active (no
 * client replay in mdslock). The map that makes it so reaches every rank after the messages
 * it had sent (lifecycle.ts: activate_ready), as a monitor round trip does.
 */
function maybe_rejoin_done(ctx: Ctx): void {
  const m = ctx.mds;
  if (m.rejoin_gather.length || m.rejoin_ack_gather.length || m.rejoin_done || get_state(ctx.cluster.mdsmap, m.id) !== STATE_REJOIN) return;
  m.rejoin_done = true;
  mdsEvent(ctx, 'rejoin done: asks the monitor for active');
}

/** The map shows the rank active: MDSRank::active_start. */
export function active_start(ctx: Ctx): void {
  const m = ctx.mds;
  ctx.cluster.mdsmap.state[m.id] = STATE_ACTIVE;
  m.rejoin_sent = [];
  m.rejoin_done = false;
  mdsEvent(ctx, 'active');
  // MDCache::reissue_all_caps: the first eval of the chosen states, and the caps issued (or
  // revoked) anew where it changed nothing
  for (const inode of Object.values(m.inodes)) if (inode.is_auth() && Object.keys(inode.caps).length && !eval_inode(ctx, inode)) issue_caps(ctx, inode);
  deliverParked(ctx);
}
