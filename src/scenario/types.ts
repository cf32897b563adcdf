// A scenario file turned into typed data: the topology to build, and a script of steps, each
// remembering where it was written so every message about it can name file:line:col.
import { endpointName } from '../cluster/network.js';
import type { Topology } from '../cluster/topology.js';
import type { LockOp, LockRef } from '../request/LockOp.js';

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
  get line(): string { return `${at(this.loc)}: ${this.message}`; }
}

/** A link between endpoints: ranks are 0, 1, ...; clients their negated id (-4101 is client.4101). */
export type Link = { readonly from: number; readonly to: number };

/** `mds.0 -> client.4101` */
export const linkText = (l: Link): string => `${endpointName(l.from)} -> ${endpointName(l.to)}`;

interface StepBase {
  readonly loc: Loc;
  /** One-line description for the trace: `request client.4102:9 on mds.1: rdlock iauth /f`. */
  readonly text: string;
}

export type Step = StepBase & (
  | { kind: 'request'; reqid: string; rank: number; ops: LockOp[] }
  | { kind: 'deliver'; count: number | 'all' }
  | { kind: 'deliver_link'; link: Link }
  | { kind: 'early_reply'; reqid: string }
  | { kind: 'finish'; reqid: string }
  | { kind: 'update'; reqid: string; lock: LockRef }
  | { kind: 'lease_release'; rank: number; path: string }
  | { kind: 'nudge'; rank: number; lock: LockRef }
  | { kind: 'tick'; rank: number }
  | { kind: 'hold' | 'release'; link: Link }
  | { kind: 'open'; client: number; path: string; wanted: number }
  | { kind: 'lease'; client: number; path: string }
  | { kind: 'expect'; checks: Check[] }
);

/** One expectation; `what` names it in results (`mds.1 iauth /f`, `granted client.4102:9`). */
export type Check = { readonly loc: Loc; readonly what: string } & (
  | { kind: 'lock'; rank: number; lock: LockRef; text: string }
  | { kind: 'status'; reqid: string; status: 'granted' | 'waiting' }
  | { kind: 'in_flight'; count: number }
  | { kind: 'messages'; messages: string[] }
  | { kind: 'caps'; rank: number; path: string; text: string }
  | { kind: 'client_caps'; client: number; path: string; text: string }
  | { kind: 'client_leases'; client: number; leases: string[] }
);

export interface Scenario {
  readonly file: string;
  readonly name: string;
  readonly seed: number;
  readonly topology: Topology;
  /** Declared clients (`client.4101`) and their session rank; also in `topology.clients`. */
  readonly clients: Record<string, number>;
  readonly steps: Step[];
}
