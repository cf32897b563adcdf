// The alluxio-locks model: clients run path ops through InodeLockManager (one lock at a time
// from the inode or edge LockPool, in Alluxio's order: root to leaf, edge then inode; blocking
// lock(), no timeout) and block ops through BlockLockManager; the two LockPool evictors mark and
// remove unreferenced entries when a pool is over its high watermark; a block session may be
// cleaned up while it holds (a fault).
import type { Encoder, Property } from '../../Model.js';
import type { DesignModel, DesignView } from '../design.js';
import { clientName, decodeFlat, encodeFlat, type Flat } from '../kit/flat.js';
import { BlockLayout } from './blocks.js';
import type { AlluxioConfig, Op, PoolKind, Step } from './config.js';
import { PoolLayout } from './lockpool.js';
import { alluxioProperties } from './properties.js';

/** Per client: phase, op index, step (lock) index, lock record (block ops), Resource refs per step (+1). */
export const PHASE = 0, PC = 1, STEP = 2, REC = 3, REFS = 4, MAX_STEPS = 5, CLIENT_FIELDS = REFS + MAX_STEPS;
export const IDLE = 0, WAIT = 1, POOLWAIT = 2, HOLD = 3, DONE = 4, DEAD = 5;

export type AlluxioAction =
  | { readonly kind: 'lock' | 'retry' | 'unlock' | 'cleanup'; readonly c: number }
  | { readonly kind: 'mark'; readonly pool: PoolKind; readonly key: number }
  | { readonly kind: 'remove'; readonly pool: PoolKind };

export class AlluxioModel implements DesignModel<Flat, AlluxioAction> {
  readonly name: string;
  readonly properties: readonly Property<Flat>[];
  readonly inode: PoolLayout;
  readonly edge: PoolLayout;
  readonly block: BlockLayout;
  private readonly clientBase: number;

  constructor(readonly cfg: AlluxioConfig) {
    this.name = `alluxio-locks ${cfg.clients.length} clients`;
    const spare = cfg.clients.length * MAX_STEPS + 1; // Resources out of the map while referenced (each step of each client), and the marked one
    this.inode = new PoolLayout(0, cfg.inodes.length, cfg.inodes.length + spare, cfg.inodePool, cfg.evictInUse);
    this.edge = new PoolLayout(this.inode.size, cfg.edges.length, cfg.edges.length + spare, cfg.edgePool, cfg.evictInUse);
    this.block = new BlockLayout(this.edge.base + this.edge.size, cfg.blocks.length, cfg.blockLocks);
    this.clientBase = this.block.base + this.block.size;
    this.properties = alluxioProperties(this);
  }

  pool(p: PoolKind): PoolLayout { return p === 'inode' ? this.inode : this.edge; }
  keyName(p: PoolKind, k: number): string { return `${p} ${(p === 'inode' ? this.cfg.inodes : this.cfg.edges)[k]}`; }
  c(ci: number): number { return this.clientBase + ci * CLIENT_FIELDS; }
  op(s: Flat, ci: number): Op | undefined { return this.cfg.clients[ci].ops[s[this.c(ci) + PC]]; }

  initStates(): Flat[] { return [new Array(this.clientBase + this.cfg.clients.length * CLIENT_FIELDS).fill(0)]; }

  /** The path steps a client holds now (all in HOLD; those before STEP otherwise). */
  heldSteps(s: Flat, ci: number): { step: Step; obj: number }[] {
    const o = this.c(ci), op = this.op(s, ci), ph = s[o + PHASE];
    if (!op || op.kind !== 'path' || ph === DONE || ph === DEAD) return [];
    const n = ph === HOLD ? op.steps.length : s[o + STEP];
    return op.steps.slice(0, n).map((step, i) => ({ step, obj: s[o + REFS + i] - 1 }));
  }

  actions(s: Flat): AlluxioAction[] {
    const out: AlluxioAction[] = [];
    for (let ci = 0; ci < this.cfg.clients.length; ci++) {
      const o = this.c(ci), ph = s[o + PHASE], op = this.op(s, ci);
      if (ph === IDLE) out.push({ kind: 'lock', c: ci });
      else if (ph === WAIT) {
        if (op!.kind === 'path') { const st = op!.steps[s[o + STEP]]; if (this.pool(st.pool).canLock(s, s[o + REFS + s[o + STEP]] - 1, st.mode)) out.push({ kind: 'retry', c: ci }); }
        else if (this.block.canLock(s, s[o + REFS] - 1, op!.mode)) out.push({ kind: 'retry', c: ci });
      } else if (ph === POOLWAIT) { if (op!.kind === 'block' && this.block.canGet(s, op!.block)) out.push({ kind: 'retry', c: ci }); }
      else if (ph === HOLD) {
        out.push({ kind: 'unlock', c: ci });
        if (this.cfg.crashes && op!.kind === 'block') out.push({ kind: 'cleanup', c: ci });
      }
    }
    for (const p of ['inode', 'edge'] as const) {
      const pool = this.pool(p);
      if (pool.marked(s) >= 0) out.push({ kind: 'remove', pool: p });
      for (const key of pool.markable(s)) out.push({ kind: 'mark', pool: p, key });
    }
    return out;
  }

