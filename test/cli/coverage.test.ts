// `mdslock coverage` as the command line shows it (in-process, through its Command): edges
// with machine, side and functions, the per-file breakdown, counts in the singular or plural,
// and exit 2 for input that does not load.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { coverageCommand } from '../../src/cli/coverage.js';
import { StringSink } from '../../src/cli/output.js';
import type { Cli } from '../../src/cli/context.js';

async function coverage(...args: string[]) {
  const out = new StringSink();
  let err = '';
  const cli: Cli = { out, err: (s) => { err += s; }, stdoutTTY: false, stderrTTY: false, env: {}, status: 0 };
  await new Command('mdslock').addCommand(coverageCommand(cli)).parseAsync(['coverage', ...args], { from: 'user' });
  return { code: cli.status, out: out.text, err };
}

const W1 = 'scenarios/walkthroughs/w1-simplelock-xlock.yaml';
const W8 = 'scenarios/walkthroughs/w8-local-versionlock.yaml';

describe('mdslock coverage', () => {
  it('writes each edge as machine, side, from -> to and the functions taking it', async () => {
    const r = await coverage(W1);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^sm_simplelock: 10\/28 reachable edges covered \(2 unreachable, reasons in statemachines\/transitions\.ts\)$/m);
    expect(r.out).toContain('\n  not covered sm_simplelock auth: lock -> lock->sync (simple_sync)\n');
    expect(r.out).toContain('\n  not covered sm_simplelock auth: lock->sync -> sync (simple_sync, eval_gather)\n');
    expect(r.out).toContain('\n  not covered sm_filelock replica: mix -> mix->sync (handle_file_lock on AC_SYNC)\n');
    expect(r.out).toMatch(/^sm_locallock: no Locker edges \(local lock: counters only\)$/m);
    expect(r.out).not.toMatch(/0\/0/);
  });

  it('breaks the edges down per file, in the singular or plural', async () => {
    const one = await coverage(W1);
    expect(one.out).toMatch(new RegExp(`^  ${W1}  10 edges$`, 'm'));
    expect(one.out.trimEnd().split('\n').at(-1)).toBe('1 file replayed');
    const two = await coverage(W1, W8);
    expect(two.out).toMatch(new RegExp(`^  ${W8}  0 edges$`, 'm'));
    expect(two.out.trimEnd().split('\n').at(-1)).toBe('2 files replayed');
    const j = JSON.parse((await coverage('--json', 'scenarios/walkthroughs/w[18]*.yaml')).out);
    expect(j.files.map((f: { file: string; edges: number }) => [f.file, f.edges])).toEqual([[W1, 10], [W8, 0]]);
    expect(j.files[0].taken).toContainEqual({ machine: 'sm_simplelock', side: 'replica', from: 'sync', to: 'sync->lock', by: ['handle_simple_lock on AC_LOCK'], text: 'sm_simplelock replica: sync -> sync->lock (handle_simple_lock on AC_LOCK)' });
    expect(j.files[0].taken).toHaveLength(10);
    expect(j.machines.map((m: { machine: string }) => m.machine)).toEqual(['sm_simplelock', 'sm_scatterlock', 'sm_filelock', 'sm_locallock']);
  });

  it('defaults to every file under scenarios/, all covered', async () => {
    const r = await coverage();
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('not covered');
    expect(r.out).toMatch(/^\d+ files replayed$/m);
  });

  it('exits 2 on a file that does not load or a path that names nothing, still reporting the rest', async () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'mdslock-cov-')), 'bad.yaml');
    writeFileSync(bad, 'name: bad\nsteps: [1\n');
    const r = await coverage(W1, bad, 'nowhere/*.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toContain('nowhere/*.yaml: no file matches');
    expect(r.err).toMatch(new RegExp(`^${bad}:\\d+:\\d+: `, 'm'));
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('1 file replayed, 1 not loaded');
  });
});
