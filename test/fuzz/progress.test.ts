// `mdslock fuzz` progress on stderr, driven by a fake clock: a terminal sees every update
// rewrite one line; a pipe (a CI log) sees at most one line per 10 s.
import { describe, expect, it } from 'vitest';
import { PIPED_EVERY_MS, progressLine, runFuzz } from '../../src/cli/fuzz.js';
import { fuzz } from '../../src/fuzz/property.js';
import { loseLockack } from './sabotage.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';

function fakeIO(tty: boolean) {
  const io = { t: 0, err: [] as string[], out: '', tty };
  return { io, fuzzIO: { tty, now: () => io.t, err: (s: string) => { io.err.push(s); }, out: (s: string) => { io.out += s; } } };
}

describe('fuzz progress', () => {
  it('on a terminal every update rewrites the line, and the line is cleared before other output', () => {
    const { io, fuzzIO } = fakeIO(true);
    const p = progressLine(fuzzIO);
    p.update('fuzz: 1/3 runs passed');
    p.update('fuzz: 2/3 runs passed');
    io.t += 1;
    p.update('fuzz: 3/3 runs passed');
    p.clear();
    p.clear();
    expect(io.err).toEqual(['\r\x1b[Kfuzz: 1/3 runs passed', '\r\x1b[Kfuzz: 2/3 runs passed', '\r\x1b[Kfuzz: 3/3 runs passed', '\r\x1b[K']);
  });

  it('piped, updates within 10 s are dropped and one is written after 10 s pass', () => {
    const { io, fuzzIO } = fakeIO(false);
    const p = progressLine(fuzzIO);
    const at = (t: number, s: string) => { io.t = t; p.update(s); };
    at(0, 'a');
    at(5_000, 'b');
    at(PIPED_EVERY_MS - 1, 'c');
    expect(io.err).toEqual([]);
    at(PIPED_EVERY_MS, 'd');
    at(PIPED_EVERY_MS + 9_999, 'e');
    expect(io.err).toEqual(['d\n']);
    at(2 * PIPED_EVERY_MS + 5, 'f');
    p.clear();
    expect(io.err).toEqual(['d\n', 'f\n']);
  });

  it('runFuzz reports through the IO: a line per update on a terminal, none piped in a short run', () => {
    const opts = { runs: 20, seed: 3, steps: 5, out: '/nonexistent' };
    const term = fakeIO(true);
    expect(runFuzz(opts, term.fuzzIO)).toBe(0);
    expect(term.io.err).toHaveLength(21);
    expect(term.io.err[19]).toBe('\r\x1b[Kfuzz: 20/20 runs passed');
    expect(term.io.err[20]).toBe('\r\x1b[K');
    expect(term.io.out).toMatch(/^fuzz: 20 runs of up to 5 ops and other steps passed/);
    const piped = fakeIO(false);
    expect(runFuzz(opts, piped.fuzzIO)).toBe(0);
    expect(piped.io.err).toEqual([]);
  });

  it('counts shrinking attempts as shrinking, never as more runs than asked', () => {
    const calls: [number, number][] = [];
    const r = fuzz({ runs: 200, seed: 7, steps: 30, extra: Array(8).fill(loseLockack), onRun: (done, shrinking) => { calls.push([done, shrinking]); } });
    expect(r.failed).not.toBeNull();
    expect(Math.max(...calls.map(([d]) => d))).toBeLessThan(200);
    const first = calls.findIndex(([, sh]) => sh > 0);
    expect(first).toBeGreaterThan(0);
    // once a run failed, every call is a shrinking attempt, numbered 1, 2, 3, ...
    expect(calls.slice(first).map(([, sh]) => sh)).toEqual(calls.slice(first).map((_, i) => i + 1));
    expect(new Set(calls.slice(first).map(([d]) => d))).toEqual(new Set([calls[first][0]]));
  });
});

describe('fuzz --json', () => {
  const valid = new Ajv2020({ strict: true }).compile(JSON.parse(readFileSync('docs/schemas/fuzz.schema.json', 'utf8')));

  it('is one object valid against docs/schemas/fuzz.schema.json: a pass, or the failure and its file', () => {
    const ok = fakeIO(false);
    expect(runFuzz({ runs: 5, seed: 3, steps: 5, out: '/nonexistent', json: true }, ok.fuzzIO)).toBe(0);
    const pass = JSON.parse(ok.io.out);
    expect(valid(pass), JSON.stringify(valid.errors)).toBe(true);
    expect(pass).toMatchObject({ seed: 3, runs: 5, steps: 5, passed: true });

    const bad = fakeIO(false);
    const out = mkdtempSync(join(tmpdir(), 'mdslock-fz-'));
    expect(runFuzz({ runs: 200, seed: 7, steps: 30, out, json: true, extra: Array(8).fill(loseLockack) }, bad.fuzzIO)).toBe(1);
    const fail = JSON.parse(bad.io.out);
    expect(valid(fail), JSON.stringify(valid.errors)).toBe(true);
    expect(fail.passed).toBe(false);
    expect(fail.failure).toMatchObject({ what: 'I7', file: join(out, 'fuzz-seed7-I7.yaml') });
    expect(readFileSync(fail.failure.file, 'utf8')).toMatch(/^name: "fuzz counterexample: I7 quiescence"$/m);
    expect(valid({ ...pass, passed: false }), 'a failed run must carry its failure').toBe(false);
  });
});
