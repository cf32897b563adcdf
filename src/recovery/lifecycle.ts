// A failed rank's way back, as a standby takes it over (MDSRank: replay, resolve, reconnect,
// rejoin, then active), and what each state change sets off on the other ranks: survivors run
// handle_mds_failure again when the successor starts replay, finish the prepared peer
// requests of its dead requests in resolve, send their rejoins once every rank is in rejoin or
// beyond (rejoin.ts), retry what waited for the rank once it is active
// (MDSRank::handle_mds_recovery), and what waited for the whole cluster once none is degraded.
import type { Cluster } from '../cluster/Cluster.js';
import {
  RECOVERY_ORDER, STATE_ACTIVE, STATE_CLIENTREPLAY, STATE_REJOIN, STATE_REPLAY, STATE_RESOLVE,
  STATE_RECONNECT, is_degraded, is_rejoining, is_up, rankStateName,
} from '../cluster/mdsmap.js';
import { ImpossibleStep } from '../cluster/errors.js';
import { Capability } from '../clients/Capability.js';
import { mdsEvent, type Ctx, type TraceEvent } from '../locker/context.js';
import { request_finish } from '../locker/acquire.js';
import { retry_request } from '../locker/dispatch.js';
import { FILECAPS_WAITER } from '../locker/peerState.js';
import { request_inode_file_caps } from '../locker/clientCaps.js';
import { handle_mds_failure } from './failure.js';
import { active_start, rejoin_send_rejoins } from './rejoin.js';
import { kick_discovers } from '../server/discover.js';

export type Run = (rank: number, fn: (ctx: Ctx) => void) => TraceEvent[];

/** The step `recover: mds.N`: the rank goes through replay, resolve and reconnect up to `to` (default: rejoin). */
export function recoverRank(c: Cluster, who: number, to: number, run: Run): TraceEvent[] {
  if (!c.ranks[who]) throw new ImpossibleStep(`no rank mds.${who}`);
  const from = c.mdsmap.state[who];
  if (from === STATE_ACTIVE) throw new ImpossibleStep(`mds.${who} is active: fail it first`);
  if (from >= STATE_REJOIN) throw new ImpossibleStep(`mds.${who} is in ${rankStateName(from)}: its rejoin goes on by messages`);
  if (!RECOVERY_ORDER.includes(to) || to <= from) throw new ImpossibleStep(`mds.${who} is in ${rankStateName(from)}: it cannot recover to ${rankStateName(to)}`);
  const before = c.mdsmap.state.slice();
  const out: TraceEvent[] = [];
  for (const s of RECOVERY_ORDER) {
    if (s <= c.mdsmap.state[who]) continue;
    if (s > to) break;
    c.mdsmap.state[who] = s;
    out.push(...run(who, (ctx) => enter(ctx, s)));
    if (s === STATE_REPLAY) {
      for (const r of c.ranks) if (r.id !== who && is_up(c.mdsmap, r.id)) out.push(...run(r.id, (ctx) => handle_mds_failure(ctx, who)));
    }
    if (s === STATE_RESOLVE) {
      // past replay: what others deferred for it goes out now
      const held = c.deferred.filter((m) => m.to === who);
      c.deferred = c.deferred.filter((m) => m.to !== who);
      for (const m of held) c.net.send(m);
      for (const r of c.ranks) if (r.id !== who && is_up(c.mdsmap, r.id)) out.push(...run(r.id, (ctx) => resolve_peers(ctx, who)));
    }
  }
  out.push(...mapChanged(c, before, run));
  // with no other rank up its rejoin is done at once, and no delivery will follow to activate it
  out.push(...activate_ready(c, run));
  return out;
}

/** What the rank does on entering a recovery state. */
function enter(ctx: Ctx, s: number): void {
  const m = ctx.mds;
  switch (s) {
    case STATE_REPLAY: mdsEvent(ctx, `replay: a standby takes the rank over (incarnation ${ctx.cluster.mdsmap.inc[m.id]}) and replays its journal; its locks start as constructed, with the scattered data it journaled`); return;
    case STATE_RESOLVE: mdsEvent(ctx, 'resolve: peer requests of the dead incarnation are settled with the survivors'); return;
    case STATE_RECONNECT: {
      // end of resolve (MDCache::recalc_auth_bits): every replica copy waits for its auth's rejoin ack
      for (const obj of m.objects()) if (!obj.is_auth()) obj.rejoining = true;
      const n = reconnect_caps(ctx);
      mdsEvent(ctx, `reconnect: its replicas are rejoining; clients reconnect ${n} cap${n === 1 ? '' : 's'}`);
      return;
    }
    case STATE_REJOIN: {
      // MDCache::rejoin_start: gather every other rank's rejoin, and our own (caps processed at once)
      m.rejoin_gather = ctx.cluster.ranks.filter((r) => r.id !== m.id && is_up(ctx.cluster.mdsmap, r.id)).map((r) => r.id);
      m.rejoin_ack_gather = [m.id];
      m.rejoin_sent = [];
      mdsEvent(ctx, `rejoin: waits for the rejoins of ${m.rejoin_gather.map((r) => `mds.${r}`).join(', ') || 'no rank'}`);
    }
  }
}

