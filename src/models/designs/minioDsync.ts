// MinIO's distributed lock (internal/dsync/drwmutex.go, cmd/local-locker.go): a client locks a
// resource by broadcasting a lock RPC to every locker (node) and holds it once a quorum granted;
// it gives up early when too many refused, releasing what it got. A holder refreshes its lock on
// every locker each refresh interval and, when too many lockers say they no longer have it,
// force-unlocks it and is told (the lock-loss callback). Each locker drops entries nobody
// refreshed for longer than the validity (expireOldLocks). Lockers crash and restart with an
// empty table; links between a client and a locker are cut and healed. Time is a logical clock
// the `tick` action advances.
import type { Encoder, Property } from '../Model.js';
import { DesignConfigError, type Design, type DesignModel, type DesignView } from './design.js';
import { int, list, lockOp, need, record, type LockOp } from './configRead.js';
import { copy, decodeJson, encodeJson } from './stateCodec.js';
import { quorumOf, refreshVerdict, type DsyncConfig } from './minioDsyncRules.js';

const IDLE = 0, LOCKING = 1, FAILED = 2, HOLDING = 3;
/** A lock RPC's answer: not yet sent, granted, refused, or the locker was unreachable. */
const PENDING = 0, GRANTED = 1, REFUSED = 2, OFFLINE = 3;

/**
 * A locker's entry for a resource: its owner (client and op, the lock's UID), write or read, last
 * refresh, and whether its owner's release or force-unlock could not reach it (left to expire).
 */
interface Entry { c: number; op: number; w: number; last: number; left: number }

interface Client {
  pc: number;
  phase: number;
  /** LOCKING: the answer from each locker; HOLDING: GRANTED where it holds. */
  replies: number[];
  /** HOLDING: when the next refresh is due. */
  due: number;
  /** Requests given up; locks lost (and told). */
  gaveUp: number;
  lost: number;
  /** Once a refresh said the lock was kept while fewer than a quorum of lockers had it (lock_loss_callback breaks): that quorum; else 0. */
  missed: number;
}

interface DsState {
  t: number;
  /** Per locker: up (1) or down (0). */
  up: number[];
  /** Per locker, per resource: the entries. */
  table: Entry[][][];
  /** Per client: a bitmask of the lockers it cannot reach. */
  cut: number[];
  cuts: number;
  crashes: number;
  clients: Client[];
}

type Kind = 'tick' | 'lock' | 'rpc' | 'retry' | 'give_up' | 'refresh' | 'unlock' | 'expire' | 'cut' | 'heal' | 'crash' | 'restart';
/** An action: its kind, the client, the locker, and for an expiry the resource and the entry's op. */
interface DsAction { readonly k: Kind; readonly c: number; readonly n: number; readonly r: number; readonly op: number }
const act = (k: Kind, c = -1, n = -1, r = -1, op = -1): DsAction => ({ k, c, n, r, op });

const cname = (c: number) => `client.${c + 1}`;
const nname = (n: number) => `node.${n + 1}`;
const uid = (e: { c: number; op: number }) => `${cname(e.c)}#${e.op + 1}`;

function readConfig(v: unknown): DsyncConfig {
  const o = record(v, [], ['nodes', 'clients', 'refresh', 'expiry', 'max_ticks', 'faults']);
  const nodes = int(need(o, 'nodes', []), ['nodes'], 1, 5);
  const clients = list(need(o, 'clients', []), ['clients'], 1, 3).map((c, i) => {
    const co = record(c, ['clients', i], ['ops']);
    return list(need(co, 'ops', ['clients', i]), ['clients', i, 'ops'], 1, 2).map((x, j) => lockOp(x, ['clients', i, 'ops', j], 1));
  });
  const refresh = int(need(o, 'refresh', []), ['refresh'], 1, 20);
  const expiry = int(need(o, 'expiry', []), ['expiry'], 1, 20);
  const maxTicks = int(need(o, 'max_ticks', []), ['max_ticks'], 0, 40);
  const f = 'faults' in o ? record(o.faults, ['faults'], ['cuts', 'crashes']) : {};
  const cuts = 'cuts' in f ? int(f.cuts, ['faults', 'cuts'], 0, 6) : 0;
  const crashes = 'crashes' in f ? int(f.crashes, ['faults', 'crashes'], 0, 4) : 0;
  const resources = [...new Set(clients.flat().map((op) => op.paths[0]))].sort();
  if (resources.length > 2) throw new DesignConfigError(['clients'], `the workload names ${resources.length} resources; at most 2 keep the search small`);
  return { nodes, clients, resources, refresh, expiry, maxTicks, cuts, crashes };
}

