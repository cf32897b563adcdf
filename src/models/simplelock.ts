// The simplelock gather protocol of the reference SPIN model (one auth, N replicas, L
// independent locks, at most MAXRD rdlocks per node and lock), ported statement for statement.
// It is the checker's correctness check: exploring it must reach exactly the state counts SPIN
// reports for the same model (every SPIN step is one atomic block, so SPIN's stored states are
// the reachable global states), and its BUG variant (a replica that acks LOCK without draining
// its rdlocks) must break the safety property.
//
//   auth    SYNC --(LOCK to every replica, gather)--> SYNC_LOCK --(acks in, rdlocks drained)--> LOCK
//           LOCK --(SYNC to every replica)--> SYNC (no xlock); rdlock in SYNC only, xlock in LOCK only
//   replica SYNC --LOCK--> SYNC_LOCK (drain rdlocks) --> LOCK + LOCKACK;  LOCK --SYNC--> SYNC
import { ModelAssertion, type Encoder, type Model, type Property } from './Model.js';

export interface SimplelockConfig {
  /** Replicas (SPIN's N, 2..4). */
  readonly n: number;
  /** Independent locks (SPIN's L, 1..2). */
  readonly l: number;
  /** Most rdlocks per node and lock (SPIN's MAXRD). */
  readonly maxrd?: number;
  /** SPIN's -DBUG: a replica acks LOCK at once, keeping its rdlocks. */
  readonly bug?: boolean;
}

const SYNC = 0, SYNC_LOCK = 1, LOCK = 2;
/** Channel contents: 0 empty; toRep carries LOCK (1) or SYNC (2); toAuth carries LOCKACK (1). */
const M_LOCK = 1, M_SYNC = 2, M_LOCKACK = 1;
const STATE_NAMES = ['SYNC', 'SYNC_LOCK', 'LOCK'];

/** Auth actions (per lock), then one ack action per replica; replica actions (per lock and replica). */
const A_RDLOCK = 0, A_RDUNLOCK = 1, A_LOCK = 2, A_XLOCK = 3, A_XUNLOCK = 4, A_SYNC = 5, A_ACK = 6;
const R_RDLOCK = 0, R_RDUNLOCK = 1, R_RECV_LOCK = 2, R_RECV_SYNC = 3;
const AUTH_KINDS = ['auth rdlock', 'auth rdunlock', 'auth sync->sync_lock (send LOCK)', 'auth xlock', 'auth xunlock', 'auth lock->sync (send SYNC)', 'auth recv LOCKACK'];
const REPLICA_KINDS = ['replica rdlock', 'replica rdunlock', 'replica recv LOCK', 'replica recv SYNC'];

/** An action: lock, process (replica 0..n-1, or n for the auth), kind, and for an ack the replica. */
export type SimplelockAction = number;
const act = (l: number, proc: number, kind: number, r = 0): SimplelockAction => ((l * 8 + proc) * 16 + kind) * 8 + r;

/**
 * State layout (bytes): per lock `astate ard axl gather rdtot`, then per lock and replica
 * `rstate rrd toRep0 toRep1 toAuth` (toRep is a FIFO of capacity 2, toAuth of capacity 1).
 */
export class SimplelockModel implements Model<Uint8Array, SimplelockAction> {
  readonly name: string;
  readonly n: number;
  readonly l: number;
  readonly maxrd: number;
  readonly bug: boolean;
  private readonly size: number;
  readonly properties: readonly Property<Uint8Array>[];

  constructor(c: SimplelockConfig) {
    this.n = c.n; this.l = c.l; this.maxrd = c.maxrd ?? 2; this.bug = c.bug ?? false;
    if (this.n < 1 || this.n > 7 || this.l < 1 || this.l > 4) throw new RangeError('simplelock: 1..7 replicas, 1..4 locks');
    this.size = this.l * 5 + this.l * this.n * 5;
    this.name = `simplelock N=${this.n} L=${this.l} MAXRD=${this.maxrd}${this.bug ? ' BUG' : ''}`;
    this.properties = [{
      name: 'no_xlock_with_replica_rdlock',
      check: (s) => {
        for (let l = 0; l < this.l; l++) if (s[this.a(l) + 2] && s[this.a(l) + 4] > 0) return `lock ${l}: the auth holds an xlock while replicas hold ${s[this.a(l) + 4]} rdlock(s)`;
        return null;
      },
    }];
  }

