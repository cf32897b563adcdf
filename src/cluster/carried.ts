// The locks a cache object really has, as Ceph's print shows them: an inode's dir-only and
// file-only locks exist only on that kind of inode (CInode::carries); a dentry has both of its.
import type { MDSCacheObject } from '../cache/MDSCacheObject.js';
import type { CInode } from '../cache/CInode.js';
import type { SimpleLock } from '../locks/index.js';

export function carriedLocks(obj: MDSCacheObject): SimpleLock[] {
  const all = obj.locks();
  return obj.kind === 'inode' ? all.filter((l) => (obj as CInode).carries(l.type)) : all;
}
