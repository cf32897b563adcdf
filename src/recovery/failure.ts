// A rank fails (MDSRankDispatcher::handle_mds_map seeing it down): its process and everything
// in it are gone, the messages in flight to or from it are lost (the messenger marks its
// connections down), and every survivor runs MDCache::handle_mds_failure. Survivors keep
// their gather sets and replica lists as they are: the failed rank leaves them only when its
// successor's weak rejoin arrives (rejoin.ts).
import { migrating } from '../migration/state.js';
import type { Cluster } from '../cluster/Cluster.js';
import type { MDSRank } from '../cluster/MDSRank.js';
import { STATE_FAILED, STATE_REJOIN, get_state, is_up } from '../cluster/mdsmap.js';
import { ImpossibleStep } from '../cluster/errors.js';
import { createLock } from '../locks/index.js';
import { scatterCarried } from '../locker/scatterData.js';
import type { Message } from '../messages/index.js';
import { carriedLocks } from '../cluster/carried.js';
import { isScatter, mdsEvent, type Ctx, type TraceEvent } from '../locker/context.js';
import { request_finish } from '../locker/acquire.js';
import { finish_locking } from '../locker/xlock.js';
import { wait_for_active_peer } from '../locker/peerState.js';
import type { Run } from './lifecycle.js';

/** The step `fail: mds.N`: the rank dies; survivors react. `run` runs code on a rank (sim.ts runOn). */
export function failRank(c: Cluster, who: number, run: Run): TraceEvent[] {
  if (!c.ranks[who]) throw new ImpossibleStep(`no rank mds.${who}`);
  if (!is_up(c.mdsmap, who)) throw new ImpossibleStep(`mds.${who} is already failed`);
  const busy = migrating(c);
  if (busy) throw new ImpossibleStep(`mds.${busy.id} is in the middle of an export: a failure then needs Migrator's export_reverse / import_reverse, which mdslock does not model`);
  c.mdsmap.state[who] = STATE_FAILED;
  c.mdsmap.inc[who]++; // the incarnation a standby will run
  const lostMsgs: Message[] = [...c.deferred.filter((m) => m.to === who || m.from === who)];
  for (let l = 0; l < c.net.queues.length; l++) {
    const [from, to] = c.net.ends(l);
    if ((from === who || to === who) && c.net.queues[l].length) { lostMsgs.push(...c.net.queues[l]); c.net.queues[l] = []; }
  }
  c.deferred = c.deferred.filter((m) => m.to !== who && m.from !== who);
  const lost = lostMsgs.length;
  const gone = Object.keys(c.ranks[who].requests).length;
  // clients with a session there lose its leases and the requests it was running; their caps
  // stay with them, to reconnect
  for (const cl of Object.values(c.clients)) {
    if (cl.session === who) cl.leases = [];
    for (const reqid of Object.keys(cl.requests)) if (c.ranks[who].requests[reqid]) delete cl.requests[reqid];
  }
  resetForReplay(c.ranks[who]);
  // scattered updates a lost message carried stay with its sender: a survivor's dirfrag still
  // holds them, and the failed rank's are in its journal (a write-behind's commit not yet safe)
  for (const m of lostMsgs) {
    for (const carried of m.from >= 0 ? scatterCarried(m) : []) {
      const l = c.ranks[m.from].lock(carried.ref);
      if (l && isScatter(l)) { l.scatter_pending += carried.amount; l.mark_dirty(); }
    }
  }
  const out = run(who, (ctx) => mdsEvent(ctx, `failed: ${lost} message${lost === 1 ? '' : 's'} in flight to or from it lost, ${gone} request${gone === 1 ? '' : 's'} gone with it`));
  for (const r of c.ranks) if (r.id !== who && is_up(c.mdsmap, r.id)) out.push(...run(r.id, (ctx) => handle_mds_failure(ctx, who)));
  return out;
}

/**
 * What a standby's replay of the rank's journal rebuilds: the same objects (their auth, their
 * replica copies), with locks as constructed (lock state is not journaled) but for their
 * scattered data, which is (a dirty scatterlock is queued for scatter_tick again); no holders,
 * waiters, caps or leases; an auth copy's replica list empty until survivors' strong rejoins
 * re-add them. (The dead process's own memory is never read again.)
 */
function resetForReplay(m: MDSRank): void {
  m.requests = {};
  m.updated_scatterlocks = {};
  m.discovering = {};
  m.safe_waiters = [];
  m.waiting_for_active_peer = {};
  m.waiting_for_cluster_recovered = [];
  m.waiting_for_active = [];
  m.rejoin_gather = [];
  m.rejoin_ack_gather = [];
  m.rejoin_sent = [];
  m.rejoin_eval_locks = [];
  m.rejoin_done = false;
  for (const obj of m.objects()) {
    for (const l of carriedLocks(obj)) {
      // scattered data is journaled (the inode's folded value, the dirfrags' pending updates)
      const scattered = isScatter(l) ? { pending: l.scatter_pending, value: l.scatter_value, dirty: l.is_dirty_or_flushing() } : null;
      Object.assign(l, createLock(l.type, l.auth, undefined, l.parent));
      if (scattered && isScatter(l)) {
        l.scatter_pending = scattered.pending;
        l.scatter_value = scattered.value;
        if (scattered.dirty) { l.mark_dirty(); m.updated_scatterlocks[`${l.type} ${l.parent}`] = { path: l.parent, type: l.type }; }
      }
    }
    obj.auth_pins = 0;
    obj.waiting = [];
    obj.frozen_by = null;
    obj.ambiguous_auth = false;
    obj.rejoining = false;
    if (obj.is_auth()) obj.replicas = [];
    if (obj.kind === 'inode') {
      const inode = m.inodes[obj.path];
      inode.caps = {};
      inode.loner_cap = inode.want_loner_cap = -1;
      inode.mds_caps_wanted = {};
      inode.replica_caps_wanted = 0;
    } else {
      m.dentries[obj.path].client_leases = [];
    }
  }
}

/** MDCache::handle_mds_failure, on a survivor (run again when the successor starts replay: nothing then to do twice). */
export function handle_mds_failure(ctx: Ctx, who: number): void {
  const m = ctx.mds;
  m.rejoin_sent = m.rejoin_sent.filter((r) => r !== who);
  m.rejoin_ack_gather = m.rejoin_ack_gather.filter((r) => r !== who);
  if (get_state(ctx.cluster.mdsmap, m.id) <= STATE_REJOIN && !m.rejoin_gather.includes(who)) m.rejoin_gather.push(who);
  for (const mdr of Object.values(m.requests)) {
    if (mdr.status === 'finished') continue;
    if (mdr.peer_to === who) {
      // a peer of the dead leader: one that prepared waits for the resolve; the others go, and
      // their locks with them
      if (mdr.peer_prep && mdr.peer_prep.phase !== 'preparing') continue;
      request_finish(ctx, mdr, `finished: its leader mds.${who} failed`);
      continue;
    }
    if (!mdr.is_leader() || mdr.client_request?.phase === 'journaling') continue;
    if (mdr.waiting_on_peer.includes(who)) {
      mdr.waiting_on_peer = mdr.waiting_on_peer.filter((r) => r !== who);
      if (mdr.waiting_on_peer.length === 0) wait_for_active_peer(ctx, who, mdr.reqid);
    }
    if (mdr.locking && mdr.locking_target_mds === who) finish_locking(ctx, mdr, mdr.locking);
    // its records of remote locks and pins on `who` stay: its strong rejoin declares them again
  }
}
