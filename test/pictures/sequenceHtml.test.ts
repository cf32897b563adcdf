// `replay --html`: one self-contained page per run (no network), its data the run's own events
// (what --jsonl writes, with the state and wait-for graph of every step), safe whatever the
// scenario's comments hold, byte-identical for the same file and seed; the command's habits
// (a directory takes one page per scenario, bad targets are one-line errors, exit 2).
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import { eventJson } from '../../src/scenario/json.js';
import { headerComment, writeSequenceHtml } from '../../src/pictures/sequenceHtml.js';
import { scenario, tempFile } from '../scenario/files.js';
import { mdslock } from '../cli/inProcess.js';

const W2 = 'scenarios/walkthroughs/w2-replica-rdlock.yaml';
const cli = (...args: string[]) => mdslock(['replay', ...args]);
const tmp = () => mkdtempSync(join(tmpdir(), 'mdslock-html-'));
const scriptOf = (page: string, id: string) => new RegExp(`<script type="[^"]+" id="${id}">([^]*?)</script>`).exec(page)![1];

describe('the HTML viewer page', () => {
  it("carries the run's events as replay --jsonl writes them, with a lock listing and wait-for graph per step", () => {
    const file = join(tmp(), 'w2.html');
    writeSequenceHtml(loadScenario(W2), {}, file);
    const page = readFileSync(file, 'utf8');
    const events = scriptOf(page, 'events').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
    const run = runScenario(loadScenario(W2), { state: 'changed', waits: true });
    expect(events).toEqual(run.events.map(eventJson));
    const steps = events.filter((e) => e.type === 'step').length;
    expect(events.filter((e) => e.type === 'state')[0]).toMatchObject({ step: 0, mode: 'all' });
    expect(events.filter((e) => e.type === 'waits').length).toBe(events.filter((e) => e.type === 'step' && e.text !== 'expect').length);
    expect(steps).toBeGreaterThan(10);
    const meta = JSON.parse(scriptOf(page, 'meta'));
    expect(meta).toMatchObject({ file: W2, seed: 1, lanes: ['mds.0', 'mds.1', 'mds.2', 'client.4101', 'client.4102', 'client.4103'] });
    expect(meta.about).toBe(headerComment(readFileSync(W2, 'utf8')));
    expect(JSON.parse(scriptOf(page, 'end')).verdict).toBe('pass');
    // each event as docs/schemas/replay.schema.json publishes it, the waits and start listing included
    const schema = JSON.parse(readFileSync('docs/schemas/replay.schema.json', 'utf8'));
    const ajv = new Ajv2020({ allErrors: true, strict: true }).addSchema(schema);
    const valid = ajv.getSchema(`${schema.$id}#/$defs/event`)!;
    for (const e of events) expect(valid(e), JSON.stringify(valid.errors)).toBe(true);
  });

  it('is self-contained: inline style and script, nothing fetched', () => {
    const file = join(tmp(), 'w2.html');
    writeSequenceHtml(loadScenario(W2), {}, file);
    const page = readFileSync(file, 'utf8');
    expect(page).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(page).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(page).toContain('<style>');
  });

  it("keeps a scenario's text as data: a comment holding </script> cannot end the data early", () => {
    const f = tempFile(`# about </script><script>alert(1)</script>\n${scenario(`  # step note </script><b>x</b>
  - request: client.4101:12
    on: mds.0
    xlock: [iauth /f]
`)}`);
    const file = join(tmp(), 'x.html');
    writeSequenceHtml(loadScenario(f), {}, file);
    const page = readFileSync(file, 'utf8');
    expect(page.match(/<\/script>/g)).toHaveLength(4); // meta, events, end, the viewer
    const events = scriptOf(page, 'events').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
    expect(events.find((e) => e.type === 'step').comment).toBe('step note </script><b>x</b>');
    expect(JSON.parse(scriptOf(page, 'meta')).about).toBe('about </script><script>alert(1)</script>');
  });

  it('is byte-identical for the same file and seed, and differs with another seed', () => {
    const d = tmp();
    for (const [name, seed] of [['a', 1], ['b', 1], ['c', 7]] as const) writeSequenceHtml(loadScenario('scenarios/ops/rename-cross-rank.yaml'), { seed }, join(d, `${name}.html`));
    const [a, b, c] = ['a', 'b', 'c'].map((n) => readFileSync(join(d, `${n}.html`), 'utf8'));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });
});

describe('replay --html', () => {
  it('writes the page, prints the verdict, exit as replay', async () => {
    const file = join(tmp(), 'w2.html');
    const r = await cli(W2, '--html', file);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^PASS scenarios\/walkthroughs\/w2-replica-rdlock\.yaml \(\d+ expectations\)\n$/);
    expect(r.stderr).toBe(`wrote ${file}\n`);
    expect(readFileSync(file, 'utf8')).toMatch(/^<!doctype html>/);
  }, 30_000);

  it('a directory takes a page per scenario; several scenarios into one file is exit 2', async () => {
    const d = tmp();
    const r = await cli('scenarios/walkthroughs', '--html', d);
    expect(r.status).toBe(0);
    expect(readdirSync(d).sort()).toEqual(readdirSync('scenarios/walkthroughs').map((f) => f.replace(/\.yaml$/, '.html')).sort());
    expect(r.stdout).toMatch(/^8 passed, 0 failed, 0 errors$/m);
    const one = await cli('scenarios/walkthroughs', '--html', join(d, 'x.html'));
    expect(one.status).toBe(2);
    expect(one.stderr).toBe(`--html ${join(d, 'x.html')}: 8 scenarios would write one file; give a directory\n`);
  }, 60_000);

  it('a path it cannot write, or another output format with it, is a one-line error, exit 2', async () => {
    const bad = await cli(W2, '--html', '/nonexistent-dir/x.html');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("--html '/nonexistent-dir/x.html': no such directory\n");
    const both = await cli(W2, '--html', join(tmp(), 'x.html'), '--json');
    expect(both.status).toBe(2);
    expect(both.stderr.trim().split('\n')).toHaveLength(1);
  }, 30_000);
});
