// A simulated run's Locker lines as Ceph's MDS debug log prints them (`replay --ceph-log`):
// `<time> <thread> 10 mds.<rank>.locker <function> on <lock print> on <object print>`, so a
// simulated run and a real log read side by side, and `mdslock log` reads it back. The time is
// a counter (a millisecond per line from a fixed start): the output stays deterministic.
import type { TraceEvent } from '../locker/context.js';

type LockerEvent = Extract<TraceEvent, { kind: 'locker' }>;

const START = Date.UTC(2026, 0, 1);

/** The `n`th Locker line of a run. */
export function cephLogLine(e: LockerEvent, n: number): string {
  const time = new Date(START + n).toISOString().replace('Z', '+0000');
  const where = e.auth ? 'auth' : `rep@${e.authority}.1`;
  const object = e.ino !== undefined
    ? `[inode 0x${e.ino.toString(16)} [2,head] ${e.path} ${where}]`
    : `[dentry #${e.path.startsWith('/') ? `0x1${e.path}` : e.path} [2,head] ${where}]`;
  return `${time} 7f0000000001 10 mds.${e.rank}.locker ${e.fn} on ${e.lock} on ${object}`;
}
