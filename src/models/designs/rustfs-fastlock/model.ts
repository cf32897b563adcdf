// The rustfs-fastlock model: clients run their ops (a single lock or a sorted batch) through the
// fast path (one CAS on the state word), the slow path (wait counted in the word, retry when
// woken, time out after the deadline), and release through the owner lists; free entries may be
// cleaned up. Ticks and timeouts are faults: a state only they would change is stuck.
import type { Encoder, Property } from '../../Model.js';
import type { DesignModel, DesignView } from '../design.js';
import { clientName, decodeFlat, encodeFlat, type Flat } from '../kit/flat.js';
import type { FastlockConfig, Item } from './config.js';
import {
  CLIENT_FIELDS, CUR, DEADLINE, DONE, EXISTS, GHOST, G_READERS_WRAPPED, G_RWAIT_SATURATED, G_WWAIT_SATURATED, HELD, HOLD, IDLE, ITEM,
  KEY_FIELDS, OWNERS, PARKED, PC, PHASE, READERS, RWAIT, WAIT, WAIT_MAX, WRITER, WWAIT, clientAt, keyAt, packWord, shardOf,
} from './state.js';
import { fastlockProperties } from './properties.js';

export type FastlockAction =
  | { readonly kind: 'lock'; readonly c: number; readonly item: number }
  | { readonly kind: 'retry' | 'park' | 'timeout' | 'unlock'; readonly c: number }
  | { readonly kind: 'cleanup'; readonly k: number }
  | { readonly kind: 'tick' };

export class FastlockModel implements DesignModel<Flat, FastlockAction> {
  readonly name: string;
  readonly properties: readonly Property<Flat>[];
  private readonly readerMax: number;

  constructor(readonly cfg: FastlockConfig) {
    this.name = `rustfs-fastlock ${cfg.clients.length} clients ${cfg.keys.length} keys`;
    this.readerMax = 2 ** cfg.readerBits - 1;
    this.properties = fastlockProperties(this);
  }

  initStates(): Flat[] {
    const c = this.cfg;
    const s: Flat = new Array(c.keys.length * KEY_FIELDS + c.clients.length * CLIENT_FIELDS).fill(0);
    for (let ci = 0; ci < c.clients.length; ci++) s[clientAt(c, ci) + ITEM] = this.start(ci, 0);
    for (let k = 0; k < c.keys.length; k++) {
      const o = keyAt(k);
      s[o + READERS] = c.readersStart.get(k) ?? 0;
      s[o + RWAIT] = c.readersWaitingStart.get(k) ?? 0;
      s[o + WWAIT] = c.writersWaitingStart.get(k) ?? 0;
      if (s[o + READERS] || s[o + RWAIT] || s[o + WWAIT]) s[o + EXISTS] = 1;
    }
    return [s];
  }

  /** The item a client is at (waiting, or about to lock), or null when done or choosing its next shard group. */
  item(s: Flat, ci: number): Item | null {
    const o = clientAt(this.cfg, ci);
    const op = this.cfg.clients[ci].ops[s[o + PC]];
    return op?.items[s[o + ITEM]] ?? null;
  }

  /** Where an op starts: its first item, or (several shard groups) the choice of the first group. */
  private start(ci: number, pc: number): number {
    const op = this.cfg.clients[ci].ops[pc];
    return !op || op.groups.length === 1 ? 0 : op.items.length;
  }

  // AtomicLockState::try_acquire_shared / try_acquire_exclusive: can the CAS succeed on this word?
  private canAcquire(s: Flat, k: number, write: boolean): boolean {
    const o = keyAt(k);
    if (write) return s[o + WRITER] === 0 && s[o + READERS] === 0 && s[o + RWAIT] === 0 && s[o + WWAIT] === 0;
    if (s[o + WRITER] !== 0 || s[o + WWAIT] !== 0) return false;
    return !this.cfg.readerGuard || s[o + READERS] < this.readerMax;
  }

