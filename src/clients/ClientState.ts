// A simulated client: an endpoint on the network (-id) with a session on one rank. It holds what
// the MDS granted (per inode key) and dentry leases, and by default acknowledges revokes as
// soon as they arrive (a scenario holds its link to the MDS to make it hang on).
import { immerable } from 'immer';
import type { ClientOp } from '../request/ClientRequest.js';

export class ClientState {
  [immerable] = true;
  readonly id: number;
  /** The rank it has its session with: caps and leases come from that rank's copies. */
  readonly session: number;
  /** Caps held, by inode path, then by the rank that issued them (a client has a cap with every MDS that gave it one). */
  caps: Record<string, Record<number, number>> = {};
  /** Caps wanted, by inode path (reported with every cap message). */
  wanted: Record<string, number> = {};
  /** Dentry leases held, by dentry path. */
  leases: string[] = [];
  /** Requests sent and not yet answered safely (kept to resend after a forward), by reqid. */
  requests: Record<string, ClientOp> = {};
  /** The last reply to each request: `unsafe`, `safe`, or the error (`ENOENT`). */
  replies: Record<string, string> = {};

  constructor(id: number, session: number) {
    this.id = id;
    this.session = session;
  }

  /** What it holds on an inode: the caps every rank issued it, together. */
  held(path: string): number {
    let w = 0;
    for (const c of Object.values(this.caps[path] ?? {})) w |= c;
    return w;
  }

  /** Take what a rank sent it (a grant, a revoke, a reply's caps). */
  set_caps(path: string, rank: number, caps: number): void {
    (this.caps[path] ??= {})[rank] = caps;
  }
}

export const clientName = (id: number) => `client.${id}`;
