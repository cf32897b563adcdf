// Progress on stderr for long commands (fuzz, check): on a terminal one line rewritten in place;
// piped (a CI log, a file), a heartbeat line at most every PIPED_EVERY_MS.

/** What a long-running command writes to, and its clock. */
export interface FuzzIO {
  out(s: string): void;
  /** stderr, where progress goes. */
  err(s: string): void;
  /** stderr is a terminal: progress rewrites one line; otherwise a line at most every PIPED_EVERY_MS. */
  readonly tty: boolean;
  /** Milliseconds (Date.now in the command; a fake clock in tests). */
  now(): number;
}

/** A log (CI, a file) gets a heartbeat, not a line per percent. */
export const PIPED_EVERY_MS = 10_000;
const CLEAR_LINE = '\r\x1b[K';

/**
 * Progress on stderr: on a terminal each update rewrites the line; piped, an update is written
 * only once PIPED_EVERY_MS has passed since the start or the last line written, so a short run
 * logs none.
 */
export function progressLine(io: Pick<FuzzIO, 'err' | 'tty' | 'now'>) {
  let shown = false;
  let last = io.now();
  return {
    update(s: string): void {
      if (io.tty) {
        io.err(CLEAR_LINE + s);
        shown = true;
        return;
      }
      const t = io.now();
      if (t - last < PIPED_EVERY_MS) return;
      last = t;
      io.err(`${s}\n`);
    },
    /** Take the terminal's progress line away before other output. */
    clear(): void {
      if (shown) io.err(CLEAR_LINE);
      shown = false;
    },
  };
}