  /** The CAS and the owner bookkeeping of ObjectLockState::try_acquire_*_fast. */
  private take(s: Flat, ci: number, k: number, write: boolean): void {
    const o = keyAt(k), owner = this.cfg.clients[ci].owner;
    s[o + EXISTS] = 1;
    if (write) { s[o + WRITER] = 1; s[o + CUR] = owner + 1; } else {
      if (s[o + READERS] === this.readerMax) {
        // no guard: the add carries out of the reader field into readers_waiting
        s[o + READERS] = 0; s[o + GHOST] |= G_READERS_WRAPPED;
        if (s[o + RWAIT] < WAIT_MAX) s[o + RWAIT]++; else s[o + GHOST] |= G_RWAIT_SATURATED;
      } else s[o + READERS]++;
      s[o + OWNERS] |= 1 << owner; // shared_owners: pushed only if not already there
    }
    const co = clientAt(this.cfg, ci);
    s[co + HELD] |= 1 << k;
  }

  // AtomicLockState::inc_readers_waiting / inc_writers_waiting: saturate at 0xFFFF
  private incWaiting(s: Flat, k: number, write: boolean): void {
    const o = keyAt(k) + (write ? WWAIT : RWAIT);
    if (s[o] < WAIT_MAX) s[o]++; else s[keyAt(k) + GHOST] |= write ? G_WWAIT_SATURATED : G_RWAIT_SATURATED;
  }

  private decWaiting(s: Flat, k: number, write: boolean): void {
    const o = keyAt(k) + (write ? WWAIT : RWAIT);
    if (s[o] > 0) s[o]--;
  }

  /** Release one key as LockShard::release_lock does (the result is ignored: a guard's drop cannot fail). */
  private release(s: Flat, ci: number, k: number, write: boolean): void {
    const o = keyAt(k), owner = this.cfg.clients[ci].owner;
    s[clientAt(this.cfg, ci) + HELD] &= ~(1 << k);
    if (!s[o + EXISTS]) return;
    if (write) {
      // ObjectLockState::release_exclusive: only the current owner
      if (s[o + CUR] === owner + 1 && s[o + WRITER]) { s[o + WRITER] = 0; s[o + CUR] = 0; }
      return;
    }
    // ObjectLockState::release_shared: remove the owner from the list, then decrement the count
    if (!(s[o + OWNERS] & (1 << owner))) return; // "owner not found": nothing released
    if (s[o + READERS] === 0) return; // the word has no reader to release: the owner is put back
    s[o + OWNERS] &= ~(1 << owner);
    s[o + READERS]--;
  }

  /** The client moves past its current item: the next item of its shard group, else the choice of the next group, else HOLD. */
  private advance(s: Flat, ci: number): void {
    const co = clientAt(this.cfg, ci);
    const op = this.cfg.clients[ci].ops[s[co + PC]];
    const i = s[co + ITEM] + 1;
    s[co + DEADLINE] = 0;
    if (op.items.every((it) => s[co + HELD] & (1 << it.key))) s[co + PHASE] = HOLD;
    else { s[co + ITEM] = i < op.items.length && !op.groups.includes(i) ? i : op.items.length; s[co + PHASE] = IDLE; }
  }

  private nextOp(s: Flat, ci: number): void {
    const co = clientAt(this.cfg, ci);
    s[co + PC]++; s[co + ITEM] = this.start(ci, s[co + PC]); s[co + DEADLINE] = 0;
    s[co + PHASE] = s[co + PC] < this.cfg.clients[ci].ops.length ? IDLE : DONE;
  }

  actions(s: Flat): FastlockAction[] {
    const out: FastlockAction[] = [];
    let waiting = false;
    for (let ci = 0; ci < this.cfg.clients.length; ci++) {
      const co = clientAt(this.cfg, ci);
      const ph = s[co + PHASE];
      if (ph === IDLE) {
        const op = this.cfg.clients[ci].ops[s[co + PC]];
        if (s[co + ITEM] < op.items.length) out.push({ kind: 'lock', c: ci, item: s[co + ITEM] });
        // the HashMap of shard groups is iterated in no fixed order: any group not yet taken may come next
        else for (const g of op.groups) if (!(s[co + HELD] & (1 << op.items[g].key))) out.push({ kind: 'lock', c: ci, item: g });
      }
      else if (ph === WAIT || ph === PARKED) {
        const it = this.item(s, ci)!;
        const write = it.mode === 'write';
        const can = ph === WAIT ? this.canAcquire(s, it.key, write) : this.canRetry(s, it.key, write);
        if (can) out.push({ kind: 'retry', c: ci });
        if (ph === WAIT) out.push({ kind: 'park', c: ci });
        // backing off, the slow path tries before it looks at the deadline; parked, the notify wait's timeout fires regardless
        if (s[co + DEADLINE] > 0) waiting = true; else if (ph === PARKED || !can) out.push({ kind: 'timeout', c: ci });
      } else if (ph === HOLD) out.push({ kind: 'unlock', c: ci });
    }
    if (this.cfg.cleanup) {
      for (let k = 0; k < this.cfg.keys.length; k++) {
        const o = keyAt(k);
        // LockShard::cleanup_expired_batch: !is_locked() && !has_waiters() (the idle time abstracted away)
        if (s[o + EXISTS] && s[o + WRITER] === 0 && s[o + READERS] === 0 && s[o + RWAIT] === 0 && s[o + WWAIT] === 0) out.push({ kind: 'cleanup', k });
      }
    }
    if (waiting) out.push({ kind: 'tick' });
    return out;
  }

