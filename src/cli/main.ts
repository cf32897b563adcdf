// The `mdslock` command line. Each subcommand lives in its own module; this file wires them,
// owns the global options (--color / --no-color) and turns failures into exit codes: 0 ok,
// 1 a finding (failed expectation, violation, counterexample), 2 bad input or usage.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { tablesCommand } from './tables.js';
import { coverageCommand } from './coverage.js';
import { replayCommand } from './replay.js';
import { fuzzCommand } from './fuzz.js';
import { checkCommand } from './check.js';
import { whyCommand } from './why.js';
import { explainCommand } from './explain.js';
import { rulesCommand } from './rules.js';
import { logCommand } from './log.js';
import { diagramCommand } from './diagram.js';
import { modelsCommand } from './models.js';
import { ClosedPipe, StreamSink } from './output.js';
import type { Cli } from './context.js';

export function buildProgram(cli: Cli): Command {
  const program = new Command('mdslock')
    .description('Simulator of the CephFS MDS distributed lock protocol')
    .version('0.1.0')
    .option('--color', 'colour the output even when it is not a terminal (also FORCE_COLOR=1)')
    .option('--no-color', 'never colour the output (also NO_COLOR=1 or FORCE_COLOR=0)');
  program.addCommand(tablesCommand(cli));
  program.addCommand(replayCommand(cli));
  program.addCommand(whyCommand(cli));
  program.addCommand(explainCommand(cli));
  program.addCommand(fuzzCommand(cli));
  program.addCommand(checkCommand(cli));
  program.addCommand(coverageCommand(cli));
  program.addCommand(rulesCommand(cli));
  program.addCommand(logCommand(cli));
  program.addCommand(diagramCommand(cli));
  program.addCommand(modelsCommand(cli));
  return program;
}

/** The real process's edge: stdout with backpressure, stderr, and what the terminal is. */
export function processCli(): Cli {
  // a closed stderr must not crash either (nothing more can be said there)
  process.stderr.on('error', () => {});
  return {
    out: new StreamSink(process.stdout),
    err: (s) => { process.stderr.write(s); },
    stdoutTTY: !!process.stdout.isTTY,
    stderrTTY: !!process.stderr.isTTY,
    env: process.env,
    status: 0,
  };
}

export async function main(argv: string[], cli: Cli = processCli()): Promise<number> {
  const program = buildProgram(cli).exitOverride();
  // addCommand'ed subcommands do not inherit exitOverride: without it, their usage errors would exit(1)
  for (const c of program.commands) c.exitOverride();
  program.configureOutput({ writeOut: (s) => cli.out.write(s), writeErr: (s) => cli.err(s) });
  try {
    await program.parseAsync(argv, { from: 'user' });
    await cli.out.flush(true);
    return cli.status;
  } catch (e) {
    if (e instanceof ClosedPipe) return 0; // the reader stopped reading: end quietly
    if (e instanceof InvalidArgumentError) {
      // a usage error found by a command's action (commander prints only those it finds itself)
      await cli.out.flush(true).catch(() => {});
      cli.err(`error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof CommanderError) {
      await cli.out.flush(true).catch(() => {});
      return e.exitCode === 0 ? 0 : 2;
    }
    cli.err(`mdslock: ${(e as Error).message}\n`);
    return 2;
  }
}
