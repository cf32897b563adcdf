// SimpleLock (src/mds/SimpleLock.h): one MDS's copy of one lock of one cached object.
// Plain data plus Ceph's predicates; the Locker (src/locker/) changes it. `auth` caches
// parent->is_auth(), fixed for a copy because mdslock does not migrate subtrees.
import { immerable } from 'immer';
import {
  ANY, AUTH, XCL, REQ, LOCK_SYNC, LOCK_XLOCK, LOCK_XLOCKDONE, LOCK_XLOCKSNAP, LOCK_LOCK_XLOCK,
  LOCK_LOCK, LOCK_PREXLOCK, CEPH_CAP_GSHARED, CEPH_CAP_GEXCL, CEPH_CAP_GCACHE, CEPH_CAP_GRD,
  CEPH_LOCK_IFILE, type LockState, type LockType, type StateMachine, type StateRow,
} from '../../statemachines/index.js';
import { activeLockType } from '../rules/active.js';
import { CAP_XLOCKER, CAP_ANY, LEASED, NEED_RECOVER, type CapWho } from './flags.js';

/** Ceph client_t default (undefined client). -1 means "no client / MDS-internal". */
export const CLIENT_UNDEF = -2;

export class SimpleLock {
  [immerable] = true;
  readonly type: number;
  /** The lock type's static data (name, machine, class, cap shift). */
  readonly lt: LockType;
  /** The parent object (CInode / CDentry) by path: Ceph's `parent` pointer, as a key (renamed with it). */
  parent: string;
  /** parent->is_auth() on the MDS holding this copy (changes only when a rename moves an inode's auth). */
  auth: boolean;
  state: LockState;
  state_flags = 0;
  num_rdlock = 0;
  num_wrlock = 0;
  num_xlock = 0;
  /** Ranks whose ack the auth still waits for, as a bit set (bit r = mds.r). */
  gather_set = 0;
  /** Request id of the xlocking mutation; cleared by set_xlock_done. */
  xlock_by: string | null = null;
  xlock_by_client = -1;
  excl_client = -1;

  constructor(type: number, auth: boolean, state?: LockState, parent = '') {
    this.type = type;
    this.lt = activeLockType(type); // Ceph main's, or a historical table's (src/rules/)
    this.parent = parent;
    this.auth = auth;
    this.state = state ?? LOCK_SYNC;
  }

  get sm(): StateMachine { return this.lt.sm; }
  get row(): StateRow { return this.lt.sm.states[this.state]; }

  // ---- state ----
  is_stable(): boolean { return this.row.next === 0; }
  get_next_state(): LockState { return this.row.next; }
  get_replica_state(): LockState { return this.row.replica_state; }
  is_loner_mode(): boolean { return this.row.loner; }
  set_state(s: LockState): void { this.state = s; }
  /** SimpleLock::export_twiddle: the old auth's copy of an exported lock becomes a replica's (ScatterLock's lazy set is not modelled). */
  export_twiddle(): void { this.clear_gather(); this.state = this.get_replica_state(); }

  // ---- holds ----
  is_rdlocked(): boolean { return this.num_rdlock > 0; }
  is_wrlocked(): boolean { return this.num_wrlock > 0; }
  is_xlocked(): boolean { return this.num_xlock > 0; }
  is_leased(): boolean { return (this.state_flags & LEASED) !== 0; }
  is_locked(): boolean { return this.is_rdlocked() || this.is_wrlocked() || this.is_xlocked(); }
  is_unstable_and_locked(): boolean { return !this.is_stable() && this.is_locked(); }
  is_sync_and_unlocked(): boolean {
    return this.state === LOCK_SYNC && !this.is_rdlocked() && !this.is_leased() && !this.is_wrlocked() && !this.is_xlocked();
  }
  needs_recover(): boolean { return (this.state_flags & NEED_RECOVER) !== 0; }
  mark_need_recover(): void { this.state_flags |= NEED_RECOVER; }
  clear_need_recover(): void { this.state_flags &= ~NEED_RECOVER; }

