// A scenario file turned into typed data: the topology to build, and a script of steps, each
// remembering where it was written so every message about it can name file:line:col.
import { endpointName } from '../cluster/network.js';
import { oneLine } from '../trace/quote.js';
import type { Topology } from '../cluster/topology.js';
import type { LockOp, LockRef } from '../request/LockOp.js';
import type { ClientOp } from '../request/ClientRequest.js';
import type { InvariantId } from '../invariants/violation.js';

export interface Loc {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export const at = (l: Loc): string => `${l.file}:${l.line}:${l.col}`;

/** Bad input: a one-line `file:line:col: message`. */
export class ScenarioError extends Error {
  constructor(readonly loc: Loc, message: string) {
    super(message);
  }
  /** One line whatever the message holds: control characters and line separators escaped. */
  get line(): string {
    return oneLine(`${at(this.loc)}: ${this.message}`);
  }
}

/** Every problem the loader found in one file, in file order. */
export class ScenarioErrors extends Error {
  constructor(readonly errors: readonly ScenarioError[]) {
    super(errors.map((e) => e.line).join('\n'));
  }
}

/** The problems of a failed load (anything else is rethrown: a bug, not bad input). */
export function loadErrors(e: unknown): readonly ScenarioError[] {
  if (e instanceof ScenarioErrors) return e.errors;
  if (e instanceof ScenarioError) return [e];
  throw e;
}

/** A link between endpoints: ranks are 0, 1, ...; clients their negated id (-4101 is client.4101). */
export type Link = { readonly from: number; readonly to: number };

/** `mds.0 -> client.4101` */
export const linkText = (l: Link): string => `${endpointName(l.from)} -> ${endpointName(l.to)}`;

interface StepBase {
  readonly loc: Loc;
  /** One-line description for the trace: `request client.4102:9 on mds.1: rdlock iauth /f`. */
  readonly text: string;
  /** The `# ...` comment written directly above the step, shown above it in the trace. */
  readonly comment?: string;
}

export type Step = StepBase & (
  | { kind: 'request'; reqid: string; rank: number; ops: LockOp[] }
  | { kind: 'op'; reqid: string; rank: number; op: ClientOp }
  | { kind: 'deliver'; count: number | 'all' }
  | { kind: 'deliver_link'; link: Link }
  | { kind: 'early_reply'; reqid: string }
  | { kind: 'finish' | 'kill'; reqid: string }
  | { kind: 'duplicate'; link: Link }
  | { kind: 'wrlock_force'; reqid: string; lock: LockRef }
  | { kind: 'update'; reqid: string; lock: LockRef }
  | { kind: 'lease_release'; rank: number; path: string }
  | { kind: 'nudge'; rank: number; lock: LockRef }
  | { kind: 'tick'; rank: number }
  | { kind: 'hold' | 'release'; link: Link }
  | { kind: 'fail'; rank: number }
  | { kind: 'recover'; rank: number; to: number }
  | { kind: 'export'; dir: string; to: number }
  | { kind: 'open'; client: number; path: string; wanted: number }
  | { kind: 'lease'; client: number; path: string }
  | { kind: 'expect'; checks: Check[] }
);

/**
 * Where an expectation's value is written, so `replay --update` can rewrite it in place: the
 * source range of the value (a null value: an empty range where it would go), how it is
 * written, and the column block content under it starts at.
 */
export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly style: 'plain' | 'double' | 'single' | 'flow' | 'block' | 'null';
  /** Column (0-based) of the key owning the value: block content goes two further in. */
  readonly indent: number;
}

export type RequestStatus = 'granted' | 'waiting' | 'finished';

/**
 * One expectation; `what` names it in results (`mds.1 iauth /f`, `granted client.4102:9`). A
 * null expected value is a placeholder: it fails until `replay --update` fills it in.
 */
export type Check = { readonly loc: Loc; readonly what: string; readonly edit?: Edit } & (
  | { kind: 'lock'; rank: number; lock: LockRef; text: string | null }
  | { kind: 'status'; reqid: string; status: RequestStatus | null; listed: boolean }
  | { kind: 'in_flight'; count: number | null }
  | { kind: 'messages'; messages: string[] | null }
  | { kind: 'caps'; rank: number; path: string; text: string | null }
  | { kind: 'auth'; rank: number; object: 'inode' | 'dn' | 'dirfrag'; path: string; text: string | null }
  | { kind: 'client_caps'; client: number; path: string; text: string | null }
  | { kind: 'client_leases'; client: number; leases: string[] | null }
  | { kind: 'reply'; reqid: string; client: number; reply: string | null }
  | { kind: 'violation'; invariants: InvariantId[] | null }
  | { kind: 'abort'; message: string | null }
  | { kind: 'quiet' }
  | { kind: 'mdsmap'; rank: number; state: string | null }
  | { kind: 'rank'; rank: number }
  | { kind: 'all' }
);

export interface Scenario {
  readonly file: string;
  readonly name: string;
  readonly seed: number;
  readonly topology: Topology;
  /** Declared clients (`client.4101`) and their session rank; also in `topology.clients`. */
  readonly clients: Record<string, number>;
  readonly steps: Step[];
  /** A check file's interleaving actions (`interleave:`); absent for a scenario. */
  readonly interleave?: readonly string[];
  /** A check file's faults (`faults:`); absent for a scenario. */
  readonly faults?: readonly string[];
}
