// Moving an inode's auth, as a cross-rank rename of a primary dentry does (the srcdn auth
// exports the inode in its prepare ack; the leader imports it when its journal entry is safe;
// Migrator::encode_export_inode / decode_import_inode, Locker::xlock_import / xlock_export).
// mdslock moves it on every rank at once at the leader's commit: the new auth takes the
// exported lock states and the replica list, the old auth's copy becomes a replica (each lock
// in its state's replica_state), and the request's xlocks on it become the leader's own.
// Client caps do not move (a rename of an inode with caps on its old auth is refused).
import type { CInode } from '../cache/CInode.js';
import type { Cluster } from '../cluster/Cluster.js';
import type { InodeExport } from '../request/ClientRequest.js';
import { XLOCK } from '../request/LockOp.js';
import type { MDRequest } from '../request/MDRequest.js';
import { log, type Ctx } from '../locker/context.js';

/** Whether clients hold caps on the inode's auth copy (their export is not modelled). */
export function authCopyHasCaps(c: Cluster, key: string): boolean {
  return c.ranks.some((r) => { const i = r.inodes[key]; return i !== undefined && i.is_auth() && Object.keys(i.caps).length > 0; });
}

export function import_inode(ctx: Ctx, exp: InodeExport, leader: MDRequest): void {
  const key = exp.key;
  const oldAuth = exp.authority;
  const me = ctx.mds.id;
  const holders: number[] = [];
  const wants = { ...ctx.cluster.ranks[oldAuth].inodes[key]?.mds_caps_wanted };
  delete wants[me];
  for (const r of ctx.cluster.ranks) {
    const copy = r.inodes[key];
    if (!copy) continue;
    holders.push(r.id);
    copy.authority = me;
    if (r.id === oldAuth) exportCopy(ctx, copy, leader.reqid);
  }
  const mine = ctx.mds.inodes[key];
  const states = new Map(exp.states);
  for (const l of mine.locks()) {
    l.auth = true;
    if (l.lt.cls !== 'LocalLock') l.state = states.get(l.type) ?? l.state;
    l.gather_set = 0;
    // Locker::xlock_import: the leader's remote xlock is now a local one, pinned here
    if (leader.isHeld({ path: key, type: l.type }, XLOCK) && !l.is_stable()) mine.auth_pin();
    log(ctx, 'xlock_import', l);
  }
  mine.replicas = holders.filter((r) => r !== me).sort((a, b) => a - b);
  mine.mds_caps_wanted = wants; // what the replicas' clients want, as the old auth knew it
  // the leader's remote auth pin there becomes a local one
  if (leader.remote_auth_pins[key] !== undefined) {
    delete leader.remote_auth_pins[key];
    mine.auth_pin();
    leader.auth_pins.push(key);
  }
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
    if (l.lt.cls !== 'LocalLock') l.state = l.sm.states[l.state].replica_state;
    l.gather_set = 0;
  }
  copy.replicas = [];
  copy.mds_caps_wanted = {};
  copy.loner_cap = copy.want_loner_cap = -1;
  // the peer's pin and the pins its unstable locks held go with the auth
  if (peer?.auth_pins.includes(copy.key)) peer.auth_pins = peer.auth_pins.filter((k) => k !== copy.key);
  copy.auth_pins = 0;
}
