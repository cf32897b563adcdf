// What the Migrator keeps per export and import in flight (Migrator::export_state_t,
// import_state_t), with Ceph's state names in the order Migrator.cc compares them.
import type { Cluster } from '../cluster/Cluster.js';
import type { MDSRank } from '../cluster/MDSRank.js';

export const EXPORT_STATES = ['locking', 'discovering', 'freezing', 'prepping', 'warning', 'exporting', 'loggingfinish', 'notifying'] as const;
export const IMPORT_STATES = ['discovered', 'prepped', 'acking', 'finishing'] as const;

export interface ExportState {
  state: (typeof EXPORT_STATES)[number];
  readonly peer: number;
  /** The export request (locking) and then the mutation holding the frozen tree's locks. */
  mutid: string;
  /** The dirfrag's replicas but the importer: warned before the export, notified after. */
  bystanders: number[];
  warning_ack_waiting: number[];
  notify_ack_waiting: number[];
}

export interface ImportState {
  state: (typeof IMPORT_STATES)[number];
  /** The exporter. */
  readonly peer: number;
  /** The mutation holding the forced wrlocks on the dir inode. */
  readonly mutid: string;
  /** The subtree's object keys: as the prep listed them, then as the export brought them. */
  keys: readonly string[];
}

/** A rank with an export or an import in flight, if any (a failure then is refused: its reversal is not modelled). */
export const migrating = (c: Cluster): MDSRank | undefined => c.ranks.find((m) => Object.keys(m.exports).length > 0 || Object.keys(m.imports).length > 0);