  get_rdlock(): void { this.num_rdlock++; }
  put_rdlock(): void {
    if (this.num_rdlock <= 0) throw new Error(`put_rdlock on ${this.lt.name} with no rdlock`);
    this.num_rdlock--;
  }
  get_wrlock(_force = false): void { this.num_wrlock++; }
  put_wrlock(): void {
    if (this.num_wrlock <= 0) throw new Error(`put_wrlock on ${this.lt.name} with no wrlock`);
    this.num_wrlock--;
  }
  get_xlock(reqid: string, client: number): void {
    if (this.xlock_by !== null) throw new Error(`get_xlock on ${this.lt.name}: already xlocked by ${this.xlock_by}`);
    const s = this.state;
    if (!(s === LOCK_XLOCK || s === LOCK_LOCK || this.lt.cls === 'LocalLock')) {
      throw new Error(`get_xlock on ${this.lt.name} in state ${s}`);
    }
    this.num_xlock++;
    this.xlock_by = reqid;
    this.xlock_by_client = client;
  }
  set_xlock_done(): void {
    if (this.lt.cls !== 'LocalLock') this.state = LOCK_XLOCKDONE;
    this.xlock_by = null;
  }
  put_xlock(): void {
    const s = this.state;
    if (!(s === LOCK_XLOCK || s === LOCK_XLOCKDONE || s === LOCK_XLOCKSNAP || s === LOCK_LOCK_XLOCK ||
      s === LOCK_LOCK || s === LOCK_PREXLOCK || s === LOCK_SYNC || this.lt.cls === 'LocalLock')) {
      throw new Error(`put_xlock on ${this.lt.name} in state ${s}`);
    }
    if (this.num_xlock <= 0) throw new Error(`put_xlock on ${this.lt.name} with no xlock`);
    this.num_xlock--;
    if (this.num_xlock === 0) {
      this.xlock_by = null;
      this.xlock_by_client = -1;
    }
  }
  get_client_lease(): void { this.state_flags |= LEASED; }
  put_client_lease(): void { this.state_flags &= ~LEASED; }

  // ---- gather ----
  init_gather(replicas: readonly number[]): void { for (const r of replicas) this.gather_set |= 1 << r; }
  is_gathering(r?: number): boolean { return r === undefined ? this.gather_set !== 0 : (this.gather_set & (1 << r)) !== 0; }
  remove_gather(r: number): void { this.gather_set &= ~(1 << r); }
  clear_gather(): void { this.gather_set = 0; }
  gather_ranks(): number[] {
    const out: number[] = [];
    for (let g = this.gather_set, r = 0; g !== 0; g >>>= 1, r++) if (g & 1) out.push(r);
    return out;
  }

  // ---- permission predicates (SimpleLock.h): code of the current row's column ----
  private allows(code: number, client: number): boolean {
    return code === ANY || (code === AUTH && this.auth) || (code === XCL && client >= 0 && client === this.xlock_by_client);
  }
  private allowsWr(code: number, client: number): boolean {
    return this.allows(code, client) || (code === XCL && client >= 0 && client === this.excl_client);
  }
  can_read(client: number): boolean { return this.allows(this.row.can_read, client); }
  can_read_projected(client: number): boolean { return this.allows(this.row.can_read_projected, client); }
  can_rdlock(client: number): boolean { return this.allows(this.row.can_rdlock, client); }
  can_lease(client: number): boolean { return this.allows(this.row.can_lease, client); }
  can_xlock(client: number): boolean { return this.allows(this.row.can_xlock, client); }
  can_wrlock(client: number): boolean { return this.allowsWr(this.row.can_wrlock, client); }
  can_force_wrlock(client: number): boolean { return this.allowsWr(this.row.can_force_wrlock, client); }
  /** Defined in Ceph, not called by the Locker. */
  req_rdlock_from_auth(): boolean { return this.row.can_rdlock === REQ; }

  // ---- caps ----
  gcaps_allowed_ever(): number { return this.auth ? this.sm.allowed_ever_auth : this.sm.allowed_ever_replica; }
  /** Quirk Q1: the loner test reads the *current* state even when `s` is given. */
  gcaps_allowed(who: CapWho, s: LockState = this.state): number {
    const r = this.sm.states[s];
    if (!this.auth) return r.replica_caps;
    if (this.xlock_by_client >= 0 && who === CAP_XLOCKER) return r.xlocker_caps | r.caps;
    if (this.is_loner_mode() && who === CAP_ANY) return r.caps;
    return r.loner_caps | r.caps;
  }
  gcaps_careful(): number { return this.num_wrlock > 0 ? this.sm.careful : 0; }
  gcaps_xlocker_mask(client: number): number {
    if (client !== this.xlock_by_client) return 0;
    return this.type === CEPH_LOCK_IFILE
      ? CEPH_CAP_GSHARED | CEPH_CAP_GEXCL | CEPH_CAP_GCACHE | CEPH_CAP_GRD
      : CEPH_CAP_GSHARED | CEPH_CAP_GEXCL;
  }
}
