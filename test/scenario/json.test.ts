// `replay --json` / `--jsonl`: valid against the published schema (docs/schemas), names rather
// than internal numbers, and written as the run goes: no write is larger than a bounded chunk,
// however long the run.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { replay } from '../../src/cli/replay.js';
import type { Sink } from '../../src/cli/output.js';
import { PLAIN } from '../../src/trace/style.js';
import { replayIn } from './replayIO.js';
import { scenario, tempFile } from './files.js';

const schema = JSON.parse(readFileSync('docs/schemas/replay.schema.json', 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addSchema(schema);
const validDoc = ajv.getSchema(schema.$id)!;
const validLine = ajv.getSchema(`${schema.$id}#/$defs/jsonLine`)!;

const errors = (v: { errors?: unknown }) => JSON.stringify(v.errors, null, 1);

describe('--json', () => {
  it('over every scenario file is one document valid against docs/schemas/replay.schema.json', async () => {
    const r = await replayIn(['scenarios/'], { json: true });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(validDoc(doc), errors(validDoc)).toBe(true);
    expect(doc.totals).toEqual({ passed: doc.files.length, failed: 0, errors: 0 });
  }, 60_000); // every scenario: seconds on 2 busy cores

  it('names everything as the trace prints it, never by an internal number', async () => {
    const r = await replayIn(['scenarios/walkthroughs/w2-replica-rdlock.yaml'], { json: true });
    const events = JSON.parse(r.out).files[0].events;
    expect(events).toContainEqual({
      type: 'send', text: 'mds.0 -> client.4101 client_caps(revoke /f seq 1 caps=As wanted=As)',
      message: { kind: 'caps', from: 'mds.0', to: 'client.4101', op: 'revoke', client: 'client.4101', path: '/f', seq: 1, caps: 'As', wanted: 'As' },
    });
    expect(events).toContainEqual({
      type: 'deliver', text: 'mds.0 <- mds.1 lock(a=reqrdlock iauth /f)',
      message: { kind: 'lock', from: 'mds.1', to: 'mds.0', action: 'reqrdlock', lock: 'iauth', path: '/f' },
    });
    expect(JSON.stringify(events)).not.toMatch(/"(action|op|from|to|lock|lockType)":-?\d/);
  });

  it('with --quiet, leaves out the events', async () => {
    const r = await replayIn(['scenarios/walkthroughs/w2-replica-rdlock.yaml'], { json: true, quiet: true });
    const doc = JSON.parse(r.out);
    expect(validDoc(doc), errors(validDoc)).toBe(true);
    expect(doc.files[0]).not.toHaveProperty('events');
    expect(doc.files[0].verdict).toBe('pass');
  });

  it('with --why, carries the waits and the deadlocks', async () => {
    const r = await replayIn(['scenarios/findings/remote-xlocks-deadlock-on-versionlock.yaml'], { json: true, why: true });
    const doc = JSON.parse(r.out);
    expect(validDoc(doc), errors(validDoc)).toBe(true);
    expect(doc.files[0].deadlocks).toEqual([['client.4101:1@mds.0', 'client.4101:2@mds.0']]);
    expect(doc.files[0].waits).toHaveLength(4);
  });

  it('reports a file that does not load as an entry with every problem', async () => {
    const bad = tempFile('name: x\n');
    const r = await replayIn([bad], { json: true });
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.out);
    expect(validDoc(doc), errors(validDoc)).toBe(true);
    expect(doc.files[0].problems.map((p: { text: string }) => p.text)).toEqual(["the scenario is missing 'ranks'", "the scenario is missing 'objects'", "the scenario is missing 'steps'"]);
  });
});

describe('--jsonl', () => {
  it('is one JSON object per line, each valid: file, events, end, the final state, totals', async () => {
    const r = await replayIn(['scenarios/walkthroughs/', 'scenarios/findings/'], { jsonl: true });
    const lines = r.out.trimEnd().split('\n').map((l) => JSON.parse(l));
    for (const l of lines) expect(validLine(l), `${JSON.stringify(l)}\n${errors(validLine)}`).toBe(true);
    expect(lines[0]).toMatchObject({ type: 'file', file: expect.stringMatching(/^scenarios\//) });
    expect(lines.filter((l) => l.type === 'end').every((l) => l.verdict === 'pass')).toBe(true);
    const files = lines.filter((l) => l.type === 'file').length;
    expect(files).toBe(readdirSync('scenarios/walkthroughs').length + readdirSync('scenarios/findings').length);
    expect(lines.at(-1)).toEqual({ type: 'totals', passed: files, failed: 0, errors: 0 });
    expect(lines).toContainEqual({ type: 'lock', rank: 'mds.1', name: 'iauth /f', print: '(iauth sync)' });
  });
});

describe('streaming', () => {
  // a long run: many requests on a cluster, the events far larger than one chunk
  const steps = Array.from({ length: 300 }, (_, i) => `  - request: client.4101:${i + 1}\n    on: mds.0\n    xlock: [iauth /f]\n  - deliver: all\n  - finish: client.4101:${i + 1}\n  - deliver: all\n`).join('');
  const big = tempFile(scenario(steps));

  it.each([['text', {}], ['--json', { json: true }], ['--jsonl', { jsonl: true }]] as const)('%s goes out in bounded chunks as the run goes', async (_what, opts) => {
    const chunks: number[] = [];
    let queued = '';
    const out: Sink = {
      write: (s) => { queued += s; },
      flush: async (force) => { if (queued.length >= 1 << 16 || (force && queued)) { chunks.push(queued.length); queued = ''; } },
    };
    expect(await replay([big], opts, { out, err: () => {}, style: PLAIN })).toBe(0);
    const total = chunks.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(8 * (1 << 16));
    expect(chunks.length).toBeGreaterThan(8);
    // a chunk is what one step added past the threshold, never the whole run
    expect(Math.max(...chunks)).toBeLessThan((1 << 16) + 8192);
  });
});
