// `mdslock log`: Ceph MDS log lines (wrapped ones joined), the prints on them, each lock copy's
// timeline judged against the tables and the Locker's edges, what a lock left unstable waits
// for; real excerpts (test/fixtures/logs/, each naming its source) read with no false alarm.
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { LineJoiner, parseLogLine, type LogLine } from '../../src/logs/logLine.js';
import { extractPrints } from '../../src/logs/extract.js';
import { Timelines, blockers, opLocks } from '../../src/logs/timeline.js';
import { readLogs } from '../../src/cli/log.js';
import { scenarioSkeleton } from '../../src/logs/skeleton.js';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import { CephLogWriter } from '../../src/logs/cephLog.js';
import type { TraceEvent } from '../../src/locker/context.js';
import { mdslock } from '../cli/inProcess.js';

const cli = (...args: string[]) => mdslock(['log', ...args]);
const dir = mkdtempSync(join(tmpdir(), 'mdslock-log-'));
const file = (name: string, text: string | Buffer) => { const p = join(dir, name); writeFileSync(p, text); return p; };
const joined = (text: string): LogLine[] => {
  const j = new LineJoiner();
  const out = text.split('\n').map((l, i) => j.push(l, i + 1)).filter((x): x is LogLine => x !== null);
  const last = j.flush();
  return last ? [...out, last] : out;
};
const T = '2024-03-01T10:00:00.100+0000 7f0e8a7fc640';
const inode = (locks: string, side = 'auth{1=1}') => `[inode 0x10000000000 [...2,head] /f ${side} v4 ${locks} | ptrwaiter=0 0x55c0a1b2c3d4]`;
const timeline = (lines: string[]) => {
  const t = new Timelines();
  for (const l of joined(lines.join('\n'))) t.add('t.log', l);
  return t;
};

describe('log lines', () => {
  it('read the prefix of every release and of journald, and the function named first', () => {
    expect(parseLogLine(`${T} 10 mds.0.locker simple_lock on (iauth sync) on [inode ...]`, 3)).toEqual({
      line: 3, time: '2024-03-01T10:00:00.100+0000', level: 10, rank: 0, subsys: 'locker', fn: 'simple_lock', text: 'simple_lock on (iauth sync) on [inode ...]',
    });
    expect(parseLogLine('2019-03-01 12:00:00.123456 7f4a2b4c5700  7 mds.1.cache request_start request(client.4101:1)', 1)).toMatchObject({ time: '2019-03-01 12:00:00.123456', level: 7, rank: 1, subsys: 'cache', fn: 'request_start' });
    expect(parseLogLine(`Mar 01 host ceph-mds[12]: ${T} 20 mds.2.cache.ino(0x100) auth_pin by 0x1 on [inode ...]`, 1)).toMatchObject({ rank: 2, subsys: 'cache.ino', fn: 'auth_pin' });
    expect(parseLogLine(`${T} 20 mds.0.98 get_session have 0x1`, 1)).toMatchObject({ subsys: 'rank', fn: 'get_session' });
    expect(parseLogLine(`${T}  1 mds.ceph-a Updating MDS map to version 229049 from mon.0`, 1)).toMatchObject({ rank: null, subsys: 'mds.ceph-a', fn: null });
    expect(parseLogLine(`${T} 10 mds.0 RecoveryQueue::prioritize not queued [inode ...]`, 1)).toMatchObject({ rank: 0, subsys: 'rank', fn: 'prioritize' });
    expect(parseLogLine(`${T} 10 mds.0.locker  must authpin [inode ...]`, 1)).toMatchObject({ fn: null });
    expect(parseLogLine(`  ${T}  7 mds.0.locker: issue_caps allowed=pLsXsFscrl`, 1)).toMatchObject({ rank: 0, subsys: 'locker', fn: 'issue_caps' });
    expect(parseLogLine(`${T} DEBUG mds.0.server  killing capability`, 1)).toMatchObject({ level: -1, rank: 0, subsys: 'server', fn: null });
    expect(parseLogLine('a line of prose', 1)).toBeNull();
    expect(parseLogLine('10 apples', 1)).toBeNull();
  });

  it('join lines a mail client wrapped, even inside the prefix; a blank line ends one', () => {
    const ls = joined(`${T} 10 mds.0.locker\nacquire_locks request(client.4101:12 nref=3\ncr=0x56)\n\n${T}\n20 mds.0.cache.ino(0x100) auth_pin on [inode\n0x100 [2,head] /f auth (ifile mix->sync\nw=1) | 0x1]\nprose that follows`);
    expect(ls.map((l) => [l.line, l.fn])).toEqual([[1, 'acquire_locks'], [5, 'auth_pin']]);
    expect(extractPrints(ls[1].text).locks.map((p) => p.text)).toEqual(['(ifile mix->sync w=1)']);
  });
});

