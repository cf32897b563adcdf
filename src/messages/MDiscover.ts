// MDiscover and MDiscoverReply (src/messages/): a rank that lacks a replica it needs to walk a
// path asks the auth for it (MDCache::discover_path / discover_dir_frag / open_ino) and gets
// the directory fragment, the dentry and the inode it links as new replicas, each lock in
// its auth state's replica_state.
import type { LockState } from '../../statemachines/index.js';
import type { InodeReplica } from './MDentryLink.js';

export interface MDiscover {
  readonly kind: 'discover';
  readonly from: number;
  readonly to: number;
  /** The directory (or, with no name and `ino`, the inode) the asker has or wants. */
  readonly base: string;
  /** The dentry wanted in `base`; null for the dirfrag itself (or the inode itself, `ino`). */
  readonly name: string | null;
  /** An inode by number (open_ino): the inode alone. */
  readonly ino: boolean;
  /** The asker holds the path's locks through its leader (a peer): an xlocked dentry may be replicated. */
  readonly path_locked: boolean;
}

export interface MDiscoverReply {
  readonly kind: 'discover_reply';
  readonly from: number;
  readonly to: number;
  readonly base: string;
  readonly name: string | null;
  readonly ino: boolean;
  /** The dirfrag (its auth) when the asker wanted it or a dentry in it. */
  readonly dir: { readonly authority: number } | null;
  /** The dentry: its state on the auth and what it links. */
  readonly dn: { readonly state: LockState; readonly linkage: { readonly inode: string; readonly remote: boolean } | null } | null;
  /** The inode the dentry links (or the inode asked for by number). */
  readonly inode: InodeReplica | null;
  /** The name does not exist (flag_error_dn). */
  readonly error_dn: boolean;
}