export class MinioDsyncModel implements DesignModel<DsState, DsAction> {
  readonly name: string;
  readonly properties: readonly Property<DsState>[];

  constructor(private readonly cfg: DsyncConfig) {
    this.name = `minio-dsync (${cfg.nodes} nodes, ${cfg.clients.length} clients, refresh ${cfg.refresh}, expiry ${cfg.expiry})`;
    this.properties = [
      { name: 'mutual_exclusion', check: (s) => this.exclusion(s) },
      { name: 'lock_loss_callback', check: (s) => this.missedLoss(s) },
      { name: 'no_leaked_entry', check: (s) => this.leaks(s) },
    ];
  }

  private op(s: DsState, c: number): LockOp { return this.cfg.clients[c][s.clients[c].pc]; }
  private res(s: DsState, c: number): number { return this.cfg.resources.indexOf(this.op(s, c).paths[0]); }
  private reach(s: DsState, c: number, n: number): boolean { return s.up[n] === 1 && ((s.cut[c] >> n) & 1) === 0; }
  private quorum(s: DsState, c: number): { quorum: number; tolerance: number } { return quorumOf(this.cfg.nodes, this.op(s, c).write); }

  initStates(): DsState[] {
    const n = this.cfg.nodes;
    return [{
      t: 0, up: Array(n).fill(1), table: Array.from({ length: n }, () => this.cfg.resources.map(() => [])), cut: this.cfg.clients.map(() => 0), cuts: 0, crashes: 0,
      clients: this.cfg.clients.map(() => ({ pc: 0, phase: IDLE, replies: Array(n).fill(PENDING), due: 0, gaveUp: 0, lost: 0, missed: 0 })),
    }];
  }

  /**
   * The clock may move on unless a lock attempt is under way (lock() gives up on a locker after
   * drwMutexAcquireTimeout, 1 s, far under a tick), a refresh is due, or an entry has outlived
   * its validity (both happen at their time).
   */
  private canTick(s: DsState): boolean {
    if (s.t >= this.cfg.maxTicks || s.clients.some((cl) => cl.phase === LOCKING)) return false;
    if (s.clients.some((cl) => cl.phase === HOLDING && cl.due <= s.t)) return false;
    return !s.table.some((rs) => rs.some((es) => es.some((e) => s.t - e.last > this.cfg.expiry)));
  }

  actions(s: DsState): DsAction[] {
    const out: DsAction[] = [];
    if (this.canTick(s)) out.push(act('tick'));
    s.clients.forEach((cl, c) => {
      if (cl.phase === IDLE && cl.pc < this.cfg.clients[c].length) out.push(act('lock', c));
      if (cl.phase === LOCKING) cl.replies.forEach((x, n) => { if (x === PENDING) out.push(act('rpc', c, n)); });
      if (cl.phase === FAILED) out.push(act('retry', c), act('give_up', c));
      if (cl.phase === HOLDING && cl.due <= s.t) out.push(act('refresh', c));
      if (cl.phase === HOLDING) out.push(act('unlock', c));
    });
    s.table.forEach((rs, n) => rs.forEach((es, r) => es.forEach((e) => { if (s.t - e.last > this.cfg.expiry) out.push(act('expire', e.c, n, r, e.op)); })));
    s.clients.forEach((_, c) => {
      for (let n = 0; n < this.cfg.nodes; n++) {
        if ((s.cut[c] >> n) & 1) out.push(act('heal', c, n));
        else if (s.cuts < this.cfg.cuts) out.push(act('cut', c, n));
      }
    });
    for (let n = 0; n < this.cfg.nodes; n++) {
      if (s.up[n] && s.crashes < this.cfg.crashes) out.push(act('crash', -1, n));
      if (!s.up[n]) out.push(act('restart', -1, n));
    }
    return out;
  }

  isFault(a: DsAction): boolean { return a.k === 'cut' || a.k === 'heal' || a.k === 'crash' || a.k === 'restart'; }

  /** What a lock RPC from client `c` gets from locker `n`: localLocker.Lock / RLock, or no answer. */
  private answer(s: DsState, c: number, n: number): number {
    if (!this.reach(s, c, n)) return OFFLINE;
    const es = s.table[n][this.res(s, c)];
    return (this.op(s, c).write ? es.length === 0 : !es.some((e) => e.w)) ? GRANTED : REFUSED; // canTakeLock; RLock: no writer
  }

  /** What a refresh of client `c`'s lock finds on each locker (localLocker.Refresh by UID). */
  private refreshAnswers(s: DsState, c: number): number[] {
    const cl = s.clients[c], r = this.res(s, c);
    return s.up.map((_, n) => (!this.reach(s, c, n) ? OFFLINE : s.table[n][r].some((e) => e.c === c && e.op === cl.pc) ? GRANTED : REFUSED));
  }

