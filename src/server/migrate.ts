// Moving an inode's auth, as a cross-rank rename of a primary dentry does (the srcdn auth
// exports the inode in its prepare ack; the leader imports it when its journal entry is safe;
// Migrator::encode_export_inode / decode_import_inode / finish_export_inode, Locker's
// xlock_import / xlock_export). mdslock moves it on every rank at once at the leader's commit:
// the new auth takes the exported lock states, the loner, the replica list and the clients'
// caps (each client told by a cap import from the new auth); the old auth's copy becomes a
// replica (each lock in its state's replica_state), and the request's xlocks on it become the
// leader's own. The old auth froze the inode with no revoke outstanding, so no cap message
// about it is in flight.
import { Capability } from '../clients/Capability.js';
import type { CInode } from '../cache/CInode.js';
import type { InodeExport } from '../request/ClientRequest.js';
import { XLOCK } from '../request/LockOp.js';
import type { MDRequest } from '../request/MDRequest.js';
import { CEPH_CAP_OP_IMPORT } from '../messages/index.js';
import { log, send, type Ctx } from '../locker/context.js';

export function import_inode(ctx: Ctx, exp: InodeExport, leader: MDRequest): void {
  const key = exp.key;
  const me = ctx.mds.id;
  const old = ctx.cluster.ranks[exp.authority].inodes[key];
  const mine = ctx.mds.inodes[key];
  const holders: number[] = [];
  for (const r of ctx.cluster.ranks) {
    const copy = r.inodes[key];
    if (!copy) continue;
    holders.push(r.id);
    copy.authority = me;
  }
  // the auth's own: loner, replicas' wants, the clients' caps (Migrator::decode_import_inode_caps)
  mine.loner_cap = old.loner_cap;
  mine.want_loner_cap = old.want_loner_cap;
  mine.mds_caps_wanted = { ...old.mds_caps_wanted };
  delete mine.mds_caps_wanted[me];
  // grants the old auth sent that are still on the wire are stale: Ceph's client drops them
  // (their migrate_seq is older than the import's); mdslock takes them off the wire
  for (const q of ctx.cluster.net.queues) {
    for (let i = q.length - 1; i >= 0; i--) {
      const m = q[i];
      if (m.kind === 'caps' && m.from === exp.authority && m.to < 0 && m.path === key) q.splice(i, 1);
    }
  }
  for (const cap of Object.values(old.caps)) {
    const moved = Object.assign(new Capability(cap.client), { pending: cap.pending, issued: cap.issued, wanted: cap.wanted, last_sent: cap.last_sent });
    mine.caps[cap.client] = moved;
    send(ctx, { kind: 'caps', from: me, to: -cap.client, op: CEPH_CAP_OP_IMPORT, client: cap.client, path: key, seq: moved.last_sent, caps: moved.pending, wanted: moved.wanted, peer: exp.authority });
  }
  const states = new Map(exp.states);
  const oldLocks = old.locks();
  mine.locks().forEach((l, i) => {
    l.auth = true;
    if (l.lt.cls !== 'LocalLock') l.state = states.get(l.type) ?? l.state;
    l.excl_client = oldLocks[i].excl_client;
    l.gather_set = 0;
    // Locker::xlock_import: the leader's remote xlock is now a local one, pinned here
    if (leader.isHeld({ path: key, type: l.type }, XLOCK) && !l.is_stable()) mine.auth_pin();
    log(ctx, 'xlock_import', l);
  });
  mine.replicas = holders.filter((r) => r !== me).sort((a, b) => a - b);
  // the leader's remote auth pin there becomes a local one
  if (leader.remote_auth_pins[key] !== undefined) {
    delete leader.remote_auth_pins[key];
    mine.auth_pin();
    leader.auth_pins.push(key);
  }
  exportCopy(ctx, old, leader.reqid);
  // a directory's dirfrags stay where they are: they now bound a subtree
  if (mine.is_dir) for (const r of ctx.cluster.ranks) { const i = r.inodes[key]; if (i) i.has_subtree_or_exporting_dirfrag = true; }
}

/** The old auth's copy: Locker::xlock_export of the peer's xlocks, then CInode::finish_export (export_twiddle). */
function exportCopy(ctx: Ctx, copy: CInode, reqid: string): void {
  const peer = ctx.cluster.ranks[copy.rank].requests[reqid];
  for (const l of copy.locks()) {
    if (peer && peer.isHeld({ path: copy.path, type: l.type }, XLOCK) && l.lt.cls !== 'LocalLock') {
      l.put_xlock();
      peer.removeHeld({ path: copy.path, type: l.type }, XLOCK);
    }
    l.auth = false;
    if (l.lt.cls !== 'LocalLock') l.export_twiddle();
    l.excl_client = -1;
  }
  copy.replicas = [];
  copy.caps = {};
  copy.mds_caps_wanted = {};
  copy.loner_cap = copy.want_loner_cap = -1;
  // the peer's pin and the pins its unstable locks held go with the auth
  if (peer?.auth_pins.includes(copy.key)) peer.auth_pins = peer.auth_pins.filter((k) => k !== copy.key);
  copy.auth_pins = 0;
}
