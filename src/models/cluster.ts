// The simulated MDS cluster as a model for the checker: the same Locker, Server and network code
// that replays scenarios, from a scenario's topology, with a bounded workload (the requests, ops,
// opens and leases each client issues once, a client's own in order) and every interleaving of
// what may happen meanwhile: a delivery on any link, and, as the check file allows, a granted
// lock-list request finishing or replying early, scatter ticks and updates. The invariants are
// the properties (I2 while an action runs); a state where no action changes anything while the
// cluster is not quiet (a waiting request, an unstable lock, a gather, a message) is stuck.
import { exportsDrawable } from '../migration/step.js';
import { migrating } from '../migration/state.js';
import { Cluster } from '../cluster/Cluster.js';
import { MDSMap, STATE_ACTIVE, STATE_REJOIN, is_degraded } from '../cluster/mdsmap.js';
import { NO_FAULTS, type Faults } from '../cluster/faults.js';
import { createCluster, type Topology } from '../cluster/topology.js';
import { Network } from '../cluster/network.js';
import { ImpossibleStep } from '../cluster/errors.js';
import { MDSAssertion } from '../locker/context.js';
import { cloneCluster } from '../invariants/clone.js';
import { checkGrants, checkState, quietNow, type Violation } from '../invariants/index.js';
import { WRLOCK } from '../request/LockOp.js';
import { activeRankOf, applyStep, stepText, type FuzzStep } from '../fuzz/steps.js';
import { MESSAGE_KINDS, messageKind, printMessage } from '../messages/index.js';
import { carriedLocks } from '../cluster/carried.js';
import { lockTypesFor } from '../rules/active.js';
import { forceable, lockLinks, runningRequests } from '../fuzz/commands.js';
import { Decoder, Encoder, ModelAssertion, type Model, type Numbering, type Property } from './Model.js';
import { TreeCodec, type CodecEntries, type CodecMark } from './treeCodec.js';
import { symmetryGroup, writeCanonical, type Symmetry } from './clusterSymmetry.js';
import { CInode } from '../cache/CInode.js';
import { CDentry } from '../cache/CDentry.js';
import { CDir } from '../cache/CDir.js';
import { SimpleLock } from '../locks/SimpleLock.js';
import { ScatterLock } from '../locks/ScatterLock.js';
import { LocalLock } from '../locks/LocalLock.js';
import { MDRequest } from '../request/MDRequest.js';
import { ClientRequest } from '../request/ClientRequest.js';
import { Capability } from '../clients/Capability.js';
import { ClientState } from '../clients/ClientState.js';
import { MDSRank } from '../cluster/MDSRank.js';

/** The classes a cluster's state is made of, by name: another thread's shapes name them. */
const CLASSES: ReadonlyMap<string, object> = new Map([Object, CInode, CDentry, CDir, SimpleLock, ScatterLock, LocalLock, MDRequest, ClientRequest, Capability, ClientState, MDSRank]
  .map((c) => [c.name, c.prototype as object]));

/** What may interleave with the workload besides deliveries. */
export interface Interleave {
  /** A granted lock-list request finishes (its client is done with it). */
  readonly finish: boolean;
  /** A granted lock-list request without peers replies early. */
  readonly early_reply: boolean;
  /** `scatter_tick` on any rank (once per rank). */
  readonly tick: boolean;
  /** `scatter_nudge` of any scatterlock on any rank that caches it (once per rank and lock). */
  readonly nudge: boolean;
  /** A granted request changes scattered data under a scatterlock wrlock (once per request and lock). */
  readonly update: boolean;
  /** A granted request forces a wrlock on a scatterlock it holds but does not wrlock on its rank (once per request and lock). */
  readonly wrlock_force: boolean;
}

export const DEFAULT_INTERLEAVE: Interleave = { finish: true, early_reply: false, tick: false, nudge: false, update: false, wrlock_force: false };


export interface ClusterState {
  readonly c: Cluster;
  /** Per client (in workload order), how many of its workload steps were issued. */
  readonly issued: readonly number[];
  /**
   * The once-only actions taken: a request's scattered update of a lock, a rank's nudge of a
   * lock, a rank's tick. Unbounded, each grows something without end (scattered data, cap
   * seqs, nudges piling up on a link: the tick's interval is always over), and the state space
   * with it.
   */
  readonly once: readonly string[];
  /** The invariants' verdict on this state, computed once. */
  violations?: Violation[];
}

