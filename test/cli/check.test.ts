// `mdslock check` on the command line: TLC's report, exit codes 0/1/2, a counterexample that is
// written and replayed, --json valid against its published schema, and check files' bad input.
// Run in-process (inProcess.ts), but for one real process: the bin's exit code on bad usage.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseScenario } from '../../src/scenario/load.js';
import { loadErrors } from '../../src/scenario/types.js';
import { pos, tempFile } from '../scenario/files.js';
import { mdslock } from './inProcess.js';

const run = (...args: string[]) => mdslock(['check', ...args]);
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(JSON.parse(readFileSync('docs/schemas/check.schema.json', 'utf8')));

const CHECK = `name: t
ranks: 2
objects:
  - inode: /f
    type: file
    auth: mds.0
    replicas: [mds.1]
workload:
  - request: client.4101:1
    on: mds.1
    rdlock: [iauth /f]
`;
const errorsOf = (text: string) => { try { parseScenario(text, 't.yaml', 'check'); } catch (e) { return loadErrors(e).map((x) => x.line); } return []; };

describe('mdslock check', () => {
  it('exhausts a small file: "No error has been found", the counts, exit 0', async () => {
    const r = await run('scenarios/check/replica-rdlock-races-xlock.yaml');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Model checking completed\. No error has been found\.$/m);
    expect(r.stdout).toMatch(/^[\d,]+ states generated, [\d,]+ distinct states found, 0 states left on queue\.$/m);
    expect(r.stdout).toMatch(/^The depth of the complete state graph search is \d+ \(breadth-first\)\.$/m);
    expect(r.stdout).toMatch(/^Actions taken: .*deliver lock: [^;]*reqrdlock \d+/m);
    expect(r.stdout).toMatch(/^Never taken: .*deliver: [^;]*discover_reply/m);
    expect(r.stdout).toMatch(/^Locker functions run: .*rdlock_start \d+/m);
    expect(r.stdout).toMatch(/^Never run \(of those that move a lock along a table edge\): .*file_xsyn/m);
    expect(r.stderr).toBe(''); // no progress line when stderr is not a terminal and the run is short
  }, 30_000);

  it('reports a stuck state with a shortest trace, writes the counterexample and replays it, exit 1', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mdslock-check-'));
    const r = await run('scenarios/check/remote-xlocks-deadlock-on-versionlock.yaml', '--out', out);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^Error: a stuck state/m);
    expect(r.stdout).toMatch(/^State 1: the initial state$/m);
    const [, file, html] = /^Counterexample written to (\S+) \(a sequence chart of it: (\S+)\);/m.exec(r.stdout)!;
    expect(file.startsWith(out)).toBe(true);
    // the viewer beside it carries the same run: its steps and the failing verdict
    expect(html).toBe(file.replace(/\.yaml$/, '.html'));
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<script type="application/x-ndjson" id="events">');
    expect(JSON.parse(/<script type="application\/json" id="end">(.*)<\/script>/.exec(page)![1]).verdict).toBe('fail');
    expect(r.stdout).toMatch(/FAIL .*I7/); // the replay that follows fails on quiescence
    expect((await mdslock(['replay', file])).status).toBe(1);
  }, 30_000);

  it('--json is one object valid against docs/schemas/check.schema.json', async () => {
    const docs = [];
    for (const args of [['scenarios/check/replica-rdlock-races-xlock.yaml'], ['--model', 'simplelock', '--replicas', '2', '--bug']]) {
      const r = await run(...args, '--json');
      const doc = JSON.parse(r.stdout);
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
      expect(r.status).toBe(doc.violation ? 1 : 0);
      docs.push(doc);
    }
    const broken = docs[0]; // the file's report, a property taken out
    delete broken.distinct_states;
    expect(validate(broken)).toBe(false);
  }, 30_000);

  it('--model simplelock explores the reference SPIN model', async () => {
    const r = await run('--model', 'simplelock', '--replicas', '3', '--locks', '1');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^[\d,]+ states generated, 1,729 distinct states found/m);
    const bug = await run('--model', 'simplelock', '--bug');
    expect(bug.status).toBe(1);
    expect(bug.stdout).toMatch(/^Error: property no_xlock_with_replica_rdlock is violated\.$/m);
    expect(bug.stdout).toMatch(/^State 8: auth lock 0: xlock$/m);
  }, 30_000);

  it('--workers 2 reports what one thread reports', async () => {
    const one = JSON.parse((await run('scenarios/check/mkdir-races-stat.yaml', '--json')).stdout);
    const two = JSON.parse((await run('scenarios/check/mkdir-races-stat.yaml', '--json', '--workers', '2')).stdout);
    for (const d of [one, two]) { delete d.seconds; delete d.distinct_states_per_second; }
    expect(two).toEqual(one);
    expect((await run('scenarios/check/mkdir-races-stat.yaml', '--workers', '2', '--dfs')).status).toBe(2);
  }, 60_000);

  it('--simulate walks at random: a sample, said to be one; the simplelock bug found on a walk', async () => {
    const r = await run('scenarios/check/mkdir-races-stat.yaml', '--simulate', '30', '--max-depth', '20');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Simulation completed\. No error has been found \(a sample of the state space, not all of it\)\.$/m);
    const bug = await run('--model', 'simplelock', '--bug', '--simulate', '200', '--json');
    const doc = JSON.parse(bug.stdout);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect([bug.status, doc.violation.property, doc.simulation]).toEqual([1, 'no_xlock_with_replica_rdlock', { runs: 200, depth: 100, seed: 1 }]);
  }, 30_000);

  it('--symmetry with a check file: states equal up to interchangeable ranks and clients counted once, or said to be none', async () => {
    const sym = await run('scenarios/check/setattrs-from-two-replicas.yaml', '--symmetry');
    expect(sym.status).toBe(0);
    expect(sym.stdout).toMatch(/^Symmetry: states equal up to \(mds\.1 mds\.2\)\(client\.4101 client\.4102\) are counted once\.$/m);
    expect(sym.stdout).toMatch(/^[\d,]+ states generated, 258 distinct states found/m);
    const none = await run('scenarios/check/mkdir-races-stat.yaml', '--symmetry', '--json');
    expect(none.stderr).toBe('');
    expect(JSON.parse(none.stdout)).toMatchObject({ distinct_states: 130, symmetry: null });
    const symJson = JSON.parse((await run('scenarios/check/setattrs-from-two-replicas.yaml', '--symmetry', '--json')).stdout);
    expect(symJson).toMatchObject({ distinct_states: 258, symmetry: '(mds.1 mds.2)(client.4101 client.4102)' });
    expect(validate(symJson), JSON.stringify(validate.errors)).toBe(true);
  }, 30_000);

  it('bounds: --max-states stops early and says the space was not exhausted', async () => {
    const r = await run('--model', 'simplelock', '--replicas', '4', '--max-states', '100');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/stopped at its bound \(--max-states\): the state space was not exhausted/);
  }, 30_000);

  it('bad input: one line with file:line:col, exit 2', async () => {
    const text = CHECK.replace('    rdlock: [iauth /f]\n', '    rdlock: [iauth /f]\n  - deliver: all\n');
    const file = tempFile(text);
    const r = await run(file);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${file}:${pos(text, '- deliver').replace(/:(\d+)$/, (_, c) => `:${Number(c) + 2}`)}: a workload holds what clients issue (request, op, open, lease), not deliver steps: the check tries every delivery and interleaving itself\n`);
    expect((await run('--model', 'nope')).status).toBe(2);
    expect((await run()).stderr).toBe('error: give a check file (or --model simplelock)\n');
    expect((await run('no-such-file.yaml')).stderr).toMatch(/^no-such-file\.yaml:1:1: cannot read file/);
    // the bin itself: the same line and exit code from a real process
    const bin = spawnSync('node', ['bin/mdslock.js', 'check'], { encoding: 'utf8' });
    expect([bin.status, bin.stderr]).toEqual([2, 'error: give a check file (or --model simplelock)\n']);
  }, 30_000);

  it('failures are not drawn for a workload with a rename (not rolled back yet): at the faults key, or for --faults, exit 2', async () => {
    const renames = readFileSync('scenarios/check/rename-across-ranks-races-stat.yaml', 'utf8');
    const text = `${renames}faults: [fail]\n`;
    expect(errorsOf(text)).toEqual([`t.yaml:${pos(text, '[fail]')}: faults: fail: the workload renames, and a rename prepared across a failure is not rolled back yet`]);
    const r = await run('scenarios/check/rename-across-ranks-races-stat.yaml', '--faults', 'fail');
    expect([r.status, r.stderr]).toEqual([2, 'error: --faults fail: the workload renames, and a rename prepared across a failure is not rolled back yet\n']);
  }, 30_000);

  it('a check file has a workload, not steps; interleave names what it knows', async () => {
    expect(errorsOf(CHECK.replace('workload:', 'steps:'))).toEqual([`t.yaml:${pos(CHECK, 'workload')}: this is a scenario (it has steps, not a workload): run \`mdslock replay\` on it`]);
    const asScenario = () => parseScenario(CHECK, 't.yaml');
    expect(() => asScenario()).toThrow(/this is a check file \(it has a workload, not steps\): run `mdslock check` on it/);
    expect(errorsOf(`${CHECK}interleave: [finish, fly]\n`)).toEqual([`t.yaml:${pos(`${CHECK}interleave: [finish, fly]\n`, 'fly')}: unknown interleave 'fly' (expected finish, early_reply, tick, nudge, update, wrlock_force)`]);
    expect(errorsOf(`${CHECK}interleave: [finish, tick, nudge]\n`)).toEqual([]);
    expect(errorsOf(`${CHECK}interleave: [tick]\n`)).toEqual([`t.yaml:${pos(`${CHECK}interleave: [tick]\n`, '[tick]')}: the workload has lock-list requests, which end only by a finish: list finish in interleave`]);
  });
});