  /** Offsets of a lock's auth fields and of a replica's fields. */
  private a(l: number): number { return l * 5; }
  private r(l: number, r: number): number { return this.l * 5 + (l * this.n + r) * 5; }

  initStates(): Uint8Array[] { return [new Uint8Array(this.size)]; }

  actions(s: Uint8Array): SimplelockAction[] {
    const out: SimplelockAction[] = [];
    for (let r = 0; r < this.n; r++) {
      for (let l = 0; l < this.l; l++) {
        const o = this.r(l, r);
        if (s[o] === SYNC && s[o + 1] < this.maxrd) out.push(act(l, r, R_RDLOCK));
        if (s[o + 1] > 0) out.push(act(l, r, R_RDUNLOCK));
        if (s[o + 2] === M_LOCK) out.push(act(l, r, R_RECV_LOCK));
        if (s[o + 2] === M_SYNC) out.push(act(l, r, R_RECV_SYNC));
      }
    }
    for (let l = 0; l < this.l; l++) {
      const o = this.a(l);
      if (s[o] === SYNC && s[o + 1] < this.maxrd) out.push(act(l, this.n, A_RDLOCK));
      if (s[o + 1] > 0) out.push(act(l, this.n, A_RDUNLOCK));
      if (s[o] === SYNC) out.push(act(l, this.n, A_LOCK));
      if (s[o] === LOCK && !s[o + 2]) out.push(act(l, this.n, A_XLOCK));
      if (s[o + 2]) out.push(act(l, this.n, A_XUNLOCK));
      if (s[o] === LOCK && !s[o + 2]) out.push(act(l, this.n, A_SYNC));
      for (let r = 0; r < this.n; r++) if (s[this.r(l, r) + 4] === M_LOCKACK) out.push(act(l, this.n, A_ACK, r));
    }
    return out;
  }

  nextState(s0: Uint8Array, a: SimplelockAction): Uint8Array {
    const s = s0.slice();
    const r = a & 7, kind = (a >> 3) & 15, proc = (a >> 7) & 7, l = a >> 10;
    const ao = this.a(l);
    if (proc < this.n) {
      const o = this.r(l, proc);
      switch (kind) {
        case R_RDLOCK: s[o + 1]++; s[ao + 4]++; break;
        case R_RDUNLOCK:
          s[o + 1]--; s[ao + 4]--;
          if (s[o] === SYNC_LOCK && s[o + 1] === 0) { s[o] = LOCK; this.send(s, o + 4, 1, M_LOCKACK); }
          break;
        case R_RECV_LOCK:
          this.recv(s, o + 2);
          if (this.bug || s[o + 1] === 0) { s[o] = LOCK; this.send(s, o + 4, 1, M_LOCKACK); } else s[o] = SYNC_LOCK;
          break;
        case R_RECV_SYNC: this.recv(s, o + 2); s[o] = SYNC; break;
      }
    } else {
      switch (kind) {
        case A_RDLOCK: s[ao + 1]++; break;
        case A_RDUNLOCK:
          s[ao + 1]--;
          if (s[ao] === SYNC_LOCK && s[ao + 3] === 0 && s[ao + 1] === 0) s[ao] = LOCK;
          break;
        case A_LOCK:
          s[ao] = SYNC_LOCK; s[ao + 3] = (1 << this.n) - 1;
          for (let i = 0; i < this.n; i++) this.send(s, this.r(l, i) + 2, 2, M_LOCK);
          break;
        case A_XLOCK: s[ao + 2] = 1; break;
        case A_XUNLOCK: s[ao + 2] = 0; break;
        case A_SYNC:
          s[ao] = SYNC;
          for (let i = 0; i < this.n; i++) this.send(s, this.r(l, i) + 2, 2, M_SYNC);
          break;
        case A_ACK:
          s[this.r(l, r) + 4] = 0;
          if (s[ao] !== SYNC_LOCK) throw new ModelAssertion('assert', `lock ${l}: LOCKACK from replica ${r} while the auth is ${STATE_NAMES[s[ao]]}`);
          s[ao + 3] &= ~(1 << r);
          if (s[ao + 3] === 0 && s[ao + 1] === 0) s[ao] = LOCK;
          break;
      }
    }
    // every SPIN step ends with CHECK(l)
    if (s[ao + 2] && s[ao + 4] > 0) throw new ModelAssertion('no_xlock_with_replica_rdlock', `lock ${l}: the auth holds an xlock while replicas hold ${s[ao + 4]} rdlock(s)`);
    return s;
  }

