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

/** Colour only on a terminal, never when NO_COLOR is set (https://no-color.org). */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return PLAIN;
  return stream.isTTY ? colorStyle() : PLAIN;
}