  /** Take the lock of the client's current step on Resource `obj`, or wait for it. */
  private tryStep(s: Flat, ci: number): void {
    const o = this.c(ci), op = this.op(s, ci)!;
    if (op.kind === 'block') {
      const obj = s[o + REFS] - 1;
      if (!this.block.canLock(s, obj, op.mode)) { s[o + PHASE] = WAIT; return; }
      this.block.lock(s, obj, op.mode);
      s[o + REC] = 1; // mLockIdToRecordMap.put / mBlockIdToLockIdsMap add
      s[o + PHASE] = HOLD;
      return;
    }
    const i = s[o + STEP], st = op.steps[i], pool = this.pool(st.pool), obj = s[o + REFS + i] - 1;
    if (!pool.canLock(s, obj, st.mode)) { s[o + PHASE] = WAIT; return; }
    pool.lock(s, obj, st.mode);
    if (i + 1 < op.steps.length) { s[o + STEP] = i + 1; s[o + PHASE] = IDLE; } else s[o + PHASE] = HOLD;
  }

  private nextOp(s: Flat, ci: number, dead = false): void {
    const o = this.c(ci);
    s[o + PC]++; s[o + STEP] = 0; s[o + REC] = 0;
    for (let i = 0; i < MAX_STEPS; i++) s[o + REFS + i] = 0;
    s[o + PHASE] = dead ? DEAD : s[o + PC] < this.cfg.clients[ci].ops.length ? IDLE : DONE;
  }

  nextState(s0: Flat, a: AlluxioAction): Flat {
    const s = s0.slice();
    if (a.kind === 'mark') { this.pool(a.pool).mark(s, a.key); return s; }
    if (a.kind === 'remove') { this.pool(a.pool).remove(s); return s; }
    const ci = a.c, o = this.c(ci), op = this.op(s, ci)!;
    switch (a.kind) {
      case 'lock':
        if (op.kind === 'path') {
          // InodeLockManager.lockInode / lockEdge -> LockPool.get: getResource, then lock()
          const st = op.steps[s[o + STEP]];
          s[o + REFS + s[o + STEP]] = this.pool(st.pool).get(s, st.key) + 1;
          this.tryStep(s, ci);
        } else if (!this.block.canGet(s, op.block)) s[o + PHASE] = POOLWAIT; // mLockPool.acquire blocks (1 s at a time, forever)
        else { s[o + REFS] = this.block.get(s, op.block) + 1; this.tryStep(s, ci); }
        break;
      case 'retry':
        if (s[o + PHASE] === POOLWAIT && op.kind === 'block') s[o + REFS] = this.block.get(s, op.block) + 1;
        this.tryStep(s, ci);
        break;
      case 'unlock':
      case 'cleanup': // BlockLockManager.cleanupSession: its records removed and their locks unlocked
        if (op.kind === 'path') {
          for (const h of this.heldSteps(s, ci).reverse()) this.pool(h.step.pool).release(s, h.obj, h.step.mode);
        } else {
          s[o + REC] = 0; // unlockBlock: the record goes first
          this.block.release(s, op.block, s[o + REFS] - 1, op.mode);
        }
        this.nextOp(s, ci, a.kind === 'cleanup');
        break;
    }
    return s;
  }

  encode(s: Flat, e: Encoder): void { encodeFlat(s, e); }
  decode(b: Uint8Array): Flat { return decodeFlat(b); }
  isFault(a: AlluxioAction): boolean { return a.kind === 'cleanup'; }

  stuck(s: Flat): string | null {
    const waiting: string[] = [];
    for (let ci = 0; ci < this.cfg.clients.length; ci++) {
      const ph = s[this.c(ci) + PHASE];
      if (ph === WAIT || ph === POOLWAIT) waiting.push(`${clientName(ci)} on ${this.target(s, ci)}`);
    }
    return waiting.length ? `deadlock: ${waiting.join(', ')} wait and nothing can move` : null;
  }

  /** What a client's current step locks: `inode /a`, `edge /a/b`, `block.1`. */
  private target(s: Flat, ci: number): string {
    const op = this.op(s, ci)!;
    if (op.kind === 'block') return this.cfg.blocks[op.block];
    const st = op.steps[s[this.c(ci) + STEP]];
    return this.keyName(st.pool, st.key);
  }

