// States waiting to be expanded, kept as their encoded bytes in one growing arena with typed
// index arrays: first in, first out for breadth-first search (shortest counterexamples), last in,
// first out for depth-first.
export class Frontier {
  private data = new Uint8Array(1 << 16);
  private end = 0;
  /** Per entry: start offset, state id, depth, fingerprint (two words). */
  private starts = new Float64Array(1024);
  private ids = new Int32Array(1024);
  private depths = new Int32Array(1024);
  private fps = new Uint32Array(2048);
  private count = 0;
  private head = 0;

  constructor(private readonly lifo: boolean) {}

  get length(): number { return this.count - this.head; }

  push(bytes: Uint8Array, len: number, id: number, depth: number, fp: Uint32Array): void {
    if (this.end + len > this.data.length) this.grow(len);
    this.data.set(len === bytes.length ? bytes : bytes.subarray(0, len), this.end);
    if (this.count === this.ids.length) this.growIndex();
    this.starts[this.count] = this.end;
    this.ids[this.count] = id;
    this.depths[this.count] = depth;
    this.fps[2 * this.count] = fp[0];
    this.fps[2 * this.count + 1] = fp[1];
    this.count++;
    this.end += len;
  }

  /** The next state to expand: its bytes (valid until the next pop), id, depth and fingerprint (into `fp`). */
  pop(fp: Uint32Array): { bytes: Uint8Array; id: number; depth: number } {
    if (this.lifo) {
      const k = --this.count;
      const start = this.starts[k];
      fp[0] = this.fps[2 * k]; fp[1] = this.fps[2 * k + 1];
      // a copy: the next push writes where these bytes were
      const out = { bytes: this.data.slice(start, this.end), id: this.ids[k], depth: this.depths[k] };
      this.end = start;
      return out;
    }
    if (this.head > 4096 && this.head * 2 > this.count) this.compact();
    const k = this.head++;
    const start = this.starts[k];
    fp[0] = this.fps[2 * k]; fp[1] = this.fps[2 * k + 1];
    const stop = k + 1 < this.count ? this.starts[k + 1] : this.end;
    return { bytes: this.data.subarray(start, stop), id: this.ids[k], depth: this.depths[k] };
  }

  /** Bytes the arena holds. */
  get bytes(): number { return this.data.byteLength; }

  private compact(): void {
    const from = this.starts[this.head];
    this.data.copyWithin(0, from, this.end);
    this.end -= from;
    const n = this.count - this.head;
    for (let i = 0; i < n; i++) this.starts[i] = this.starts[this.head + i] - from;
    this.ids.copyWithin(0, this.head, this.count);
    this.depths.copyWithin(0, this.head, this.count);
    this.fps.copyWithin(0, 2 * this.head, 2 * this.count);
    this.count = n;
    this.head = 0;
  }

  private grow(need: number): void {
    const b = new Uint8Array(Math.max(this.data.length * 2, this.end + need));
    b.set(this.data.subarray(0, this.end));
    this.data = b;
  }

  private growIndex(): void {
    const n = this.ids.length * 2;
    const s = new Float64Array(n); s.set(this.starts); this.starts = s;
    const i = new Int32Array(n); i.set(this.ids); this.ids = i;
    const d = new Int32Array(n); d.set(this.depths); this.depths = d;
    const f = new Uint32Array(2 * n); f.set(this.fps); this.fps = f;
  }
}
