// States of the design models are small plain objects: their canonical bytes are their JSON
// (the models build them with keys in a fixed order), which is all the checker needs.
import type { Encoder } from '../Model.js';

const te = new TextEncoder();
const td = new TextDecoder();

export function encodeJson(s: unknown, e: Encoder): void { e.bytes(te.encode(JSON.stringify(s))); }

export function decodeJson<S>(b: Uint8Array): S { return JSON.parse(td.decode(b)) as S; }

/** A deep copy, for nextState (states are plain data; a JSON round trip is quicker than structuredClone at this size). */
export function copy<S>(s: S): S { return JSON.parse(JSON.stringify(s)) as S; }
