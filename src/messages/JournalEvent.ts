// A journal entry of a request (EUpdate on a leader, EPeerUpdate prepare/commit on a peer),
// modelled like the scatter write-behind: a message on the rank's loopback link, whose
// delivery is the entry becoming safe and runs its finisher.
export interface JournalEvent {
  readonly kind: 'event';
  readonly from: number;
  readonly to: number;
  readonly event: 'EUpdate' | 'EPeerUpdate';
  /** EPeerUpdate: OP_PREPARE or OP_COMMIT. */
  readonly phase: 'prepare' | 'commit' | null;
  /** The op (`mkdir`, `rename`, ...). */
  readonly op: string;
  readonly reqid: string;
}
