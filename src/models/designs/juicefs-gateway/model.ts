// The juicefs-gateway model: each op of a client (a goroutine in one gateway process) takes the
// first level, a process-local RWMutex, with TryLock until its deadline, then the second, the
// metadata engine's Flock on the one lock file (/.minio.sys/locks/lk.json), until the same
// deadline; unlock is Flock(F_UNLCK) then the local unlock. The flock table is a hash with one
// field per owner, and the owner is the gateway's session id: every locker of a gateway is the
// same owner. A gateway may crash or stall; its session expires session_ticks later and the
// engine drops its flock field. Ticks, timeouts, crashes, stalls and resumes are faults.
import type { Encoder, Property } from '../../Model.js';
import type { DesignModel, DesignView } from '../design.js';
import { clientName, decodeFlat, encodeFlat, type Flat } from '../kit/flat.js';
import type { GatewayConfig, Op } from './config.js';

/** Per gateway: status, ticks until its session expires, session expired, its flock field (0 none, 1 R, 2 W). */
const STATUS = 0, TIMER = 1, EXPIRED = 2, FLOCK = 3, GW_FIELDS = 4;
const UP = 0, CRASHED = 1, STALLED = 2;
/** Per local RWMutex: writer, readers. */
const LW = 0, LR = 1, SLOT_FIELDS = 2;
/** Per client: phase, op index, ticks left. */
const PHASE = 0, PC = 1, DEADLINE = 2, CLIENT_FIELDS = 3;
const IDLE = 0, LOCAL = 1, FLOCKING = 2, HOLD = 3, DONE = 4, DEAD = 5;
const F_NONE = 0, F_R = 1, F_W = 2;

export type GatewayAction =
  | { readonly kind: 'lock' | 'retry' | 'flock' | 'timeout' | 'unlock'; readonly c: number }
  | { readonly kind: 'crash' | 'stall' | 'resume' | 'expire'; readonly g: number }
  | { readonly kind: 'tick' };

export const gatewayName = (g: number): string => `gateway.${g + 1}`;

export class GatewayModel implements DesignModel<Flat, GatewayAction> {
  readonly name: string;
  readonly properties: readonly Property<Flat>[];
  private readonly slots: number;
  private readonly slotBase: number;
  private readonly clientBase: number;

  constructor(readonly cfg: GatewayConfig) {
    this.name = `juicefs-gateway ${cfg.gateways} gateways ${cfg.clients.length} clients local=${cfg.local}`;
    this.slots = cfg.local === 'instance' ? cfg.clients.length : cfg.local === 'process' ? cfg.gateways : cfg.gateways * cfg.objects.length;
    this.slotBase = cfg.gateways * GW_FIELDS;
    this.clientBase = this.slotBase + this.slots * SLOT_FIELDS;
    this.properties = [
      { name: 'mutual_exclusion', check: (s) => this.mutualExclusion(s) },
      { name: 'no_leaked_entry', check: (s) => this.leakedEntry(s) },
    ];
  }

  private g(g: number): number { return g * GW_FIELDS; }
  private c(c: number): number { return this.clientBase + c * CLIENT_FIELDS; }
  op(s: Flat, c: number): Op | undefined { return this.cfg.clients[c].ops[s[this.c(c) + PC]]; }

  /** The local RWMutex a client's current op uses. */
  private slot(s: Flat, c: number): number {
    const cfg = this.cfg, gw = cfg.clients[c].gateway;
    const at = cfg.local === 'instance' ? c : cfg.local === 'process' ? gw : gw * cfg.objects.length + this.op(s, c)!.object;
    return this.slotBase + at * SLOT_FIELDS;
  }

  private slotName(i: number): string {
    const cfg = this.cfg;
    if (cfg.local === 'instance') return `local ${clientName(i)}`;
    if (cfg.local === 'process') return `local ${gatewayName(i)}`;
    return `local ${gatewayName(Math.floor(i / cfg.objects.length))} ${cfg.objects[i % cfg.objects.length]}`;
  }

  initStates(): Flat[] {
    return [new Array(this.clientBase + this.cfg.clients.length * CLIENT_FIELDS).fill(0)];
  }

