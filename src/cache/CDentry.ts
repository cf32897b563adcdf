// CDentry (src/mds/CDentry.h): one rank's copy of a dentry: the DN lock and its versionlock.
import { CEPH_LOCK_DN, CEPH_LOCK_DVERSION } from '../../statemachines/index.js';
import { SimpleLock, LocalLock } from '../locks/index.js';
import { MDSCacheObject } from './MDSCacheObject.js';

/**
 * CDentry::linkage_t: a primary link (the inode is this dentry's own), a remote link (a hard
 * link to an inode whose primary dentry is elsewhere), or none (a null dentry). The inode is
 * named by its key. On the auth this is the projected linkage, which path_traverse reads;
 * replicas learn of a change when the auth sends it.
 */
export interface Linkage {
  readonly inode: string;
  readonly remote: boolean;
}

export interface DentryInit {
  path: string;
  authority: number;
  rank: number;
  replicas: readonly number[];
  /** Initial stable state of the auth's DN lock (default SYNC). */
  authState?: number;
}

export class CDentry extends MDSCacheObject {
  readonly kind = 'dentry' as const;
  readonly lock: SimpleLock;
  readonly versionlock: LocalLock;
  /** Clients holding a lease on this copy; LEASED is set while there is one. */
  client_leases: number[] = [];
  /** What the dentry links, or null for a null dentry. */
  linkage: Linkage | null = null;
  /** Changes of its linkage journaled but not yet safe (CDentry::is_projected): replicas cannot see them. */
  projected = 0;

  constructor(init: DentryInit) {
    super(init.path, init.authority, init.rank, init.replicas);
    const auth = init.rank === init.authority;
    this.lock = new SimpleLock(CEPH_LOCK_DN, auth, undefined, init.path);
    if (init.authState !== undefined) {
      this.lock.state = auth ? init.authState : this.lock.sm.states[init.authState].replica_state;
    }
    this.versionlock = new LocalLock(CEPH_LOCK_DVERSION, auth, init.path);
  }

  locks(): SimpleLock[] { return [this.lock, this.versionlock]; }
  getLock(type: number): SimpleLock | undefined {
    return type === CEPH_LOCK_DN ? this.lock : type === CEPH_LOCK_DVERSION ? this.versionlock : undefined;
  }
}
