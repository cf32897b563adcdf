// A message delivered to a rank goes to its handler (MDSRank::handle_message's switch). A rank
// on its way back takes lock and rejoin messages from rejoin on, but keeps client requests,
// peer requests and cap messages until it is active (MDSRank::wait_for_replay /
// wait_for_active), then handles them in the order they came.
import type { Message } from '../messages/index.js';
import { printMessage } from '../messages/index.js';
import { mdsEvent, type Ctx } from '../locker/context.js';
import { handle_lock } from '../locker/handlers.js';
import { handle_peer_request } from '../locker/peer.js';
import { scatter_writebehind_finish } from '../locker/scatter.js';
import { handle_client_caps, handle_client_lease, handle_inode_file_caps } from '../locker/clientCaps.js';
import { self_active } from '../locker/peerState.js';
import { handle_client_request, handle_journal_event } from '../server/dispatch.js';
import { handle_dentry_link, handle_dentry_unlink } from '../server/dentryLink.js';
import { handle_discover, handle_discover_reply } from '../server/discover.js';
import { handle_cache_rejoin } from '../recovery/rejoin.js';
import { handle_export_reply } from '../migration/exporter.js';
import { handle_export_message } from '../migration/importer.js';

/** What a rank not yet active keeps for later: requests (peer requests, not their replies) and client messages. */
const waitsForActive = (m: Message): boolean =>
  m.kind === 'client_request' || m.kind === 'caps' || m.kind === 'lease' || m.kind === 'filecaps' || (m.kind === 'peer' && m.op > 0);

export function deliver(ctx: Ctx, m: Message): void {
  if (!self_active(ctx) && waitsForActive(m)) {
    ctx.mds.waiting_for_active.push(m);
    mdsEvent(ctx, `not active yet: ${printMessage(m)} waits`);
    return;
  }
  switch (m.kind) {
    case 'lock': return handle_lock(ctx, m);
    case 'peer': return handle_peer_request(ctx, m);
    case 'journal': return scatter_writebehind_finish(ctx, m);
    case 'caps': return handle_client_caps(ctx, m);
    case 'lease': return handle_client_lease(ctx, m);
    case 'filecaps': return handle_inode_file_caps(ctx, m);
    case 'client_request': return handle_client_request(ctx, m.reqid, -m.from, m.op, m.num_fwd);
    case 'dentry_link': return handle_dentry_link(ctx, m);
    case 'dentry_unlink': return handle_dentry_unlink(ctx, m);
    case 'event': return handle_journal_event(ctx, m);
    case 'discover': return handle_discover(ctx, m);
    case 'discover_reply': return handle_discover_reply(ctx, m);
    case 'rejoin': return handle_cache_rejoin(ctx, m);
    case 'export': return m.op.endsWith('_ack') ? handle_export_reply(ctx, m) : handle_export_message(ctx, m);
    case 'client_reply': case 'client_forward': throw new Error(`${m.kind} to a rank`);
  }
}

/** The rank is active: what it kept runs now, in order. */
export function deliverParked(ctx: Ctx): void {
  const q = ctx.mds.waiting_for_active;
  ctx.mds.waiting_for_active = [];
  for (const m of q) deliver(ctx, m);
}
