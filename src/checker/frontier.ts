// States waiting to be expanded, kept as their encoded bytes. Breadth-first search (shortest
// counterexamples) uses a queue of segments: once the segments in memory pass a budget, the
// newest full segments go to a temporary file and come back when the queue reaches them, so a
// long search's queue is bounded by the disk rather than memory (as TLC's queue is). Depth-first
// search uses a stack, which stays as short as the search is deep.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Frontier {
  readonly length: number;
  push(bytes: Uint8Array, len: number, id: number, depth: number, fp: Uint32Array): void;
  /** The next state to expand: its bytes (valid until the next pop), id, depth, and its fingerprint into `fp`. */
  pop(fp: Uint32Array): { bytes: Uint8Array; id: number; depth: number };
  /** Bytes of states held in memory, and written to disk so far. */
  readonly memoryBytes: number;
  readonly spilledBytes: number;
  /** Remove the spill file, if any. */
  close(): void;
}

export interface QueueOptions {
  /** Encoded states the queue keeps in memory before it spills to disk (default 2 GiB). */
  readonly memoryBytes?: number;
  /** Bytes per segment (default 16 MiB). */
  readonly segmentBytes?: number;
}

export const frontier = (lifo: boolean, o: QueueOptions = {}): Frontier => (lifo ? new Stack() : new Queue(o));

/** `data` (holding `end` bytes) with room for `len` more: itself, or a copy twice as large or more. */
function room(data: Uint8Array, end: number, len: number): Uint8Array {
  if (end + len <= data.length) return data;
  const b = new Uint8Array(Math.max(data.length * 2, end + len));
  b.set(data.subarray(0, end));
  return b;
}

/** Entries' index arrays, grown by doubling: start offset, id, depth, fingerprint. */
class Index {
  starts = new Float64Array(256);
  ids = new Int32Array(256);
  depths = new Int32Array(256);
  fps = new Uint32Array(512);
  count = 0;

  add(start: number, id: number, depth: number, fp: Uint32Array): void {
    if (this.count === this.ids.length) this.grow();
    const k = this.count++;
    this.starts[k] = start; this.ids[k] = id; this.depths[k] = depth;
    this.fps[2 * k] = fp[0]; this.fps[2 * k + 1] = fp[1];
  }

  private grow(): void {
    const n = this.ids.length * 2;
    const s = new Float64Array(n); s.set(this.starts); this.starts = s;
    const i = new Int32Array(n); i.set(this.ids); this.ids = i;
    const d = new Int32Array(n); d.set(this.depths); this.depths = d;
    const f = new Uint32Array(2 * n); f.set(this.fps); this.fps = f;
  }
}

/** A run of queued states: their bytes (in memory, or at `offset` in the spill file) and index. */
interface Segment { data: Uint8Array | null; end: number; offset: number; index: Index; head: number }

class Queue implements Frontier {
  private segments: Segment[] = [];
  private readonly budget: number;
  private readonly segmentBytes: number;
  private inMemory = 0;
  private file: { dir: string; fd: number; end: number } | null = null;
  spilledBytes = 0;
  private size = 0;

  constructor(o: QueueOptions) {
    this.budget = o.memoryBytes ?? 2 ** 31;
    this.segmentBytes = o.segmentBytes ?? 2 ** 24;
  }

  get length(): number { return this.size; }
  get memoryBytes(): number { return this.inMemory; }

  push(bytes: Uint8Array, len: number, id: number, depth: number, fp: Uint32Array): void {
    let tail = this.segments[this.segments.length - 1];
    if (!tail || tail.data === null || (tail.end + len > this.segmentBytes && tail.index.count > 0)) {
      if (tail) this.sealed(tail);
      tail = { data: new Uint8Array(Math.min(this.segmentBytes, 1 << 16)), end: 0, offset: -1, index: new Index(), head: 0 };
      this.inMemory += tail.data!.byteLength;
      this.segments.push(tail);
    }
    const data = room(tail.data!, tail.end, len);
    this.inMemory += data.byteLength - tail.data!.byteLength;
    tail.data = data;
    tail.data!.set(len === bytes.length ? bytes : bytes.subarray(0, len), tail.end);
    tail.index.add(tail.end, id, depth, fp);
    tail.end += len;
    this.size++;
  }

  pop(fp: Uint32Array): { bytes: Uint8Array; id: number; depth: number } {
    let head = this.segments[0];
    while (head.head === head.index.count) {
      this.segments.shift();
      if (head.data) this.inMemory -= head.data.byteLength;
      head = this.segments[0];
    }
    if (head.data === null) this.load(head);
    const x = head.index, k = head.head++;
    const stop = k + 1 < x.count ? x.starts[k + 1] : head.end;
    fp[0] = x.fps[2 * k]; fp[1] = x.fps[2 * k + 1];
    this.size--;
    return { bytes: head.data!.subarray(x.starts[k], stop), id: x.ids[k], depth: x.depths[k] };
  }

  close(): void {
    if (!this.file) return;
    closeSync(this.file.fd);
    rmSync(this.file.dir, { recursive: true, force: true });
    this.file = null;
  }

  /** A full segment: while the queue is over budget, the newest full segments go to disk (they are read last). */
  private sealed(s: Segment): void {
    if (this.inMemory <= this.budget || s === this.segments[0]) return;
    if (!this.file) {
      const dir = mkdtempSync(join(tmpdir(), 'mdslock-queue-'));
      this.file = { dir, fd: openSync(join(dir, 'queue'), 'w+'), end: 0 };
    }
    writeSync(this.file.fd, s.data!, 0, s.end, this.file.end);
    s.offset = this.file.end;
    this.file.end += s.end;
    this.spilledBytes += s.end;
    this.inMemory -= s.data!.byteLength;
    s.data = null;
  }

  private load(s: Segment): void {
    const data = new Uint8Array(Math.max(1, s.end));
    readSync(this.file!.fd, data, 0, s.end, s.offset);
    s.data = data;
    this.inMemory += data.byteLength;
  }
}

class Stack implements Frontier {
  private data: Uint8Array = new Uint8Array(1 << 16);
  private end = 0;
  private readonly index = new Index();
  readonly spilledBytes = 0;

  get length(): number { return this.index.count; }
  get memoryBytes(): number { return this.data.byteLength; }

  push(bytes: Uint8Array, len: number, id: number, depth: number, fp: Uint32Array): void {
    this.data = room(this.data, this.end, len);
    this.data.set(len === bytes.length ? bytes : bytes.subarray(0, len), this.end);
    this.index.add(this.end, id, depth, fp);
    this.end += len;
  }

  pop(fp: Uint32Array): { bytes: Uint8Array; id: number; depth: number } {
    const x = this.index, k = --x.count;
    const start = x.starts[k];
    fp[0] = x.fps[2 * k]; fp[1] = x.fps[2 * k + 1];
    // a copy: the next push writes where these bytes were
    const out = { bytes: this.data.slice(start, this.end), id: x.ids[k], depth: x.depths[k] };
    this.end = start;
    return out;
  }

  close(): void {}
}
