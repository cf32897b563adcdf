// The steps the historical bugs need: duplicate (a lock message delivered twice), kill (a
// request killed wherever it is), wrlock_force (predirty_journal_parents' forced wrlock), and a
// replica left flushing; and I10, the cap semantics that read no table row.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import { printEvent } from '../../src/trace/printEvent.js';
import { createCluster, type Topology } from '../../src/cluster/topology.js';
import { checkCapSemantics } from '../../src/invariants/capSemantics.js';
import { errorsOf, pos } from '../scenario/files.js';

const FILE = `name: t
ranks: 2
clients: { client.4101: mds.0, client.4102: mds.1 }
objects:
  - inode: /f
    type: file
    auth: mds.0
    replicas: [mds.1]
  - inode: /d
    type: dir
    auth: mds.0
    replicas: [mds.1]
    locks: { inest: mix }
steps:
`;
const run = (steps: string) => {
  const r = runScenario(parseScenario(FILE + steps, 't.yaml'));
  return { ...r, text: r.events.flatMap((e) => ('msg' in e || e.kind === 'request' || e.kind === 'locker' ? [printEvent(e as never)] : [])).join('\n') };
};

describe('fault steps', () => {
  it('duplicate delivers a copy of the oldest lock message on a link and keeps the original queued', () => {
    const r = run(`  - request: client.4101:1
    on: mds.0
    xlock: [iauth /f]
  - duplicate: { from: mds.0, to: mds.1 }
  - expect:
      in_flight: 2
      mds.1: { iauth /f: "(iauth lock)" }
      messages: [mds.0 -> mds.1 lock(a=lock iauth /f), mds.1 -> mds.0 lock(a=lockack iauth /f)]
`);
    expect(r.results.filter((x) => !x.pass)).toEqual([]);
    expect(r.text).toContain('mds.1 <- mds.0 lock(a=lock iauth /f) (a duplicate: the original stays queued)');
    // the original then finds the replica past sync: Ceph asserts
    const again = run(`  - request: client.4101:1
    on: mds.0
    xlock: [iauth /f]
  - duplicate: { from: mds.0, to: mds.1 }
  - deliver: { from: mds.1, to: mds.0 }
  - deliver: { from: mds.0, to: mds.1 }
`);
    expect(again.outcome).toMatchObject({ kind: 'abort', message: 'mds.1 would abort: handle_simple_lock a=lock on iauth /f in state lock' });
  });

  it('duplicate: only lock messages between ranks, and only one that is in flight', () => {
    const text = FILE + '  - duplicate: { from: client.4101, to: mds.0 }\n';
    expect(errorsOf(text)).toEqual([`t.yaml:${pos(text, '{ from: client')}: duplicate copies a lock message between two ranks: give from: mds.N, to: mds.M`]);
    expect(run('  - duplicate: { from: mds.0, to: mds.1 }\n').outcome).toMatchObject({ kind: 'error' });
    const peer = run(`  - request: client.4102:1
    on: mds.1
    xlock: [iauth /f]
  - duplicate: { from: mds.1, to: mds.0 }
`);
    expect(peer.outcome.kind).toBe('error');
    expect((peer.outcome as { error: Error }).error.message).toBe('only lock messages are duplicated; the oldest from mds.1 to mds.0 is a peer message');
  });

  it('kill ends a request wherever it is, and it is then gone', () => {
    const r = run(`  - request: client.4101:1
    on: mds.0
    rdlock: [iauth /f]
  - request: client.4101:2
    on: mds.0
    xlock: [iauth /f]
  - kill: client.4101:2
  - expect:
      granted: client.4101:1
      finished: client.4101:2
      mds.0: { iauth /f: "(iauth sync->lock g=1 r=1)" }
`);
    expect(r.results.filter((x) => !x.pass)).toEqual([]);
    expect(r.text).toContain('mds.0 request client.4101:2 killed');
    const text = FILE + `  - request: client.4101:1
    on: mds.0
    rdlock: [iauth /f]
  - kill: client.4101:1
  - finish: client.4101:1
`;
    expect(errorsOf(text)[0]).toBe(`t.yaml:${pos(text, 'client.4101:1', 3)}: request client.4101:1 already finished at line ${pos(text, '- kill').split(':')[0]}`);
  });

  it("wrlock_force: on the request's own rank, where a wrlock could be taken, and not twice", () => {
    const ok = run(`  - request: client.4102:1
    on: mds.1
    remote_wrlock: [inest /d]
  - deliver: all
  - wrlock_force: { request: client.4102:1, lock: inest /d }
  - expect:
      mds.1: { inest /d: "(inest mix w=1)" }
  - finish: client.4102:1
  - deliver: all
  - expect:
      mds.0: { inest /d: "(inest mix)" }
      mds.1: { inest /d: "(inest mix)" }
`);
    expect(ok.results.filter((x) => !x.pass)).toEqual([]);
    expect(ok.violations).toEqual([]);
    const twice = run(`  - request: client.4101:1
    on: mds.0
    wrlock: [inest /d]
  - wrlock_force: { request: client.4101:1, lock: inest /d }
`);
    expect((twice.outcome as { error: Error }).error.message).toBe('client.4101:1 already wrlocks inest /d (predirty_journal_parents forces only a wrlock the request does not hold)');
    const locked = run(`  - request: client.4101:1
    on: mds.0
    rdlock: [iauth /f]
  - wrlock_force: { request: client.4101:1, lock: ifile /f }
`);
    expect((locked.outcome as { error: Error }).error.message).toMatch(/^mds\.0 ifile \/f is sync, which allows no wrlock/);
  });

  it('flushing: a scatterlock in mix, on replicas only', () => {
    const head = FILE.replace('    locks: { inest: mix }\n', '    locks: { inest: mix }\n    flushing: { inest: [mds.1] }\n');
    const r = runScenario(parseScenario(head + '  - expect:\n      mds.1: { inest /d: "(inest mix flushing)" }\n', 't.yaml'));
    expect(r.results.filter((x) => !x.pass)).toEqual([]);
    for (const [bad, needle, message] of [
      ['flushing: { iauth: [mds.1] }', 'iauth', 'flushing names a scatterlock (ifile, inest, idft), not \'iauth\''],
      ['flushing: { inest: [mds.0] }', 'mds.0]', 'mds.0 holds no replica of /d (only a replica waits for LOCK_AC_LOCKFLUSHED)'],
    ]) {
      const text = FILE.replace('    locks: { inest: mix }\n', `    locks: { inest: mix }\n    ${bad}\n`) + '  - tick: mds.0\n';
      expect(errorsOf(text)).toEqual([`t.yaml:${pos(text, needle, needle === 'mds.0]' ? 1 : 1)}: ${message}`]);
    }
    const noMix = FILE.replace('    locks: { inest: mix }\n', '    flushing: { inest: [mds.1] }\n') + '  - tick: mds.0\n';
    expect(errorsOf(noMix)).toEqual([`t.yaml:${pos(noMix, 'inest: [mds.1]')}: a replica is left flushing in mix: give inest: mix under locks`]);
  });
});