  nextState(s0: DsState, a: DsAction): DsState {
    const s = copy(s0);
    const cl = a.c >= 0 ? s.clients[a.c] : null;
    switch (a.k) {
      case 'tick': s.t++; break;
      case 'lock': case 'retry': cl!.phase = LOCKING; cl!.replies.fill(PENDING); break; // DRWMutex.lockBlocking -> lock(): broadcast
      case 'rpc': this.rpc(s, a.c, a.n); break;
      case 'give_up': cl!.phase = IDLE; cl!.pc++; cl!.gaveUp++; break; // lockBlocking's timeout
      case 'refresh': this.refresh(s, a.c); break;
      case 'unlock': // DRWMutex.Unlock: cancel the refresh, releaseAll to the lockers that granted
        this.release(s, a.c, cl!.replies.flatMap((x, n) => (x === GRANTED ? [n] : [])));
        cl!.phase = IDLE; cl!.pc++;
        break;
      case 'expire': s.table[a.n][a.r] = s.table[a.n][a.r].filter((e) => !(e.c === a.c && e.op === a.op)); break; // localLocker.expireOldLocks
      case 'cut': s.cut[a.c] |= 1 << a.n; s.cuts++; break;
      case 'heal': s.cut[a.c] &= ~(1 << a.n); break;
      case 'crash': s.up[a.n] = 0; s.crashes++; s.table[a.n] = this.cfg.resources.map(() => []); break; // the lock table is in memory
      case 'restart': s.up[a.n] = 1; break;
    }
    return s;
  }

  /** One lock RPC answered; when the answers decide the attempt, hold (quorum) or release what was granted (lock()). */
  private rpc(s: DsState, c: number, n: number): void {
    const cl = s.clients[c], op = this.op(s, c), r = this.res(s, c);
    const x = this.answer(s, c, n);
    cl.replies[n] = x;
    if (x === GRANTED) { s.table[n][r].push({ c, op: cl.pc, w: op.write ? 1 : 0, last: s.t, left: 0 }); s.table[n][r].sort(byOwner); }
    const { quorum, tolerance } = this.quorum(s, c);
    const granted = cl.replies.filter((y) => y === GRANTED).length, failed = cl.replies.filter((y) => y === REFUSED || y === OFFLINE).length;
    // lock(): stop once failures pass the tolerance (the RPCs not yet answered are dropped, see simplifications)
    if (failed <= tolerance && cl.replies.includes(PENDING)) return;
    if (granted >= quorum && failed <= tolerance) { cl.phase = HOLDING; cl.due = s.t + this.cfg.refresh; cl.replies = cl.replies.map((y) => (y === GRANTED ? GRANTED : PENDING)); return; }
    this.release(s, c, cl.replies.flatMap((y, m) => (y === GRANTED ? [m] : []))); // releaseAll
    cl.phase = FAILED;
  }

  /** sendRelease to each locker in `nodes`: those reachable drop the entry; the rest keep it, left to expire. */
  private release(s: DsState, c: number, nodes: readonly number[]): void {
    const cl = s.clients[c], r = this.res(s, c);
    const mine = (e: Entry) => e.c === c && e.op === cl.pc;
    for (const n of nodes) {
      if (this.reach(s, c, n)) s.table[n][r] = s.table[n][r].filter((e) => !mine(e));
      else for (const e of s.table[n][r]) if (mine(e)) e.left = 1;
    }
  }

  /** startContinuousLockRefresh's timer: refreshLock, and on no quorum forceUnlock and the lock-loss callback. */
  private refresh(s: DsState, c: number): void {
    const cl = s.clients[c], r = this.res(s, c);
    const answers = this.refreshAnswers(s, c);
    answers.forEach((x, n) => { if (x === GRANTED) for (const e of s.table[n][r]) if (e.c === c && e.op === cl.pc) e.last = s.t; });
    const { quorum } = this.quorum(s, c);
    if (refreshVerdict(answers.filter((x) => x === REFUSED).length, this.cfg.nodes, quorum) === 'lost') {
      this.release(s, c, s.up.map((_, n) => n)); // forceUnlock goes to every locker
      cl.phase = IDLE; cl.pc++; cl.lost++;
      return;
    }
    cl.due = s.t + this.cfg.refresh;
    if (this.holders(s, c) < quorum) cl.missed = quorum;
  }