  /** A send on a full channel would block inside SPIN's atomic block; the protocol never does it. */
  private send(s: Uint8Array, at: number, cap: number, m: number): void {
    for (let i = 0; i < cap; i++) if (s[at + i] === 0) { s[at + i] = m; return; }
    throw new ModelAssertion('channel', 'send on a full channel');
  }

  private recv(s: Uint8Array, at: number): void { s[at] = s[at + 1]; s[at + 1] = 0; }

  encode(s: Uint8Array, e: Encoder, symmetry: boolean): void {
    if (!symmetry) { e.bytes(s); return; }
    // replicas are interchangeable: order them by their fields across every lock, and remap
    // the gather bits to the new order
    const key = (r: number) => { let k = ''; for (let l = 0; l < this.l; l++) { const o = this.r(l, r); k += String.fromCharCode(s[o], s[o + 1], s[o + 2], s[o + 3], s[o + 4], (s[this.a(l) + 3] >> r) & 1); } return k; };
    const order = Array.from({ length: this.n }, (_, r) => r).map((r) => ({ r, k: key(r) })).sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : 0)).map((x) => x.r);
    for (let l = 0; l < this.l; l++) {
      const o = this.a(l);
      let g = 0;
      order.forEach((r, i) => { if ((s[o + 3] >> r) & 1) g |= 1 << i; });
      e.u8(s[o]); e.u8(s[o + 1]); e.u8(s[o + 2]); e.u8(g); e.u8(s[o + 4]);
    }
    for (let l = 0; l < this.l; l++) for (const r of order) { const o = this.r(l, r); for (let i = 0; i < 5; i++) e.u8(s[o + i]); }
  }

  decode(b: Uint8Array): Uint8Array { return b.slice(); }

  describe(_s: Uint8Array, a: SimplelockAction): string {
    const r = a & 7, kind = (a >> 3) & 15, proc = (a >> 7) & 7, l = a >> 10;
    return proc < this.n ? `replica ${proc} lock ${l}: ${REPLICA_KINDS[kind].replace('replica ', '')}` : `auth lock ${l}: ${AUTH_KINDS[kind].replace('auth ', '')}${kind === A_ACK ? ` from replica ${r}` : ''}`;
  }

  actionKind(a: SimplelockAction): string {
    const kind = (a >> 3) & 15, proc = (a >> 7) & 7;
    return proc < this.n ? REPLICA_KINDS[kind] : AUTH_KINDS[kind];
  }

  actionKinds(): readonly string[] { return [...AUTH_KINDS, ...REPLICA_KINDS]; }

  /** The state in words, for traces. */
  show(s: Uint8Array): string {
    const parts: string[] = [];
    for (let l = 0; l < this.l; l++) {
      const o = this.a(l);
      const reps = Array.from({ length: this.n }, (_, r) => { const p = this.r(l, r); return `${STATE_NAMES[s[p]]} rd=${s[p + 1]}`; });
      parts.push(`lock ${l}: auth ${STATE_NAMES[s[o]]} rd=${s[o + 1]}${s[o + 2] ? ' xlocked' : ''}${s[o + 3] ? ` gather=${s[o + 3].toString(2)}` : ''}; replicas ${reps.join(', ')}`);
    }
    return parts.join(' | ');
  }
}