  describe(s: Flat, a: AlluxioAction): string {
    if (a.kind === 'mark') return `${a.pool} evictor mark ${(a.pool === 'inode' ? this.cfg.inodes : this.cfg.edges)[a.key]}`;
    if (a.kind === 'remove') { const p = this.pool(a.pool); return `${a.pool} evictor remove ${(a.pool === 'inode' ? this.cfg.inodes : this.cfg.edges)[p.markedKey(s)]}`; }
    const who = clientName(a.c), op = this.op(s, a.c)!;
    if (a.kind === 'cleanup') return `session.${a.c + 1} cleanup`;
    if (a.kind === 'unlock') return `${who} unlock ${op.text.split(' ')[1]}`;
    const mode = op.kind === 'block' ? op.mode : op.steps[s[this.c(a.c) + STEP]].mode;
    return a.kind === 'lock' ? `${who} lock ${this.target(s, a.c)} ${mode}` : `${who} retry ${this.target(s, a.c)}`;
  }

  actionKind(a: AlluxioAction): string { return a.kind; }
  actionKinds(): readonly string[] { return ['lock', 'retry', 'unlock', 'cleanup', 'mark', 'remove']; }

  /** Holders of a pool key or a block: readers and writers (the ground truth, whatever Resource they locked). */
  holders(s: Flat, what: { pool: PoolKind; key: number } | { block: number }): { readers: number[]; writers: number[] } {
    const readers: number[] = [], writers: number[] = [];
    for (let ci = 0; ci < this.cfg.clients.length; ci++) {
      if ('block' in what) {
        const op = this.op(s, ci);
        if (op?.kind === 'block' && op.block === what.block && s[this.c(ci) + PHASE] === HOLD) (op.mode === 'write' ? writers : readers).push(ci);
        continue;
      }
      for (const h of this.heldSteps(s, ci)) if (h.step.pool === what.pool && h.step.key === what.key) (h.step.mode === 'write' ? writers : readers).push(ci);
    }
    return { readers, writers };
  }

  view(s: Flat): DesignView {
    const v = new Map<string, string>();
    const show = (h: { readers: number[]; writers: number[] }) => h.writers.length ? `w ${h.writers.map(clientName).join(',')}${h.readers.length ? ` r ${h.readers.map(clientName).join(',')}` : ''}` : h.readers.length ? `r ${h.readers.map(clientName).join(',')}` : 'free';
    for (const p of ['inode', 'edge'] as const) {
      const pool = this.pool(p), names = p === 'inode' ? this.cfg.inodes : this.cfg.edges;
      names.forEach((n, k) => {
        v.set(`lock ${p} ${n}`, show(this.holders(s, { pool: p, key: k })));
        const e = pool.entry(s, k);
        v.set(`refcount ${p} ${n}`, e < 0 ? '-' : e === pool.marked(s) ? 'marked' : String(s[pool.obj(e) + 1]));
      });
      v.set(`pool ${p}`, `size ${pool.count(s)}`);
    }
    this.cfg.blocks.forEach((n, b) => {
      v.set(`lock ${n}`, show(this.holders(s, { block: b })));
      const e = this.block.entry(s, b);
      v.set(`refcount ${n}`, e < 0 ? '-' : String(s[this.block.obj(e) + 1]));
      v.set(`records ${n}`, String(this.records(s, b)));
    });
    if (this.cfg.blocks.length) v.set('validate()', this.validate(s) ?? 'ok');
    for (let ci = 0; ci < this.cfg.clients.length; ci++) {
      const o = this.c(ci), ph = s[o + PHASE], op = this.op(s, ci);
      v.set(clientName(ci), ph === DONE ? 'done' : ph === DEAD ? 'dead' : ph === HOLD ? `holding ${op!.text}` : ph === IDLE ? `next ${this.target(s, ci)}` : `waiting ${this.target(s, ci)}${ph === POOLWAIT ? ' (lock pool)' : ''}`);
    }
    return v;
  }

  /** Lock records of block b. */
  records(s: Flat, b: number): number {
    let n = 0;
    for (let ci = 0; ci < this.cfg.clients.length; ci++) { const op = this.op(s, ci); if (op?.kind === 'block' && op.block === b && s[this.c(ci) + REC]) n++; }
    return n;
  }

  // BlockLockManager.validate: for every lock in mLocks, its reference count equals its block's records
  validate(s: Flat): string | null {
    for (let b = 0; b < this.cfg.blocks.length; b++) {
      const e = this.block.entry(s, b);
      if (e < 0) continue;
      const ref = s[this.block.obj(e) + 1], rec = this.records(s, b);
      if (ref !== rec) return `fails: ${this.cfg.blocks[b]} has ${rec} lock record(s) but reference count ${ref}`;
    }
    return null;
  }
}
