// Alluxio's LockPool (alluxio.collections.LockPool) over a flat state: a map from key to a
// Resource (a ReentrantReadWriteLock with a reference count), Resources taken from and given back
// to a reuse pool, and the evictor that marks an unreferenced entry (refcount CAS 0 -> MIN) and
// then removes the key through the map's iterator. Also BlockLockManager's ResourcePool of
// ClientRWLocks, in blocks.ts.
import { ModelAssertion } from '../../Model.js';
import type { Flat } from '../kit/flat.js';
import type { Mode, Watermarks } from './config.js';

/** Pool header: evicting (an eviction round is on), marked Resource (+1). */
const EVICTING = 0, MARKED = 1, HEADER = 2;
/** Per Resource: key (+1; 0 free, in the reuse pool), refcount, writer, readers. */
export const OKEY = 0, OREF = 1, OW = 2, OR = 3, OBJ_FIELDS = 4;

export class PoolLayout {
  readonly size: number;
  constructor(readonly base: number, readonly keys: number, readonly objects: number, readonly marks: Watermarks | null, readonly evictInUse: boolean) {
    this.size = HEADER + keys + objects * OBJ_FIELDS;
  }

  entry(s: Flat, key: number): number { return s[this.base + HEADER + key] - 1; }
  obj(o: number): number { return this.base + HEADER + this.keys + o * OBJ_FIELDS; }
  marked(s: Flat): number { return s[this.base + MARKED] - 1; }
  count(s: Flat): number { let n = 0; for (let k = 0; k < this.keys; k++) if (s[this.base + HEADER + k]) n++; return n; }

  // LockPool.getResource: mPool.compute(key): a live entry gains a reference (a marked one, at
  // MIN, does not count: incrementAndGet < 0), else a Resource from the reuse pool, reset to 1
  get(s: Flat, key: number): number {
    const cur = this.entry(s, key);
    if (cur >= 0 && cur !== this.marked(s)) { s[this.obj(cur) + OREF]++; return cur; }
    for (let o = 0; o < this.objects; o++) {
      const at = this.obj(o);
      if (s[at + OKEY] === 0 && o !== this.marked(s)) {
        s[at + OKEY] = key + 1; s[at + OREF] = 1; s[at + OW] = 0; s[at + OR] = 0;
        s[this.base + HEADER + key] = o + 1;
        return o;
      }
    }
    throw new ModelAssertion('model_bound', `no free Resource in a pool of ${this.objects}`);
  }

  canLock(s: Flat, o: number, mode: Mode): boolean {
    const at = this.obj(o);
    return s[at + OW] === 0 && (mode === 'read' || s[at + OR] === 0);
  }

  lock(s: Flat, o: number, mode: Mode): void { if (mode === 'write') s[this.obj(o) + OW] = 1; else s[this.obj(o) + OR]++; }

  // RefCountLockResource.close: unlock, then drop the reference; a Resource out of the map with no
  // reference left is garbage (its slot is free again)
  release(s: Flat, o: number, mode: Mode): void {
    const at = this.obj(o);
    if (mode === 'write') s[at + OW] = 0; else s[at + OR]--;
    s[at + OREF]--;
    if (s[at + OREF] === 0 && this.entry(s, s[at + OKEY] - 1) !== o && this.marked(s) !== o) s[at + OKEY] = 0;
  }

  /** Keys the evictor may mark now (Evictor.awaitAndEvict: over the high watermark, then down to the low one). */
  markable(s: Flat): number[] {
    if (!this.marks || this.marked(s) >= 0) return [];
    const n = this.count(s);
    if (!(n > this.marks.high || (s[this.base + EVICTING] && n > this.marks.low))) return [];
    const out: number[] = [];
    for (let k = 0; k < this.keys; k++) {
      const o = this.entry(s, k);
      if (o >= 0 && (this.evictInUse || s[this.obj(o) + OREF] === 0)) out.push(k);
    }
    return out;
  }

  // candidate.mRefCount.compareAndSet(0, Integer.MIN_VALUE)
  mark(s: Flat, key: number): void { s[this.base + MARKED] = this.entry(s, key) + 1; s[this.base + EVICTING] = 1; }

  /** The key of the marked Resource, or -1. */
  markedKey(s: Flat): number { const o = this.marked(s); return o < 0 ? -1 : s[this.obj(o) + OKEY] - 1; }

  // mIterator.remove(): ConcurrentHashMap's iterator removes the key whatever it maps to now
  // (replaceNode(key, null, null)); then mResueLockPool.release(candidate)
  remove(s: Flat): void {
    const o = this.marked(s), at = this.obj(o);
    s[this.base + HEADER + s[at + OKEY] - 1] = 0;
    s[this.base + MARKED] = 0;
    if (s[at + OREF] === 0) { s[at + OKEY] = 0; s[at + OW] = 0; s[at + OR] = 0; }
    if (this.count(s) <= this.marks!.low) s[this.base + EVICTING] = 0;
  }
}