describe('I10 cap semantics', () => {
  const topo = (caps: Record<number, number>, locks?: Record<string, string>, loner?: number): Topology => ({
    ranks: 1, seed: 1, clients: [{ id: 4101, session: 0 }, { id: 4102, session: 0 }],
    objects: [{ kind: 'inode', path: '/f', is_dir: false, auth: 0, replicas: [], caps, ...(locks ? { locks } : {}), ...(loner !== undefined ? { loner } : {}) }],
  });
  const As = 1 << 2, Ax = 2 << 2, Fs = 1 << 8, Fx = 2 << 8, Fc = 4 << 8, Fr = 8 << 8, Fw = 16 << 8, Fb = 32 << 8;
  const messages = (t: Topology) => checkCapSemantics(createCluster(t)).map((v) => v.message);

  it('(a) an exclusive cap excludes the others\' shared and exclusive ones; bare Fc and Fb may stay', () => {
    expect(messages(topo({ 4101: Ax, 4102: As }))).toEqual(['I10 cap semantics: /f: client.4101 holds Ax, exclusive, while client.4102 holds As of the auth field']);
    expect(messages(topo({ 4101: Fx, 4102: Fr }))).toEqual(['I10 cap semantics: /f: client.4101 holds Fx, exclusive, while client.4102 holds Fr of the file field']);
    expect(messages(topo({ 4101: Fx | Fc | Fb, 4102: Fc | Fb }))).toEqual([]);
  });

  it('(b) a writer excludes the others\' Fs and Fx; writers and readers without Fs coexist (mix)', () => {
    expect(messages(topo({ 4101: Fw, 4102: Fs }))).toEqual(['I10 cap semantics: /f: client.4101 writes (Fw) and flushes size and mtime itself, while client.4102 holds Fs of the file field']);
    expect(messages(topo({ 4101: Fr | Fw, 4102: Fr | Fw }))).toEqual([]);
  });

  it('(c) in excl or xsyn, a client other than the loner holds nothing it is not giving back', () => {
    expect(messages(topo({ 4101: Fc, 4102: Fc }, { ifile: 'excl' }, 4101))).toEqual(['I10 cap semantics: /f: ifile is excl, a state for the loner client.4101 alone, yet client.4102 holds Fc, not being revoked']);
    expect(messages(topo({ 4101: Fc, 4102: Fc }, { ifile: 'sync' }, 4101))).toEqual([]);
  });
});
