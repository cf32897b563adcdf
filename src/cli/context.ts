// What every subcommand gets from the command line's edge: the stdout sink, stderr, and the
// style stdout is printed in (colour decided once, from --color/--no-color and the environment).
import type { Command } from 'commander';
import { styleFor, type Style } from '../trace/style.js';
import type { Sink } from './output.js';

export interface Cli {
  readonly out: Sink;
  err(s: string): void;
  /** stdout is a terminal (progress lines, colour). */
  readonly stdoutTTY: boolean;
  readonly stderrTTY: boolean;
  readonly env: NodeJS.ProcessEnv;
  /** The exit code so far: commands raise it (0 ok, 1 a finding, 2 bad input). */
  status: number;
}

/** Raise the exit code to at least `code`. */
export function exitWith(cli: Cli, code: number): void {
  cli.status = Math.max(cli.status, code);
}

/** The style of stdout for this command, honouring the global --color / --no-color. */
export function outStyle(cli: Cli, cmd: Command): Style {
  const flag = (cmd.optsWithGlobals() as { color?: boolean }).color;
  return styleFor({ isTTY: cli.stdoutTTY }, cli.env, flag);
}