  /** A woken waiter takes its own count out of the word, then tries again (LockShard::acquire_lock_slow_path). */
  private canRetry(s: Flat, k: number, write: boolean): boolean {
    const t = s.slice();
    this.decWaiting(t, k, write);
    return this.canAcquire(t, k, write);
  }

  nextState(s0: Flat, a: FastlockAction): Flat {
    const s = s0.slice();
    if (a.kind === 'tick') {
      for (let ci = 0; ci < this.cfg.clients.length; ci++) {
        const co = clientAt(this.cfg, ci);
        if ((s[co + PHASE] === WAIT || s[co + PHASE] === PARKED) && s[co + DEADLINE] > 0) s[co + DEADLINE]--;
      }
      return s;
    }
    if (a.kind === 'cleanup') { const o = keyAt(a.k); for (let f = 0; f < KEY_FIELDS; f++) if (f !== GHOST) s[o + f] = 0; return s; }
    const ci = a.c, co = clientAt(this.cfg, ci);
    const op = this.cfg.clients[ci].ops[s[co + PC]];
    if (a.kind === 'unlock') {
      for (const it of op.items) if (s[co + HELD] & (1 << it.key)) this.release(s, ci, it.key, it.mode === 'write');
      this.nextOp(s, ci);
      return s;
    }
    if (a.kind === 'lock') s[co + ITEM] = a.item;
    const it = op.items[s[co + ITEM]];
    const write = it.mode === 'write';
    switch (a.kind) {
      case 'lock':
        // LockShard::acquire_lock: the fast path, else the slow path (get or create the entry, try once more, back off)
        if (this.canAcquire(s, it.key, write)) { this.take(s, ci, it.key, write); this.advance(s, ci); } else {
          s[keyAt(it.key) + EXISTS] = 1;
          s[co + PHASE] = WAIT; s[co + DEADLINE] = this.cfg.timeoutTicks;
        }
        break;
      case 'park':
        // acquire_lock_slow_path after MAX_RETRIES backoffs: get or create the entry, inc_*_waiting, wait for a notify
        s[keyAt(it.key) + EXISTS] = 1;
        this.incWaiting(s, it.key, write);
        s[co + PHASE] = PARKED;
        break;
      case 'retry':
        // woken (notify or backoff): a parked waiter takes its count out (dec_*_waiting) and tries again
        if (s[co + PHASE] === PARKED) this.decWaiting(s, it.key, write);
        this.take(s, ci, it.key, write);
        this.advance(s, ci);
        break;
      case 'timeout':
        if (s[co + PHASE] === PARKED) this.decWaiting(s, it.key, write);
        // acquire_locks_batch with all_or_nothing: release what the batch took
        if (this.cfg.allOrNothing) {
          for (const x of op.items) if (s[co + HELD] & (1 << x.key)) this.release(s, ci, x.key, x.mode === 'write');
          this.nextOp(s, ci);
        } else if (s[co + HELD]) { s[co + PHASE] = HOLD; s[co + DEADLINE] = 0; } else this.nextOp(s, ci);
        break;
    }
    return s;
  }

  encode(s: Flat, e: Encoder): void { encodeFlat(s, e); }
  decode(b: Uint8Array): Flat { return decodeFlat(b); }

  isFault(a: FastlockAction): boolean { return a.kind === 'tick' || a.kind === 'timeout'; }