describe('prints', () => {
  it('give each lock print its object: the print it sits in, else the one the line names after it', () => {
    const { objects, locks } = extractPrints(`simple_lock on (iauth sync) on ${inode('(iauth sync->lock g=1) (ifile excl) (iquiesce lock w=1) caps={4101=pAsLsXsFsxcrwb/-@2},l=4101')}`);
    expect(objects).toMatchObject([{ kind: 'inode', key: 'inode /f', ino: '0x10000000000', auth: true, caps: 'caps={4101=pAsLsXsFsxcrwb/-@2},l=4101' }]);
    expect(locks.map((l) => [l.text, l.object?.key])).toEqual([
      ['(iauth sync)', 'inode /f'], ['(iauth sync->lock g=1)', 'inode /f'], ['(ifile excl)', 'inode /f'], ['(iquiesce lock w=1)', 'inode /f'],
    ]);
    const dn = extractPrints('[dentry #0x1/d/x [2,head] rep@0.1 (dn sync l) (dversion lock) v=3 | 0x1]');
    expect(dn.objects).toMatchObject([{ kind: 'dentry', key: 'dentry /d/x', auth: false }]);
    expect(dn.locks.map((l) => l.text)).toEqual(['(dn sync l)', '(dversion lock)']);
  });
});

describe('timelines', () => {
  it('judge each change: an edge, a gap (states left out), or impossible', () => {
    const t = timeline([
      `${T} 7 mds.0.locker simple_lock on (iauth sync) on ${inode('')}`,
      `${T} 7 mds.0.locker simple_lock on (iauth sync->lock g=1) on ${inode('(iauth sync->lock g=1)')}`,
      `${T} 10 mds.0.locker eval_gather (iauth lock) on ${inode('(iauth lock)')}`,
      `${T} 10 mds.0.locker xlock_start on (iauth excl) on ${inode('(iauth excl)')}`,
      `${T} 10 mds.0.locker eval_gather (iauth sync->mix) on ${inode('(iauth sync->mix)')}`,
    ]);
    const [tl] = [...t.byKey.values()];
    expect(tl.entries.map((e) => [e.state, e.verdict])).toEqual([['sync', 'ok'], ['sync->lock', 'ok'], ['lock', 'ok'], ['excl', 'gap'], [null, 'impossible']]);
    expect(tl.entries[1].why).toBe('sync -> sync->lock by simple_lock');
    expect(tl.entries[3].why).toBe('the log leaves out states between: lock -> lock->excl -> excl (simple_excl, eval_gather)');
    expect(tl.entries[4].why).toMatch(/^state 'sync->mix' is not in sm_simplelock/);
    expect(t.counts).toMatchObject({ prints: 5, impossible: 1, gaps: 1 });
    const back = timeline([`${T} 10 mds.0.locker eval_gather ${inode('(ifile sync)')}`, `${T} 10 mds.0.locker eval_gather ${inode('(ifile mix->sync(2))')}`]);
    expect([...back.byKey.values()][0].entries[1]).toMatchObject({ verdict: 'impossible', why: 'no Locker edge on the auth leads from sync to mix->sync(2) in sm_filelock' });
  });

  it('a replica copy follows the replica edges; lock types mdslock does not model are named, never errors', () => {
    const t = timeline([
      `${T} 7 mds.1.locker handle_file_lock ${inode('(ifile mix)', 'rep@0.1')}`,
      `${T} 7 mds.1.locker handle_file_lock ${inode('(ifile mix->sync) (iquiesce lock w=1)', 'rep@0.1')}`,
      `${T} 7 mds.1.locker handle_file_lock ${inode('(ifile mix->sync(2))', 'rep@0.1')}`,
    ]);
    const [file, q] = [...t.byKey.values()];
    expect(file.auth).toBe(false);
    expect(file.entries.map((e) => e.verdict)).toEqual(['ok', 'ok', 'ok']);
    expect(q.entries[0]).toMatchObject({ verdict: 'not-modelled' });
    expect(blockers(file)).toEqual(["the auth's next message (a replica parked in a (2) state)"]);
  });

  it('a stable state holding what its row forbids is unusual; wrlocks and a replica\'s remote xlock are not judged', () => {
    const t = timeline([
      `${T} 10 mds.0.locker eval_gather ${inode('(iauth lock r=1) (ilink lock w=2) (ixattr excl l)')}`,
      `${T} 10 mds.1.locker handle_peer_request_reply ${inode('(iauth lock x=1 by request(client.4101:1))', 'rep@0.1')}`,
    ]);
    const v = [...t.byKey.values()].map((x) => [x.rank, x.lock, x.entries[0].verdict, x.entries[0].why]);
    expect(v).toEqual([
      [0, 'iauth', 'unusual', 'first print of this copy; r=1 in lock, whose row allows none on the auth: a stable state is entered only once they have drained'],
      [0, 'ilink', 'ok', 'first print of this copy'],
      [0, 'ixattr', 'unusual', 'first print of this copy; a client lease in excl, whose row allows none on the auth: a stable state is entered only once they have drained'],
      [1, 'iauth', 'ok', 'first print of this copy'],
    ]);
    expect(t.counts.unusual).toBe(2);
  });

  it('--summary keeps only what is not ok, and counts the rest', () => {
    const t = new Timelines(false);
    const lines = [`${T} 7 mds.0.locker simple_lock on (iauth sync->lock) on ${inode('')}`, `${T} 7 mds.0.locker x ${inode('(iauth lock)')}`, `${T} 7 mds.0.locker x ${inode('(iauth excl)')}`];
    for (const l of joined(lines.join('\n'))) t.add('t.log', l);
    const [tl] = [...t.byKey.values()];
    expect(tl.entries.map((e) => e.verdict)).toEqual(['gap']);
    expect(t.counts).toMatchObject({ prints: 3, gaps: 1 });
    expect(blockers(tl)).toEqual([]);
  });

  it('name what a lock left unstable waits for: acks, holds to drain, caps to give back', () => {
    const t = timeline([`${T} 10 mds.0.locker eval_gather ${inode('(ifile mix->sync g=1 w=1) caps={4101=pAsLsXsFrw/-@3}')}`]);
    expect(blockers([...t.byKey.values()][0])).toEqual(['acks from mds.1', '1 wrlock(s) to drain (sync allows none)', 'client.4101 to give back Fw']);
  });
});

