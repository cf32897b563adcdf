// What a client asks for, and the Server's bookkeeping for it: the op and its file paths as
// the client sends them, plus the parts of MDRequestImpl (and its More) that let a handler
// re-entered from the top skip what it has done: locking_state, the traces it resolved, the
// stray dentry, the witnesses, the journal and reply progress.
import { immerable } from 'immer';
import type { OpName } from '../../ops/ops.js';
import type { Move } from '../cluster/rekey.js';
import type { InodeReplica } from '../messages/MDentryLink.js';

/** A renamed inode as its old auth exports it: its auth lock states and who replicates it. */
export type InodeExport = InodeReplica & { readonly replicas: readonly number[] };

/** MutationImpl::locking_state bits. */
export const PATH_LOCKED = 1;
export const SNAP_LOCKED = 2;
export const SNAP2_LOCKED = 4;
export const ALL_LOCKED = 8;

/**
 * A client's filepath: a base inode (Ceph names it by inode number; mdslock by the inode's
 * key, which follows renames as an inode number does) and at most one name under it.
 */
export interface FilePath {
  readonly base: string;
  readonly name: string | null;
}

export type OpenMode = 'rdonly' | 'wronly' | 'rdwr';

export interface ClientOp {
  readonly name: OpName;
  /** The step's words, for the trace: `mkdir /a/n`. */
  readonly text: string;
  /** Ceph's filepath: the target (the new name for link, the destination for rename). */
  readonly path: FilePath;
  /** filepath2: the existing name for link, the source for rename. */
  readonly path2: FilePath | null;
  /** getattr/lookup/open: the caps whose fields the reply must be able to show. */
  readonly mask: number;
  /** setattr: the attributes set. */
  readonly setattr: readonly string[];
  /** open/create: the access mode, O_TRUNC and O_EXCL. */
  readonly mode: OpenMode;
  readonly trunc: boolean;
  readonly excl: boolean;
}

/** Where a client request stands after its locks: journaled, replied to, done. */
export type Phase = 'locking' | 'witnessing' | 'journaling' | 'done';

export class ClientRequest {
  [immerable] = true;
  readonly op: ClientOp;
  /** Times the request was forwarded (the client resends with num_fwd+1). */
  readonly num_fwd: number;
  locking_state = 0;
  /** Dentry traces of filepath (0) and filepath2 (1), by dentry path. */
  dn: [string[], string[]] = [[], []];
  /** The inodes they reach, by key. */
  in: [string | null, string | null] = [null, null];
  /** try_rdlock_snap_layout's record of each trace: its root and depth (compare_paths). */
  dir_root: [string, string] = ['', ''];
  dir_depth: [number, number] = [0, 0];
  /** The stray dentry an unlinked (or overwritten) inode moves to. */
  straydn: string | null = null;
  /** Ranks that prepared (witnessed) this request; whether any of them journaled. */
  witnessed: number[] = [];
  has_journaled_peers = false;
  /** The inode the request created (create, mknod, mkdir, symlink). */
  created: string | null = null;
  /** rename: the inode the destination linked before (overwritten). */
  oldin: string | null = null;
  /** rename with a remote srcdn: its auth (prepares last); whether the renamed inode's auth is ambiguous here. */
  srcdn_auth = -1;
  ambiguous = false;
  /** rename: the inode the srcdn auth exported to this leader with its prepare ack (imported on commit). */
  inode_import: InodeExport | null = null;
  phase: Phase = 'locking';
  /** Dentries whose linkage the request projected, popped when its journal entry is safe. */
  projected: string[] = [];
  /** Names a discover found missing at their dirfrag's auth (flag_error_dn): the traversal answers ENOENT. */
  missing: string[] = [];

  constructor(op: ClientOp, num_fwd: number) {
    this.op = op;
    this.num_fwd = num_fwd;
  }

  /** A rename moved names: what this request resolved follows (the op's paths are inode numbers in Ceph). */
  rekey(mv: Move): void {
    const fp = (p: FilePath | null) => (p && mv.inode(p.base) !== p.base ? { base: mv.inode(p.base), name: p.name } : p);
    const op = this.op;
    const path = fp(op.path)!;
    const path2 = fp(op.path2);
    if (path !== op.path || path2 !== op.path2) (this as { op: ClientOp }).op = { ...op, path, path2 };
    this.dn = [this.dn[0].map((d) => mv.dentry(d)), this.dn[1].map((d) => mv.dentry(d))];
    this.in = [this.in[0] && mv.inode(this.in[0]), this.in[1] && mv.inode(this.in[1])];
    this.dir_root = [mv.inode(this.dir_root[0]), mv.inode(this.dir_root[1])];
    if (this.straydn) this.straydn = mv.dentry(this.straydn);
    this.missing = this.missing.map((p) => mv.dentry(p));
    this.projected = this.projected.map((p) => mv.dentry(p));
    if (this.created) this.created = mv.inode(this.created);
    if (this.oldin) this.oldin = mv.inode(this.oldin);
    if (this.inode_import) this.inode_import = { ...this.inode_import, key: mv.inode(this.inode_import.key) };
  }
}