export interface ClusterAction {
  readonly step: FuzzStep;
  /** The workload client whose next step this is, or -1. */
  readonly client: number;
  /** For coverage: the step's kind, and for a delivery the message's kind. */
  readonly kind: string;
}

/** The key of a once-only interleaving step (a request's update of a lock, a rank's nudge of a lock, a rank's tick), or null. */
function onceKey(st: FuzzStep): string | null {
  switch (st.kind) {
    case 'update': return `update ${st.reqid} ${st.ref.type} ${st.ref.path}`;
    case 'nudge': return `nudge mds.${st.rank} ${st.ref.type} ${st.ref.path}`;
    case 'tick': return `tick mds.${st.rank}`;
    case 'wrlock_force': return `wrlock_force ${st.reqid} ${st.ref.type} ${st.ref.path}`;
    case 'duplicate': return 'duplicate';
    case 'fail': return `fail mds.${st.rank}`;
    case 'export': return `export ${st.dir}`;
    default: return null;
  }
}

const clientOf = (s: FuzzStep): number => (s.kind === 'open' || s.kind === 'lease' ? s.client : Number(/^client\.(\d+):/.exec((s as { reqid: string }).reqid)![1]));

/** The state invariants, each a property (I7 is the stuck check; I9 holds by construction). */
const STATE_INVARIANTS = ['I1', 'I3', 'I4', 'I5', 'I6', 'I8', 'I10'] as const;

export class ClusterModel implements Model<ClusterState, ClusterAction> {
  readonly name: string;
  /** The workload grouped by client, each in the order written. */
  readonly workload: readonly (readonly FuzzStep[])[];
  readonly properties: readonly Property<ClusterState>[];
  /** The lock types states name by reference: Ceph main's, or a historical table's. */
  private readonly types: readonly object[];
  private readonly codec: TreeCodec;

  constructor(readonly topology: Topology, workload: readonly FuzzStep[], readonly interleave: Interleave = DEFAULT_INTERLEAVE, name = 'cluster', readonly faults: Faults = NO_FAULTS) {
    this.name = name;
    this.types = lockTypesFor(topology.rules ?? []);
    this.codec = new TreeCodec(this.types);
    const groups = new Map<number, FuzzStep[]>();
    for (const s of workload) { const c = clientOf(s); if (!groups.has(c)) groups.set(c, []); groups.get(c)!.push(s); }
    this.workload = [...groups.values()];
    this.properties = STATE_INVARIANTS.map((id) => ({
      name: id,
      check: (s: ClusterState) => {
        const v = this.violations(s).filter((x) => x.invariant === id);
        return v.length ? v.map((x) => x.message).join('\n') : null;
      },
    }));
  }

  private violations(s: ClusterState): Violation[] {
    return (s.violations ??= checkState(s.c));
  }

  initStates(): ClusterState[] {
    const c = createCluster(this.topology);
    c.traced = false;
    return [{ c, issued: this.workload.map(() => 0), once: [] }];
  }

