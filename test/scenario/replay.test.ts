import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/scenario/run.js';
import { parseScenario } from '../../src/scenario/load.js';
import { op, WRLOCK } from '../../src/request/LockOp.js';
import { ref } from '../helpers.js';
import { pos, scenario, tempFile } from './files.js';
import { replayIn } from './replayIO.js';
import { mdslock } from '../cli/inProcess.js';

/** The command line, in-process: options parsed as the bin parses them. */
const cli = (...args: string[]) => mdslock(['replay', ...args]);

/** In-process replay: exit code and what went to stdout and stderr. */
const run = replayIn;

// W1's first half: an xlock on the auth gathers two replicas; the scheduler picks the order.
const XLOCK = scenario(`  - request: client.4101:12
    on: mds.0
    xlock: [iauth /f]
  - expect: { mds.0: { iauth /f: "(iauth sync->lock g=1,2)" }, in_flight: 2 }
  - deliver: 1
  - deliver: 1
  - deliver: all
  - expect:
      granted: client.4101:12
      mds.0: { iauth /f: "(iauth xlock x=1 by request(client.4101:12))", iversion /f: "(iversion lock w=1 last_client=4101)" }
  - early_reply: client.4101:12
  - finish: client.4101:12
  - deliver: all
  - expect: { mds.0: { iauth /f: "(iauth sync)" }, mds.1: { iauth /f: "(iauth sync)" }, mds.2: { iauth /f: "(iauth sync)" } }
`);

