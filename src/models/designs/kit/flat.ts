// A design state as a flat array of non-negative integers in a fixed layout: encode writes each
// as a varint (canonical: equal arrays, equal bytes), decode reads them back. Symmetry is not
// used (the designs' clients are not interchangeable: each runs its own workload).
import { Decoder, type Encoder } from '../../Model.js';

export type Flat = number[];

export function encodeFlat(s: Flat, e: Encoder): void { for (const x of s) e.uint(x); }

export function decodeFlat(b: Uint8Array): Flat {
  const d = new Decoder(b);
  const out: Flat = [];
  while (d.pos < b.length) out.push(d.uint());
  return out;
}

/** Client names as describe and view write them: client.1, client.2, ... */
export const clientName = (c: number): string => `client.${c + 1}`;
