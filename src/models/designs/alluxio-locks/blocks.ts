// BlockLockManager over a flat state: mLocks (block -> ClientRWLock), the ResourcePool of
// ClientRWLocks it takes them from, each lock's reference count, and the lock records (one per
// client at most: a client locks one block per op). validate() as upstream writes it.
import type { Flat } from '../kit/flat.js';
import type { Mode } from './config.js';

/** Per ClientRWLock: block (+1; 0 in the pool), reference count, writer, readers. */
export const BBLOCK = 0, BREF = 1, BW = 2, BR = 3, BOBJ_FIELDS = 4;

export class BlockLayout {
  readonly size: number;
  constructor(readonly base: number, readonly blocks: number, readonly locks: number) {
    this.size = blocks + locks * BOBJ_FIELDS;
  }

  entry(s: Flat, b: number): number { return s[this.base + b] - 1; }
  obj(o: number): number { return this.base + this.blocks + o * BOBJ_FIELDS; }

  /** Can getBlockLock return now (the block has a lock, or the pool has one to give)? */
  canGet(s: Flat, b: number): boolean {
    if (this.entry(s, b) >= 0) return true;
    for (let o = 0; o < this.locks; o++) if (s[this.obj(o) + BBLOCK] === 0) return true;
    return false;
  }

  // BlockLockManager.getBlockLock: the block's lock gains a reference, or one from mLockPool is put in mLocks
  get(s: Flat, b: number): number {
    let o = this.entry(s, b);
    if (o < 0) {
      for (o = 0; s[this.obj(o) + BBLOCK] !== 0; o++);
      const at = this.obj(o);
      s[at + BBLOCK] = b + 1; s[at + BREF] = 0; s[at + BW] = 0; s[at + BR] = 0;
      s[this.base + b] = o + 1;
    }
    s[this.obj(o) + BREF]++;
    return o;
  }

  canLock(s: Flat, o: number, mode: Mode): boolean { const at = this.obj(o); return s[at + BW] === 0 && (mode === 'read' || s[at + BR] === 0); }
  lock(s: Flat, o: number, mode: Mode): void { if (mode === 'write') s[this.obj(o) + BW] = 1; else s[this.obj(o) + BR]++; }

  // unlock(lock, blockId): lock.unlock(), then releaseBlockLockIfUnused: drop a reference, at 0
  // remove it from mLocks and give it back to mLockPool
  release(s: Flat, b: number, o: number, mode: Mode): void {
    const at = this.obj(o);
    if (mode === 'write') s[at + BW] = 0; else s[at + BR]--;
    const e = this.entry(s, b);
    if (e < 0) return; // "someone else probably released the block lock already"
    const et = this.obj(e);
    if (--s[et + BREF] === 0) { s[this.base + b] = 0; s[et + BBLOCK] = 0; }
  }
}