describe('mdslock replay', () => {
  it('passes a good scenario: trace, then one verdict line', async () => {
    const f = tempFile(XLOCK);
    const r = await cli(f);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('mds.0.locker simple_lock (iauth sync->lock g=1,2) on /f\n');
    expect(r.stdout).toContain('mds.0 -> mds.1 lock(a=lock iauth /f)\n');
    expect(r.stdout).toContain('mds.0 <- mds.1 lock(a=lockack iauth /f)\n');
    expect(r.stdout).toContain('mds.0 request client.4101:12 granted\n');
    expect(r.stdout).not.toMatch(/\x1b\[/);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe(`PASS ${f} (8 expectations)`);
  });

  it('--quiet prints only the verdicts', async () => {
    const f = tempFile(XLOCK);
    const g = tempFile(XLOCK);
    // a file named twice runs once
    expect((await run([f, g, f], { quiet: true })).out).toBe(`PASS ${f} (8 expectations)\nPASS ${g} (8 expectations)\n2 passed, 0 failed, 0 errors\n`);
  });

  it('fails a wrong expectation with exit 1, expected vs actual and the step', async () => {
    const text = XLOCK.replace('"(iauth sync->lock g=1,2)"', '"(iauth sync->lock g=1)"');
    const f = tempFile(text);
    const r = await cli(f);
    expect(r.status).toBe(1);
    const at = `${f}:${pos(text, 'iauth /f: "(iauth sync->lock g=1)"')}`;
    expect(r.stdout).toContain(`FAILED mds.0 iauth /f at ${at}\n  expected (iauth sync->lock g=1)\n  got      (iauth sync->lock g=1,2)\n`);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe(`FAIL ${f}: step at ${at}: mds.0 iauth /f: expected (iauth sync->lock g=1), got (iauth sync->lock g=1,2)`);
  });

  it('gives exit 2 and one line for a malformed file, with no stack trace', async () => {
    const f = tempFile('name: x\nranks: [3\n');
    const r = await cli(f);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^${f}:3:1: malformed YAML: [^\\n]*\\n$`));
    expect(r.stdout).toBe('');
  });

  it('gives exit 2 and one line for an unknown lock type', async () => {
    const text = scenario('  - request: client.4101:1\n    on: mds.0\n    xlock: [iauht /f]\n');
    const f = tempFile(text);
    const r = await cli('--quiet', f);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${f}:${pos(text, 'iauht')}: unknown lock type 'iauht' (known: dn, dversion, isnap, ipolicy, ifile, inest, idft, iauth, ilink, ixattr, iflock, iversion)\n`);
  });

  it('gives exit 2 at the step when the simulator refuses it (ImpossibleStep)', async () => {
    const text = scenario('  - request: client.4101:12\n    on: mds.0\n    xlock: [iauth /f]\n  - early_reply: client.4101:12\n');
    const f = tempFile(text);
    const r = await cli(f);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${f}:${pos(text, 'early_reply')}: client.4101:12 cannot reply early: it does not hold its locks yet\n`);
    // the waiting line says what it waits on: both replicas' acks, each LOCK still in flight
    expect(r.stdout).toContain('mds.0 request client.4101:12 waiting: xlock iauth /f, (iauth sync->lock g=1,2) on mds.0: ' +
      "awaits mds.1's ack; mds.1 has (iauth sync); lock(a=lock iauth /f) in flight mds.0 -> mds.1; " +
      "awaits mds.2's ack; mds.2 has (iauth sync); lock(a=lock iauth /f) in flight mds.0 -> mds.2\n");
    expect(r.stdout.trimEnd().split('\n').pop()).toBe(`ERROR ${f}: step at ${f}:${pos(text, 'early_reply')}: client.4101:12 cannot reply early: it does not hold its locks yet`);
  });

  it('gives exit 2 when fewer messages can be delivered than asked', async () => {
    const text = scenario('  - hold: { from: mds.0, to: mds.1 }\n  - request: client.4101:12\n    on: mds.0\n    xlock: [iauth /f]\n  - deliver: 3\n');
    expect((await run([tempFile(text)])).err).toMatch(new RegExp(`:${pos(text, 'deliver: 3')}: deliver 3: only 2 message\\(s\\) could be delivered \\(1 in flight on held links\\)\n$`));
  });

  it('holds a link: the scheduler skips it, an explicit delivery from it is refused', async () => {
    const steps = '  - hold: { from: mds.0, to: mds.1 }\n  - request: client.4101:12\n    on: mds.0\n    xlock: [iauth /f]\n  - deliver: all\n';
    const held = scenario(steps + '  - expect: { messages: ["mds.0 -> mds.1 lock(a=lock iauth /f)"] }\n  - deliver: { from: mds.0, to: mds.1 }\n');
    expect((await run([tempFile(held)])).err).toMatch(new RegExp(`:${pos(held, 'deliver: { from')}: link mds.0 -> mds.1 is held; release it first\n$`));
    const released = scenario(steps + '  - release: { from: mds.0, to: mds.1 }\n  - deliver: all\n  - expect: { granted: client.4101:12, in_flight: 0 }\n');
    expect((await run([tempFile(released)], { quiet: true })).code).toBe(0);
  });

  it('reports a Ceph assertion as a failure at the step, exit 1', () => {
    const s = parseScenario(XLOCK, 'x.yaml');
    const step = s.steps[0];
    if (step.kind !== 'request') throw new Error('test bug');
    step.ops = [op(ref('iauth /f'), WRLOCK)]; // the loader refuses this; the runner must still report it cleanly
    const r = runScenario(s);
    expect(r.outcome).toEqual({ kind: 'abort', loc: step.loc, message: 'mds.0 would abort: wrlock_start on iauth /f: simplelocks take wrlocks only by wrlock_force' });
  });

  it('goes on with the other files and exits with the worst code', async () => {
    const bad = tempFile('name: x\n');
    const good = tempFile(XLOCK);
    const r = await run([bad, good], { quiet: true });
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${bad}:1:1: the scenario is missing 'ranks'\n${bad}:1:1: the scenario is missing 'objects'\n${bad}:1:1: the scenario is missing 'steps'\n`);
    expect(r.out).toBe(`PASS ${good} (8 expectations)\n1 passed, 0 failed, 1 error\n`);
  });

  it('is deterministic: the same file and seed print the same bytes', async () => {
    const f = tempFile(XLOCK);
    const a = await cli('--seed', '7', f);
    const b = await cli('--seed', '7', f);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain('(seed 7)');
  });

  it('--seed changes which message the scheduler delivers first', async () => {
    const f = tempFile(XLOCK);
    const outs = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(async (seed) => (await run([f], { seed })).out));
    const firsts = new Set(outs.map((o) => o.match(/ <- mds\.\d/)![0]));
    expect(firsts).toEqual(new Set([' <- mds.0']));
    const orders = new Set(outs.map((o) => o.match(/mds\.\d <- mds\.0 lock\(a=lock/)![0]));
    expect(orders.size).toBe(2);
  });

  it('--json is one document: events, final prints of every lock on every rank, results', async () => {
    const f = tempFile(XLOCK);
    const r = await cli('--json', f);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.files).toHaveLength(1);
    const [j] = doc.files;
    expect(j).toMatchObject({ file: f, name: 'test scenario', seed: 1, verdict: 'pass' });
    expect(j.events[0]).toEqual({ type: 'step', index: 1, at: `${f}:${pos(XLOCK, 'request: client.4101:12')}`, text: 'request client.4101:12 on mds.0: xlock iauth /f' });
    expect(j.events).toContainEqual(expect.objectContaining({ type: 'locker', rank: 'mds.0', fn: 'simple_lock', lock: 'iauth', path: '/f', print: '(iauth sync->lock g=1,2)', text: 'mds.0.locker simple_lock (iauth sync->lock g=1,2) on /f' }));
    expect(j.results).toHaveLength(8);
    expect(j.results.every((x: { pass: boolean }) => x.pass)).toBe(true);
    expect(Object.keys(j.locks)).toEqual(['mds.0', 'mds.1', 'mds.2']);
    expect(Object.keys(j.locks['mds.0'])).toEqual(['iversion /f', 'iauth /f', 'ilink /f', 'ifile /f', 'ixattr /f', 'isnap /f', 'iflock /f',
      'iversion /d', 'iauth /d', 'ilink /d', 'idft /d', 'ifile /d', 'ixattr /d', 'isnap /d', 'inest /d', 'ipolicy /d',
      // the root and the primary dentries the file leaves out are part of the cluster too
      'iversion /', 'iauth /', 'ilink /', 'idft /', 'ifile /', 'ixattr /', 'isnap /', 'inest /', 'ipolicy /',
      'dn /d/x', 'dversion /d/x', 'dn /f', 'dversion /f', 'dn /d', 'dversion /d']);
    expect(j.locks['mds.1']['dn /d/x']).toBe('(dn sync l)');
    expect(Object.keys(j.locks['mds.2'])).not.toContain('iauth /d');
  });

  it('rejects a bad --seed as a usage error (exit 2)', async () => {
    expect((await cli('--seed', 'x', 'f.yaml')).status).toBe(2);
  });
});