  stuck(s: Flat): string | null {
    const waiting: string[] = [];
    for (let ci = 0; ci < this.cfg.clients.length; ci++) {
      const co = clientAt(this.cfg, ci);
      if (s[co + PHASE] === WAIT || s[co + PHASE] === PARKED) waiting.push(`${clientName(ci)} on ${this.cfg.keys[this.item(s, ci)!.key]}`);
    }
    return waiting.length ? `only a timeout ends the wait of ${waiting.join(', ')}` : null;
  }

  describe(s: Flat, a: FastlockAction): string {
    if (a.kind === 'tick') return 'tick';
    if (a.kind === 'cleanup') return `shard.${shardOf(this.cfg.keys[a.k], this.cfg.shards)} cleanup ${this.cfg.keys[a.k]}`;
    const co = clientAt(this.cfg, a.c);
    const op = this.cfg.clients[a.c].ops[s[co + PC]];
    const who = clientName(a.c);
    if (a.kind === 'unlock') return `${who} unlock ${op.items.filter((x) => s[co + HELD] & (1 << x.key)).map((x) => this.cfg.keys[x.key]).join(' ') || '(nothing held)'}`;
    const it = op.items[a.kind === 'lock' ? a.item : s[co + ITEM]];
    if (a.kind === 'lock') return `${who} lock ${this.cfg.keys[it.key]} ${it.mode}`;
    return `${who} ${a.kind} ${this.cfg.keys[it.key]}`;
  }

  actionKind(a: FastlockAction): string { return a.kind === 'lock' ? 'lock' : a.kind; }
  actionKinds(): readonly string[] { return ['lock', 'retry', 'park', 'timeout', 'unlock', 'cleanup', 'tick']; }

  /** Clients holding key k: [reader names], writer name or null (the ground truth, not the word). */
  holders(s: Flat, k: number): { readers: number[]; writers: number[] } {
    const readers: number[] = [], writers: number[] = [];
    for (let ci = 0; ci < this.cfg.clients.length; ci++) {
      const co = clientAt(this.cfg, ci);
      if (!(s[co + HELD] & (1 << k))) continue;
      const op = this.cfg.clients[ci].ops[s[co + PC]];
      const it = op.items.find((x) => x.key === k)!;
      (it.mode === 'write' ? writers : readers).push(ci);
    }
    return { readers, writers };
  }

  view(s: Flat): DesignView {
    const v = new Map<string, string>();
    const c = this.cfg;
    for (let k = 0; k < c.keys.length; k++) {
      const name = c.keys[k], o = keyAt(k);
      const h = this.holders(s, k);
      const others = c.readersStart.get(k) ?? 0;
      const rd = h.readers.map(clientName).concat(others ? [`${others} others`] : []);
      v.set(`lock ${name}`, h.writers.length ? `w ${h.writers.map(clientName).join(',')}${rd.length ? ` r ${rd.join(',')}` : ''}` : rd.length ? `r ${rd.join(',')}` : 'free');
      v.set(`entry ${name}`, s[o + EXISTS] ? `shard.${shardOf(name, c.shards)}` : 'none');
      v.set(`word ${name}`, s[o + EXISTS] ? `w=${s[o + WRITER]} r=${s[o + READERS]} rw=${s[o + RWAIT]} ww=${s[o + WWAIT]}${c.readerBits === 8 ? ` (0x${packWord(s, k).toString(16)})` : ''}` : '-');
      const owners = c.owners.filter((_, i) => s[o + OWNERS] & (1 << i));
      v.set(`owners ${name}`, s[o + CUR] ? `w ${c.owners[s[o + CUR] - 1]}` : owners.length ? `r ${owners.join(',')}` : '-');
    }
    for (let ci = 0; ci < c.clients.length; ci++) {
      const co = clientAt(c, ci), ph = s[co + PHASE];
      const it = this.item(s, ci);
      const op = c.clients[ci].ops[s[co + PC]];
      const next = it ? `next ${it.mode} ${c.keys[it.key]}` : `next one of ${op?.groups.filter((g) => !(s[co + HELD] & (1 << op.items[g].key))).map((g) => c.keys[op.items[g].key]).join(', ')}`;
      v.set(clientName(ci), ph === DONE ? 'done' : ph === HOLD ? 'holding' : ph === WAIT || ph === PARKED ? `${ph === WAIT ? 'backing off' : 'parked'} on ${c.keys[it!.key]} (${s[co + DEADLINE]} ticks left)` : next);
    }
    return v;
  }
}
