// Where the CLI writes: a sink over stdout that streams with backpressure (a slow reader makes
// the run wait instead of letting Node queue the output in memory) and ends quietly when the
// reader goes away (EPIPE: `mdslock replay f.yaml | head -3`).
import type { Writable } from 'node:stream';

/** The reader closed the pipe: stop working and exit quietly. */
export class ClosedPipe extends Error {
  constructor() { super('output closed'); }
}

export interface Sink {
  /** Queue text; it goes out at the next flush that finds enough queued (or a forced one). */
  write(s: string): void;
  /** Hand queued text to the stream; resolves once the stream can take more. */
  flush(force?: boolean): Promise<void>;
}

/** A sink collecting everything in memory (tests, and the in-process API). */
export class StringSink implements Sink {
  text = '';
  write(s: string): void { this.text += s; }
  async flush(): Promise<void> {}
}

const CHUNK = 1 << 16;

export class StreamSink implements Sink {
  private queued: string[] = [];
  private size = 0;
  private closed = false;
  private waiting: { resolve(): void; reject(e: Error): void } | null = null;

  constructor(private readonly stream: Writable) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      this.closed = true;
      const w = this.waiting;
      this.waiting = null;
      w?.reject(e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED' ? new ClosedPipe() : e);
    });
    stream.on('drain', () => { const w = this.waiting; this.waiting = null; w?.resolve(); });
  }

  write(s: string): void {
    if (this.closed) throw new ClosedPipe();
    this.queued.push(s);
    this.size += s.length;
  }

  async flush(force = false): Promise<void> {
    if (this.closed) throw new ClosedPipe();
    if (this.size === 0 || (!force && this.size < CHUNK)) return;
    const text = this.queued.join('');
    this.queued = [];
    this.size = 0;
    if (this.stream.write(text)) return;
    await new Promise<void>((resolve, reject) => { this.waiting = { resolve, reject }; });
  }
}
