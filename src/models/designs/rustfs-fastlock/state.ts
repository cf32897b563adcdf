// The rustfs-fastlock state: per key the shard map's entry (ObjectLockState) with its 64-bit
// state word as fields, its owner lists, and ghost flags the checker keeps; per client where its
// workload stands. A flat array of integers (kit/flat.ts).
import type { FastlockConfig } from './config.js';

/** Per key: entry in its shard's map, writer flag, reader count, readers and writers waiting, shared owners (bit mask), current owner (+1), ghost. */
export const EXISTS = 0, WRITER = 1, READERS = 2, RWAIT = 3, WWAIT = 4, OWNERS = 5, CUR = 6, GHOST = 7, KEY_FIELDS = 8;
/** Per client: phase, op index, item index in the op, ticks left before a timeout, keys held (bit mask). */
export const PHASE = 0, PC = 1, ITEM = 2, DEADLINE = 3, HELD = 4, CLIENT_FIELDS = 5;
/** WAIT: in the slow path's backoff (not counted in the word); PARKED: in a notify wait (counted). */
export const IDLE = 0, WAIT = 1, HOLD = 2, DONE = 3, PARKED = 4;
/** Ghost flags: an increment the field could not hold (wrapped or dropped at its width). */
export const G_READERS_WRAPPED = 1, G_RWAIT_SATURATED = 2, G_WWAIT_SATURATED = 4;
/** The waiting counters' width (upstream state.rs: 16 bits each). */
export const WAIT_MAX = 0xffff;

export const keyAt = (k: number): number => k * KEY_FIELDS;
export const clientAt = (c: FastlockConfig, i: number): number => c.keys.length * KEY_FIELDS + i * CLIENT_FIELDS;

/** The 64-bit word as upstream packs it: [47:32] writers waiting | [31:16] readers waiting | [15:8] readers | [0] writer. */
export function packWord(s: readonly number[], k: number): bigint {
  const o = keyAt(k);
  return (BigInt(s[o + WWAIT]) << 32n) | (BigInt(s[o + RWAIT]) << 16n) | (BigInt(s[o + READERS]) << 8n) | BigInt(s[o + WRITER]);
}

/** The shard a key lands in: an FNV-1a hash of its name masked by shards-1 (stands for ObjectKey::shard_index). */
export function shardOf(name: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h & (shards - 1);
}