  actions(s: ClusterState): ClusterAction[] {
    const out: ClusterAction[] = [];
    const add = (step: FuzzStep, kind: string = step.kind) => {
      const key = onceKey(step);
      if (key === null || !s.once.includes(key)) out.push({ step, client: -1, kind });
    };
    const map = s.c.mdsmap;
    // a client sends to an active rank only (it waits for the map to show its rank back)
    this.workload.forEach((steps, g) => {
      const step = steps[s.issued[g]];
      if (step && map.state[activeRankOf(s.c, step)!] === STATE_ACTIVE) out.push({ step, client: g, kind: step.kind });
    });
    for (const link of s.c.net.deliverable()) { const [from, to] = s.c.net.ends(link); add({ kind: 'deliver', from, to }, `deliver ${messageKind(s.c.net.queues[link][0])}`); }
    const leaders = s.c.ranks.flatMap((m) => Object.values(m.requests)).filter((r) => r.is_leader() && r.client >= 0 && !r.client_request && !r.aborted && r.status === 'granted');
    for (const r of leaders) {
      if (this.interleave.finish) add({ kind: 'finish', reqid: r.reqid });
      if (this.interleave.early_reply && r.peers.length === 0 && !r.early_replied) add({ kind: 'early_reply', reqid: r.reqid });
      if (this.interleave.update) {
        for (const o of r.locks) {
          if ((o.flags & WRLOCK) && s.c.ranks[r.rank].lock(o.lock)?.lt.cls === 'ScatterLock') add({ kind: 'update', reqid: r.reqid, ref: o.lock });
        }
      }
    }
    if (this.interleave.wrlock_force) for (const f of forceable(s.c)) add({ kind: 'wrlock_force', reqid: f.reqid, ref: f.ref });
    if (this.faults.kill) for (const r of runningRequests(s.c)) if (!r.aborted) add({ kind: 'kill', reqid: r.reqid });
    if (this.faults.duplicate) for (const link of lockLinks(s.c)) { const [from, to] = s.c.net.ends(link); add({ kind: 'duplicate', from, to }); }
    if (this.faults.fail) {
      // one failure at a time, none during an export (its reversal is not modelled); a standby
      // may take a failed rank over at any point after (up to rejoin in one action: its rejoin
      // goes on by deliveries)
      if (!is_degraded(map) && !migrating(s.c)) for (const m of s.c.ranks) add({ kind: 'fail', rank: m.id });
      for (const m of s.c.ranks) if (map.state[m.id] < STATE_REJOIN) add({ kind: 'recover', rank: m.id, to: STATE_REJOIN });
    }
    // the balancer: a directory's dirfrag, once each, to another rank holding the directory
    if (this.faults.export) for (const x of exportsDrawable(s.c)) add({ kind: 'export', ...x });
    // a rank runs its timers once active
    const active = s.c.ranks.filter((m) => map.state[m.id] === STATE_ACTIVE);
    if (this.interleave.tick) for (const m of active) add({ kind: 'tick', rank: m.id });
    if (this.interleave.nudge) {
      for (const m of active) {
        for (const inode of Object.values(m.inodes)) {
          for (const l of carriedLocks(inode)) if (l.lt.cls === 'ScatterLock') add({ kind: 'nudge', rank: m.id, ref: { path: l.parent, type: l.type } });
        }
      }
    }
    return out;
  }

  nextState(s: ClusterState, a: ClusterAction): ClusterState {
    return this.applyInPlace({ c: cloneCluster(s.c), issued: s.issued, once: s.once }, a);
  }

  /** Locker functions run by the actions taken so far, for coverage (what `log` names). */
  readonly functions = new Map<string, number>();

  applyInPlace(s: ClusterState, a: ClusterAction): ClusterState {
    const { c } = s;
    c.stats = { lock_events: 0, fns: {} };
    const issued = a.client < 0 ? s.issued : s.issued.map((n, g) => (g === a.client ? n + 1 : n));
    const key = onceKey(a.step);
    const once = key === null ? s.once : [...s.once, key].sort();
    const vs: Violation[] = [];
    try {
      checkGrants(c, () => applyStep(c, a.step), vs);
    } catch (e) {
      // a client whose lookup of the path fails never sends the op (a lookup changes nothing)
      if (e instanceof ImpossibleStep && a.client >= 0) return { c, issued, once };
      if (e instanceof MDSAssertion) throw new ModelAssertion('abort', e.message);
      throw e;
    }
    for (const [fn, k] of Object.entries(c.stats.fns!)) this.functions.set(fn, (this.functions.get(fn) ?? 0) + k);
    if (vs.length) throw new ModelAssertion(vs[0].invariant, vs.map((v) => v.message).join('\n'));
    return { c, issued, once };
  }

  isFault(a: ClusterAction): boolean { return a.step.kind === 'fail' || a.step.kind === 'kill' || a.step.kind === 'duplicate' || a.step.kind === 'export'; }

  stuck(s: ClusterState): string | null {
    return quietNow(s.c)?.message ?? null;
  }

  encode(s: ClusterState, e: Encoder, symmetry = false): void {
    const group = symmetry ? this.symmetry() : [];
    if (group.length > 1) writeCanonical(group, s, e, (t, x) => this.write(this.codec, t, x), this.scratch);
    else this.write(this.codec, s, e);
  }

