// replay's features for writing and reading scenarios: --update (placeholders and failed
// expectations rewritten in place), --state, -t, directories and globs, step comments in the
// trace, the expectations for violations, aborts and quiescence, and cause-then-effect order.
import { readFileSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { replayIn } from './replayIO.js';
import { pos, scenario, tempFile } from './files.js';

const XLOCK = `  - request: client.4101:12
    on: mds.0
    xlock: [iauth /f]
`;

describe('--update', () => {
  it('fills placeholders and rewrites wrong values in place, keeping comments and layout', async () => {
    const text = scenario(`${XLOCK}  # the replicas are asked to lock
  - expect:
      mds.0: { iauth /f: "(iauth sync)" }   # wrong on purpose
      mds.1:
        iauth /f:
      in_flight: 7
      client.4101:12:
  - deliver: all
  - expect:
      messages:
        - "mds.9 -> mds.9 nothing"
      granted: client.4101:12
`);
    const f = tempFile(text);
    const r = await replayIn([f], { update: true });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`updated ${f}:${pos(text, 'iauth /f: "(iauth sync)"')} mds.0 iauth /f: "(iauth sync->lock g=1,2)"\n`);
    const after = readFileSync(f, 'utf8');
    expect(after).toBe(text
      .replace('{ iauth /f: "(iauth sync)" }   # wrong on purpose', '{ iauth /f: "(iauth sync->lock g=1,2)" }   # wrong on purpose')
      .replace('        iauth /f:\n', '        iauth /f: "(iauth sync)"\n')
      .replace('in_flight: 7', 'in_flight: 2')
      .replace('      client.4101:12:\n', '      client.4101:12: waiting\n')
      .replace('      messages:\n        - "mds.9 -> mds.9 nothing"', '      messages: []'));
    // the updated file passes as it stands
    expect((await replayIn([f])).code).toBe(0);
  });

  it('without --update a placeholder fails, saying it is to be filled in', async () => {
    const text = scenario(`${XLOCK}  - expect: { mds.0: { iauth /f: } }\n`);
    const r = await replayIn([tempFile(text)]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('  expected (to fill in)\n  got      (iauth sync->lock g=1,2)\n');
  });

  it('fills `expect: ~` with every rank\'s changed locks, the requests, the messages and the clients', async () => {
    const f = tempFile(scenario(`${XLOCK}  - expect: ~\n`));
    const r = await replayIn([f], { update: true });
    expect(r.code, r.out).toBe(0);
    expect(readFileSync(f, 'utf8').split('steps:\n')[1]).toBe(`${XLOCK}  - expect:
      mds.0: { iauth /f: "(iauth sync->lock g=1,2)" }
      mds.1: { dn /d/x: "(dn sync l)" }
      waiting: [client.4101:12]
      messages: ["mds.0 -> mds.1 lock(a=lock iauth /f)", "mds.0 -> mds.2 lock(a=lock iauth /f)"]
`);
  });

  it('renames a status key when every request under it moved, and never touches a file that does not load', async () => {
    const f = tempFile(scenario(`${XLOCK}  - expect: { granted: [client.4101:12] }\n`));
    expect((await replayIn([f], { update: true })).code).toBe(0);
    expect(readFileSync(f, 'utf8')).toContain('  - expect: { waiting: [client.4101:12] }\n');
    const broken = scenario(`${XLOCK}  - expect: { mds.0: { iauth /f: }, mds.7: {} }\n`);
    const g = tempFile(broken);
    expect((await replayIn([g], { update: true })).code).toBe(2);
    expect(readFileSync(g, 'utf8')).toBe(broken);
  });
});

describe('expectations of findings', () => {
  it('an unexpected abort fails; `abort:` with its message passes; `abort` must be the last step', async () => {
    const text = scenario(`  - request: client.4101:1
    on: mds.0
    xlock: [iauth /f]
  - deliver: all
  - expect: { abort: "mds.0 would abort: nothing" }
`);
    const r = await replayIn([tempFile(text)]);
    expect(r.code).toBe(1);
    const after = await replayIn([tempFile(text + '  - tick: mds.0\n')]);
    expect(after.code).toBe(2);
    expect(after.err).toMatch(/nothing runs after an MDS abort: an expect with abort must be the last step\n$/);
  });

  it('`violation:` accepts the invariant it names and then stops checking it; others still fail', async () => {
    const deadlock = readFileSync('scenarios/findings/remote-xlocks-deadlock-on-versionlock.yaml', 'utf8');
    expect((await replayIn([tempFile(deadlock)])).code).toBe(0);
    const without = await replayIn([tempFile(deadlock.replace('      violation: I7\n', ''))]);
    expect(without.code).toBe(1);
    expect(without.out).toMatch(/^VIOLATION I7 quiescence: finishing every request and delivering everything leaves /m);
    const wrong = await replayIn([tempFile(deadlock.replace('violation: I7', 'violation: I5'))]);
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('FAILED violation at ');
  });

  it('`quiet: true` holds only when nothing is left to do; finished and per-request statuses', async () => {
    const text = scenario(`${XLOCK}  - expect: { quiet: true }
  - deliver: all
  - finish: client.4101:12
  - deliver: all
  - expect: { quiet: true, finished: client.4101:12, client.4101:12: finished }
`);
    const r = await replayIn([tempFile(text)]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAILED quiet at \S+\n  expected quiet\n  got      I7 quiescence: not quiet: mds.0 iauth \/f sync->lock g=1,2; .*mds.0 request client.4101:12 waiting/);
    expect(r.out).toContain('ok request client.4101:12: finished\n');
    expect(r.out.trimEnd().split('\n').pop()).toMatch(/^FAIL \S+: step at \S+: quiet: expected quiet/);
  });
});

describe('reading a trace', () => {
  it('a # comment above a step shows above its line; a Locker line comes before the messages it sent', async () => {
    const text = scenario(`  # the setattr of W1
  # wants the auth's xlock
${XLOCK}  - deliver: all
`);
    const r = await replayIn([tempFile(text)]);
    expect(r.out).toMatch(/\n# the setattr of W1\n# wants the auth's xlock\n# \[1\] \S+ request client\.4101:12 on mds\.0: xlock iauth \/f\n/);
    expect(r.out).toContain('mds.0.locker simple_lock (iauth sync->lock g=1,2) on /f\nmds.0 -> mds.1 lock(a=lock iauth /f)\nmds.0 -> mds.2 lock(a=lock iauth /f)\n');
  });

  it('a counter that moves with no request taking or dropping it says why', async () => {
    const r = await replayIn(['scenarios/walkthroughs/w4-mix-to-sync-writebehind.yaml']);
    const lines = r.out.split('\n');
    const held = lines.findIndex((l) => l.endsWith(': rdlock held across the wake-ups'));
    const dropped = lines.findIndex((l) => l.endsWith(': rdlock of the wake-ups dropped'));
    expect(held).toBeGreaterThan(0);
    expect(dropped).toBeGreaterThan(held);
    expect(lines[held]).toMatch(/^mds\.\d\.locker handle_file_lock \(ifile sync r=1\) on \/\w+: /);
    expect(lines[dropped]).toMatch(/^mds\.\d\.locker handle_file_lock \(ifile sync\) on \/\w+: /);
  });

  it('--state prints after each step what it changed, the locks not in their initial print, or all', async () => {
    const f = tempFile(scenario(`${XLOCK}  - deliver: 1\n`));
    const changed = (await replayIn([f], { state: 'changed' })).out;
    expect(changed).toContain('# state after step 1 (what it changed):\n  mds.0 iauth /f (iauth sync->lock g=1,2)\n# [2]');
    // the scheduler delivered mds.0's LOCK to mds.2: only its copy changed (its LOCKACK is in flight)
    expect(changed).toMatch(/# state after step 2 \(what it changed\):\n  mds\.2 iauth \/f \(iauth lock\)\n(PASS|$)/);
    const nondefault = (await replayIn([f], { state: 'nondefault' })).out;
    expect(nondefault).toContain('  mds.1 dn /d/x (dn sync l)\n');
    const all = (await replayIn([f], { state: 'all' })).out;
    expect(all).toContain('  mds.2 ixattr /f (ixattr sync)\n');
  });
});

describe('many files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mdslock-many-'));
  mkdirSync(join(dir, 'sub'));
  for (const [name, title] of [['a.yaml', 'alpha'], ['sub/b.yml', 'beta'], ['sub/c.yaml', 'gamma'], ['notes.txt', '']]) {
    writeFileSync(join(dir, name), title ? scenario(XLOCK).replace('name: test scenario', `name: ${title}`) : 'not a scenario');
  }

  it('a directory runs every .yaml/.yml under it, sorted, with a totals line', async () => {
    const r = await replayIn([dir], { quiet: true });
    expect(r.out).toBe([`PASS ${dir}/a.yaml (0 expectations)`, `PASS ${dir}/sub/b.yml (0 expectations)`, `PASS ${dir}/sub/c.yaml (0 expectations)`, '3 passed, 0 failed, 0 errors', ''].join('\n'));
  });

  it('a quoted glob expands (** any depth), -t filters by name or path', async () => {
    expect((await replayIn([`${dir}/**/*.yaml`], { quiet: true })).out).toBe(`PASS ${dir}/a.yaml (0 expectations)\nPASS ${dir}/sub/c.yaml (0 expectations)\n2 passed, 0 failed, 0 errors\n`);
    expect((await replayIn([dir], { quiet: true, filter: /^gam/ })).out).toBe(`PASS ${dir}/sub/c.yaml (0 expectations)\n`);
    const none = await replayIn([`${dir}/*.json`], { quiet: true });
    expect(none.code).toBe(2);
    expect(none.err).toBe(`${dir}/*.json: no file matches\n`);
  });
});
