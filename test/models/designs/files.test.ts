// Design files on the command line: every replay file under scenarios/models/ passes; bad input
// is one line at file:line:col with exit 2; check and fuzz write counterexamples whose replay
// fails naming the property; replay's directory walk leaves design check files out; every design
// has both kinds of file.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expandPaths } from '../../../src/cli/paths.js';
import { designFiles } from '../../../src/models/designs/catalog.js';
import { DESIGNS } from '../../../src/models/designs/index.js';
import { designFile, mdslock, tempDir } from './cli.js';

const NS = `name: t
model: minio-nslock
config:
  clients:
    - { ops: ["write /a"] }
    - { ops: ["write /a"] }
`;

describe('design files', () => {
  const replays = expandPaths(['scenarios/models'], { designs: true }).files;

  it('replay walks into scenarios/models/ only when asked, and never into check files', () => {
    expect(replays.length).toBeGreaterThanOrEqual(9);
    expect(replays.some((f) => f.includes('/check-'))).toBe(false);
    expect(expandPaths(['scenarios']).files.some((f) => f.includes('scenarios/models/'))).toBe(false);
  });

  it.each(DESIGNS.map((d) => d.id))('%s has a check file and a replay file under scenarios/models/<id>/', (id) => {
    const files = designFiles(id);
    expect(files.every((f) => f.design.id === id)).toBe(true);
    expect(files.some((f) => f.steps === null), 'a check file').toBe(true);
    expect(files.some((f) => f.steps !== null), 'a replay file').toBe(true);
  });

  it('every replay file under scenarios/models/ passes', async () => {
    const r = await mdslock('replay', 'scenarios/models');
    expect(r.err).toBe('');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`${replays.length} passed, 0 failed, 0 errors`);
  });

  it('a replay prints each action and the view values it changed, the same bytes every time', async () => {
    const a = await mdslock('replay', 'scenarios/models/minio-nslock/two-writers.yaml');
    expect(a.out).toContain('[3] client.2 lock /a write\n    entry /a: ref 1 -> ref 2\n');
    expect((await mdslock('replay', 'scenarios/models/minio-nslock/two-writers.yaml')).out).toBe(a.out);
  });

  it.each([
    ['malformed YAML', 'name: t\nmodel: [minio-nslock\n', /^.*d\.yaml:\d+:\d+: malformed YAML/],
    ['an unknown model', 'name: t\nmodel: minio-nope\nconfig: {}\nsteps: []\n', /d\.yaml:2:8: unknown model 'minio-nope' \(designs: minio-nslock, minio-dsync/],
    ['a bad config value', NS.replace('"write /a"]', '"lock /a"]') + 'steps: []\n', /d\.yaml:5:15: config: an op is 'read' or 'write'/],
    ['an unknown config key', NS.replace('config:\n', 'config:\n  sorted: true\n') + 'steps: []\n', /d\.yaml:4:11: config: unknown key 'sorted'/],
    ['an unknown top-level key', NS + 'seed: 3\nsteps: []\n', /d\.yaml:7:1: unknown key 'seed'/],
  ])('%s: one line at file:line:col, exit 2', async (_, text, line) => {
    const r = await mdslock('replay', designFile(text));
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(line);
  });

  it('an action not enabled is an error naming what is', async () => {
    const r = await mdslock('replay', designFile(NS + 'steps:\n  - do: client.1 acquires /a write\n'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/d\.yaml:8:9: 'client\.1 acquires \/a write' is not enabled here; enabled: 'client\.1 lock \/a write', 'client\.2 lock \/a write'/);
  });

  it('a failed expectation and an unaccepted violation fail the file (exit 1)', async () => {
    const r = await mdslock('replay', designFile(NS + 'steps:\n  - do: client.1 lock /a write\n  - expect: { "entry /a": "ref 2" }\n'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL .*d\.yaml: step at .*d\.yaml:9:\d+: entry \/a: expected 'ref 2', got 'ref 1'/);
  });

  // stuck with nothing enabled, and stuck with only faults (a tick, a timeout) enabled: replay judges both as check does
  it.each([
    ['minio-nslock/check-unsorted', 4, /stuck is violated: nothing can move/],
    ['rustfs-fastlock/check-crossing-batches', 6, /stuck is violated: only a timeout ends the wait of client\.1 on \/a, client\.2 on \/b/],
  ])('check %s writes a shortest counterexample whose replay fails naming the property', async (name, actions, why) => {
    const out = tempDir();
    const r = await mdslock('check', `scenarios/models/${name}.yaml`, '--out', out);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`a shortest trace, ${actions} actions`);
    const [file] = readdirSync(out);
    expect(file).toBe(`${name.replace(/^.*\//, '')}-stuck.yaml`);
    const replay = await mdslock('replay', join(out, file));
    expect(replay.code).toBe(1);
    expect(replay.out).toMatch(new RegExp(`FAIL .*: step at .*: ${why.source}`));
  });

  it('check --workers 2 finds the same state space as one thread; --json is check.schema.json\'s', async () => {
    const one = await mdslock('check', 'scenarios/models/minio-nslock/check-two-paths.yaml', '--json');
    const two = await mdslock('check', 'scenarios/models/minio-nslock/check-two-paths.yaml', '--json', '--workers', '2');
    expect(two.code).toBe(0);
    expect(JSON.parse(two.out).distinct_states).toBe(JSON.parse(one.out).distinct_states);
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync('docs/schemas/check.schema.json', 'utf8')));
    expect(validate(JSON.parse(one.out)), JSON.stringify(validate.errors)).toBe(true);
  }, 20_000);

  it('fuzz finds the locker-restart overlap and writes it as a file that fails on replay', async () => {
    const out = tempDir();
    const r = await mdslock('fuzz', 'scenarios/models/minio-dsync/check-locker-restart.yaml', '--runs', '2000', '--seed', '1', '--out', out);
    expect(r.code).toBe(1);
    const file = join(out, readdirSync(out)[0]);
    expect(readFileSync(file, 'utf8')).toContain('model: minio-dsync');
    const replay = await mdslock('replay', file);
    expect(replay.code).toBe(1);
    expect(replay.out).toContain('mutual_exclusion is violated');
  });

  it('--property checks one property; an unknown one is refused', async () => {
    const r = await mdslock('check', 'scenarios/models/minio-dsync/check-refresh-slower-than-expiry.yaml', '--property', 'no_leaked_entry');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Model checking completed. No error has been found.');
    const bad = await mdslock('check', 'scenarios/models/minio-dsync/check-no-faults.yaml', '--property', 'safety');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--property safety: minio-dsync checks mutual_exclusion, lock_loss_callback, no_leaked_entry, stuck/);
  });
});

