// The simulated messenger: one FIFO queue per ordered link (from -> to), like Ceph's
// per-connection ordering. Links can be held (nothing delivered) and released. Which link
// delivers next is the scheduler's choice (scheduler.ts), not the network's.
import { immerable } from 'immer';
import type { Message } from '../messages/index.js';

export class Network {
  [immerable] = true;
  /** Number of endpoints (the ranks); link index = from * size + to. */
  readonly size: number;
  queues: Message[][];
  held: boolean[];
  /** Messages sent so far (for statistics and message ids). */
  sent = 0;
  delivered = 0;

  constructor(size: number) {
    this.size = size;
    this.queues = Array.from({ length: size * size }, () => []);
    this.held = new Array(size * size).fill(false);
  }

  link(from: number, to: number): number { return from * this.size + to; }
  ends(link: number): [from: number, to: number] { return [Math.floor(link / this.size), link % this.size]; }

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
