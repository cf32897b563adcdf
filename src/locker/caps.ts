// Client capabilities as they gate locks: what each client may hold in the current lock
// states (CInode::get_caps_allowed_by_type, get_xlocker_mask, get_caps_liked), what it holds
// and wants (get_caps_issued, get_caps_wanted), and Locker::issue_caps, which grants and
// revokes to fit. A replica copy runs the same code; gcaps_allowed then answers replica_caps.
import type { CInode } from '../cache/CInode.js';
import type { SimpleLock } from '../locks/index.js';
import { CAP_ANY, CAP_LONER, CAP_XLOCKER, type CapWho } from '../locks/flags.js';
import { CEPH_CAP_OP_GRANT, CEPH_CAP_OP_REVOKE } from '../messages/index.js';
import { CEPH_CAP_PIN, CEPH_CAP_SAUTH, CEPH_CAP_SFILE, CEPH_CAP_SLINK, CEPH_CAP_SXATTR } from '../clients/capString.js';
import { assertMds, send, type Ctx } from './context.js';

/** The four cap-bearing locks with their cap shifts. */
function capLocks(inode: CInode): [SimpleLock, number][] {
  return [[inode.filelock, CEPH_CAP_SFILE], [inode.authlock, CEPH_CAP_SAUTH], [inode.xattrlock, CEPH_CAP_SXATTR], [inode.linklock, CEPH_CAP_SLINK]];
}

// ceph_fs.h's cap sets
const ANY_SHARED = (1 << CEPH_CAP_SAUTH) | (1 << CEPH_CAP_SLINK) | (1 << CEPH_CAP_SXATTR) | (1 << CEPH_CAP_SFILE);
const ANY_EXCL = (2 << CEPH_CAP_SAUTH) | (2 << CEPH_CAP_SLINK) | (2 << CEPH_CAP_SXATTR) | (2 << CEPH_CAP_SFILE);
const FILE_CACHE = 4 << CEPH_CAP_SFILE;
export const FILE_RD = 8 << CEPH_CAP_SFILE;
const FILE_WREXTEND = 64 << CEPH_CAP_SFILE;
const FILE_LAZYIO = 128 << CEPH_CAP_SFILE;
/** CEPH_CAP_ANY_WR: the exclusive caps, Fw and Fb (not Fa). */
export const ANY_WR = ANY_EXCL | (16 << CEPH_CAP_SFILE) | (32 << CEPH_CAP_SFILE);
/** CEPH_CAP_ANY: every cap but Fa. */
const CAP_ANY_ALL = CEPH_CAP_PIN | ANY_SHARED | FILE_RD | FILE_CACHE | ANY_WR | FILE_LAZYIO;
/** CEPH_CAP_ANY_DIR_OPS: the async directory operation caps, which only a lock cache grants. */
const ANY_DIR_OPS = FILE_CACHE | FILE_RD | FILE_WREXTEND | FILE_LAZYIO;

/**
 * The directory mask of CInode::get_caps_allowed_for_client and Locker::get_allowed_caps: a
 * directory's clients get no dir-op caps but through a lock cache, which mdslock does not model.
 */
export const dir_ops_stripped = (inode: CInode, allowed: number): number => (inode.is_dir ? allowed & ~ANY_DIR_OPS : allowed);

/** CInode::get_caps_allowed_ever's base: what any state could ever allow this inode's clients. */
export const caps_allowed_ever_base = (inode: CInode): number => (inode.is_dir ? CEPH_CAP_PIN | ANY_EXCL | ANY_SHARED : CAP_ANY_ALL);

/** CInode::get_caps_allowed_by_type. */
export function get_caps_allowed_by_type(inode: CInode, who: CapWho): number {
  let c = CEPH_CAP_PIN;
  for (const [l, shift] of capLocks(inode)) c |= l.gcaps_allowed(who) << shift;
  return c;
}

/** CInode::get_xlocker_mask: the xlocker-only bits of the locks this client xlocks. */
export function get_xlocker_mask(inode: CInode, client: number): number {
  let c = 0;
  for (const [l, shift] of capLocks(inode)) c |= l.gcaps_xlocker_mask(client) << shift;
  return c;
}

/** CInode::get_caps_liked: caps granted beyond what was wanted. */
export function get_caps_liked(inode: CInode): number {
  return inode.is_dir ? CEPH_CAP_PIN | ANY_EXCL | ANY_SHARED : CAP_ANY_ALL & ~FILE_LAZYIO;
}

/** The loner as the caps code sees it: a replica copy has none (get_caps_issued resets it). */
const lonerOf = (inode: CInode) => (inode.is_auth() ? inode.loner_cap : -1);

