// encode_locked_state / decode_locked_state for the simulator's scattered counter.
// Replica -> auth (SYNCACK, LOCKACK from MIX_LOCK): the replica's un-gathered updates leave
// with the message. Auth -> replica (SYNC, MIX with data): the folded value.
import type { SimpleLock } from '../locks/index.js';
import type { LockData, Message } from '../messages/index.js';
import type { LockRef } from '../request/LockOp.js';
import { isScatter } from './context.js';

/** `frag`: the sender is auth of the directory's dirfrag, whose stats the ack carries (ifile, inest). */
export function encode_for_auth(lock: SimpleLock, frag = false): LockData {
  if (!isScatter(lock)) return { dirty: false, pending: 0, value: 0 };
  const data = { dirty: lock.is_dirty_or_flushing(), pending: lock.scatter_pending, value: lock.scatter_value, ...(frag ? { frag } : {}) };
  lock.scatter_pending = 0;
  return data;
}

/** The scattered updates a message carries on their way to be folded (an ack's pending, a write-behind's commit, an export's fnodes), with their locks. */
export function scatterCarried(m: Message): { ref: LockRef; amount: number }[] {
  if (m.kind === 'lock') return m.data?.pending ? [{ ref: { path: m.path, type: m.lockType }, amount: m.data.pending }] : [];
  if (m.kind === 'journal') return [{ ref: { path: m.path, type: m.lockType }, amount: m.amount }];
  if (m.kind === 'export' && m.op === 'dir') {
    return [
      ...(m.dirstat ?? []).filter((d) => d.pending).map((d) => ({ ref: { path: m.dir, type: d.type }, amount: d.pending })),
      ...(m.objects ?? []).flatMap((o) => o.scatter.filter((x) => x.pending).map((x) => ({ ref: { path: o.key, type: x.type }, amount: x.pending }))),
    ];
  }
  return [];
}

export function encode_for_replica(lock: SimpleLock): LockData {
  return { dirty: false, pending: 0, value: isScatter(lock) ? lock.scatter_value : 0 };
}

/** Auth side: fold a replica's report in; a dirty report marks the auth copy dirty. */
export function decode_from_replica(lock: SimpleLock, data: LockData | null, from: number): void {
  if (!data || !isScatter(lock)) return;
  if (data.frag) lock.frag_reports.push(from);
  lock.scatter_pending += data.pending;
  if (data.dirty || data.pending > 0) lock.mark_dirty();
}

/** Replica side: take the auth's folded value. */
export function decode_from_auth(lock: SimpleLock, data: LockData | null): void {
  if (data && isScatter(lock)) lock.scatter_value = data.value;
}