describe('mdslock log', () => {
  const fixtures = readdirSync('test/fixtures/logs').filter((f) => f.endsWith('.log')).map((f) => join('test/fixtures/logs', f));

  it.each(fixtures)('%s: names its source, reads with no crash and no impossible change', async (f) => {
    expect(readFileSync(f, 'utf8')).toMatch(/^# source: \S/);
    const r = await readLogs([f]);
    expect(r.problems).toEqual([]);
    expect(r.timelines.counts.lines).toBeGreaterThan(0);
    expect(r.timelines.counts.impossible).toBe(0);
  });

  it('reads a real stuck getattr and names the wrlock the ifile waits for, on a recovering inode', async () => {
    const r = await readLogs(['test/fixtures/logs/ceph-devel-2021-04-jerrylee-getattr-stuck.log']);
    const t = [...r.timelines.byKey.values()].find((x) => x.lock === 'ifile')!;
    expect(t.flags).toEqual(['recovering']);
    expect(t.entries.at(-1)!.state).toBe('mix->sync');
    expect(blockers(t)).toEqual(['1 wrlock(s) to drain (sync allows none)']);
  });

  it('exit 0 / 1 / 2; --json valid against its schema; gzip read as plain', async () => {
    const good = file('good.log', `${T} 7 mds.0.locker simple_lock on (iauth sync) on ${inode('')}\n`);
    const bad = file('bad.log', `${T} 7 mds.0.locker eval_gather ${inode('(ifile sync)')}\n${T} 7 mds.0.locker eval_gather ${inode('(ifile mix->sync(2))')}\n`);
    expect((await cli(good)).status).toBe(0);
    const b = await cli('--summary', bad);
    expect(b.status).toBe(1);
    expect(b.stdout).toContain('IMPOSSIBLE: no Locker edge on the auth leads from sync to mix->sync(2) in sm_filelock');
    const gz = file('bad.log.gz', gzipSync(readFileSync(bad)));
    const j = JSON.parse((await cli('--json', gz)).stdout);
    const validate = new Ajv2020({ strict: true }).compile(JSON.parse(readFileSync('docs/schemas/log.schema.json', 'utf8')));
    expect(validate(j), JSON.stringify(validate.errors)).toBe(true);
    expect(j).toMatchObject({ lines: 2, prints: 2, impossible: 1, timelines: [{ rank: 'mds.0', object: 'inode /f', lock: 'ifile', side: 'auth' }] });
    const none = await cli(file('prose.txt', 'no log here\n'));
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^.*prose\.txt:1:1: no Ceph log line in 1 line\(s\)[^\n]*\n$/);
    expect((await cli(join(dir, 'missing.log'))).stderr).toMatch(/missing\.log:1:1: cannot read file \(ENOENT\)\n$/);
  }, 30_000);
});

