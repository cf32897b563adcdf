// `mdslock fuzz [--runs N] [--seed S] [--ranks K] [--steps M] [--out DIR]`: the property tests
// from the command line, for long runs. Shows progress on stderr, then prints either a summary
// (exit 0) or the shrunk counterexample written as a scenario file and the command that replays
// it (exit 1). Bad options: one line, exit 2.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { fuzz, type FuzzOptions } from '../fuzz/property.js';
import { writeScenario } from '../fuzz/scenarioFile.js';
import { writeViewerBeside } from '../pictures/sequenceHtml.js';
import { exitWith, type Cli } from './context.js';
import { progressLine, type FuzzIO } from './progress.js';
import { int, rulesOption, wordsOption } from './options.js';
import type { RuleId } from '../rules/variants.js';
import type { Fault } from '../cluster/faults.js';
import { FUZZ_FAULTS } from '../cluster/faults.js';
import { runDesignFuzz } from './fuzzDesign.js';

export interface FuzzCliOptions {
  runs: number;
  seed: number;
  ranks?: number;
  steps: number;
  mode?: 'ops' | 'locks';
  out: string;
  json?: boolean;
  rules?: readonly RuleId[];
  faults?: readonly Fault[];
  wrlockForce?: boolean;
  /** More commands to draw from (tests that break the system on purpose; not a CLI option). */
  extra?: FuzzOptions['extra'];
}

export type { FuzzIO } from './progress.js';
export { PIPED_EVERY_MS, progressLine } from './progress.js';

const mode = (s: string): 'ops' | 'locks' => {
  if (s !== 'ops' && s !== 'locks') throw new InvalidArgumentError('--mode is ops or locks');
  return s;
};

export function runFuzz(o: FuzzCliOptions, io: FuzzIO): number {
  const every = Math.max(1, Math.floor(o.runs / 100));
  const progress = progressLine(io);
  const r = fuzz({
    runs: o.runs, seed: o.seed, steps: o.steps, ranks: o.ranks, mode: o.mode, determinism: true, extra: o.extra,
    rules: o.rules, faults: o.faults, wrlockForce: o.wrlockForce,
    onRun: (done, shrinking) => {
      if (shrinking > 0) { if (shrinking % every === 1 || every === 1) progress.update(`fuzz: run ${done + 1} failed; shrinking it (${shrinking} tries)`); }
      else if (done % every === 0 || done === o.runs) progress.update(`fuzz: ${done}/${o.runs} runs passed`);
    },
  });
  progress.clear();
  const rate = r.runs / (r.ms / 1000);
  const summary = {
    seed: o.seed, mode: o.mode ?? 'ops', runs: r.runs, steps: o.steps, ...(o.ranks ? { ranks: o.ranks } : {}),
    ...(o.rules?.length ? { rules: o.rules } : {}), ...(o.faults?.length ? { faults: o.faults } : {}), ...(o.wrlockForce ? { wrlock_force: true } : {}),
    seconds: r.ms / 1000, runs_per_second: rate,
    known_deadlocks: r.known,
  };
  const known = Object.entries(r.known).map(([k, n]) => `fuzz: ${n} run(s) ended in a deadlock Ceph has too: ${k}\n`).join('');
  if (!r.failed) {
    io.out(o.json ? JSON.stringify({ ...summary, passed: true }) + '\n'
      : `fuzz: ${r.runs} runs of up to ${o.steps} ${(o.mode ?? 'ops') === 'ops' ? 'ops and other steps' : 'steps'} passed (seed ${o.seed}, ${(r.ms / 1000).toFixed(1)} s, ${rate.toFixed(1)} runs/s)\n${known}`);
    return 0;
  }
  const f = r.failed.failure!;
  const file = writeScenario(r.failed, o.out, `fuzz-seed${o.seed}-${f.what}.yaml`, { note: ` (mdslock fuzz --seed ${o.seed}, run ${r.runs})` });
  const html = writeViewerBeside(file);
  if (o.json) {
    io.out(JSON.stringify({ ...summary, passed: false, failure: { what: f.what, message: f.message, steps: r.failed.steps.length, file, html } }) + '\n');
  } else {
    io.out(known);
    io.out(`fuzz: run ${r.runs} failed after shrinking to ${r.failed.steps.length} step(s): ${f.message.split('\n')[0]}\n`);
    io.out(`fuzz: counterexample written to ${file} (a sequence chart of it: ${html})\n  npx mdslock replay ${file}\n`);
  }
  return 1;
}

export function fuzzCommand(cli: Cli): Command {
  return new Command('fuzz')
    .description('property-test the invariants on random clusters and commands (exit 0 all hold, 1 counterexample written, 2 bad input)')
    .option('--runs <n>', 'number of runs', int('--runs', 1, 10_000_000), 1000)
    .option('--seed <s>', 'fast-check seed (the same seed draws the same runs)', int('--seed', -(2 ** 31), 2 ** 31 - 1), 1)
    .option('--mode <m>', 'what clients send: ops (client operations on a namespace, as Server.cc runs them) or locks (raw lock lists on random objects)', mode, 'ops')
    .option('--ranks <k>', 'ranks per cluster (default 1-3 at random for ops, 1-4 for locks)', int('--ranks', 1, 8))
    .option('--steps <m>', 'commands per run at most', int('--steps', 1, 10_000), 50)
    .option('--rules <ids>', 'historical rule variants every cluster follows (comma-separated; mdslock rules lists them)', rulesOption)
    .option('--faults <list>', `faults to draw as well: ${FUZZ_FAULTS.join(', ')} (comma-separated; none by default)`, wordsOption('fault', FUZZ_FAULTS) as (s: string) => readonly Fault[])
    .option('--wrlock-force', 'draw wrlock_force steps as well (a granted request forces a wrlock on a scatterlock it holds, as predirty_journal_parents does)')
    .option('--out <dir>', 'where a counterexample scenario is written', join(tmpdir(), 'mdslock-fuzz'))
    .option('--json', 'one JSON object: the run count, rate and any failure with its scenario file (schema: docs/schemas/fuzz.schema.json)')
    .argument('[file]', 'a design file (model: minio-nslock, ...): random walks through its model instead (--runs, --steps, --seed, --out)')
    .action((file: string | undefined, opts: FuzzCliOptions) => {
      const io = { out: (s: string) => cli.out.write(s), err: (s: string) => cli.err(s), tty: cli.stderrTTY, now: Date.now };
      exitWith(cli, file === undefined ? runFuzz(opts, io) : runDesignFuzz(file, opts, io));
    });
}