  /** How many up lockers hold client `c`'s current lock (reachable or not). */
  private holders(s: DsState, c: number): number {
    const cl = s.clients[c], r = this.res(s, c);
    return s.table.filter((rs, n) => s.up[n] && rs[r].some((e) => e.c === c && e.op === cl.pc)).length;
  }

  private exclusion(s: DsState): string | null {
    for (let a = 0; a < s.clients.length; a++) {
      for (let b = a + 1; b < s.clients.length; b++) {
        const A = s.clients[a], B = s.clients[b];
        if (A.phase !== HOLDING || B.phase !== HOLDING || this.res(s, a) !== this.res(s, b)) continue;
        if (!this.op(s, a).write && !this.op(s, b).write) continue;
        const on = (c: number) => s.table.flatMap((rs, n) => (rs[this.res(s, c)].some((e) => e.c === c && e.op === s.clients[c].pc) ? [nname(n)] : [])).join(' ') || 'no locker';
        return `${cname(a)} (${this.op(s, a).text}) and ${cname(b)} (${this.op(s, b).text}) both believe they hold ${this.op(s, a).paths[0]} at t=${s.t}; the lockers have ${cname(a)} on ${on(a)}, ${cname(b)} on ${on(b)}`;
      }
    }
    return null;
  }

  private missedLoss(s: DsState): string | null {
    const c = s.clients.findIndex((cl) => cl.missed);
    if (c < 0) return null;
    const cl = s.clients[c];
    return `${cname(c)}'s refresh kept its lock while ${cl.phase === HOLDING ? this.holders(s, c) : 'fewer than a quorum of'} locker(s) had it (quorum ${cl.missed}): unreachable lockers are not counted as having lost it, so no lock-loss callback`;
  }

  /**
   * An entry whose owner neither seeks nor holds that lock any more must be one its release could
   * not reach (left to expire, which the clock forces within the validity); any other was forgotten.
   */
  private leaks(s: DsState): string | null {
    for (let n = 0; n < this.cfg.nodes; n++) {
      for (const [r, es] of s.table[n].entries()) {
        for (const e of es) {
          const cl = s.clients[e.c];
          const live = cl.pc === e.op && (cl.phase === LOCKING || cl.phase === HOLDING);
          if (!live && !e.left) return `${nname(n)} has ${uid(e)}'s lock on ${this.cfg.resources[r]}, which ${cname(e.c)} no longer seeks or holds, and no release of it failed`;
        }
      }
    }
    return null;
  }

  stuck(s: DsState): string | null {
    const busy = s.clients.flatMap((cl, c) => (cl.pc < this.cfg.clients[c].length ? [`${cname(c)} ${['idle', 'locking', 'failed', 'holding'][cl.phase]}`] : []));
    return busy.length ? `nothing can move: ${busy.join('; ')}` : null;
  }

  encode(s: DsState, e: Encoder): void { encodeJson(s, e); }
  decode(b: Uint8Array): DsState { return decodeJson(b); }

  describe(s: DsState, a: DsAction): string {
    const what = () => { const op = this.op(s, a.c); return `${op.paths[0]} ${op.write ? 'write' : 'read'}`; };
    switch (a.k) {
      case 'tick': return `tick (t=${s.t + 1})`;
      case 'lock': return `${cname(a.c)} lock ${what()}`;
      case 'retry': return `${cname(a.c)} retry ${what()}`;
      case 'give_up': return `${cname(a.c)} gives up ${what()}`;
      case 'rpc': return `${cname(a.c)} lock ${what()} on ${nname(a.n)}: ${['', 'granted', 'refused', 'offline'][this.answer(s, a.c, a.n)]}`;
      case 'refresh': {
        const x = this.refreshAnswers(s, a.c), count = (k: number) => x.filter((y) => y === k).length;
        const lost = refreshVerdict(count(REFUSED), this.cfg.nodes, this.quorum(s, a.c).quorum) === 'lost';
        return `${cname(a.c)} refresh ${what()}: ${lost ? 'lost' : 'kept'} (${count(GRANTED)} found, ${count(REFUSED)} not found, ${count(OFFLINE)} offline)`;
      }
      case 'unlock': return `${cname(a.c)} unlock ${what()}`;
      case 'expire': return `${nname(a.n)} expires ${uid({ c: a.c, op: a.op })} on ${this.cfg.resources[a.r]}`;
      case 'cut': return `cut ${cname(a.c)} from ${nname(a.n)}`;
      case 'heal': return `heal ${cname(a.c)} to ${nname(a.n)}`;
      case 'crash': return `crash ${nname(a.n)}`;
      case 'restart': return `restart ${nname(a.n)}`;
    }
  }

