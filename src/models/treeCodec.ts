// A canonical byte encoding of a tree of plain objects, arrays and class instances (the
// simulated cluster is one: immer needs it acyclic and unshared), and its decoding back into
// instances of the same classes. Strings, keys and classes are numbered the first time they are
// seen (the numbering is the codec's, kept for the whole exploration), and an object is written
// as its shape (class and key list) and its values, so an encoded cluster is compact. Objects
// named as constants (a lock type's static data) are encoded by reference.
// Object keys are written in the object's own order: two states built in different orders may
// encode differently, which only costs the search a duplicate, never a lost state.
import type { Decoder, Encoder } from './Model.js';

const T_UNDEF = 0, T_NULL = 1, T_FALSE = 2, T_TRUE = 3, T_UINT = 4, T_NEG = 5, T_FLOAT = 6, T_STR = 7, T_ARRAY = 8, T_OBJECT = 9, T_CONST = 10;
/** Tags from T_SMALL up are the integers 0..255-T_SMALL themselves (most counters, states, ranks). */
const T_SMALL = 16;

export class TreeCodec {
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private readonly shapes: { proto: object; keys: readonly string[]; hash: number; decode: (d: Decoder) => unknown; encode: (v: unknown, e: Encoder) => void }[] = [];
  private readonly shapesOf = new Map<object, number[]>();
  private readonly constIds = new Map<object, number>();
  private readonly f64 = new Float64Array(1);
  private readonly f64b = new Uint8Array(this.f64.buffer);
  private readonly f64w = new Uint32Array(this.f64.buffer);
  /** Per string number, a hash of the string's characters. */
  private readonly stringHashes: number[] = [];

  /** `constants`: objects shared by every state, written as their index. */
  constructor(private readonly constants: readonly object[] = []) {
    constants.forEach((c, i) => this.constIds.set(c, i));
  }

  /**
   * Write `v`, and feed the encoder's fingerprint with its content: string and shape numbers are
   * this codec's own, so what is hashed is each string's and shape's content hash instead,
   * which every codec computes alike.
   */
  encode(v: unknown, e: Encoder): void {
    switch (typeof v) {
      case 'undefined': e.u8(T_UNDEF); e.mix(T_UNDEF); return;
      case 'boolean': { const t = v ? T_TRUE : T_FALSE; e.u8(t); e.mix(t); return; }
      case 'number':
        if (Number.isSafeInteger(v)) {
          if (v >= 0 && v <= 255 - T_SMALL) { e.u8(T_SMALL + v); e.mix(T_SMALL + v); return; }
          const t = v >= 0 ? T_UINT : T_NEG, a = Math.abs(v);
          e.u8(t); e.uint(a);
          e.mix(t); e.mix(a % 0x100000000); e.mix(Math.floor(a / 0x100000000));
          return;
        }
        this.f64[0] = v;
        e.u8(T_FLOAT); e.bytes(this.f64b);
        e.mix(T_FLOAT); e.mix(this.f64w[0]); e.mix(this.f64w[1]);
        return;
      case 'string': { const id = this.stringId(v); e.u8(T_STR); e.uint(id); e.mix(T_STR); e.mix(this.stringHashes[id]); return; }
      case 'object': {
        if (v === null) { e.u8(T_NULL); e.mix(T_NULL); return; }
        const c = this.constIds.get(v);
        if (c !== undefined) { e.u8(T_CONST); e.uint(c); e.mix(T_CONST); e.mix(c); return; }
        if (Array.isArray(v)) {
          e.u8(T_ARRAY); e.uint(v.length); e.mix(T_ARRAY); e.mix(v.length);
          for (let i = 0; i < v.length; i++) this.encode(v[i], e);
          return;
        }
        // an object is its shape (class and key list, numbered once) and its values
        const id = this.shapeId(Object.getPrototypeOf(v) as object, Object.keys(v));
        const shape = this.shapes[id];
        e.u8(T_OBJECT); e.uint(id); e.mix(T_OBJECT); e.mix(shape.hash);
        shape.encode(v, e);
        return;
      }
      default: throw new TypeError(`treeCodec: cannot encode a ${typeof v}`);
    }
  }