  // sync.RWMutex TryLock / TryRLock
  private canLocal(s: Flat, c: number): boolean {
    const o = this.slot(s, c);
    return this.op(s, c)!.mode === 'write' ? s[o + LW] === 0 && s[o + LR] === 0 : s[o + LW] === 0;
  }

  // redisMeta.Flock (F_RDLCK / F_WRLCK): every field but the owner's own counts
  private canFlock(s: Flat, c: number): boolean {
    const me = this.cfg.clients[c].gateway, write = this.op(s, c)!.mode === 'write';
    for (let g = 0; g < this.cfg.gateways; g++) {
      if (g === me) continue;
      const f = s[this.g(g) + FLOCK];
      if (f === F_W || (write && f === F_R)) return false;
    }
    return true;
  }

  private alive(s: Flat, c: number): boolean { return s[this.g(this.cfg.clients[c].gateway) + STATUS] === UP; }

  actions(s: Flat): GatewayAction[] {
    const out: GatewayAction[] = [];
    let timed = false;
    for (let c = 0; c < this.cfg.clients.length; c++) {
      if (!this.alive(s, c)) continue;
      const o = this.c(c), ph = s[o + PHASE];
      if (ph === IDLE) out.push({ kind: 'lock', c });
      else if (ph === LOCAL || ph === FLOCKING) {
        // getFlockWithTimeOut tries first and looks at the deadline only after a failed try
        const can = ph === LOCAL ? this.canLocal(s, c) : this.canFlock(s, c);
        if (can) out.push({ kind: ph === LOCAL ? 'retry' : 'flock', c });
        if (s[o + DEADLINE] > 0) timed = true; else if (!can) out.push({ kind: 'timeout', c });
      } else if (ph === HOLD) out.push({ kind: 'unlock', c });
    }
    for (let g = 0; g < this.cfg.gateways; g++) {
      const o = this.g(g);
      if (s[o + STATUS] === UP) {
        if (this.cfg.crashes) out.push({ kind: 'crash', g });
        if (this.cfg.stalls) out.push({ kind: 'stall', g });
      } else {
        if (s[o + STATUS] === STALLED) out.push({ kind: 'resume', g });
        if (!s[o + EXPIRED]) { if (s[o + TIMER] === 0) out.push({ kind: 'expire', g }); else timed = true; }
      }
    }
    if (timed) out.push({ kind: 'tick' });
    return out;
  }

  private nextOp(s: Flat, c: number): void {
    const o = this.c(c);
    s[o + PC]++; s[o + DEADLINE] = 0;
    s[o + PHASE] = s[o + PC] < this.cfg.clients[c].ops.length ? IDLE : DONE;
  }

  private localUnlock(s: Flat, c: number): void {
    const o = this.slot(s, c);
    if (this.op(s, c)!.mode === 'write') s[o + LW] = 0; else s[o + LR]--;
  }