  private write(codec: TreeCodec, s: ClusterState, e: Encoder): void {
    for (const n of s.issued) { e.uint(n); e.mix(n); }
    codec.encode(s.once, e);
    const c = s.c;
    // what the future depends on; the scheduler's seed, counters and tracing do not
    codec.encode([c.ranks, c.clients, c.net.queues, c.net.held, c.scatter_updates, c.next_ino, c.mdsmap.state, c.deferred], e);
  }

  private group: readonly Symmetry[] | null = null;
  private readonly scratch: [Encoder, Encoder] = [new Encoder(), new Encoder()];

  /**
   * The renamings of ranks and clients the file is invariant under, the identity first: found
   * when first asked for (only `--symmetry` needs them), the same in every thread.
   */
  symmetry(): readonly Symmetry[] {
    if (this.group === null) {
      const codec = new TreeCodec(this.types), e = new Encoder();
      const key = (s: ClusterState) => { this.write(codec, s, e.reset()); return Buffer.from(e.buf.subarray(0, e.len)).toString('latin1'); };
      this.group = symmetryGroup(this.initStates()[0], this.workload, this.workload.map((g) => clientOf(g[0])), (this.topology.clients ?? []).map((c) => c.id), key);
    }
    return this.group;
  }

  decode(b: Uint8Array): ClusterState { return this.decodeWith(this.codec, b); }

  /** Another thread's states: its numbering learnt into a mirror codec per thread. */
  readonly numbering: Numbering = ((mirrors: Map<number, TreeCodec>) => ({
    since: (mark: unknown) => {
      const from = (mark as CodecMark | null) ?? { strings: 0, shapes: 0 };
      return { mark: this.codec.mark(), entries: this.codec.entriesSince(from) };
    },
    learn: (from: number, entries: unknown) => {
      if (!mirrors.has(from)) mirrors.set(from, new TreeCodec(this.types));
      mirrors.get(from)!.learn(entries as CodecEntries, CLASSES);
    },
    translate: (from: number, bytes: Uint8Array) => {
      const e = new Encoder();
      this.encode(this.decodeWith(mirrors.get(from)!, bytes), e);
      return e.buf.slice(0, e.len);
    },
  }))(new Map());

  private decodeWith(codec: TreeCodec, b: Uint8Array): ClusterState {
    const d = new Decoder(b);
    const issued = this.workload.map(() => d.uint());
    const once = codec.decode(d) as string[];
    const [ranks, clients, queues, held, scatter_updates, next_ino, states, deferred] = codec.decode(d) as [Cluster['ranks'], Cluster['clients'], Network['queues'], boolean[], Cluster['scatter_updates'], number, number[], Cluster['deferred']];
    const c = new Cluster(0, 0);
    c.rules = Object.freeze([...(this.topology.rules ?? [])]);
    c.ranks = ranks;
    c.clients = clients;
    c.mdsmap = new MDSMap(ranks.length);
    c.mdsmap.state = states; // (incarnations change nothing a state does next)
    c.deferred = deferred;
    const net = new Network(ranks.length, (this.topology.clients ?? []).map((x) => x.id)); // the same endpoint order as createCluster
    net.queues = queues;
    net.held = held;
    c.net = net;
    c.scatter_updates = scatter_updates;
    c.next_ino = next_ino;
    c.traced = false;
    return { c, issued, once };
  }

  describe(s: ClusterState, a: ClusterAction): string {
    if (a.step.kind !== 'deliver') return stepText(a.step);
    const m = s.c.net.queues[s.c.net.link(a.step.from, a.step.to)][0];
    return `${stepText(a.step)}: ${m ? printMessage(m) : 'nothing'}`;
  }
  actionKind(a: ClusterAction): string { return a.kind; }

  actionKinds(): readonly string[] {
    const on = [...Object.entries(this.interleave), ...Object.entries(this.faults)].filter(([, v]) => v).map(([k]) => k);
    return [...new Set(this.workload.flat().map((s) => s.kind)), ...on, ...MESSAGE_KINDS.map((k) => `deliver ${k}`)];
  }
}
