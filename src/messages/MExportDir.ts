// The Migrator's messages (src/messages/MExportDir*.h), one kind with Ceph's op names: the
// exporter's discover, prep, export and finish to the importer and their acks, and the notifies
// to bystanders (a warning before the export, the final one after) with theirs.
import type { LockState } from '../../statemachines/index.js';

export const EXPORT_OPS = ['discover', 'discover_ack', 'prep', 'prep_ack', 'notify', 'notify_ack', 'dir', 'dir_ack', 'finish', 'cancel'] as const;
export type ExportOp = (typeof EXPORT_OPS)[number];

/** One object's export (CInode::encode_export / CDentry::encode_export, the parts locking reads). */
export interface ExportedObject {
  readonly key: string;
  readonly kind: 'inode' | 'dentry';
  readonly ino: number;
  readonly is_dir: boolean;
  /** Lock type and auth state, for every lock but the LocalLocks (which are not encoded). */
  readonly states: readonly (readonly [number, LockState])[];
  /** The replica map, the exporter not yet in it. */
  readonly replicas: readonly number[];
  readonly loner: number;
  /** Per scatterlock: the counter model's fnode share (folded value, updates not yet folded, dirty). */
  readonly scatter: readonly { readonly type: number; readonly value: number; readonly pending: number; readonly dirty: boolean }[];
  /** Client caps (Capability::make_export), and the caps replicas' clients want. */
  readonly caps: readonly { readonly client: number; readonly pending: number; readonly issued: number; readonly wanted: number; readonly last_sent: number }[];
  readonly mds_caps_wanted: Readonly<Record<number, number>>;
  readonly has_layout: boolean;
  /** A dentry's linkage. */
  readonly linkage: { readonly inode: string; readonly remote: boolean } | null;
}

export interface MExportDir {
  readonly kind: 'export';
  readonly from: number;
  readonly to: number;
  readonly op: ExportOp;
  /** The exported directory (its one dirfrag). */
  readonly dir: string;
  /** Acks: whether the step succeeded (a prep the importer cannot take is acked with false). */
  readonly ok?: boolean;
  /** Notify: the warning (old auth, new auth both named) or the final one (new auth alone). */
  readonly phase?: 'warning' | 'final';
  /** Notify: the new auth. */
  readonly new_auth?: number;
  /** Prep: the ranks that will be warned and notified. */
  readonly bystanders?: readonly number[];
  /** Prep and notifies: the keys of the subtree's objects (the bounds and traces Ceph sends, reduced to what mdslock needs). */
  readonly keys?: readonly string[];
  /** Export: the exported directories' dirfrags with their replicas. */
  readonly dirs?: readonly { readonly path: string; readonly replicas: readonly number[] }[];
  /** Export: the subtree's objects, and the dir inode's scattered data the dirfrag carries. */
  readonly objects?: readonly ExportedObject[];
  readonly dirstat?: readonly { readonly type: number; readonly pending: number }[];
  /** Finish: the last one (the importer unfreezes), or the one with bystanders still to notify (cap imports go out). */
  readonly last?: boolean;
}
