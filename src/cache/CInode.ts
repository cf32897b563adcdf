// CInode (src/mds/CInode.h): one rank's copy of an inode with its ten locks, constructed in
// Ceph's member order. A replica copy starts each lock in the auth state's replica_state.
import {
  CEPH_LOCK_IVERSION, CEPH_LOCK_IAUTH, CEPH_LOCK_ILINK, CEPH_LOCK_IDFT, CEPH_LOCK_IFILE,
  CEPH_LOCK_IXATTR, CEPH_LOCK_ISNAP, CEPH_LOCK_INEST, CEPH_LOCK_IFLOCK, CEPH_LOCK_IPOLICY,
} from '../../statemachines/index.js';
import { createLock, type SimpleLock, type ScatterLock, type LocalLock } from '../locks/index.js';
import { MDSCacheObject } from './MDSCacheObject.js';
import type { Capability } from '../clients/Capability.js';

/** Construction order of the lock members in CInode (newest CInode.cc, without IQUIESCE). */
export const INODE_LOCK_ORDER = [
  CEPH_LOCK_IVERSION, CEPH_LOCK_IAUTH, CEPH_LOCK_ILINK, CEPH_LOCK_IDFT, CEPH_LOCK_IFILE,
  CEPH_LOCK_IXATTR, CEPH_LOCK_ISNAP, CEPH_LOCK_INEST, CEPH_LOCK_IFLOCK, CEPH_LOCK_IPOLICY,
] as const;

export interface InodeInit {
  path: string;
  ino: number;
  is_dir: boolean;
  authority: number;
  rank: number;
  replicas: readonly number[];
  /** Initial state of the auth's locks by type (stable states); the rest start in SYNC. */
  authStates?: ReadonlyMap<number, number>;
}

export class CInode extends MDSCacheObject {
  readonly kind = 'inode' as const;
  readonly ino: number;
  readonly is_dir: boolean;
  /** The directory is a subtree root or has an exporting dirfrag (a delegation point). */
  has_subtree_or_exporting_dirfrag = false;
  /** The loner client (Ceph's loner_cap), -1 when none; want_loner_cap likewise. */
  loner_cap = -1;
  want_loner_cap = -1;
  /** Client caps issued by this copy, by client id (CInode::client_caps). */
  caps: Record<number, Capability> = {};
  /** Auth only: caps wanted by replica ranks' clients, reported with MInodeFileCaps. */
  mds_caps_wanted: Record<number, number> = {};
  /** Replica only: what it last reported to the auth. */
  replica_caps_wanted = 0;
  /** A directory with a file layout of its own (the root always: the file system's default). */
  has_layout = false;
  readonly versionlock: LocalLock;
  readonly authlock: SimpleLock;
  readonly linklock: SimpleLock;
  readonly dirfragtreelock: ScatterLock;
  readonly filelock: ScatterLock;
  readonly xattrlock: SimpleLock;
  readonly snaplock: SimpleLock;
  readonly nestlock: ScatterLock;
  readonly flocklock: SimpleLock;
  readonly policylock: SimpleLock;

  constructor(init: InodeInit) {
    super(init.path, init.authority, init.rank, init.replicas);
    this.ino = init.ino;
    this.is_dir = init.is_dir;
    const auth = init.rank === init.authority;
    const make = (type: number) => {
      const authState = init.authStates?.get(type);
      const lock = createLock(type, auth, undefined, init.path);
      if (authState !== undefined && lock.lt.cls !== 'LocalLock') {
        lock.state = auth ? authState : lock.sm.states[authState].replica_state;
      }
      return lock;
    };
    const [v, a, l, d, f, x, s, n, fl, p] = INODE_LOCK_ORDER.map(make);
    this.versionlock = v as LocalLock;
    this.authlock = a;
    this.linklock = l;
    this.dirfragtreelock = d as ScatterLock;
    this.filelock = f as ScatterLock;
    this.xattrlock = x;
    this.snaplock = s;
    this.nestlock = n as ScatterLock;
    this.flocklock = fl;
    this.policylock = p;
  }

  locks(): SimpleLock[] {
    return [this.versionlock, this.authlock, this.linklock, this.dirfragtreelock, this.filelock,
      this.xattrlock, this.snaplock, this.nestlock, this.flocklock, this.policylock];
  }

  getLock(type: number): SimpleLock | undefined {
    switch (type) {
      case CEPH_LOCK_IVERSION: return this.versionlock;
      case CEPH_LOCK_IAUTH: return this.authlock;
      case CEPH_LOCK_ILINK: return this.linklock;
      case CEPH_LOCK_IDFT: return this.dirfragtreelock;
      case CEPH_LOCK_IFILE: return this.filelock;
      case CEPH_LOCK_IXATTR: return this.xattrlock;
      case CEPH_LOCK_ISNAP: return this.snaplock;
      case CEPH_LOCK_INEST: return this.nestlock;
      case CEPH_LOCK_IFLOCK: return this.flocklock;
      case CEPH_LOCK_IPOLICY: return this.policylock;
      default: return undefined;
    }
  }

  /** CInode::is_base: the root (mdslock has no global snaprealm or ~mdsN directories). */
  is_base(): boolean { return this.path === '/'; }

  /**
   * Whether the inode has this lock in use: Ceph's print shows the dir-only and file-only
   * ones by kind. A file's snaplock is shown too, though Ceph's print leaves it out: unlink,
   * link and rename xlock it.
   */
  carries(type: number): boolean {
    if (type === CEPH_LOCK_ISNAP) return true;
    if (type === CEPH_LOCK_IDFT || type === CEPH_LOCK_INEST || type === CEPH_LOCK_IPOLICY) return this.is_dir;
    if (type === CEPH_LOCK_IFLOCK) return !this.is_dir;
    return true;
  }
}