  decode(d: Decoder): unknown {
    const t = d.u8();
    switch (t) {
      case T_UNDEF: return undefined;
      case T_NULL: return null;
      case T_FALSE: return false;
      case T_TRUE: return true;
      case T_UINT: return d.uint();
      case T_NEG: return -d.uint();
      case T_FLOAT: { for (let i = 0; i < 8; i++) this.f64b[i] = d.u8(); return this.f64[0]; }
      case T_STR: return this.strings[d.uint()];
      case T_CONST: return this.constants[d.uint()];
      case T_ARRAY: { const n = d.uint(); const a = new Array(n); for (let i = 0; i < n; i++) a[i] = this.decode(d); return a; }
      case T_OBJECT: return this.shapes[d.uint()].decode(d);
      default:
        if (t >= T_SMALL) return t - T_SMALL;
        throw new Error(`treeCodec: bad tag ${t}`);
    }
  }

  private stringId(s: string, append = false): number {
    let id = append ? undefined : this.stringIds.get(s);
    if (id === undefined) { id = this.strings.length; this.strings.push(s); this.stringIds.set(s, id); this.stringHashes.push(textHash(s)); }
    return id;
  }

  /** Where the numbering stands: entries after it are new to a thread that has seen up to it. */
  mark(): CodecMark { return { strings: this.strings.length, shapes: this.shapes.length }; }

  /** The strings and shapes numbered since `from`, in order, for another thread's mirror. */
  entriesSince(from: CodecMark): CodecEntries {
    return { strings: this.strings.slice(from.strings), shapes: this.shapes.slice(from.shapes).map((x) => ({ cls: className(x.proto), keys: x.keys.slice() })) };
  }

  /**
   * Append another codec's entries, in its order, so this codec (used only to read that one's
   * bytes) numbers everything as it does. `classes` finds a class's prototype by its name.
   */
  learn(e: CodecEntries, classes: ReadonlyMap<string, object>): void {
    for (const str of e.strings) this.stringId(str, true);
    for (const x of e.shapes) {
      const proto = classes.get(x.cls);
      if (!proto) throw new Error(`treeCodec: no class named ${x.cls} to read another thread's state`);
      this.addShape(proto, x.keys);
    }
  }

  private shapeId(proto: object, keys: readonly string[]): number {
    const list = this.shapesOf.get(proto);
    if (list !== undefined) {
      next: for (const id of list) {
        const k = this.shapes[id].keys;
        if (k.length !== keys.length) continue;
        for (let i = 0; i < k.length; i++) if (k[i] !== keys[i]) continue next;
        return id;
      }
    }
    return this.addShape(proto, keys);
  }

  private addShape(proto: object, keys: readonly string[]): number {
    let list = this.shapesOf.get(proto);
    if (list === undefined) this.shapesOf.set(proto, (list = []));
    const id = this.shapes.length;
    // a decoder per shape: stores to named properties stay monomorphic (a loop over the key
    // list would make every store a slow keyed one)
    const body = `const o = Object.create(P);\n${keys.map((k) => `o[${JSON.stringify(k)}] = dec(d);`).join('\n')}\nreturn o;`;
    const make = new Function('P', 'dec', `return (d) => { ${body} };`) as (p: object, dec: (d: Decoder) => unknown) => (d: Decoder) => unknown;
    const encBody = keys.map((k) => `enc(v[${JSON.stringify(k)}], e);`).join('\n');
    const makeEnc = new Function('enc', `return (v, e) => { ${encBody} };`) as (enc: (v: unknown, e: Encoder) => void) => (v: unknown, e: Encoder) => void;
    const hash = textHash(`${className(proto)}|${keys.join(',')}`);
    this.shapes.push({ proto, keys: keys.slice(), hash, decode: make(proto, (d) => this.decode(d)), encode: makeEnc((v, e) => this.encode(v, e)) });
    list.push(id);
    return id;
  }
}

/** FNV-1a over a string's UTF-16 units: the same in every thread. */
function textHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

export interface CodecMark { readonly strings: number; readonly shapes: number }
export interface CodecEntries { readonly strings: readonly string[]; readonly shapes: readonly { readonly cls: string; readonly keys: readonly string[] }[] }

const className = (proto: object): string => (proto as { constructor?: { name?: string } }).constructor?.name ?? '';
