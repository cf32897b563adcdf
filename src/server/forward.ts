// MDCache::request_forward: the rank is not the one that must run the request. It tells the
// client where to go (MDSRank::forward_message_mds sends MClientRequestForward; the client
// resends with num_fwd + 1) and cleans the request up here, dropping everything it took.
import type { MDRequest } from '../request/MDRequest.js';
import { send, type Ctx } from '../locker/context.js';
import { request_finish } from '../locker/acquire.js';

export function request_forward(ctx: Ctx, mdr: MDRequest, who: number): void {
  const cr = mdr.client_request!;
  send(ctx, { kind: 'client_forward', from: ctx.mds.id, to: -mdr.client, reqid: mdr.reqid, dest: who, num_fwd: cr.num_fwd + 1 });
  request_finish(ctx, mdr, `forwarded to mds.${who}`);
}
