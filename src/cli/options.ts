// Option parsers shared by subcommands: a bad value is a usage error (one line, exit 2).
import { InvalidArgumentError } from 'commander';

/** An integer option within [min, max]. */
export const int = (what: string, min: number, max: number) => (s: string): number => {
  const n = Number(s);
  if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${what} is an integer from ${min} to ${max}`);
  return n;
};
