// encode_locked_state / decode_locked_state for the simulator's scattered counter.
// Replica -> auth (SYNCACK, LOCKACK from MIX_LOCK): the replica's un-gathered updates leave
// with the message. Auth -> replica (SYNC, MIX with data): the folded value.
import type { SimpleLock } from '../locks/index.js';
import type { LockData, Message } from '../messages/index.js';
import type { LockRef } from '../request/LockOp.js';
import { isScatter } from './context.js';

export function encode_for_auth(lock: SimpleLock): LockData {
  if (!isScatter(lock)) return { dirty: false, pending: 0, value: 0 };
  const data = { dirty: lock.is_dirty_or_flushing(), pending: lock.scatter_pending, value: lock.scatter_value };
  lock.scatter_pending = 0;
  return data;
}

/** The scattered updates a message carries on their way to be folded (an ack's pending, a write-behind's commit), with their lock. */
export function scatterCarried(m: Message): { ref: LockRef; amount: number } | null {
  if (m.kind === 'lock') return m.data?.pending ? { ref: { path: m.path, type: m.lockType }, amount: m.data.pending } : null;
  if (m.kind === 'journal') return { ref: { path: m.path, type: m.lockType }, amount: m.amount };
  return null;
}

export function encode_for_replica(lock: SimpleLock): LockData {
  return { dirty: false, pending: 0, value: isScatter(lock) ? lock.scatter_value : 0 };
}

/** Auth side: fold a replica's report in; a dirty report marks the auth copy dirty. */
export function decode_from_replica(lock: SimpleLock, data: LockData | null): void {
  if (!data || !isScatter(lock)) return;
  lock.scatter_pending += data.pending;
  if (data.dirty || data.pending > 0) lock.mark_dirty();
}

/** Replica side: take the auth's folded value. */
export function decode_from_auth(lock: SimpleLock, data: LockData | null): void {
  if (data && isScatter(lock)) lock.scatter_value = data.value;
}
