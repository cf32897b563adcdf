// The MDS side of client cap and lease messages: Locker::handle_client_caps (a revoke ack or a
// change of wanted caps), issue_new_caps (a client opens a file), request_inode_file_caps /
// handle_inode_file_caps (a replica reports its clients' wants to the auth), and
// handle_client_lease (a client gives a dentry lease back).
import type { CInode } from '../cache/CInode.js';
import { Capability } from '../clients/Capability.js';
import { CEPH_CAP_PIN } from '../clients/capString.js';
import { CAP_ANY, CAP_LONER, CAP_XLOCKER } from '../locks/flags.js';
import { CEPH_CAP_OP_GRANT, type MClientCaps, type MClientLease, type MInodeFileCaps } from '../messages/index.js';
import { send, type Ctx } from './context.js';
import { FILECAPS_WAITER, peer_active, wait_for_active_peer } from './peerState.js';
import { caps_allowed_ever_base, dir_ops_stripped, get_caps_allowed_by_type, get_caps_liked, get_caps_wanted, get_xlocker_mask, issue_caps } from './caps.js';
import { CEPH_CAP_LOCKS, eval_inode, try_eval_inode } from './eval.js';
import { remove_client_lease } from './leases.js';
import { kick_object, WAIT_FROZEN, WAIT_UNFREEZE } from './freeze.js';
import { OBJECT_WAIT } from '../cache/MDSCacheObject.js';

/** Locker::handle_client_caps: confirm what the client holds, take its wanted caps, re-evaluate. */
export function handle_client_caps(ctx: Ctx, m: MClientCaps): void {
  const inode = ctx.mds.inodes[m.path];
  const cap = inode?.caps[m.client];
  if (!inode || !cap) return;
  // should_defer_client_cap_frozen: a frozen tree (an export) takes no cap change until it thaws
  if (inode.freeze_tree === 'frozen') return inode.add_waiter({ type: OBJECT_WAIT, mask: WAIT_UNFREEZE, msg: m });
  const revoked = cap.confirm_receipt(m.seq, m.caps & cap.issued);
  if (revoked) kick_object(ctx, inode, WAIT_FROZEN); // a rename freezing the inode waits for settled caps
  if (m.wanted !== cap.wanted) adjust_cap_wanted(ctx, inode, cap, m.wanted);
  const did_issue = eval_inode(ctx, inode, CEPH_CAP_LOCKS);
  if (!did_issue && (cap.wanted & ~cap.pending)) issue_caps(ctx, inode, m.client);
}

/** Locker::adjust_cap_wanted; a replica tells the auth what its clients now want. */
function adjust_cap_wanted(ctx: Ctx, inode: CInode, cap: Capability, wanted: number): void {
  cap.wanted = wanted;
  if (!inode.is_auth()) request_inode_file_caps(ctx, inode);
}

/** CInode::get_caps_allowed_ever: the base mask, each cap lock's field cut to what any of its states allows. */
function get_caps_allowed_ever(inode: CInode): number {
  let ever = CEPH_CAP_PIN;
  for (const l of [inode.filelock, inode.authlock, inode.xattrlock, inode.linklock]) ever |= l.gcaps_allowed_ever() << l.lt.capShift;
  return caps_allowed_ever_base(inode) & ever;
}

/** What a replica copy's clients want that it could ever have (request_inode_file_caps' report). */
export function replica_wants(inode: CInode): number {
  return get_caps_wanted(inode, 0, -1).all & get_caps_allowed_ever(inode) & ~CEPH_CAP_PIN;
}

/** Locker::request_inode_file_caps (replica): report a change in what our clients want. */
export function request_inode_file_caps(ctx: Ctx, inode: CInode): void {
  // to an auth not back, ask again when it is (Ceph waits so in rejoin; before, its strong
  // rejoin carries caps_wanted, which mdslock does not model: it waits then too)
  if (!peer_active(ctx, inode.authority)) return wait_for_active_peer(ctx, inode.authority, `${FILECAPS_WAITER}${inode.path}`);
  const wanted = replica_wants(inode);
  if (wanted === inode.replica_caps_wanted) return;
  inode.replica_caps_wanted = wanted;
  send(ctx, { kind: 'filecaps', from: ctx.mds.id, to: inode.authority, path: inode.path, wanted });
}

/** Locker::handle_inode_file_caps (auth): while a replica's clients want caps there is no loner. */
export function handle_inode_file_caps(ctx: Ctx, m: MInodeFileCaps): void {
  const inode = ctx.mds.inodes[m.path];
  if (!inode || !inode.is_auth()) return;
  if (m.wanted) inode.mds_caps_wanted[m.from] = m.wanted;
  else delete inode.mds_caps_wanted[m.from];
  try_eval_inode(ctx, inode, CEPH_CAP_LOCKS);
}

/** CInode::get_caps_allowed_for_client (caps sent in a reply): xlocker bits only for the loner. */
export function get_caps_allowed_for_client(inode: CInode, client: number): number {
  const allowed = client === inode.loner_cap
    ? get_caps_allowed_by_type(inode, CAP_LONER) | (get_caps_allowed_by_type(inode, CAP_XLOCKER) & get_xlocker_mask(inode, client))
    : get_caps_allowed_by_type(inode, CAP_ANY);
  return dir_ops_stripped(inode, allowed);
}

/**
 * Locker::issue_new_caps: the client opens (or creates) the inode wanting `wanted`; no message:
 * what it gets goes out in the reply (encode_inodestat_caps).
 */
export function issue_new_caps(ctx: Ctx, inode: CInode, client: number, wanted: number): Capability {
  let cap = inode.caps[client];
  if (!cap) {
    cap = inode.caps[client] = new Capability(client);
    cap.is_new = true;
  }
  cap.wanted |= wanted;
  cap.suppress++;
  if (inode.is_auth()) eval_inode(ctx, inode, CEPH_CAP_LOCKS);
  else request_inode_file_caps(ctx, inode);
  cap.suppress--;
  return cap;
}

/**
 * CInode::encode_inodestat's caps: a reply naming the inode adds to the client's cap what it
 * wants or the inode likes and the locks allow (never revoking); null if it has no cap here.
 */
export function encode_inodestat_caps(inode: CInode, client: number): { seq: number; cap: Capability } | null {
  const cap = inode.caps[client];
  if (!cap) return null;
  const seq = cap.issue_norevoke((cap.wanted | get_caps_liked(inode)) & get_caps_allowed_for_client(inode, client));
  return { seq, cap };
}

/** The `open` step: issue_new_caps, and the caps the reply would carry sent as a grant. */
export function open_caps(ctx: Ctx, inode: CInode, client: number, wanted: number): void {
  issue_new_caps(ctx, inode, client, wanted);
  const { seq, cap } = encode_inodestat_caps(inode, client)!;
  send(ctx, { kind: 'caps', from: ctx.mds.id, to: -client, op: CEPH_CAP_OP_GRANT, client, path: inode.path, seq, caps: cap.pending, wanted: cap.wanted });
}

/** Locker::handle_client_lease: a release (or revoke ack) removes the client's lease. */
export function handle_client_lease(ctx: Ctx, m: MClientLease): void {
  const dn = ctx.mds.dentries[m.path];
  if (dn) remove_client_lease(ctx, dn, m.client);
}
