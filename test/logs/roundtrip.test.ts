// replay --ceph-log | log: every Locker line of every scenario, printed as Ceph's debug log,
// reads back onto the same lock copies with the same prints in the same order, every change an
// edge of the Locker (no gap, nothing impossible): the log reader and transitions.ts agree with
// the simulator.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import { CephLogWriter } from '../../src/logs/cephLog.js';
import { LineJoiner } from '../../src/logs/logLine.js';
import { Timelines } from '../../src/logs/timeline.js';
import { expandPaths } from '../../src/cli/paths.js';
import type { TraceEvent } from '../../src/locker/context.js';

const files = expandPaths(['scenarios']).files;

describe('replay --ceph-log read back by log', () => {
  it.each(files)('%s', (file) => {
    const r = runScenario(loadScenario(file), { check: false });
    const lines: string[] = [];
    const expected = new Map<string, string[]>();
    const ceph = new CephLogWriter();
    r.events.forEach((e, n) => {
      const line = ceph.line(e as TraceEvent, n);
      if (e.kind !== 'locker') return;
      lines.push(line!);
      const type = e.lock.slice(1, e.lock.indexOf(' '));
      const key = `${e.rank} ${e.object.startsWith('[inode') ? 'inode' : 'dentry'} ${e.path} ${type}`;
      expected.set(key, [...(expected.get(key) ?? []), e.lock]);
    });
    const t = new Timelines();
    const j = new LineJoiner();
    lines.forEach((l, i) => { const x = j.push(l, i + 1); if (x) t.add('run.log', x); });
    const last = j.flush();
    if (last) t.add('run.log', last);
    // each line's own lock, in order; what its object print shows of other locks is judged too
    const got = new Map<string, string[]>();
    for (const tl of t.byKey.values()) {
      const own = tl.entries.filter((e) => !e.inObject).map((e) => e.print);
      if (own.length) got.set(`${tl.rank} ${tl.object} ${tl.lock}`, own);
    }
    expect(got).toEqual(expected);
    expect(t.counts).toMatchObject({ impossible: 0, gaps: 0, unusual: 0, unreadable: 0 });
  });
});
