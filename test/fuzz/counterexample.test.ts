// A failing run becomes a scenario file that `mdslock replay` reproduces: here the lost
// LOCKACK of broken-rules.test.ts, written by the `mdslock fuzz` code path and replayed by
// the real CLI. The file's last expect holds the stuck state (its checks pass), and the
// replay fails on the invariant the fuzz found, as a fast-check or TLC repro fails.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fuzz } from '../../src/fuzz/property.js';
import { writeScenario } from '../../src/fuzz/scenarioFile.js';
import { loseLockack } from './sabotage.js';

const cli = (...args: string[]) => spawnSync('node', ['bin/mdslock.js', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('counterexamples', () => {
  it('are written as scenario files that replay', () => {
    const r = fuzz({ runs: 200, seed: 7, steps: 30, extra: Array(8).fill(loseLockack) });
    expect(r.failed?.failure?.what).toBe('I7');
    const file = writeScenario(r.failed!, mkdtempSync(join(tmpdir(), 'mdslock-cx-')), 'lost-lockack.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^seed: \d+$/m);
    expect(text).toMatch(/- hold: \{ from: mds\.\d, to: mds\.\d \}/);
    expect(text).toMatch(/- deliver: \{ from: mds\.\d, to: mds\.\d \}|- deliver: all/);
    const p = cli('replay', file);
    expect(p.status, p.stdout + p.stderr).toBe(1);
    expect(p.stdout).toMatch(/^VIOLATION I7 quiescence: /m);
    expect(p.stdout.trimEnd().split('\n').pop()).toMatch(new RegExp(`^FAIL ${file}: step at ${file}:\\d+:\\d+: I7 quiescence: `));
    // the last expect shows the lock stuck gathering from the rank whose ack was lost (sync->lock,
    // or sync->excl when a client's open made it go to the loner)
    expect(p.stdout).toMatch(/ok mds\.\d \S+ \S+: \(\S+ \S+->\S+[^)]* g=\d/);
  });

  it('`mdslock fuzz` prints a summary line, and one line for bad input', () => {
    const ok = cli('fuzz', '--runs', '20', '--steps', '5', '--seed', '3');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^fuzz: 20 runs of up to 5 ops and other steps passed \(seed 3, [\d.]+ s, [\d.]+ runs\/s\)$/m);
    const bad = cli('fuzz', '--runs', 'many');
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
