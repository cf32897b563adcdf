// The `mdslock` command line. Each subcommand lives in its own module; this file wires them.
import { Command, CommanderError } from 'commander';
import { tablesCommand } from './tables.js';
import { coverageCommand } from './coverage.js';
import { replayCommand } from './replay.js';
import { fuzzCommand } from './fuzz.js';

export function buildProgram(): Command {
  const program = new Command('mdslock')
    .description('Simulator of the CephFS MDS distributed lock protocol')
    .version('0.1.0');
  program.addCommand(tablesCommand());
  program.addCommand(replayCommand());
  program.addCommand(fuzzCommand());
  program.addCommand(coverageCommand());
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  // addCommand'ed subcommands do not inherit exitOverride: without it, their usage errors would exit(1)
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    process.stderr.write(`mdslock: ${(e as Error).message}\n`);
    return 2;
  }
}
