// `mdslock replay <files...> [--seed N] [--json] [--quiet]`: run scenario files, print each
// trace and a verdict line. Exit 0 when all pass, 1 when an expectation failed (or an MDS
// would abort), 2 on bad input. The same files and seed always print the same bytes.
import { Command, InvalidArgumentError } from 'commander';
import { loadScenario } from '../scenario/load.js';
import { runScenario } from '../scenario/run.js';
import { exitCode, printTrace, verdict } from '../scenario/report.js';
import { runJson } from '../scenario/json.js';
import { ScenarioError } from '../scenario/types.js';
import { styleFor, type Style } from '../trace/style.js';

export interface ReplayOptions {
  seed?: number;
  json?: boolean;
  quiet?: boolean;
}

export interface ReplayIO {
  out(s: string): void;
  err(s: string): void;
  style: Style;
}

/** Replay every file; returns the exit code (the worst over the files). */
export function replay(files: string[], opts: ReplayOptions, io: ReplayIO): number {
  let code = 0;
  const docs: object[] = [];
  for (const file of files) {
    let scenario;
    try {
      scenario = loadScenario(file);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      io.err(e.line + '\n');
      docs.push({ file, verdict: 'error', error: e.line });
      code = Math.max(code, 2);
      continue;
    }
    const run = runScenario(scenario, opts.seed ?? scenario.seed);
    code = Math.max(code, exitCode(run));
    if (run.outcome.kind === 'error') io.err(run.outcome.error.line + '\n');
    if (opts.json) {
      docs.push(runJson(scenario, run));
      continue;
    }
    if (!opts.quiet) io.out(printTrace(scenario, run, io.style));
    io.out(verdict(scenario, run, io.style));
  }
  if (opts.json) io.out(JSON.stringify({ files: docs }, null, 2) + '\n');
  return code;
}

function parseSeed(s: string): number {
  if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw new InvalidArgumentError('the seed is an integer');
  return Number(s);
}

export function replayCommand(): Command {
  return new Command('replay')
    .description('run scenario files: print the trace of each and a PASS/FAIL verdict (exit 0 pass, 1 failed expectation, 2 bad input)')
    .argument('<files...>', 'scenario files (YAML, see src/scenario/schema.json)')
    .option('--seed <n>', "scheduler seed, overriding each file's seed", parseSeed)
    .option('--json', 'one JSON document: per file its events, final lock and client cap prints on every rank, what each client holds, and expectation results')
    .option('--quiet', 'print only the verdict lines')
    .action((files: string[], opts: ReplayOptions) => {
      process.exitCode = replay(files, opts, {
        out: (s) => process.stdout.write(s),
        err: (s) => process.stderr.write(s),
        style: styleFor(process.stdout),
      });
    });
}
