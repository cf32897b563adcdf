// The concrete steps a fuzz run takes: each is also a scenario step (see scenarioFile.ts), so
// a run replays exactly under `mdslock replay`. Link ends are ranks or clients (the negated
// client id, -4101 for client.4101). `sabotage` steps exist only in tests that break the
// system on purpose; they cannot be written as scenario steps.
import { STATE_REJOIN, rankStateName } from '../cluster/mdsmap.js';
import type { Cluster } from '../cluster/Cluster.js';
import {
  clientLease, clientOpen, deliverAll, deliverOne, duplicateOne, earlyReply, finishRequest, forceWrlock, nudge, releaseLease, scatterUpdate, submitOp, submitRequest, tick, fail, recover,
} from '../cluster/sim.js';
import { parseOp } from '../server/parseOp.js';
import { exportStep } from '../migration/step.js';
import { endpointName } from '../cluster/network.js';
import { ccap_string } from '../clients/capString.js';
import type { TraceEvent } from '../locker/context.js';
import { op, RDLOCK, WRLOCK, XLOCK, REMOTE_WRLOCK, lockRefName, type LockRef } from '../request/LockOp.js';

export type Mode = 'rdlock' | 'wrlock' | 'xlock' | 'remote_wrlock';
export const MODE_FLAGS: Readonly<Record<Mode, number>> = { rdlock: RDLOCK, wrlock: WRLOCK, xlock: XLOCK, remote_wrlock: REMOTE_WRLOCK };

export interface WantedLock {
  readonly mode: Mode;
  readonly ref: LockRef;
  /** remote_wrlock: the object's auth. */
  readonly target: number;
}

export type FuzzStep =
  | { readonly kind: 'request'; readonly rank: number; readonly reqid: string; readonly locks: readonly WantedLock[] }
  | { readonly kind: 'op'; readonly rank: number; readonly reqid: string; readonly text: string }
  | { readonly kind: 'finish' | 'early_reply' | 'kill'; readonly reqid: string }
  | { readonly kind: 'duplicate'; readonly from: number; readonly to: number }
  | { readonly kind: 'wrlock_force'; readonly reqid: string; readonly ref: LockRef }
  | { readonly kind: 'deliver'; readonly from: number; readonly to: number }
  | { readonly kind: 'deliver_all' }
  | { readonly kind: 'update'; readonly reqid: string; readonly ref: LockRef }
  | { readonly kind: 'lease_release'; readonly rank: number; readonly path: string }
  | { readonly kind: 'nudge'; readonly rank: number; readonly ref: LockRef }
  | { readonly kind: 'tick' | 'fail'; readonly rank: number }
  | { readonly kind: 'recover'; readonly rank: number; readonly to: number }
  | { readonly kind: 'export'; readonly dir: string; readonly to: number }
  | { readonly kind: 'hold' | 'release'; readonly from: number; readonly to: number }
  | { readonly kind: 'open'; readonly client: number; readonly path: string; readonly wanted: number }
  | { readonly kind: 'lease'; readonly client: number; readonly path: string }
  | { readonly kind: 'sabotage'; readonly text: string; readonly apply: (c: Cluster) => void };

export function applyStep(c: Cluster, s: FuzzStep): TraceEvent[] {
  switch (s.kind) {
    case 'request': return submitRequest(c, s.rank, s.reqid, s.locks.map((w) => op(w.ref, MODE_FLAGS[w.mode], w.target)));
    case 'op': {
      const parsed = parseOp(s.text);
      if ('error' in parsed) throw new Error(`fuzz op ${s.text}: ${parsed.error}`);
      return submitOp(c, s.rank, s.reqid, parsed.op);
    }
    case 'finish': return finishRequest(c, s.reqid);
    case 'kill': return finishRequest(c, s.reqid, 'killed');
    case 'duplicate': return duplicateOne(c, s);
    case 'wrlock_force': return forceWrlock(c, s.reqid, s.ref);
    case 'early_reply': return earlyReply(c, s.reqid);
    case 'deliver': return deliverOne(c, { from: s.from, to: s.to }) ?? [];
    case 'deliver_all': return deliverAll(c);
    case 'update': return scatterUpdate(c, s.reqid, s.ref);
    case 'lease_release': return releaseLease(c, s.rank, s.path);
    case 'nudge': return nudge(c, s.rank, s.ref);
    case 'tick': return tick(c, s.rank);
    case 'fail': return fail(c, s.rank);
    case 'recover': return recover(c, s.rank, s.to);
    case 'export': return exportStep(c, s.dir, s.to);
    case 'hold': case 'release': c.net.held[c.net.link(s.from, s.to)] = s.kind === 'hold'; return [];
    case 'open': return clientOpen(c, s.client, s.path, s.wanted);
    case 'lease': return clientLease(c, s.client, s.path);
    case 'sabotage': s.apply(c); return [];
  }
}

/** One line naming the step, for reports and the property's counterexample print. */
export function stepText(s: FuzzStep): string {
  switch (s.kind) {
    case 'request': return `request ${s.reqid} on mds.${s.rank}: ${s.locks.map((w) => `${w.mode} ${lockRefName(w.ref)}`).join(', ')}`;
    case 'op': return `op ${s.reqid} on mds.${s.rank}: ${s.text}`;
    case 'finish': case 'early_reply': case 'kill': return `${s.kind} ${s.reqid}`;
    case 'deliver': case 'hold': case 'release': case 'duplicate': return `${s.kind} ${endpointName(s.from)} -> ${endpointName(s.to)}`;
    case 'wrlock_force': return `wrlock_force ${lockRefName(s.ref)} by ${s.reqid}`;
    case 'open': return `open ${s.path} by client.${s.client} wanting ${ccap_string(s.wanted)}`;
    case 'lease': return `lease ${s.path} by client.${s.client}`;
    case 'deliver_all': return 'deliver all';
    case 'update': return `update ${lockRefName(s.ref)} by ${s.reqid}`;
    case 'lease_release': return `lease_release ${s.path} on mds.${s.rank}`;
    case 'nudge': return `nudge ${lockRefName(s.ref)} on mds.${s.rank}`;
    case 'tick': return `tick mds.${s.rank}`;
    case 'fail': return `fail mds.${s.rank}`;
    case 'recover': return `recover mds.${s.rank}${s.to === STATE_REJOIN ? '' : ` to ${rankStateName(s.to)}`}`;
    case 'export': return `export ${s.dir} to mds.${s.to}`;
    case 'sabotage': return `sabotage: ${s.text}`;
  }
}
