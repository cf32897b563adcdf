// I6 caps: once revocations are acknowledged, no client holds caps outside what its role
// allows. Checked on every inode copy with client caps (a cap lives on the copy of the
// client's session rank; a replica copy's allowed caps are its replica_caps), reading the
// Locker's own views (src/locker/caps.ts: caps_vs_allowed, get_caps_issued):
//
// (a) gather complete (capsGather.ts): a stable cap-bearing lock has no caps issued beyond
//     its state, revoked bits included (two states Ceph enters at once are tolerated there).
// (b) settled caps fit the role: every client cap that is not being revoked (issued ==
//     pending) is within what that client may hold on that copy now (Locker::get_allowed_caps:
//     the loner's or the others' caps of the four lock states, plus the xlocker bits of the
//     locks it xlocks), whatever state the locks are in. Every Locker path that makes a state
//     allow less revokes within the same step (issue_caps, or need_issue at the end of the
//     enclosing eval), and the MDS's issued keeps revoked bits until the client acknowledges,
//     so an outstanding revoke shows as issued != pending; a held client link or a cap message
//     in flight needs no exception. (The fuzz found no unstable state breaking this, so it is
//     checked in unstable states too, not only once the cap-bearing locks are stable.)
// (c) the client agrees: for each rank it holds caps from (its session rank, or any rank an
//     op's reply gave it caps from), once no cap message for the inode travels between the
//     client and that rank, either way (a held link keeps its messages in flight; an import
//     from an inode's new auth counts for the old one it names), what the
//     client holds from it (ClientState.caps) is within that rank's issued, and a client
//     holding caps from a rank has a cap on that copy.
import { STATE_ACTIVE, STATE_RECONNECT } from '../cluster/mdsmap.js';
import type { Cluster } from '../cluster/Cluster.js';
import type { CInode } from '../cache/CInode.js';
import { caps_vs_allowed, get_xlocker_mask } from '../locker/caps.js';
import { ccap_string } from '../clients/capString.js';
import type { LockRef } from '../request/LockOp.js';
import { checkCapsGather } from './capsGather.js';
import { CEPH_CAP_OP_IMPORT } from '../messages/index.js';
import { violation, type Violation } from './violation.js';

const capLocks = (inode: CInode) => inode.locks().filter((l) => l.lt.capShift !== 0);
const refs = (inode: CInode): LockRef[] => capLocks(inode).map((l) => ({ path: l.parent, type: l.type }));

const role = (inode: CInode, client: number) =>
  `${client === inode.loner_cap ? 'the loner' : 'a non-loner'}${get_xlocker_mask(inode, client) ? ' (an xlocker)' : ''}`;

/** (b) Caps not being revoked within what the client's role allows on this copy. */
function settledFit(rank: number, inode: CInode, out: Violation[]): void {
  for (const { client, issued, pending, allowed } of caps_vs_allowed(inode)) {
    if (issued !== pending || (issued & ~allowed) === 0) continue;
    out.push(violation('I6', refs(inode), `mds.${rank} ${inode.path}: client.${client} holds ${ccap_string(issued)} with nothing being revoked, ` +
      `${ccap_string(issued & ~allowed)} beyond the ${ccap_string(allowed)} that ${role(inode, client)} may hold`));
  }
}

/** Cap messages in flight between a client and a rank, by `rank client path`. */
function capTraffic(c: Cluster): Set<string> {
  const busy = new Set<string>();
  for (const q of c.net.queues) {
    for (const m of q) {
      if (m.kind !== 'caps') continue;
      busy.add(`${m.from >= 0 ? m.from : m.to} ${m.client} ${m.path}`);
      // an import from the inode's new auth also settles what the client holds from the old one
      if (m.op === CEPH_CAP_OP_IMPORT && m.peer !== undefined) busy.add(`${m.peer} ${m.client} ${m.path}`);
    }
  }
  return busy;
}

/** (c) What each client holds, once nothing is in flight for it, within the MDS's issued. */
function clientAgrees(c: Cluster, out: Violation[]): void {
  const clients = Object.values(c.clients);
  if (clients.length === 0) return;
  const busy = capTraffic(c);
  for (const cl of clients) {
    for (const [path, byRank] of Object.entries(cl.caps)) {
      for (const [r, held] of Object.entries(byRank)) {
        // caps from a rank on its way back: the client reconnects them (at reconnect)
        if (held === 0 || busy.has(`${r} ${cl.id} ${path}`) || c.mdsmap.state[Number(r)] < STATE_RECONNECT) continue;
        const inode = c.ranks[Number(r)].inodes[path];
        const issued = inode?.caps[cl.id]?.issued;
        if (issued !== undefined && (held & ~issued) === 0) continue;
        out.push(violation('I6', inode ? refs(inode) : [], `client.${cl.id} holds ${ccap_string(held)} on ${path} from mds.${r} but mds.${r} ` +
          `${issued === undefined ? 'has no cap for it' : `issued it only ${ccap_string(issued)}`}, and no cap message for it is in flight`));
      }
    }
  }
}

export function checkCaps(c: Cluster): Violation[] {
  const out: Violation[] = [];
  for (const mds of c.ranks) {
    // a recovering rank's lock states are chosen from its reconnected caps in rejoin, and the
    // caps fitted to them when it is active (MDCache::reissue_all_caps): judged from then on
    if (c.mdsmap.state[mds.id] !== STATE_ACTIVE) continue;
    for (const inode of Object.values(mds.inodes) as CInode[]) {
      if (Object.keys(inode.caps).length === 0) continue;
      checkCapsGather(mds.id, inode, capLocks(inode), out);
      settledFit(mds.id, inode, out);
    }
  }
  clientAgrees(c, out);
  return out;
}
