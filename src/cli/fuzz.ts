// `mdslock fuzz [--runs N] [--seed S] [--ranks K] [--steps M] [--out DIR]`: the property tests
// from the command line, for long runs. Prints a progress line, then either a summary (exit 0)
// or the shrunk counterexample written as a scenario file and the command that replays it
// (exit 1). Bad options: one line, exit 2.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { fuzz } from '../fuzz/property.js';
import { writeScenario } from '../fuzz/scenarioFile.js';

export interface FuzzCliOptions {
  runs: number;
  seed: number;
  ranks?: number;
  steps: number;
  out: string;
}

export interface FuzzIO {
  out(s: string): void;
  /** Progress: rewritten in place on a terminal. */
  progress(s: string): void;
}

const int = (what: string, min: number, max: number) => (s: string): number => {
  const n = Number(s);
  if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${what} is an integer from ${min} to ${max}`);
  return n;
};

export function runFuzz(o: FuzzCliOptions, io: FuzzIO): number {
  const every = Math.max(1, Math.floor(o.runs / 100));
  const r = fuzz({
    runs: o.runs, seed: o.seed, steps: o.steps, ranks: o.ranks, determinism: true,
    onRun: (done) => { if (done % every === 0 || done === o.runs) io.progress(`fuzz: ${done}/${o.runs} runs passed`); },
  });
  const rate = (r.runs / (r.ms / 1000)).toFixed(1);
  if (!r.failed) {
    io.out(`fuzz: ${r.runs} runs of up to ${o.steps} steps passed (seed ${o.seed}, ${(r.ms / 1000).toFixed(1)} s, ${rate} runs/s)\n`);
    return 0;
  }
  const f = r.failed.failure!;
  const file = writeScenario(r.failed, o.out, `fuzz-seed${o.seed}-${f.what}.yaml`, ` (mdslock fuzz --seed ${o.seed}, run ${r.runs})`);
  io.out(`fuzz: run ${r.runs} failed after shrinking to ${r.failed.steps.length} step(s): ${f.message.split('\n')[0]}\n`);
  io.out(`fuzz: counterexample written to ${file}\n  npx mdslock replay ${file}\n`);
  return 1;
}

export function fuzzCommand(): Command {
  return new Command('fuzz')
    .description('property-test the invariants on random clusters and commands (exit 0 all hold, 1 counterexample written, 2 bad input)')
    .option('--runs <n>', 'number of runs', int('--runs', 1, 10_000_000), 1000)
    .option('--seed <s>', 'fast-check seed (the same seed draws the same runs)', int('--seed', -(2 ** 31), 2 ** 31 - 1), 1)
    .option('--ranks <k>', 'ranks per cluster (default 1-4 at random)', int('--ranks', 1, 8))
    .option('--steps <m>', 'commands per run at most', int('--steps', 1, 10_000), 50)
    .option('--out <dir>', 'where a counterexample scenario is written', join(tmpdir(), 'mdslock-fuzz'))
    .action((opts: FuzzCliOptions) => {
      const tty = process.stderr.isTTY;
      process.exitCode = runFuzz(opts, {
        out: (s) => { if (tty) process.stderr.write('\r\x1b[K'); process.stdout.write(s); },
        progress: (s) => process.stderr.write(tty ? `\r\x1b[K${s}` : `${s}\n`),
      });
    });
}