export interface CapSplit { loner: number; other: number; xlocker: number; all: number }

/** CInode::get_caps_issued restricted to one lock's field (issued, so bits being revoked count). */
export function get_caps_issued(inode: CInode, shift: number, mask: number): CapSplit {
  const out = { loner: 0, other: 0, xlocker: 0, all: 0 };
  const loner = lonerOf(inode);
  for (const id in inode.caps) { // (no array allocated: this runs in every cap-bearing gather check)
    const cap = inode.caps[id];
    const i = cap.issued;
    out.all |= i;
    if (cap.client === loner) out.loner |= i; else out.other |= i;
    out.xlocker |= get_xlocker_mask(inode, cap.client) & i;
  }
  return { loner: (out.loner >> shift) & mask, other: (out.other >> shift) & mask, xlocker: (out.xlocker >> shift) & mask, all: (out.all >> shift) & mask };
}

/** CInode::get_caps_wanted restricted to a field; on the auth, replicas' wants count as "other". */
export function get_caps_wanted(inode: CInode, shift: number, mask = 255): { loner: number; other: number; all: number } {
  let loner = 0;
  let other = 0;
  for (const cap of Object.values(inode.caps)) {
    if (cap.client === inode.loner_cap) loner |= cap.wanted; else other |= cap.wanted;
  }
  if (inode.is_auth()) for (const w of Object.values(inode.mds_caps_wanted)) other |= w;
  return { loner: (loner >> shift) & mask, other: (other >> shift) & mask, all: ((loner | other) >> shift) & mask };
}

/** Whether the caps issued in this lock's field fit what state `s` allows (eval_gather uses the next state). */
export function caps_fit(inode: CInode, lock: SimpleLock, s: number): boolean {
  const i = get_caps_issued(inode, lock.lt.capShift, lock.type === inode.filelock.type ? 255 : 3);
  return (i.other & ~lock.gcaps_allowed(CAP_ANY, s)) === 0 &&
    (i.loner & ~lock.gcaps_allowed(CAP_LONER, s)) === 0 &&
    (i.xlocker & ~lock.gcaps_allowed(CAP_XLOCKER, s)) === 0;
}

/** CInode::issued_caps_need_gather: issued caps exceed what the current state allows. */
export function issued_caps_need_gather(_ctx: Ctx, inode: CInode, lock: SimpleLock): boolean {
  return !caps_fit(inode, lock, lock.state);
}

/** Locker::get_allowed_caps: what this client may hold now (the xlocker bits for any client that xlocks). */
function get_allowed_caps(inode: CInode, client: number): number {
  const allowed = get_caps_allowed_by_type(inode, client === inode.loner_cap ? CAP_LONER : CAP_ANY);
  return dir_ops_stripped(inode, allowed | (get_caps_allowed_by_type(inode, CAP_XLOCKER) & get_xlocker_mask(inode, client)));
}

/**
 * Locker::issue_caps: for each client cap (or just `only`), revoke what is no longer allowed
 * (never adding bits while revoking), or grant what is wanted (and liked) and allowed.
 * Returns the number of caps messages sent.
 */
export function issue_caps(ctx: Ctx, inode: CInode, only?: number): number {
  let n = 0;
  for (const cap of Object.values(inode.caps)) {
    if (only !== undefined && cap.client !== only) continue;
    const allowed = get_allowed_caps(inode, cap.client);
    const pending = cap.pending;
    const wanted = cap.wanted;
    if ((pending & ~allowed) === 0) {
      if (cap.is_new || cap.suppress > 0) continue; // grants wait; a needed revoke always goes
      if (((wanted & allowed) & ~pending) === 0) continue;
    }
    const likes = get_caps_liked(inode);
    const revoking = (pending & ~allowed) !== 0;
    assertMds(ctx, !revoking || !cap.is_new, `issue_caps ${inode.path}: revoking client.${cap.client}'s new cap`);
    const seq = cap.issue(revoking ? (wanted | likes) & allowed & pending : (wanted | likes) & allowed);
    const op = pending & ~cap.pending ? CEPH_CAP_OP_REVOKE : CEPH_CAP_OP_GRANT;
    send(ctx, { kind: 'caps', from: ctx.mds.id, to: -cap.client, op, client: cap.client, path: inode.path, seq, caps: cap.pending, wanted });
    n++;
  }
  return n;
}

/** For the invariant checker: per client, the caps it holds on this copy and what its role allows. */
export function caps_vs_allowed(inode: CInode): { client: number; issued: number; pending: number; allowed: number }[] {
  return Object.values(inode.caps).map((c) => ({ client: c.client, issued: c.issued, pending: c.pending, allowed: get_allowed_caps(inode, c.client) }));
}

