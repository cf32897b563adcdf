// A worker thread of a parallel check (parallel.ts): it holds the states of the current level
// that were found by it, expands them in id order exactly as the one-thread explorer does, and
// returns every successor as a candidate (its parent, action index, content fingerprint, and
// whether it breaks a property or its action failed an assertion). The main thread decides
// which candidates are new states, in the one-thread order, and the worker keeps those.
import { parentPort, workerData } from 'node:worker_threads';
import { Encoder, ModelAssertion } from '../models/Model.js';
import { FingerprintTable, fingerprintOf } from './fingerprints.js';
import { brokenProperty, successor } from './explore.js';
import { buildModel, type ModelSource } from './modelSource.js';
import type { Candidates, Shipment, ToWorker } from './parallel.js';

const { source, symmetry, index, count } = workerData as { source: ModelSource; symmetry: boolean; index: number; count: number };
const model = buildModel(source);
const enc = new Encoder();
const fp = new Uint32Array(2);
const kinds: string[] = [];
const kindIds = new Map<string, number>();
/** Fingerprints this worker has sent already. */
const seen = new FingerprintTable();
/** The states this worker holds for the level to expand: bytes, id, fingerprint; sorted by id. */
let held: { bytes: Uint8Array; id: number; fp: [number, number] }[] = [];
/** Per worker shipped to: how much of this worker's numbering it has learnt. */
const marks = new Map<number, unknown>();
/** This level's candidates' bytes, by candidate index. */
let made: Uint8Array[] = [];

/** A level's candidates, built up one at a time (the fingerprint is the one in `fp`). */
class Batch {
  private readonly parent: number[] = [];
  private readonly action: number[] = [];
  private readonly fps: number[] = [];
  private readonly flag: number[] = [];
  private readonly kind: number[] = [];
  private readonly messages: Record<number, { property: string; message: string }> = {};
  readonly stuck: { parent: number; message: string }[] = [];

  constructor() { made = []; }

  add(parent: number, action: number, kind: number, bytes: Uint8Array | null, bad: { property: string; message: string } | null = null, failed = false): void {
    if (bad) this.messages[this.parent.length] = bad;
    this.parent.push(parent); this.action.push(action); this.fps.push(fp[0], fp[1]); this.kind.push(kind);
    this.flag.push(failed ? 2 : bad ? 1 : 0);
    made.push(bytes ?? new Uint8Array(0));
  }

  done(): Candidates {
    const functions = (model as { functions?: Map<string, number> }).functions;
    return {
      parent: Int32Array.from(this.parent), action: Int32Array.from(this.action), fp: Uint32Array.from(this.fps), flag: Uint8Array.from(this.flag),
      kind: Uint16Array.from(this.kind), kinds: kinds.slice(), messages: this.messages, stuck: this.stuck, functions: functions ? Object.fromEntries(functions) : null,
    };
  }
}

/** A successor first met here: checked and kept; one met here before was met by the main thread before (it takes candidates in order), so it is sent only to be counted. */
function offer(b: Batch, parent: number, action: number, kind: number, t: unknown): void {
  fingerprintOf(model, t, enc, fp, symmetry);
  if (seen.add(fp, 0) < 0) { b.add(parent, action, kind, null); return; }
  b.add(parent, action, kind, enc.buf.slice(0, enc.len), brokenProperty(model, t));
}

/** The initial states are candidates with no parent (-1) and their index as action; each worker takes every count-th. */
function initial(): Candidates {
  const b = new Batch();
  model.initStates().forEach((s, i) => { if (i % count === index) offer(b, -1, i, 0, s); });
  return b.done();
}

function expand(states: readonly { id: number; bytes: Uint8Array; fp: [number, number] }[]): Candidates {
  const b = new Batch();
  for (const st of states) {
    const s = model.decode(st.bytes);
    const acts = model.actions(s);
    let moved = false;
    for (let i = 0; i < acts.length; i++) {
      const k = model.actionKind ? kindId(model.actionKind(acts[i])) : 0;
      let t: unknown;
      try {
        t = successor(model, s, st.bytes, acts, i);
      } catch (e) {
        if (!(e instanceof ModelAssertion)) throw e;
        fp[0] = 0; fp[1] = 0;
        b.add(st.id, i, k, null, { property: e.property, message: e.message }, true);
        break; // the one-thread explorer stops here
      }
      offer(b, st.id, i, k, t);
      if ((fp[0] !== st.fp[0] || fp[1] !== st.fp[1]) && !model.isFault?.(acts[i])) moved = true;
    }
    if (!moved && model.stuck) {
      const why = model.stuck(model.decode(st.bytes));
      if (why !== null) b.stuck.push({ parent: st.id, message: why });
    }
  }
  return b.done();
}

function kindId(k: string): number {
  let id = kindIds.get(k);
  if (id === undefined) { id = kinds.length; kinds.push(k); kindIds.set(k, id); }
  return id;
}

parentPort!.on('message', (m: ToWorker) => {
  if (m.type === 'initial') {
    parentPort!.postMessage(initial());
  } else if (m.type === 'keep') {
    held = Array.from(m.idx, (c, k) => ({ bytes: made[c], id: m.ids[k], fp: [m.fps[2 * k], m.fps[2 * k + 1]] as [number, number] }));
    made = [];
    // hand the states the main thread asks for (the highest ids) to other workers, with what
    // they need of this worker's numbering to read them
    const shipments: Shipment[] = [];
    for (const { to, count: n } of m.ship) {
      const states = held.splice(held.length - n, n);
      const sent = model.numbering?.since(marks.get(to) ?? null);
      if (sent) marks.set(to, sent.mark);
      shipments.push({ from: index, to, entries: sent?.entries ?? null, ids: states.map((x) => x.id), fps: states.flatMap((x) => x.fp), bytes: states.map((x) => x.bytes) });
    }
    parentPort!.postMessage(shipments);
  } else if (m.type === 'receive') {
    for (const sh of m.shipments) {
      if (sh.entries !== null) model.numbering!.learn(sh.from, sh.entries);
      sh.ids.forEach((id, k) => held.push({ id, fp: [sh.fps[2 * k], sh.fps[2 * k + 1]], bytes: model.numbering ? model.numbering.translate(sh.from, sh.bytes[k]) : sh.bytes[k] }));
    }
    held.sort((a, b) => a.id - b.id);
  } else if (m.type === 'expand') {
    const out = expand(held);
    held = [];
    parentPort!.postMessage(out, [out.parent, out.action, out.fp, out.flag, out.kind].map((a) => a.buffer as ArrayBuffer));
  }
});
parentPort!.postMessage({ type: 'ready' });
