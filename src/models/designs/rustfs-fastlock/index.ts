// The rustfs-fastlock design: RustFS's FastObjectLockManager as a model.
import type { Design, DesignModel } from '../design.js';
import { parseConfig } from './config.js';
import { FastlockModel } from './model.js';
import { FASTLOCK_PROPERTIES } from './properties.js';

export const rustfsFastlock: Design = {
  id: 'rustfs-fastlock',
  title: 'RustFS FastObjectLockManager (sharded, one atomic state word per key)',
  sources: [
    'rustfs/rustfs crates/lock/src/fast_lock/state.rs (commit 04c5a3ce4854eb6ead24c84d55e1fc69355067c0): AtomicLockState, ObjectLockState',
    'rustfs/rustfs crates/lock/src/fast_lock/shard.rs (as stored with state.rs at 04c5a3ce): LockShard fast/slow path, release, acquire_locks_batch, cleanup_expired_batch',
    'rustfs/rustfs crates/lock/src/fast_lock/manager.rs (commit 06843ec2176d1fe8a04461f8b76c6d9891b4fd2f): FastObjectLockManager::acquire_locks_batch, group_requests_by_shard, acquire_locks_two_phase_commit',
    'seed 003: the FastObjectLockManager design note (1024 shards, versioned keys, sorted batch acquire)',
  ],
  summary: 'Keys (bucket/object[/version]) hash to one of 1024 shards; each shard maps a key to an entry whose 64-bit atomic word packs the writer bit, an 8-bit reader count and 16-bit counts of waiting readers and writers. '
    + 'The fast path is one CAS on the word; the slow path backs off, then counts itself as a waiter and waits for a notify, retrying until its deadline. Batches sort their keys by (shard, key), take them shard group by shard group, and release what they took if one fails.',
  simplifications: [
    'Keys are strings /name or /name@vN, one bucket; ObjectKey order is string order ("/a" < "/a@v1" as None < Some(version)).',
    'A key\'s shard is an FNV-1a hash of its name masked by shards-1 (upstream: DefaultHasher of the ObjectKey), so which keys share a shard differs from upstream; shards place entries (view: entry /a) and group a batch (batch_order: manager).',
    'The slow path\'s backoff sleeps and notify waits are one wait: the waiter is counted in the word from the start and may retry whenever its CAS would succeed (any wake-up, notify or backoff), so lost notifies are not modelled; the deadline is timeout_ticks ticks (calculate_adaptive_timeout abstracted).',
    'Looking up the entry and the CAS are one step (a stale Arc held across a cleanup is not modelled: upstream does both without an await in between).',
    'cleanup_expired_batch may remove any free, unwaited entry at any time (its idle threshold abstracted away); schedule_cleanup is a no-op upstream and is not modelled.',
    'Other tasks on a key are counts that never change (readers_start, readers_waiting_start, writers_waiting_start), so a config can start a field near its limit.',
    'Lock timeouts (lock_timeout, guard expiry) and priorities are not modelled; a release result is ignored as a guard drop ignores it.',
  ],
  properties: FASTLOCK_PROPERTIES,
  model: (config) => new FastlockModel(parseConfig(config)) as unknown as DesignModel<unknown, unknown>,
};
