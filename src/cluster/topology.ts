// Building a cluster from a description: ranks, objects with their auth and replicas, and
// initial stable lock states on the auth (replica copies start in the replica_state).
import { lockTypeByName, stateByName } from '../../statemachines/index.js';
import { CInode } from '../cache/CInode.js';
import { CDentry } from '../cache/CDentry.js';
import { Cluster } from './Cluster.js';

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
}

export interface DentrySpec {
  kind: 'dentry';
  path: string;
  auth: number;
  replicas: number[];
  /** Initial stable state of the DN lock on the auth. */
  lock?: string;
  /** Ranks whose copy has a client lease (LEASED). */
  leased?: number[];
}

export type ObjectSpec = InodeSpec | DentrySpec;

export interface Topology {
  ranks: number;
  seed: number;
  objects: ObjectSpec[];
}

export function createCluster(t: Topology): Cluster {
  const c = new Cluster(t.ranks, t.seed);
  let nextIno = 0x10000000000;
  for (const o of t.objects) {
    const holders = [o.auth, ...o.replicas];
    if (o.kind === 'inode') {
      const ino = o.ino ?? nextIno++;
      const authStates = new Map<number, number>();
      for (const [name, state] of Object.entries(o.locks ?? {})) {
        const lt = lockTypeByName(name);
        const s = stateByName(state);
        if (!lt || s === undefined) throw new Error(`bad initial lock ${name}: ${state}`);
        authStates.set(lt.type, s);
      }
      for (const r of holders) {
        const inode = new CInode({ path: o.path, ino, is_dir: o.is_dir, authority: o.auth, rank: r, replicas: o.replicas, authStates });
        inode.has_subtree_or_exporting_dirfrag = !!o.delegation;
        c.ranks[r].inodes[o.path] = inode;
      }
    } else {
      const s = o.lock === undefined ? undefined : stateByName(o.lock);
      for (const r of holders) {
        const d = new CDentry({ path: o.path, authority: o.auth, rank: r, replicas: o.replicas, authState: s });
        if (o.leased?.includes(r)) d.lock.get_client_lease();
        c.ranks[r].dentries[o.path] = d;
      }
    }
  }
  return c;
}
