// How printed parts are decorated: identity for plain text (byte-identical to Ceph's form),
// chalk colours on a terminal. Every printer takes a Style so one code path serves both.
import { Chalk } from 'chalk';

export interface Style {
  lockType(s: string): string;
  stableState(s: string): string;
  unstableState(s: string): string;
  gather(s: string): string;
  counts(s: string): string;
  flag(s: string): string;
  rank(s: string): string;
  message(s: string): string;
  ok(s: string): string;
  bad(s: string): string;
  dim(s: string): string;
}

const id = (s: string) => s;
export const PLAIN: Style = {
  lockType: id, stableState: id, unstableState: id, gather: id, counts: id, flag: id,
  rank: id, message: id, ok: id, bad: id, dim: id,
};

export function colorStyle(): Style {
  const c = new Chalk({ level: 1 });
  return {
    lockType: (s) => c.bold(s), stableState: (s) => c.green(s), unstableState: (s) => c.yellow(s),
    gather: (s) => c.magenta(s), counts: (s) => c.cyan(s), flag: (s) => c.red(s),
    rank: (s) => c.blue(s), message: (s) => c.magenta(s), ok: (s) => c.green(s),
    bad: (s) => c.red.bold(s), dim: (s) => c.dim(s),
  };
}

/**
 * Whether to colour, as chalk's ecosystem decides: an explicit `--color` / `--no-color` wins;
 * then FORCE_COLOR (`0` or `false` turns colour off, any other value, empty included, on); then
 * NO_COLOR (https://no-color.org: set and not empty turns it off); then a terminal that is not
 * TERM=dumb.
 */
export function wantColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env, flag?: boolean): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return !!stream.isTTY && env.TERM !== 'dumb';
}

export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env, flag?: boolean): Style {
  return wantColor(stream, env, flag) ? colorStyle() : PLAIN;
}