  nextState(s0: Flat, a: GatewayAction): Flat {
    const s = s0.slice();
    if (a.kind === 'tick') {
      for (let c = 0; c < this.cfg.clients.length; c++) {
        const o = this.c(c);
        if (this.alive(s, c) && (s[o + PHASE] === LOCAL || s[o + PHASE] === FLOCKING) && s[o + DEADLINE] > 0) s[o + DEADLINE]--;
      }
      for (let g = 0; g < this.cfg.gateways; g++) if (s[this.g(g) + STATUS] !== UP && s[this.g(g) + TIMER] > 0) s[this.g(g) + TIMER]--;
      return s;
    }
    if (a.kind === 'crash' || a.kind === 'stall' || a.kind === 'resume' || a.kind === 'expire') {
      const o = this.g(a.g);
      if (a.kind === 'expire') { s[o + FLOCK] = F_NONE; s[o + EXPIRED] = 1; return s; } // the engine cleans the stale session's locks
      if (a.kind === 'resume') { s[o + STATUS] = UP; s[o + TIMER] = 0; return s; }
      s[o + STATUS] = a.kind === 'crash' ? CRASHED : STALLED;
      s[o + TIMER] = this.cfg.sessionTicks; s[o + EXPIRED] = 0;
      if (a.kind === 'crash') {
        // the process is gone: its goroutines and its local locks with it (the flock field stays until the session expires)
        for (let c = 0; c < this.cfg.clients.length; c++) {
          if (this.cfg.clients[c].gateway !== a.g) continue;
          const co = this.c(c);
          if (s[co + PHASE] === FLOCKING || s[co + PHASE] === HOLD) this.localUnlock(s, c);
          if (s[co + PHASE] !== DONE) s[co + PHASE] = DEAD;
          s[co + DEADLINE] = 0;
        }
      }
      return s;
    }
    if (!('c' in a)) return s;
    const c = a.c, o = this.c(c), op = this.op(s, c)!, write = op.mode === 'write';
    const lo = this.slot(s, c);
    switch (a.kind) {
      case 'lock': // jfsFLock.getFlockWithTimeOut: the local TryLock first
      case 'retry':
        if (a.kind === 'lock') s[o + DEADLINE] = this.cfg.timeoutTicks;
        if (this.canLocal(s, c)) { if (write) s[lo + LW] = 1; else s[lo + LR]++; s[o + PHASE] = FLOCKING; } else s[o + PHASE] = LOCAL;
        break;
      case 'flock':
        s[this.g(this.cfg.clients[c].gateway) + FLOCK] = write ? F_W : F_R; // HSet(lock, owner, "W"/"R"): overwrites the gateway's own field
        s[o + PHASE] = HOLD; s[o + DEADLINE] = 0;
        break;
      case 'timeout':
        if (s[o + PHASE] === FLOCKING) this.localUnlock(s, c); // the flock timed out: unlockFunc() on the local lock
        this.nextOp(s, c);
        break;
      case 'unlock': // jfsFLock.Unlock / RUnlock: Flock(F_UNLCK) deletes the owner's field, then the local unlock
        s[this.g(this.cfg.clients[c].gateway) + FLOCK] = F_NONE;
        this.localUnlock(s, c);
        this.nextOp(s, c);
        break;
    }
    return s;
  }

  encode(s: Flat, e: Encoder): void { encodeFlat(s, e); }
  decode(b: Uint8Array): Flat { return decodeFlat(b); }

  isFault(a: GatewayAction): boolean { return a.kind === 'tick' || a.kind === 'timeout' || a.kind === 'crash' || a.kind === 'stall' || a.kind === 'resume'; }

  stuck(s: Flat): string | null {
    // waiting for a dead or stalled gateway's session to expire is the design: ticks end it
    for (let g = 0; g < this.cfg.gateways; g++) if (s[this.g(g) + STATUS] !== UP && !s[this.g(g) + EXPIRED]) return null;
    const waiting: string[] = [];
    for (let c = 0; c < this.cfg.clients.length; c++) {
      const ph = s[this.c(c) + PHASE];
      if (this.alive(s, c) && (ph === LOCAL || ph === FLOCKING)) waiting.push(`${clientName(c)} (${ph === LOCAL ? 'local' : 'flock'})`);
    }
    return waiting.length ? `only a timeout ends the wait of ${waiting.join(', ')}` : null;
  }

  describe(s: Flat, a: GatewayAction): string {
    if (a.kind === 'tick') return 'tick';
    if (a.kind === 'crash' || a.kind === 'stall' || a.kind === 'resume') return `${gatewayName(a.g)} ${a.kind}`;
    if (a.kind === 'expire') return `${gatewayName(a.g)} session expires`;
    if (!('c' in a)) return a.kind;
    const op = this.op(s, a.c)!, obj = this.cfg.objects[op.object], who = clientName(a.c);
    switch (a.kind) {
      case 'lock': return `${who} lock ${obj} ${op.mode}`;
      case 'retry': return `${who} retry local ${obj}`;
      case 'flock': return `${who} flock ${obj} ${op.mode}`;
      case 'timeout': return `${who} timeout ${obj}`;
      case 'unlock': return `${who} unlock ${obj}`;
    }
  }

  actionKind(a: GatewayAction): string { return a.kind; }
  actionKinds(): readonly string[] { return ['lock', 'retry', 'flock', 'timeout', 'unlock', 'crash', 'stall', 'resume', 'expire', 'tick']; }

