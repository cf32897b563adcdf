// The visited set: 64-bit fingerprints of canonical state bytes in an open-addressing hash table
// on typed arrays (a JS Set or Map stops at 2^24 entries and costs ~50 bytes per entry). Each
// distinct state gets an id in discovery order, kept in its slot beside the fingerprint (a probe
// touches one place in memory), and its parent's id, from which a trace is rebuilt by re-running
// actions (as Stateright does). Per state: 12-byte slots at load 1/4 to 1/2 (24-48 bytes) and
// a 4-byte parent id.
import type { Encoder, Model } from '../models/Model.js';

/** Two independent 32-bit hashes of the bytes (murmur3's mixing), together a 64-bit fingerprint. */
export function fingerprint(b: Uint8Array, out: Uint32Array, len = b.length): void {
  let h1 = 0x9747b28c ^ len, h2 = 0x3c6ef372 ^ Math.imul(len, 0x85ebca6b);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    let k = b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
    k = Math.imul(k, 0xcc9e2d51); k = (k << 15) | (k >>> 17); k = Math.imul(k, 0x1b873593);
    h1 ^= k; h1 = (h1 << 13) | (h1 >>> 19); h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    h2 = Math.imul(h2 ^ k, 0x01000193); h2 ^= h2 >>> 15; h2 = (h2 + Math.imul(k, 0x27d4eb2f)) | 0;
  }
  let k = 0;
  for (let j = 0; i < len; i++, j += 8) k |= b[i] << j;
  k = Math.imul(k, 0xcc9e2d51); k = (k << 15) | (k >>> 17); k = Math.imul(k, 0x1b873593);
  h1 ^= k; h2 = Math.imul(h2 ^ k, 0x01000193);
  out[0] = fmix(h1);
  out[1] = fmix(h2 ^ (h1 >>> 7));
}

/** A state's fingerprint: its encoder's content hash if the model fed one, else its bytes' hash. */
export function stateFingerprint(e: Encoder, out: Uint32Array): void {
  if (!e.mixed) { fingerprint(e.buf, out, e.len); return; }
  out[0] = fmix(e.h1); // not the byte length: that depends on the thread's numbering
  out[1] = fmix(e.h2 ^ (e.h1 >>> 7));
}

/** Encode `s` into `e` (canonical, with `symmetry`) and put its fingerprint in `out`. */
export function fingerprintOf<S>(model: Model<S, unknown>, s: S, e: Encoder, out: Uint32Array, symmetry: boolean): void {
  model.encode(s, e.reset(), symmetry);
  stateFingerprint(e, out);
}

/** TLC's optimistic estimate that two of `n` distinct states among `generated` shared a 64-bit fingerprint: n(g-n)/2^64. */
export const collisionEstimate = (n: number, generated: number): number => (n * Math.max(0, generated - n)) / 2 ** 64;

function fmix(h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
  return h >>> 0;
}

export class FingerprintTable {
  /** Slots of three words: fingerprint high, low, id + 1 (0: empty); one cache line holds a probe. */
  private slots: Uint32Array;
  private mask: number;
  private parents: Int32Array;
  size = 0;

  constructor(capacity = 1 << 10) {
    const cap = 1 << Math.max(4, Math.ceil(Math.log2(capacity * 2)));
    this.slots = new Uint32Array(cap * 3);
    this.mask = cap - 1;
    this.parents = new Int32Array(capacity);
  }

  /** The id of a new fingerprint, or -1 when it was seen already. */
  add(fp: Uint32Array, parent: number): number {
    const h = fp[0], l = fp[1];
    const slots = this.slots;
    let i = (h ^ Math.imul(l, 0x9e3779b1)) & this.mask;
    for (;;) {
      const at = i * 3;
      if (slots[at + 2] === 0) break;
      if (slots[at] === h && slots[at + 1] === l) return -1;
      i = (i + 1) & this.mask;
    }
    const id = this.size++;
    if (id === this.parents.length) { const p = new Int32Array(id * 2); p.set(this.parents); this.parents = p; }
    this.parents[id] = parent;
    slots[i * 3] = h; slots[i * 3 + 1] = l; slots[i * 3 + 2] = id + 1;
    if (this.size * 2 > this.mask + 1) this.rehash();
    return id;
  }

  /** The id stored under a fingerprint, or -1. */
  find(fp: Uint32Array): number {
    let i = (fp[0] ^ Math.imul(fp[1], 0x9e3779b1)) & this.mask;
    for (;;) {
      const at = i * 3;
      if (this.slots[at + 2] === 0) return -1;
      if (this.slots[at] === fp[0] && this.slots[at + 1] === fp[1]) return this.slots[at + 2] - 1;
      i = (i + 1) & this.mask;
    }
  }

  parent(id: number): number { return this.parents[id]; }

  /** The ids from an initial state to `id`, along parent links. */
  path(id: number): number[] {
    const p: number[] = [];
    for (let x = id; x >= 0; x = this.parents[x]) p.push(x);
    return p.reverse();
  }
  matches(id: number, fp: Uint32Array): boolean { return this.find(fp) === id; }

  /** Bytes held per stored state (the table's arrays over the states stored). */
  bytesPerState(): number { return (this.slots.byteLength + this.parents.byteLength) / Math.max(1, this.size); }

  private rehash(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    const slots = new Uint32Array(cap * 3);
    const mask = cap - 1;
    for (let at = 0; at < old.length; at += 3) {
      if (old[at + 2] === 0) continue;
      let i = (old[at] ^ Math.imul(old[at + 1], 0x9e3779b1)) & mask;
      while (slots[i * 3 + 2] !== 0) i = (i + 1) & mask;
      slots[i * 3] = old[at]; slots[i * 3 + 1] = old[at + 1]; slots[i * 3 + 2] = old[at + 2];
    }
    this.slots = slots;
    this.mask = mask;
  }
}
