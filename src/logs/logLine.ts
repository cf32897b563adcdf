// One line of a Ceph MDS debug log, as dout writes it: `<time> <thread> <level> mds.<rank>.<subsys>
// <function> ...` (`2024-03-01T10:00:00.123+0000 7f0e8a7fc640 10 mds.0.locker simple_lock on
// (iauth sync) on [inode ...]`; older releases print `2019-03-01 10:00:00.123456`). Text before
// the timestamp (journald's `Mar 01 host ceph-mds[12]: `) is ignored. Lines a mail client or a
// ticket wrapped are joined back (see LineJoiner). Pure: no I/O.

export interface LogLine {
  /** 1-based line number in its file (the first of the lines joined into it). */
  readonly line: number;
  readonly time: string | null;
  /** The dout level (a vendor build may print a word: -1 then). */
  readonly level: number;
  /** The rank of `mds.<rank>.<subsys>`; null for a daemon's own lines (`mds.<name>`) and the cluster log. */
  readonly rank: number | null;
  /** `locker`, `cache`, `server`, `migrator`, `cache.ino`, ...; `rank` for `mds.<rank>.<incarnation>`; else the entity printed. */
  readonly subsys: string;
  /** The first word of the message when it names a function (`simple_lock`, `eval_gather`). */
  readonly fn: string | null;
  /** The message after the prefix. */
  readonly text: string;
}

const TIME = String.raw`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:?\d{2}|Z)?`;
/**
 * `[<time> <thread>] <level> <entity>[:] <message>`: the entity is `mds.<rank>.<subsys>` (subsys
 * may be `cache.ino(0x...)`, or the rank's incarnation), a daemon's `mds.<name>`, or
 * `log_channel(cluster)`; the level a number (a vendor build prints `DEBUG`).
 */
const PREFIX = new RegExp(String.raw`(?:^|\s)(?:(${TIME})\s+[0-9a-f]{6,16}\s+)?(-?\d{1,2}|[A-Z]{3,8})\s+(?:mds\.(\d{1,4})\.([A-Za-z_]+(?:\.[A-Za-z_]+)*(?:\([^)\s]*\))?|\d+)|(mds\.[^\s:]+|[a-z_]+\([a-z]+\)))(?::|(?=\s)|$)\s*(.*)$`);
/** What begins a log line: its time and thread, or (logs without times) its level and `mds.N.`. */
const START = new RegExp(String.raw`(?:^|\s)${TIME}\s+[0-9a-f]{6,16}(?:\s|$)|^\s*-?\d{1,2}\s+mds\.\d`);

/** Parse one (joined) line, or null when it is not a Ceph log line. */
export function parseLogLine(text: string, line: number): LogLine | null {
  const m = PREFIX.exec(text);
  if (!m || (m[1] === undefined && m[3] === undefined)) return null;
  const msg = m[6].trim();
  // Ceph's newer lines start with __func__; older ones often with prose ("must authpin")
  const first = /^([A-Za-z_~][\w~]*(?:::[\w~]+)*)(?::?\s|:?$)/.exec(msg)?.[1];
  const fn = first && (/_|::/.test(first) || first === 'eval') ? first.replace(/^.*::/, '') : null;
  // `mds.0 RecoveryQueue::...`: a rank with no subsystem
  const bare = m[5] !== undefined ? /^mds\.(\d{1,4})$/.exec(m[5]) : null;
  const rank = m[3] !== undefined ? Number(m[3]) : bare ? Number(bare[1]) : null;
  const subsys = m[4] === undefined ? (bare ? 'rank' : m[5]) : /^\d+$/.test(m[4]) ? 'rank' : m[4].replace(/\(.*$/, '');
  return { line, time: m[1] ?? null, level: /^-?\d+$/.test(m[2]) ? Number(m[2]) : -1, rank, subsys, fn, text: msg };
}

/**
 * Join the raw lines of a file into log lines. A log line begins where a time and thread (or a
 * level and `mds.N.`) begin a line; the lines after it, up to a blank line or the next log line,
 * continue it (a mail client or a ticket wrapped it, often in the middle of the prefix).
 */
export class LineJoiner {
  private pending: { text: string; line: number } | null = null;
  /** Non-blank lines that are no part of a log line. */
  skipped = 0;

  /** Feed one raw line; returns the log line it completed, if any. */
  push(raw: string, line: number): LogLine | null {
    const text = raw.replace(/\r$/, '');
    if (text.trim() === '') return this.flush();
    // a line that only names its level and `mds.N.` may be the rest of a prefix a wrap cut
    if (START.test(text) && !(this.pending && !PREFIX.test(this.pending.text) && !/\d{4}-\d{2}-\d{2}/.test(text))) {
      const done = this.flush();
      this.pending = { text, line };
      return done;
    }
    if (this.pending) {
      this.pending.text += ` ${text.trim()}`;
      return null;
    }
    this.skipped++;
    return null;
  }

  /** The line held back, at a blank line or the end of the input. */
  flush(): LogLine | null {
    const p = this.pending;
    this.pending = null;
    if (!p) return null;
    const l = parseLogLine(p.text, p.line);
    if (!l) this.skipped++;
    return l;
  }
}