describe('replay --ceph-log', () => {
  it("prints each Locker function's line as Ceph's dout does, the handlers naming the message", async () => {
    const r = await mdslock(['replay', '--ceph-log', 'scenarios/walkthroughs/w2-replica-rdlock.yaml']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    // the object as CInode prints it: its locks that are not sync and unlocked (a file's in Ceph's order, without inest), its caps
    expect(lines[0]).toBe('2026-01-01T00:00:00.025+0000 7f0000000001  7 mds.0.locker simple_sync on (iauth excl->sync) on [inode 0x10000000000 [2,head] /f auth (iauth excl->sync) (iversion lock) caps={4101=As/Asx/As@1},l=4101]');
    expect(lines).toContain('2026-01-01T00:00:00.042+0000 7f0000000001  7 mds.0.locker scatter_mix (inest sync->mix g=1,2) on [inode 0x10000000000 [2,head] /f auth (iversion lock) caps={4101=As/As@1}]');
    expect(lines.find((l) => l.includes('handle_file_lock'))).toMatch(/ 7 mds\.2\.locker handle_file_lock a=mix on \(inest sync->mix\) from mds\.0 \[inode 0x10000000000 \[2,head\] \/f rep@0\.1 \(iversion lock\)\]$/);
    expect(lines.find((l) => l.includes('handle_simple_lock'))).toMatch(/10 mds\.\d\.locker handle_simple_lock lock\(a=sync iauth \/f\) on \(iauth sync\) \[inode /);
  }, 30_000);
});

describe('--scenario', () => {
  it("writes a skeleton that loads: ranks, inodes with auth, replicas and first stable states, clients' caps", async () => {
    const w2 = runScenario(parseScenario(readFileSync('scenarios/walkthroughs/w2-replica-rdlock.yaml', 'utf8'), 'w2.yaml'), { check: false });
    const ceph = new CephLogWriter();
    const log = file('w2.log', w2.events.flatMap((e, n) => { const l = ceph.line(e as TraceEvent, n); return l ? [l] : []; }).join('\n'));
    const text = scenarioSkeleton((await readLogs([log])).timelines, [log]);
    expect(text).toContain('ranks: 3\n');
    // /f started in excl (its first print is excl->sync, which only simple_sync from excl enters)
    expect(text).toContain('  - inode: /f\n    type: file\n    auth: mds.0\n    replicas: [mds.1, mds.2]\n    locks: { iauth: excl }\n');
    const s = parseScenario(text, 'skeleton.yaml');
    expect(s.topology.ranks).toBe(3);
    const real = scenarioSkeleton((await readLogs(['test/fixtures/logs/ceph-devel-2021-04-jerrylee-getattr-stuck.log'])).timelines, ['x.log']);
    const r = parseScenario(real, 'real.yaml');
    expect(r.clients).toEqual({ 'client.3198501': 0, 'client.3198504': 0, 'client.3230166': 0 });
    expect(runScenario(r).violations).toEqual([]);
  });
});

describe('admin-socket dumps', () => {
  it('read a real blocked-ops dump: an op that went on after failing to lock is not waiting', async () => {
    const r = await readLogs(['test/fixtures/logs/ceph-exporter-mds-test-blocked-ops-rmdir.json']);
    expect(r.problems).toEqual([]);
    expect(r.ops).toEqual([]);
  });

  it('join an op waiting for a lock to the locks of the inode it names, from a log of the same rank', async () => {
    const ops = file('ops.json', JSON.stringify({ ops: [{ description: 'client_request(client.3230166:12 getattr pAsLsXsFs #0x100000003ed 2021-04-27T11:57:03.469426+0800 caller_uid=0, caller_gid=0{})', age: 812.3, type_data: { flag_point: 'failed to rdlock, waiting', reqid: 'client.3230166:12', events: [{ event: 'initiated' }, { event: 'failed to rdlock, waiting' }] } }] }));
    const r = await readLogs([ops, 'test/fixtures/logs/ceph-devel-2021-04-jerrylee-getattr-stuck.log']);
    expect(r.ops).toMatchObject([{ reqid: 'client.3230166:12', waiting: 'failed to rdlock, waiting', inos: ['0x100000003ed'] }]);
    expect(opLocks(r.timelines, r.ops[0].inos)).toEqual([{
      object: 'inode /QTS/VOL_1/.ovirt_data_domain/37065419-e7f3-47ca-97df-8af0c67d30a0/dom_md/ids', rank: 0, lock: 'ifile', state: 'mix->sync', waits_for: ['1 wrlock(s) to drain (sync allows none)'],
    }]);
  });

  it("put a dumped inode's locks on the timelines, and say where a broken dump breaks", async () => {
    const inode = file('inode.json', JSON.stringify({ path: '/d/f', ino: 0x10000000001, is_auth: true, filelock: { gather_set: [1], state: 'mix->sync', is_leased: false, num_rdlocks: 0, num_wrlocks: 1, num_xlocks: 0 } }));
    const r = await readLogs([inode]);
    const [t] = [...r.timelines.byKey.values()];
    expect(t).toMatchObject({ object: 'inode /d/f', lock: 'ifile', auth: true });
    expect(t.entries[0].print).toBe('(ifile mix->sync g=1 w=1)');
    expect(blockers(t)).toEqual(['acks from mds.1', '1 wrlock(s) to drain (sync allows none)']);
    const broken = await readLogs([file('broken.json', '{"ops": [\n')]);
    expect(broken.problems[0]).toMatch(/broken\.json:1:1: not valid JSON \(/);
  });
});