describe('design files as JSON', () => {
  const schema = JSON.parse(readFileSync('docs/schemas/replay.schema.json', 'utf8'));
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addSchema(schema);
  const doc = ajv.getSchema(schema.$id)!, line = ajv.getSchema(`${schema.$id}#/$defs/jsonLine`)!;

  it('replay --json over scenarios/models/ is one document valid against replay.schema.json', async () => {
    const r = await mdslock('replay', 'scenarios/models', '--json');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out);
    expect(doc(d), JSON.stringify(doc.errors)).toBe(true);
    const partition = d.files.find((f: { file: string }) => f.file.endsWith('finding-partition-two-writers.yaml'));
    expect(partition.accepted.map((v: { property: string }) => v.property)).toEqual(['mutual_exclusion', 'lock_loss_callback']);
  });

  it('replay --jsonl: every line valid, a failing file ends with its problems', async () => {
    const f = designFile(NS + 'steps:\n  - do: client.1 lock /a write\n  - expect: { "entry /a": "ref 2" }\n');
    const r = await mdslock('replay', f, 'scenarios/models/minio-nslock/two-writers.yaml', '--jsonl');
    expect(r.code).toBe(1);
    const lines = r.out.trimEnd().split('\n').map((l) => JSON.parse(l));
    for (const l of lines) expect(line(l), `${JSON.stringify(l)} ${JSON.stringify(line.errors)}`).toBe(true);
    expect(lines.find((l) => l.type === 'end')).toMatchObject({ verdict: 'fail', problems: [{ kind: 'expectation', text: "entry /a: expected 'ref 2', got 'ref 1'" }] });
    expect(lines.at(-1)).toEqual({ type: 'totals', passed: 1, failed: 1, errors: 0 });
  });
});
