// Building a cluster from a description: ranks, objects with their auth and replicas, and
// initial stable lock states on the auth (replica copies start in the replica_state).
import { lockTypeByName, stateByName } from '../../statemachines/index.js';
import { CInode } from '../cache/CInode.js';
import { CDentry } from '../cache/CDentry.js';
import { CDir } from '../cache/CDir.js';
import { completeTree, fragAuth } from './tree.js';
import { Cluster } from './Cluster.js';
import { Capability } from '../clients/Capability.js';
import { set_loner_cap } from '../locker/loner.js';
import { replica_wants } from '../locker/clientCaps.js';
import { withRules } from '../rules/active.js';
import { FLUSHING } from '../locks/flags.js';
import type { ScatterLock } from '../locks/ScatterLock.js';
import type { RuleId } from '../rules/variants.js';

export interface InodeSpec {
  kind: 'inode';
  path: string;
  ino?: number;
  is_dir: boolean;
  auth: number;
  replicas: number[];
  /** Initial stable states on the auth, by lock type name: `{ iauth: 'excl' }`. */
  locks?: Record<string, string>;
  /** The directory is a subtree delegation point (a dirfrag is auth elsewhere). */
  delegation?: boolean;
  /** Directories: the rank auth for its dirfrag (its dentries), when not the inode's auth. */
  frag?: number;
  /** Caps issued to clients, by client id, from the copy on the client's session rank. */
  caps?: Record<number, number>;
  /** Caps the clients want, by client id. */
  wanted?: Record<number, number>;
  /** The loner client (excl_client of the cap-bearing locks on the auth). */
  loner?: number;
  /** Replica copies of scatterlocks (by lock type name) left flushing, as an export in mid-cycle leaves them. */
  flushing?: Record<string, number[]>;
}

export interface DentrySpec {
  kind: 'dentry';
  path: string;
  auth: number;
  replicas: number[];
  /** Initial stable state of the DN lock on the auth. */
  lock?: string;
  /** Ranks whose copy has a lease of no modelled client (LEASED; released by a step). */
  leased?: number[];
  /** Clients holding a lease, from the copy on their session rank. */
  leases?: number[];
}

export type ObjectSpec = InodeSpec | DentrySpec;

export interface Topology {
  ranks: number;
  seed: number;
  objects: ObjectSpec[];
  clients?: { id: number; session: number }[];
  /** Historical rule variants (src/rules/); absent or empty: Ceph main. */
  rules?: readonly RuleId[];
}

/** The cluster a description gives, its namespace completed first (tree.ts). */
export function createCluster(t: Topology): Cluster {
  const rules = Object.freeze([...(t.rules ?? [])]);
  return withRules(rules, () => build(t, rules));
}

function build(t: Topology, rules: readonly RuleId[]): Cluster {
  const c = new Cluster(t.ranks, t.seed, t.clients ?? []);
  c.rules = rules;
  const objects = completeTree(t.objects, t.ranks);
  const session = (client: number) => {
    const cl = c.clients[client];
    if (!cl) throw new Error(`undeclared client.${client}`);
    return cl.session;
  };
  const primaries = new Set(objects.filter((o) => o.kind === 'inode').map((o) => o.path));
  for (const o of objects) {
    const holders = [o.auth, ...o.replicas];
    if (o.kind === 'inode') {
      const ino = o.ino ?? c.next_ino++;
      const authStates = new Map<number, number>();
      for (const [name, state] of Object.entries(o.locks ?? {})) {
        const lt = lockTypeByName(name);
        const s = stateByName(state);
        if (!lt || s === undefined) throw new Error(`bad initial lock ${name}: ${state}`);
        authStates.set(lt.type, s);
      }
      for (const r of holders) {
        const inode = new CInode({ path: o.path, ino, is_dir: o.is_dir, authority: o.auth, rank: r, replicas: o.replicas, authStates });
        inode.has_subtree_or_exporting_dirfrag = !!o.delegation || fragAuth(o) !== o.auth;
        inode.has_layout = o.path === '/'; // the file system's default layout lives on the root
        if (r === o.auth && o.loner !== undefined) {
          inode.want_loner_cap = o.loner;
          set_loner_cap(inode, o.loner);
        }
        c.ranks[r].inodes[o.path] = inode;
        for (const [name, ranks] of Object.entries(o.flushing ?? {})) {
          if (ranks.includes(r)) (inode.getLock(lockTypeByName(name)!.type) as ScatterLock).state_flags |= FLUSHING;
        }
        if (o.is_dir) {
          const fa = fragAuth(o);
          if (!holders.includes(fa)) throw new Error(`the dirfrag auth mds.${fa} of ${o.path} holds no copy of it`);
          c.ranks[r].dirfrags[o.path] = new CDir(o.path, fa, r, holders.filter((x) => x !== fa));
        }
      }
      const clientsOf = new Set([...Object.keys(o.caps ?? {}), ...Object.keys(o.wanted ?? {})].map(Number));
      for (const id of clientsOf) {
        const r = session(id);
        const inode = c.ranks[r].inodes[o.path];
        if (!inode) throw new Error(`client.${id}'s session rank mds.${r} has no copy of ${o.path}`);
        inode.caps[id] = new Capability(id, o.caps?.[id] ?? 0, o.wanted?.[id] ?? 0);
        c.clients[id].set_caps(o.path, r, o.caps?.[id] ?? 0);
        c.clients[id].wanted[o.path] = o.wanted?.[id] ?? 0;
      }
      // each replica has told the auth what its clients want (request_inode_file_caps)
      for (const r of o.replicas) {
        const inode = c.ranks[r].inodes[o.path];
        const wanted = replica_wants(inode);
        if (!wanted) continue;
        inode.replica_caps_wanted = wanted;
        c.ranks[o.auth].inodes[o.path].mds_caps_wanted[r] = wanted;
      }
    } else {
      const s = o.lock === undefined ? undefined : stateByName(o.lock);
      for (const r of holders) {
        const d = new CDentry({ path: o.path, authority: o.auth, rank: r, replicas: o.replicas, authState: s });
        if (primaries.has(o.path)) d.linkage = { inode: o.path, remote: false };
        if (o.leased?.includes(r)) d.lock.get_client_lease();
        c.ranks[r].dentries[o.path] = d;
      }
      for (const id of o.leases ?? []) {
        const d = c.ranks[session(id)].dentries[o.path];
        if (!d) throw new Error(`client.${id}'s session rank has no copy of dentry ${o.path}`);
        if (d.client_leases.length === 0 && !d.lock.is_leased()) d.lock.get_client_lease();
        d.client_leases.push(id);
        c.clients[id].leases.push(o.path);
      }
    }
  }
  return c;
}
