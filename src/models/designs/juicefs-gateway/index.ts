// The juicefs-gateway design: the JuiceFS S3 gateway's namespace lock as a model.
import type { Design, DesignModel } from '../design.js';
import { parseConfig } from './config.js';
import { GatewayModel } from './model.js';

export const juicefsGateway: Design = {
  id: 'juicefs-gateway',
  title: 'JuiceFS S3 gateway namespace lock (local RWMutex + metadata-engine Flock on one lock file)',
  sources: [
    'juicedata/juicefs pkg/gateway/gateway.go (commit 004c53e6c164afd88c85e131873eaadc43ad78e9): jfsFLock, getFlockWithTimeOut, Unlock, RUnlock, NewNSLock',
    'juicedata/juicefs pkg/meta/redis_lock.go (commit 04fd74290f667731232077383265c93b39b3e456): redisMeta.Flock (one hash field per owner; the caller\'s own field is ignored)',
    'seed 000: the JuiceFS gateway section (two-level lock, lock file /.minio.sys/locks/lk.json)',
  ],
  summary: 'Every namespace lock of a JuiceFS S3 gateway, whatever the object, locks one file: first a sync.RWMutex with TryLock in a 5 ms loop, then the metadata engine\'s Flock on the lock file\'s inode with the gateway\'s session id as owner, retried until the deadline (the local lock is released if the flock times out). '
    + 'Unlock deletes the owner\'s flock field, then releases the local lock. A crashed gateway\'s flock stays until its session expires and the engine cleans it.',
  simplifications: [
    'Upstream the RWMutex is a field of the jfsFLock that NewNSLock creates for every call (local: instance, the default); local: process and local: object model the per-process lock or per-object map the design notes describe.',
    'Only the Redis engine\'s Flock was read (pkg/meta/redis_lock.go); SQL and TKV engines are assumed to match (one field per owner, own field ignored).',
    'The 5 ms TryLock loop and the Flock retry loop are one wait each: a waiter may retry whenever its try would succeed; timeout_ticks ticks bound both together, as the one deadline does upstream.',
    'Unlock (Flock F_UNLCK, then the local unlock) is one step.',
    'A crashed gateway loses its goroutines and local locks at once; its session expires session_ticks ticks later (the engine\'s stale-session cleanup). A stalled gateway (GC pause, partition) keeps its goroutines; it may resume before or after its session expires, and resumes with the same owner (a new session is not modelled).',
    'The object name only selects the local lock under local: object; the flock is the same for every object, as upstream.',
  ],
  properties: [
    { name: 'mutual_exclusion', description: 'An object held for write (both levels taken) has no other holder, in any gateway; a stalled gateway\'s holders still hold.' },
    { name: 'no_leaked_entry', description: 'The lock file has a field for a gateway only while one of its clients holds (or its dead session has not yet expired), and every local RWMutex counts exactly its lockers.' },
    { name: 'stuck', description: 'No waiter waits for what only a timeout ends, unless a dead gateway\'s session has yet to expire.' },
  ],
  model: (config) => new GatewayModel(parseConfig(config)) as unknown as DesignModel<unknown, unknown>,
};
