// Why a client operation's request waits, beyond locks and peers: an object it would auth-pin
// is frozen or its auth ambiguous (a cross-rank rename moving it), an inode it freezes still
// has other pins, a discover is out, or it waits for the journal to be safe before it asks
// witnesses (renames whose path has projected linkages).
import type { Cluster } from '../cluster/Cluster.js';
import type { MDSCacheObject } from '../cache/MDSCacheObject.js';
import type { CInode } from '../cache/CInode.js';
import type { MDRequest } from '../request/MDRequest.js';
import { WAIT_FROZEN, WAIT_SINGLEAUTH, WAIT_UNFREEZE } from '../locker/freeze.js';
import { childPath } from '../cluster/tree.js';
import { capBlockers, inFlight, lockBlockers, nodeOf, ownerNode, requestName, type Blocker } from './why.js';

type Explained = { on: string; blockers: Blocker[] };

/** The request that froze (or is migrating) the object: on the rank holding its auth copy. */
function freezer(c: Cluster, obj: MDSCacheObject): MDRequest | undefined {
  for (const r of c.ranks) {
    const o = r.object(obj.key);
    const by = o?.frozen_by;
    if (by) return r.requests[by];
  }
  return undefined;
}

const byWhom = (m: MDRequest | undefined, what: string): Blocker =>
  m ? { text: `${what} by ${requestName(m)}`, requests: [ownerNode(m)] } : { text: `${what}, by a request that has finished: nothing will wake it`, requests: [] };

/** An export or import in flight whose subtree holds the object, on the rank holding its copy. */
function migration(c: Cluster, rank: number, obj: MDSCacheObject): Blocker | null {
  const mds = c.ranks[rank];
  if (!mds.object(obj.key)?.freeze_tree && !mds.object(obj.key)?.ambiguous_auth) return null;
  for (const r of c.ranks) {
    for (const [dir, x] of Object.entries(r.exports)) {
      if (r.id === rank || x.peer === rank || x.bystanders.includes(rank)) {
        const pins = x.state === 'freezing' ? subtreePins(c, r.id, dir) : '';
        return { text: `the export of ${dir} from mds.${r.id} to mds.${x.peer} (${x.state}${pins})`, requests: [] };
      }
    }
  }
  return null;
}

/** What the freezing subtree still has pinned. */
function subtreePins(c: Cluster, rank: number, dir: string): string {
  const pinned = c.ranks[rank].objects().filter((o) => o.freeze_tree && o.auth_pins > 0 && (o.path === dir || o.path.startsWith(`${dir}/`)));
  return pinned.length ? `: waits for ${pinned.map((o) => `${o.auth_pins} auth pin(s) on ${o.key}`).join(', ')}` : '';
}

/** A wait on the object itself (freeze.ts). */
export function objectWait(c: Cluster, m: MDRequest, obj: MDSCacheObject, mask: number): Explained {
  const where = `${obj.key} on mds.${m.rank}`;
  const moving = migration(c, m.rank, obj);
  if (mask & WAIT_UNFREEZE) return { on: `an auth pin of ${where}`, blockers: [moving ?? byWhom(freezer(c, obj), 'frozen')] };
  if (mask & WAIT_SINGLEAUTH) return { on: `a single auth for ${where}`, blockers: [moving ?? byWhom(freezer(c, obj), 'its auth is moving in a rename, frozen')] };
  if (mask & WAIT_FROZEN) {
    const pinned = Object.values(c.ranks[m.rank].requests).filter((o) => o !== m && o.auth_pins.includes(obj.key));
    const blockers: Blocker[] = pinned.map((o) => ({ text: `auth-pinned by ${requestName(o)}`, requests: [ownerNode(o)] }));
    if (obj.kind === 'inode') blockers.push(...capBlockers(c, m.rank, obj as CInode));
    if (blockers.length === 0) blockers.push({ text: 'no other pin and no revoke left: nothing will wake it', requests: [] });
    return { on: `freezing ${where}`, blockers };
  }
  return { on: `${where}`, blockers: [{ text: 'an object event no rule sends', requests: [] }] };
}

/** A discover or the journal; null when the request waits for neither. */
export function opWait(c: Cluster, m: MDRequest): Explained | null {
  const rank = c.ranks[m.rank];
  const d = Object.entries(rank.discovering).find(([, x]) => x.reqids.includes(m.reqid));
  if (d) {
    const [key, x] = d;
    const msgs: string[] = [];
    for (let r = 0; r < c.ranks.length; r++) if (r !== m.rank) msgs.push(...inFlight(c, m.rank, r, (y) => (y.kind === 'discover' || y.kind === 'discover_reply') && y.base === x.base && y.name === x.name));
    if (msgs.length) return { on: `a discover of ${key}`, blockers: [{ text: msgs.join(', '), requests: [] }] };
    // the auth parks a discover of an xlocked dentry until the xlock goes
    for (const r of c.ranks) {
      const dn = x.name === null ? undefined : r.dentries[childPath(x.base, x.name)];
      if (dn?.is_auth() && dn.waiting.some((w) => w.msg?.kind === 'discover' && w.msg.from === m.rank)) {
        return { on: `a discover of ${key}, parked at mds.${r.id} on the xlocked dentry`, blockers: lockBlockers(c, r.id, dn.lock, nodeOf(m)) };
      }
    }
    return { on: `a discover of ${key}`, blockers: [{ text: 'nothing in flight and parked nowhere: nothing will wake it', requests: [] }] };
  }
  if (rank.safe_waiters.includes(m.reqid)) {
    const entries = inFlight(c, m.rank, m.rank, (y) => y.kind === 'event' || y.kind === 'journal');
    return {
      on: 'the journal to be safe (its paths have projected linkages, which witnesses cannot see)',
      blockers: [{ text: entries.length ? entries.join(', ') : 'no journal entry in flight: nothing will wake it', requests: [] }],
    };
  }
  return null;
}
