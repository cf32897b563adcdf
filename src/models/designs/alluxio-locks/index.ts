// The alluxio-locks design: Alluxio's InodeLockManager (LockPool) and BlockLockManager as a model.
import type { Design, DesignModel } from '../design.js';
import { parseConfig } from './config.js';
import { AlluxioModel } from './model.js';
import { ALLUXIO_PROPERTIES } from './properties.js';

export const alluxioLocks: Design = {
  id: 'alluxio-locks',
  title: 'Alluxio InodeLockManager (LockPool with evictor) and BlockLockManager',
  sources: [
    'Alluxio/alluxio core/common/src/main/java/alluxio/collections/LockPool.java (commit 05f3e17f74e95f2908410244d10e131d33d9e059): getResource, Evictor.awaitAndEvict, the reuse pool',
    'Alluxio/alluxio core/server/worker/src/main/java/alluxio/worker/block/BlockLockManager.java (commit 014ad6ebf0dec356d1807ab13d9c1e6de4fb5e0c): lockBlock, getBlockLock, unlockBlockNoException, releaseBlockLockIfUnused, validate',
    'seed 004: InodeLockManager (mInodeLocks, mEdgeLocks), BlockLockManager with sessions (cleanupSession)',
  ],
  summary: 'The master locks a path one lock at a time from two LockPools, inode locks and edge locks (parent id, child name), root to leaf, edge before inode; a pool entry is a ReentrantReadWriteLock with a reference count, and an evictor thread removes unreferenced entries when the pool grows over its high watermark. '
    + 'A worker locks blocks through BlockLockManager: a ClientRWLock per block taken from a bounded pool and reference counted, and a lock record per lock; validate() checks each lock\'s reference count against its records.',
  simplifications: [
    'A small inode tree (depth 2 at most) named by paths; edge /a/b is the edge from /a to b. Lock patterns: read (all read), write (WRITE_INODE: the last inode written), create (WRITE_EDGE: the last edge written, no inode past it), delete (WRITE_EDGE with the inode past it written).',
    'lock() blocks without timeout (as LockPool.get with useTryLock false); tryLock variants, mParentUpdateLocks and persisting locks are not modelled.',
    'The evictor\'s accessed-bit second chance and its scan rounds are abstracted: over the high watermark (and until the low one) it may mark any unreferenced entry; its CAS (mark) and its iterator remove are two steps, as in the source.',
    'Resources leave and return through the reuse pool (mResueLockPool); a Resource removed from the map while referenced is kept until its last user closes it (Java GC).',
    'BlockLockManager: the version read has no sessions; cleanupSession follows seed 004 (a session that holds is cleaned up as a fault, its record removed and its lock unlocked). removeTimeOutBlockLocks (unlock of records idle past WORKER_BLOCK_LOCK_TIMEOUT) is not modelled. One block per op.',
    'validate() is judged only when no client is between getBlockLock and its record (upstream calls it from tests); the view shows its raw result in every state.',
  ],
  properties: ALLUXIO_PROPERTIES,
  model: (config) => new AlluxioModel(parseConfig(config)) as unknown as DesignModel<unknown, unknown>,
};
