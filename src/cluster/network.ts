// The simulated messenger: one FIFO queue per ordered link (from -> to), like Ceph's
// per-connection ordering. Links can be held (nothing delivered) and released. Which link
// delivers next is the scheduler's choice (scheduler.ts), not the network's.
// Endpoints are ranks (0, 1, ...) and clients (the negated client id: -4101 is client.4101).
import { immerable } from 'immer';
import type { Message } from '../messages/index.js';

export const endpointName = (e: number) => (e < 0 ? `client.${-e}` : `mds.${e}`);

export class Network {
  [immerable] = true;
  /** Number of endpoints; link index = slot(from) * size + slot(to). */
  readonly size: number;
  /** Endpoint of each slot: the ranks, then the clients. */
  readonly endpoints: readonly number[];
  queues: Message[][];
  held: boolean[];
  /** Messages sent and delivered so far. */
  sent = 0;
  delivered = 0;

  constructor(ranks: number, clients: readonly number[] = []) {
    this.endpoints = [...Array.from({ length: ranks }, (_, r) => r), ...clients.map((c) => -c)];
    this.size = this.endpoints.length;
    this.queues = Array.from({ length: this.size * this.size }, () => []);
    this.held = new Array(this.size * this.size).fill(false);
  }

  slot(endpoint: number): number {
    const s = endpoint >= 0 ? endpoint : this.endpoints.indexOf(endpoint);
    if (s < 0 || s >= this.size) throw new Error(`no endpoint ${endpointName(endpoint)}`);
    return s;
  }

  link(from: number, to: number): number { return this.slot(from) * this.size + this.slot(to); }
  ends(link: number): [from: number, to: number] {
    return [this.endpoints[Math.floor(link / this.size)], this.endpoints[link % this.size]];
  }

  send(m: Message): void {
    this.queues[this.link(m.from, m.to)].push(m);
    this.sent++;
  }

  /** Links with a message that may be delivered now, in ascending link order. */
  deliverable(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.queues.length; i++) if (this.queues[i].length > 0 && !this.held[i]) out.push(i);
    return out;
  }

  /** Take the oldest message on a link. */
  take(link: number): Message {
    const m = this.queues[link].shift();
    if (!m) throw new Error('take from an empty link');
    this.delivered++;
    return m;
  }

  inFlight(): number {
    let n = 0;
    for (const q of this.queues) n += q.length;
    return n;
  }

  all(): Message[] { return this.queues.flat(); }
}