/** Server::handle_client_reconnect, reduced: each client with a session here gets back the caps it holds from this rank's copies. */
function reconnect_caps(ctx: Ctx): number {
  let n = 0;
  for (const cl of Object.values(ctx.cluster.clients)) {
    for (const [path, byRank] of Object.entries(cl.caps)) {
      const caps = byRank[ctx.mds.id];
      const inode = ctx.mds.inodes[path];
      if (!caps || !inode) continue;
      inode.caps[cl.id] = new Capability(cl.id, caps, cl.wanted[path] ?? 0);
      n++;
    }
  }
  return n;
}

/** Resolve, on a survivor: a peer request prepared for a leader that died is rolled back (mdslock keeps no leader commit to find). */
function resolve_peers(ctx: Ctx, who: number): void {
  for (const mdr of Object.values(ctx.mds.requests)) {
    if (mdr.peer_to === who && mdr.status !== 'finished') request_finish(ctx, mdr, `finished: resolve with mds.${who} (its leader never committed)`);
  }
}

/**
 * A rank whose rejoin is done becomes active once nothing it sent before is in flight: the
 * monitor's map comes after them (a beacon and a map publication, against one message on a
 * connection). Then what the map change sets off runs.
 */
export function activate_ready(c: Cluster, run: Run): TraceEvent[] {
  const ready = c.ranks.filter((r) => r.rejoin_done && c.mdsmap.state[r.id] === STATE_REJOIN && !c.net.all().some((m) => m.from === r.id));
  if (ready.length === 0) return [];
  const before = c.mdsmap.state.slice();
  const out = ready.flatMap((r) => run(r.id, (ctx) => active_start(ctx)));
  return [...out, ...mapChanged(c, before, run)];
}

/**
 * After the map changed: survivors send their strong rejoins once every rank is in rejoin or
 * beyond (the recovering ranks their weak ones); a rank newly back (clientreplay or active)
 * has its waiters on the others run; none degraded runs the cluster-recovered waiters.
 */
export function mapChanged(c: Cluster, before: readonly number[], run: Run): TraceEvent[] {
  const out: TraceEvent[] = [];
  if (is_rejoining(c.mdsmap)) for (const r of c.ranks) if (c.mdsmap.state[r.id] >= STATE_REJOIN) out.push(...run(r.id, (ctx) => rejoin_send_rejoins(ctx)));
  // MDSRank::handle_mds_map: a rank in rejoin or beyond before and after asks again what it
  // was discovering from a rank newly so
  for (const r of c.ranks) {
    if (before[r.id] >= STATE_REJOIN || c.mdsmap.state[r.id] < STATE_REJOIN) continue;
    for (const s of c.ranks) if (s.id !== r.id && before[s.id] >= STATE_REJOIN && c.mdsmap.state[s.id] >= STATE_REJOIN) out.push(...run(s.id, (ctx) => kick_discovers(ctx, r.id)));
  }
  for (const r of c.ranks) {
    if (before[r.id] >= STATE_CLIENTREPLAY || c.mdsmap.state[r.id] < STATE_CLIENTREPLAY) continue;
    for (const s of c.ranks) if (s.id !== r.id && is_up(c.mdsmap, s.id) && s.waiting_for_active_peer[r.id]) out.push(...run(s.id, (ctx) => handle_mds_recovery(ctx, r.id)));
  }
  if (is_degraded(c.mdsmap) || !before.some((s) => s !== STATE_ACTIVE)) return out;
  for (const r of c.ranks) {
    if (r.waiting_for_cluster_recovered.length === 0) continue;
    out.push(...run(r.id, (ctx) => {
      const q = ctx.mds.waiting_for_cluster_recovered;
      ctx.mds.waiting_for_cluster_recovered = [];
      mdsEvent(ctx, 'the cluster is recovered: retrying what waited for it');
      for (const reqid of q) retry_request(ctx, reqid);
    }));
  }
  return out;
}

/** MDSRank::handle_mds_recovery on a survivor: what waited for `who` to be back runs (the cache walk wakes no lock waiter: CInode::WAIT_ANY_MASK). */
function handle_mds_recovery(ctx: Ctx, who: number): void {
  const q = ctx.mds.waiting_for_active_peer[who] ?? [];
  delete ctx.mds.waiting_for_active_peer[who];
  mdsEvent(ctx, `mds.${who} is back: retrying what waited for it`);
  for (const w of q) {
    if (w.startsWith(FILECAPS_WAITER)) {
      const inode = ctx.mds.inodes[w.slice(FILECAPS_WAITER.length)];
      if (inode) request_inode_file_caps(ctx, inode);
    } else {
      retry_request(ctx, w);
    }
  }
}
