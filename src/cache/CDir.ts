// CDir (src/mds/CDir.h), reduced to what locking needs: one rank's copy of a directory's one
// fragment (mdslock does not split directories), keyed by the directory's path. Its auth is
// where the directory's dentries (and the inodes they link) are auth; its replicas are the
// ranks told about new and removed dentries (MDCache::send_dentry_link / send_dentry_unlink).
import { immerable } from 'immer';

export class CDir {
  [immerable] = true;
  /** The directory inode's path (renamed with it). */
  path: string;
  readonly authority: number;
  /** The rank holding this copy. */
  readonly rank: number;
  /** On the auth: the ranks holding the fragment open as a replica. Empty on a replica. */
  replicas: number[];
  /** Frozen (or freezing) for an export: a dentry added to it is too, so a request creating a name here waits. */
  freeze_tree: 'freezing' | 'frozen' | null = null;

  constructor(path: string, authority: number, rank: number, replicas: readonly number[]) {
    this.path = path;
    this.authority = authority;
    this.rank = rank;
    this.replicas = rank === authority ? [...replicas].sort((a, b) => a - b) : [];
  }

  is_auth(): boolean { return this.rank === this.authority; }
}
