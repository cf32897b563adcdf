// A request's journal entry is safe: the op's finisher (Server's C_MDS_*_finish contexts).
import type { JournalEvent } from '../messages/index.js';
import type { MDRequest } from '../request/MDRequest.js';
import type { Ctx } from '../locker/context.js';
import { opDef } from '../../ops/ops.js';
import { respond_to_request } from './dispatch.js';
import { send_dentry_link } from './dentryLink.js';
import { unlink_finish } from './unlink.js';
import { link_finish } from './link.js';
import { rename_finish } from './rename.js';
import { peer_journal_finish } from './peerPrep.js';

export function journal_finish(ctx: Ctx, mdr: MDRequest, m: JournalEvent): void {
  if (m.event === 'EPeerUpdate') return peer_journal_finish(ctx, mdr, m);
  const cr = mdr.client_request!;
  switch (opDef(cr.op.name).effect) {
    case 'create': {
      // C_MDS_mknod_finish / C_MDS_openc_finish: the new dentry reaches the ranks replicating it
      const dn = ctx.mds.dentries[cr.dn[0][cr.dn[0].length - 1]];
      send_dentry_link(ctx, dn, null);
      return respond_to_request(ctx, mdr, 0, ctx.mds.inodes[cr.created!]);
    }
    case 'unlink': return unlink_finish(ctx, mdr);
    case 'link': return link_finish(ctx, mdr);
    case 'rename': return rename_finish(ctx, mdr);
    default: {
      // C_MDS_inode_update_finish (setattr, setxattr, setlayout, open O_TRUNC, setdirlayout)
      const in_ = ctx.mds.inodes[cr.in[0]!];
      if (cr.op.name === 'setdirlayout') in_.has_layout = true;
      return respond_to_request(ctx, mdr, 0, in_);
    }
  }
}
