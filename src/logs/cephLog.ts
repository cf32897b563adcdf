// A simulated run's Locker lines as Ceph's MDS debug log prints them (`replay --ceph-log`), in
// the words of each function's dout line in Locker.cc (`simple_lock on <lock> on <object>`,
// `scatter_mix <lock> on <object>`, `handle_file_lock a=<action> on <lock> from mds.N
// <object>`, ...), after Ceph's prefix (`<time> <thread> <level> mds.N.locker `), so a simulated
// run and a real log read side by side and `mdslock log` reads it back. The object print is
// CInode's or CDentry's (src/trace/printObject.ts); the time is a counter (a
// millisecond per event from a fixed start), so the output stays deterministic. A function
// Ceph does not log (`_finish_xlock`, `_drop_locks`) keeps mdslock's line in the same form.
import type { TraceEvent } from '../locker/context.js';
import { lockActionName, printMessage, type Message } from '../messages/index.js';

const START = Date.UTC(2026, 0, 1);

/** Per function: its dout level and message, `{L}` the lock print, `{O}` the object print. */
const DOUT: Readonly<Record<string, readonly [level: number, text: string]>> = {
  simple_lock: [7, 'simple_lock on {L} on {O}'],
  simple_sync: [7, 'simple_sync on {L} on {O}'],
  simple_excl: [7, 'simple_excl on {L} on {O}'],
  simple_xlock: [7, 'simple_xlock on {L} on {O}'],
  scatter_mix: [7, 'scatter_mix {L} on {O}'],
  file_excl: [7, 'file_excl {L} on {O}'],
  file_xsyn: [7, 'file_xsyn on {L} on {O}'],
  eval_gather: [10, 'eval_gather {L} on {O}'],
  xlock_start: [7, 'xlock_start on {L} on {O}'],
  xlock_import: [10, 'xlock_import on {L} {O}'],
  xlock_finish: [10, 'xlock_finish on {L} {O}'],
  set_xlocks_done: [10, 'set_xlocks_done on {L} {O}'],
  wrlock_try: [10, 'wrlock_try {L} on {O}'],
  wrlock_start: [10, 'wrlock_start {L} on {O}'],
  wrlock_force: [7, 'wrlock_force  on {L} on {O}'],
  wrlock_finish: [7, 'wrlock_finish on {L} on {O}'],
  rdlock_start: [7, 'rdlock_start  on {L} on {O}'],
  rdlock_finish: [7, 'rdlock_finish on {L} on {O}'],
  local_xlock_start: [7, 'local_xlock_start  on {L} on {O}'],
  local_xlock_finish: [7, 'local_xlock_finish  on {L} on {O}'],
  local_wrlock_start: [7, 'local_wrlock_start  on {L} on {O}'],
  local_wrlock_grab: [7, 'local_wrlock_grab  on {L} on {O}'],
  local_wrlock_finish: [7, 'local_wrlock_finish  on {L} on {O}'],
  scatter_writebehind: [10, 'scatter_writebehind on {L} on {O}'],
  scatter_writebehind_finish: [10, 'scatter_writebehind_finish on {L} on {O}'],
  cancel_locking: [10, 'cancel_locking {L} on {O}'],
  request_drop_remote_locks: [10, 'request_drop_remote_locks forgetting lock {L} on {O}'],
  try_rdlock_snap_layout: [20, ' got rdlock on {L} {O}'],
};

/** A run's events in, its Ceph log lines out: the handlers' lines name the message delivered just before them. */
export class CephLogWriter {
  private delivered: Message | null = null;

  /** The line an event prints, or null (only Locker events print). `n`: the event's index in the run. */
  line(e: TraceEvent, n: number): string | null {
    if (e.kind === 'deliver') this.delivered = e.msg;
    if (e.kind !== 'locker') return null;
    const time = new Date(START + n).toISOString().replace('Z', '+0000');
    const m = this.delivered;
    let subsys = 'locker';
    let [level, text] = DOUT[e.fn] ?? [10, `${e.fn} on {L} on {O}`];
    if (e.fn === 'handle_file_lock' && m?.kind === 'lock') [level, text] = [7, `handle_file_lock a=${lockActionName(m.action)} on {L} from mds.${m.from} {O}`];
    else if (e.fn === 'handle_simple_lock' && m) [level, text] = [10, `handle_simple_lock ${printMessage(m)} on {L} {O}`];
    else if (e.fn === 'handle_peer_request_reply') [subsys, level, text] = ['server', 10, `got remote ${/ x=/.test(e.lock) ? 'xlock' : 'wrlock'} on {L} on {O}`];
    return `${time} 7f0000000001 ${String(level).padStart(2)} mds.${e.rank}.${subsys} ${text.replace('{L}', e.lock).replace('{O}', e.object)}`;
  }
}
