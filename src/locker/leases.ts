// Client leases on dentries (CDentry::add_client_lease / remove_client_lease,
// Locker::issue_client_lease, revoke_client_leases, handle_client_lease).
import type { CDentry } from '../cache/CDentry.js';
import type { SimpleLock } from '../locks/index.js';
import { CEPH_MDS_LEASE_REVOKE } from '../messages/index.js';
import { parentOf, send, type Ctx } from './context.js';
import { eval_gather } from './eval_gather.js';

/**
 * Locker::issue_client_lease, reduced to the lock's say: a lease only while the DN lock's state
 * allows it to this client (the directory-side conditions are not modelled). True if granted.
 */
export function issue_client_lease(_ctx: Ctx, dn: CDentry, client: number): boolean {
  if (!dn.lock.can_lease(client)) return false;
  if (!dn.client_leases.includes(client)) {
    if (dn.client_leases.length === 0) dn.lock.get_client_lease();
    dn.client_leases.push(client);
  }
  return true;
}

/** CDentry::remove_client_lease: the last one clears LEASED and lets an unstable lock gather. */
export function remove_client_lease(ctx: Ctx, dn: CDentry, client: number): void {
  const i = dn.client_leases.indexOf(client);
  if (i < 0) return;
  dn.client_leases.splice(i, 1);
  if (dn.client_leases.length === 0) {
    const gather = !dn.lock.is_stable();
    dn.lock.put_client_lease();
    if (gather) eval_gather(ctx, dn.lock);
  }
}

/** Locker::revoke_client_leases: ask every holder to give its lease back. */
export function revoke_client_leases(ctx: Ctx, lock: SimpleLock): void {
  const dn = parentOf(ctx, lock) as CDentry;
  for (const client of dn.client_leases) {
    send(ctx, { kind: 'lease', from: ctx.mds.id, to: -client, action: CEPH_MDS_LEASE_REVOKE, client, path: dn.path });
  }
}