  actionKind(a: DsAction): string { return a.k; }
  actionKinds(): readonly string[] {
    const base: Kind[] = ['tick', 'lock', 'rpc', 'retry', 'give_up', 'refresh', 'unlock', 'expire'];
    return [...base, ...(this.cfg.cuts ? ['cut', 'heal'] as Kind[] : []), ...(this.cfg.crashes ? ['crash', 'restart'] as Kind[] : [])];
  }

  view(s: DsState): DesignView {
    const v = new Map<string, string>();
    v.set('clock', `t=${s.t}`);
    for (let n = 0; n < this.cfg.nodes; n++) {
      const cut = s.clients.flatMap((_, c) => ((s.cut[c] >> n) & 1 ? [cname(c)] : []));
      v.set(nname(n), `${s.up[n] ? 'up' : 'down'}${cut.length ? `, cut from ${cut.join(' ')}` : ''}`);
      this.cfg.resources.forEach((p, r) => {
        const es = s.table[n][r];
        v.set(`${nname(n)} ${p}`, es.length === 0 ? 'free' : es.map((e) => `${e.w ? 'w' : 'r'} ${uid(e)} t=${e.last}`).join(', '));
      });
    }
    s.clients.forEach((cl, c) => {
      const ops = this.cfg.clients[c];
      const tally = [cl.lost ? `${cl.lost} lost` : '', cl.gaveUp ? `${cl.gaveUp} given up` : ''].filter(Boolean).join(', ');
      const tail = tally ? ` (${tally})` : '';
      const on = cl.replies.flatMap((x, n) => (x === GRANTED ? [nname(n)] : [])).join(' ');
      const text = cl.pc === ops.length ? 'done'
        : cl.phase === IDLE ? `idle, next ${ops[cl.pc].text}`
        : cl.phase === LOCKING ? `locking ${ops[cl.pc].text}: ${cl.replies.map((x, n) => `${nname(n)} ${['pending', 'granted', 'refused', 'offline'][x]}`).join(', ')}`
        : cl.phase === FAILED ? `failed ${ops[cl.pc].text}`
        : `holds ${ops[cl.pc].text} on ${on}, refresh due t=${cl.due}`;
      v.set(cname(c), text + tail);
    });
    return v;
  }
}

function byOwner(x: Entry, y: Entry): number { return x.c - y.c || x.op - y.op; }

export const minioDsync: Design = {
  id: 'minio-dsync',
  title: 'MinIO dsync distributed RW mutex',
  sources: [
    'minio/minio internal/dsync/drwmutex.go (lockBlocking, lock, releaseAll, startContinuousLockRefresh, refreshLock, forceUnlock, Unlock), at d079fd9b',
    'minio/minio cmd/local-locker.go (Lock, RLock, Refresh, expireOldLocks), at 06943256',
    'minio/minio cmd/lock-rest-server.go (lockMaintenance: lockValidityDuration, lockMaintenanceInterval)',
  ],
  summary: 'A DRWMutex broadcasts a lock RPC to every locker and holds the lock once a quorum granted it: n - n/2 lockers, one more for a write lock when that is exactly half. It stops as soon as more than the tolerance refused and releases what it got. A holder refreshes every refresh interval; when more than n - quorum lockers answer that they no longer have the lock it force-unlocks and calls the lock-loss callback. Lockers that do not answer are not counted either way. Each locker drops entries not refreshed within the validity.',
  simplifications: [
    'A client is not a locker itself (in MinIO every server is both, and its own locker is never cut off).',
    'Each RPC is one atomic action, request and reply; a lock attempt that gives up early sends no more RPCs (MinIO sends them all and releases late grants asynchronously).',
    'A refresh visits every locker at once, at the tick it is due; an entry expires at the first tick past its validity (lockMaintenance sweeps every tick, not every minute).',
    'An op names one resource (MinIO\'s RLock honours only the first of several).',
    'An unlock tries each locker once (MinIO retries until its unlock timeout).',
    'Timeouts of lockBlocking are a choice to give up after any failed attempt.',
  ],
  properties: [
    { name: 'mutual_exclusion', description: 'No two clients both believe they hold the same resource with at least one writing.' },
    { name: 'lock_loss_callback', description: 'A holder whose lock fewer than a quorum of lockers still have is told so by its next refresh.' },
    { name: 'no_leaked_entry', description: 'A locker keeps an entry for a lock its owner no longer seeks or holds only when the release could not reach it, and then only until it expires.' },
    { name: 'stuck', description: 'A client has work left and nothing can move.' },
  ],
  model: (config) => new MinioDsyncModel(readConfig(config)) as unknown as DesignModel<unknown, unknown>,
};
