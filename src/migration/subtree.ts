// What an export of a directory's dirfrag moves, on the exporter's cache (Migrator's
// encode_export_dir walk): every dentry of the dirfrag and the inode each links as primary,
// down through nested directories whose dirfrag the exporter is auth of too. A nested directory
// whose dirfrag has another auth bounds the subtree: its inode moves, its dentries do not.
// The directory's own inode is not exported (it belongs to its parent's dirfrag); nor is a
// remote link's inode. mdslock has one fragment per directory and no CDir auth pins, so a
// subtree is a set of copies, and its freeze is theirs.
import type { MDSRank } from '../cluster/MDSRank.js';
import type { MDSCacheObject } from '../cache/MDSCacheObject.js';
import { parentPath } from '../cluster/tree.js';

export interface Subtree {
  /** The exported directories (the root first): their dirfrags move. */
  readonly dirs: readonly string[];
  /** The exported copies on the rank, dentries then inodes, in path order. */
  readonly objects: readonly MDSCacheObject[];
  /** Directories whose inode moves but whose dirfrag stays (another rank is its auth). */
  readonly bounds: readonly string[];
}

export function subtreeOf(mds: MDSRank, dir: string): Subtree {
  const dirs: string[] = [];
  const dentries: MDSCacheObject[] = [];
  const inodes: MDSCacheObject[] = [];
  const bounds: string[] = [];
  const walk = (d: string) => {
    dirs.push(d);
    for (const dn of Object.values(mds.dentries).filter((x) => parentPath(x.path) === d && x.authority === mds.id).sort((a, b) => (a.path < b.path ? -1 : 1))) {
      dentries.push(dn);
      const link = dn.linkage;
      const in_ = link && !link.remote ? mds.inodes[link.inode] : undefined;
      if (!in_) continue;
      inodes.push(in_);
      if (!in_.is_dir) continue;
      const frag = mds.dirfrags[in_.path];
      if (frag?.authority === mds.id) walk(in_.path);
      else bounds.push(in_.path);
    }
  };
  walk(dir);
  return { dirs, objects: [...dentries, ...inodes], bounds };
}
