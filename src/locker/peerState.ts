// What the Locker asks the MDSMap about a peer rank before it talks to it or waits on it
// (the guards of Locker.cc that read mds->is_cluster_degraded() and mdsmap->get_state()), and
// MDSRank::wait_for_active_peer / wait_for_cluster_recovered. With every rank active they
// all pass and nothing waits: a run without failures never reaches them.
import {
  STATE_CLIENTREPLAY, STATE_REJOIN, get_state, is_clientreplay_or_active_or_stopping, is_degraded,
} from '../cluster/mdsmap.js';
import { mdsEvent, type Ctx } from './context.js';
import { rule } from '../rules/active.js';

export const cluster_degraded = (ctx: Ctx): boolean => is_degraded(ctx.cluster.mdsmap);

/** `!is_cluster_degraded() || get_state(r) >= STATE_REJOIN`: lock acks, release messages. */
export const peer_rejoined = (ctx: Ctx, r: number): boolean => !cluster_degraded(ctx) || get_state(ctx.cluster.mdsmap, r) >= STATE_REJOIN;

/** `!is_cluster_degraded() || is_clientreplay_or_active_or_stopping(r)`: requests to a peer. */
export const peer_active = (ctx: Ctx, r: number): boolean => !cluster_degraded(ctx) || is_clientreplay_or_active_or_stopping(ctx.cluster.mdsmap, r);

/** A replica sends REQRDLOCK, REQSCATTER or NUDGE only to an active auth (before ceph a4ed7ea8, always: lost if it is down). */
export const auth_takes_requests = (ctx: Ctx, auth: number): boolean => rule('rejoin-ignores-peer-state') || peer_active(ctx, auth);

/** This rank takes requests (clientreplay or active). */
export const self_active = (ctx: Ctx): boolean => get_state(ctx.cluster.mdsmap, ctx.mds.id) >= STATE_CLIENTREPLAY;

/** A waiter that is not a request: C_MDL_RequestInodeFileCaps, for the inode at the path after it. */
export const FILECAPS_WAITER = 'request_inode_file_caps ';

/** MDSRank::wait_for_active_peer: retry the request (or re-ask for file caps) when `who` is back. */
export function wait_for_active_peer(ctx: Ctx, who: number, reqid: string): void {
  const q = (ctx.mds.waiting_for_active_peer[who] ??= []);
  if (!q.includes(reqid)) q.push(reqid);
  mdsEvent(ctx, `${reqid} waits for mds.${who} to be active`);
}

/** MDSRank::wait_for_cluster_recovered: retry the request when no rank is degraded. */
export function wait_for_cluster_recovered(ctx: Ctx, reqid: string): void {
  if (!ctx.mds.waiting_for_cluster_recovered.includes(reqid)) ctx.mds.waiting_for_cluster_recovered.push(reqid);
  mdsEvent(ctx, `${reqid} waits for the cluster to recover`);
}