  /** Clients whose op holds `object` (both levels taken), by mode; a stalled gateway's holders still hold. */
  holders(s: Flat, object: number): { readers: number[]; writers: number[] } {
    const readers: number[] = [], writers: number[] = [];
    for (let c = 0; c < this.cfg.clients.length; c++) {
      if (s[this.c(c) + PHASE] !== HOLD) continue;
      const op = this.op(s, c)!;
      if (op.object === object) (op.mode === 'write' ? writers : readers).push(c);
    }
    return { readers, writers };
  }

  private mutualExclusion(s: Flat): string | null {
    for (let k = 0; k < this.cfg.objects.length; k++) {
      const h = this.holders(s, k);
      if (h.writers.length && h.writers.length + h.readers.length > 1) {
        return `${this.cfg.objects[k]} held by ${h.writers.map((x) => `${clientName(x)} (w)`).concat(h.readers.map((x) => `${clientName(x)} (r)`)).join(', ')}`;
      }
    }
    return null;
  }

  private leakedEntry(s: Flat): string | null {
    for (let g = 0; g < this.cfg.gateways; g++) {
      const o = this.g(g);
      if (s[o + FLOCK] === F_NONE || (s[o + STATUS] !== UP && !s[o + EXPIRED])) continue;
      const holding = this.cfg.clients.some((cs, c) => cs.gateway === g && s[this.c(c) + PHASE] === HOLD);
      if (!holding) return `the lock file keeps ${gatewayName(g)}'s ${s[o + FLOCK] === F_W ? 'W' : 'R'} field with none of its clients holding`;
    }
    for (let i = 0; i < this.slots; i++) {
      const o = this.slotBase + i * SLOT_FIELDS;
      let w = 0, r = 0;
      for (let c = 0; c < this.cfg.clients.length; c++) {
        const ph = s[this.c(c) + PHASE];
        if ((ph === FLOCKING || ph === HOLD) && this.slot(s, c) === o) { if (this.op(s, c)!.mode === 'write') w++; else r++; }
      }
      if (s[o + LW] !== w || s[o + LR] !== r) return `${this.slotName(i)} is w=${s[o + LW]} r=${s[o + LR]} but its lockers are w=${w} r=${r}`;
    }
    return null;
  }

  view(s: Flat): DesignView {
    const v = new Map<string, string>();
    const cfg = this.cfg;
    for (let k = 0; k < cfg.objects.length; k++) {
      const h = this.holders(s, k);
      v.set(`lock ${cfg.objects[k]}`, h.writers.length ? `w ${h.writers.map(clientName).join(',')}${h.readers.length ? ` r ${h.readers.map(clientName).join(',')}` : ''}` : h.readers.length ? `r ${h.readers.map(clientName).join(',')}` : 'free');
    }
    const fields: string[] = [];
    for (let g = 0; g < cfg.gateways; g++) { const f = s[this.g(g) + FLOCK]; if (f) fields.push(`${gatewayName(g)} ${f === F_W ? 'W' : 'R'}`); }
    v.set('flock', fields.length ? fields.join(', ') : 'free');
    for (let i = 0; i < this.slots; i++) {
      const o = this.slotBase + i * SLOT_FIELDS;
      v.set(this.slotName(i), s[o + LW] ? 'w' : s[o + LR] ? `r ${s[o + LR]}` : 'free');
    }
    for (let g = 0; g < cfg.gateways; g++) {
      const o = this.g(g), st = s[o + STATUS];
      const sess = s[o + EXPIRED] ? 'session expired' : st === UP ? '' : `session expires in ${s[o + TIMER]} ticks`;
      v.set(gatewayName(g), `${st === UP ? 'up' : st === CRASHED ? 'crashed' : 'stalled'}${sess ? `, ${sess}` : ''}`);
    }
    for (let c = 0; c < cfg.clients.length; c++) {
      const o = this.c(c), ph = s[o + PHASE], op = this.op(s, c);
      const what = op ? `${op.mode} ${cfg.objects[op.object]}` : '';
      v.set(clientName(c), ph === IDLE ? `next ${what}` : ph === LOCAL ? `waiting local ${what} (${s[o + DEADLINE]} ticks left)` : ph === FLOCKING ? `waiting flock ${what} (${s[o + DEADLINE]} ticks left)` : ph === HOLD ? `holding ${what}` : ph === DONE ? 'done' : 'dead');
    }
    return v;
  }
}
