// A worker thread of a parallel check (parallel.ts): it holds the states of the current level
// that were found by it, expands them in id order exactly as the one-thread explorer does, and
// returns every successor as a candidate (its parent, action index, content fingerprint, and
// whether it breaks a property or its action failed an assertion). The main thread decides
// which candidates are new states, in the one-thread order, and the worker keeps those.
import { parentPort, workerData } from 'node:worker_threads';
import { Encoder, ModelAssertion } from '../models/Model.js';
import { FingerprintTable, stateFingerprint } from './fingerprints.js';
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
let busy = 0;
process.on('exit', () => { if (process.env.MDSLOCK_WORKER_TIMES) console.error(`worker ${index}: ${busy.toFixed(0)} ms expanding`); });

/** The states this worker holds for the level to expand: bytes, id, fingerprint; sorted by id. */
let held: { bytes: Uint8Array; id: number; fp: [number, number] }[] = [];
/** Per worker shipped to: how much of this worker's numbering it has learnt. */
const marks = new Map<number, unknown>();
/** This level's candidates' bytes, by candidate index. */
let made: Uint8Array[] = [];

function expand(states: readonly { id: number; bytes: Uint8Array; fp: [number, number] }[]): Candidates {
  const parent: number[] = [], action: number[] = [], fps: number[] = [], flag: number[] = [], kind: number[] = [];
  const messages: Record<number, { property: string; message: string }> = {};
  const stuck: { parent: number; message: string }[] = [];
  made = [];
  const add = (p: number, a: number, f: number, k: number, bytes: Uint8Array | null) => {
    parent.push(p); action.push(a); fps.push(fp[0], fp[1]); flag.push(f); kind.push(k); made.push(bytes ?? new Uint8Array(0));
    return parent.length - 1;
  };
  for (const st of states) {
    const s = model.decode(st.bytes);
    const acts = model.actions(s);
    let moved = false;
    for (let i = 0; i < acts.length; i++) {
      const k = model.actionKind ? kindId(model.actionKind(acts[i])) : 0;
      let t: unknown;
      try {
        t = !model.applyInPlace ? model.nextState(s, acts[i]) : model.applyInPlace(i === acts.length - 1 ? s : model.decode(st.bytes), acts[i]);
      } catch (e) {
        if (!(e instanceof ModelAssertion)) throw e;
        fp[0] = 0; fp[1] = 0;
        messages[add(st.id, i, 2, k, null)] = { property: e.property, message: e.message };
        break; // the one-thread explorer stops here
      }
      model.encode(t, enc.reset(), symmetry);
      stateFingerprint(enc, fp);
      if (fp[0] !== st.fp[0] || fp[1] !== st.fp[1]) moved = true;
      // seen here before means seen by the main thread before (it takes candidates in order):
      // a duplicate, sent only to be counted
      if (seen.add(fp, 0) < 0) { add(st.id, i, 0, k, null); continue; }
      const bad = model.properties.map((p) => ({ name: p.name, m: p.check(t) })).find((x) => x.m !== null);
      const c = add(st.id, i, bad ? 1 : 0, k, enc.buf.slice(0, enc.len));
      if (bad) messages[c] = { property: bad.name, message: bad.m! };
    }
    if (!moved && model.stuck) {
      const why = model.stuck(model.decode(st.bytes));
      if (why !== null) stuck.push({ parent: st.id, message: why });
    }
  }
  const functions = (model as { functions?: Map<string, number> }).functions;
  return {
    parent: Int32Array.from(parent), action: Int32Array.from(action), fp: Uint32Array.from(fps), flag: Uint8Array.from(flag), kind: Uint16Array.from(kind),
    kinds: kinds.slice(), messages, stuck, functions: functions ? Object.fromEntries(functions) : null,
  };
}

function kindId(k: string): number {
  let id = kindIds.get(k);
  if (id === undefined) { id = kinds.length; kinds.push(k); kindIds.set(k, id); }
  return id;
}

parentPort!.on('message', (m: ToWorker) => {
  if (m.type === 'initial') {
    // the initial states are candidates with no parent (-1), action = their index; each worker takes every count-th
    const states = model.initStates().map((s, i) => ({ s, i })).filter((x) => x.i % count === index);
    const parent: number[] = [], action: number[] = [], fps: number[] = [], flag: number[] = [];
    const messages: Record<number, { property: string; message: string }> = {};
    made = [];
    for (const { s, i } of states) {
      model.encode(s, enc.reset(), symmetry);
      stateFingerprint(enc, fp);
      seen.add(fp, 0);
      const bad = model.properties.map((p) => ({ name: p.name, m: p.check(s) })).find((x) => x.m !== null);
      if (bad) messages[parent.length] = { property: bad.name, message: bad.m! };
      parent.push(-1); action.push(i); fps.push(fp[0], fp[1]); flag.push(bad ? 1 : 0); made.push(enc.buf.slice(0, enc.len));
    }
    parentPort!.postMessage({
      parent: Int32Array.from(parent), action: Int32Array.from(action), fp: Uint32Array.from(fps), flag: Uint8Array.from(flag), kind: new Uint16Array(parent.length),
      kinds: [], messages, stuck: [], functions: null,
    } satisfies Candidates);
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
    const t0 = performance.now();
    const out = expand(held);
    busy += performance.now() - t0;
    held = [];
    parentPort!.postMessage(out, [out.parent, out.action, out.fp, out.flag, out.kind].map((a) => a.buffer as ArrayBuffer));
  }
});
parentPort!.postMessage({ type: 'ready' });
