// Where client capabilities and loners plug into the Locker. With no clients (the state of
// mdslock until the clients issue lands) nothing is issued, nobody is a loner and no cap
// ever blocks a gather; each function names the Ceph function it stands for.
import type { CInode } from '../cache/CInode.js';
import type { SimpleLock } from '../locks/index.js';
import type { Ctx } from './context.js';

/** CInode::issued_caps_need_gather: do issued caps exceed what `state` allows? */
export function issued_caps_need_gather(_ctx: Ctx, _inode: CInode, _lock: SimpleLock, _state?: number): boolean {
  return false;
}

/** Locker::issue_caps: send grants and revocations so issued caps fit the lock states. */
export function issue_caps(_ctx: Ctx, _inode: CInode): void {}

/** CInode::get_target_loner: the loner only if it is also the wanted loner. */
export function get_target_loner(inode: CInode): number {
  return inode.loner_cap === inode.want_loner_cap ? inode.loner_cap : -1;
}

/** CInode::try_drop_loner. */
export function try_drop_loner(_ctx: Ctx, _inode: CInode): boolean { return false; }

export interface CapsWanted { loner: number; other: number; all: number }

/** CInode::get_caps_wanted restricted to a lock's cap field (generic bits). */
export function caps_wanted(_inode: CInode, _shift: number): CapsWanted {
  return { loner: 0, other: 0, all: 0 };
}

/** Generic caps issued to the loner / others in a lock's cap field. */
export function caps_issued(_inode: CInode, _shift: number): CapsWanted {
  return { loner: 0, other: 0, all: 0 };
}

/** Non-stale client caps on the inode (file_eval's "directory with more than one"). */
export function count_nonstale_caps(_inode: CInode): number { return 0; }

/** Locker::revoke_client_leases: ask every lease holder to release (acks clear LEASED). */
export function revoke_client_leases(_ctx: Ctx, _lock: SimpleLock): void {}
