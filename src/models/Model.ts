// The model interface the checker explores, as Stateright's Model and TLC's spec: initial
// states, the actions enabled in a state, the next state, the properties, and a canonical
// encoding (the checker fingerprints it and keeps only the fingerprint). Models know nothing of
// the search; the checker knows nothing of the protocol.

/**
 * Writes a state's bytes; the checker keeps frontier states as bytes. The state's fingerprint is
 * the hash of those bytes, unless the model feeds its own hash of the state's content with
 * `mix` (a model whose bytes depend on a numbering its encoder made up as it went, which two
 * threads would make up differently).
 */
export class Encoder {
  buf = new Uint8Array(256);
  len = 0;
  /** The content hash, two 32-bit lanes, and whether the model fed it. */
  h1 = 0;
  h2 = 0;
  mixed = false;
  reset(): this { this.len = 0; this.h1 = 0x9747b28c; this.h2 = 0x3c6ef372; this.mixed = false; return this; }
  /** Feed a 32-bit value of the state's content to the fingerprint. */
  mix(x: number): void {
    let k = Math.imul(x | 0, 0xcc9e2d51); k = (k << 15) | (k >>> 17); k = Math.imul(k, 0x1b873593);
    let h = this.h1 ^ k; h = (h << 13) | (h >>> 19); this.h1 = (Math.imul(h, 5) + 0xe6546b64) | 0;
    h = Math.imul(this.h2 ^ k, 0x01000193); this.h2 = (h ^ (h >>> 15)) + Math.imul(k, 0x27d4eb2f) | 0;
    this.mixed = true;
  }
  u8(x: number): void {
    if (this.len === this.buf.length) this.grow();
    this.buf[this.len++] = x;
  }
  /** A non-negative integer, 7 bits per byte (small values: one byte). */
  uint(x: number): void {
    while (x >= 0x80) { this.u8((x & 0x7f) | 0x80); x = Math.floor(x / 128); }
    this.u8(x);
  }
  bytes(b: Uint8Array): void {
    while (this.len + b.length > this.buf.length) this.grow();
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  private grow(): void { const b = new Uint8Array(this.buf.length * 2); b.set(this.buf); this.buf = b; }
}

/** Reads what an Encoder wrote, in the same order. */
export class Decoder {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  u8(): number { return this.buf[this.pos++]; }
  uint(): number {
    let x = 0, mul = 1, b: number;
    do { b = this.buf[this.pos++]; x += (b & 0x7f) * mul; mul *= 128; } while (b & 0x80);
    return x;
  }
}

/** A property every reachable state must have; `check` says how a state breaks it, or null. */
export interface Property<S> {
  readonly name: string;
  check(s: S): string | null;
}

/** An action breaks an assertion of the protocol (Ceph's ceph_assert, SPIN's assert). */
export class ModelAssertion extends Error {
  constructor(readonly property: string, message: string) { super(message); }
}

/**
 * For a model whose state bytes use a numbering its encoder makes up as it goes (so two threads
 * write the same state differently): how one thread hands states to another.
 */
export interface Numbering {
  /** Where this thread's numbering stands (null: nothing sent yet), and what it added since `mark`. */
  since(mark: unknown): { readonly mark: unknown; readonly entries: unknown };
  /** Learn another thread's entries, in the order it sent them. */
  learn(from: number, entries: unknown): void;
  /** Another thread's state bytes, written in this thread's numbering. */
  translate(from: number, bytes: Uint8Array): Uint8Array;
}

export interface Model<S, A> {
  readonly name: string;
  initStates(): S[];
  /** The actions enabled in `s`, in a fixed order (traces are rebuilt by their index). */
  actions(s: S): A[];
  /** The state `a` leads to; `s` is left as it was. Throws ModelAssertion when an assertion fails. */
  nextState(s: S, a: A): S;
  /**
   * Optional: `nextState` done in place on a state the checker owns (one it just decoded),
   * for models whose states are cheaper to decode than to copy.
   */
  applyInPlace?(s: S, a: A): S;
  /** The canonical bytes of `s` (with `symmetry`, the same for states equal up to interchangeable ranks or clients). */
  encode(s: S, e: Encoder, symmetry: boolean): void;
  /** A state from its bytes (as encoded without symmetry reduction, or as one representative). */
  decode(b: Uint8Array): S;
  readonly properties: readonly Property<S>[];
  /** For a state with no action enabled: why that is a bad end (a stuck state), or null. */
  stuck?(s: S): string | null;
  /**
   * A fault (a rank failing, a request killed, a message duplicated) may happen in any state but
   * is not the protocol moving on: a state only faults would change is judged stuck all the same.
   */
  isFault?(a: A): boolean;
  /** An action as a trace line shows it. */
  describe(s: S, a: A): string;
  /** What an action exercises, for coverage (its kind, or the rule it runs). */
  actionKind?(a: A): string;
  /** Present when the model's bytes depend on its encoder's numbering (see Numbering). */
  readonly numbering?: Numbering;
  /** Every kind `actionKind` can name, so a report can list those never taken. */
  actionKinds?(): readonly string[];
}
