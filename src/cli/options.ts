// Option parsers shared by subcommands: a bad value is a usage error (one line, exit 2).
import { InvalidArgumentError } from 'commander';
import { parseRules, unknownRuleMessage, type RuleId } from '../rules/variants.js';

/** An integer option within [min, max]. */
export const int = (what: string, min: number, max: number) => (s: string): number => {
  const n = Number(s);
  if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${what} is an integer from ${min} to ${max}`);
  return n;
};

/** `--rules id,id`: historical rule variants (`main`: none, Ceph main's rules). */
export const rulesOption = (s: string): readonly RuleId[] => {
  if (s === 'main') return [];
  const parsed = parseRules(s.split(',').map((x) => x.trim()).filter((x) => x !== ''));
  if ('unknown' in parsed) throw new InvalidArgumentError(unknownRuleMessage(parsed.unknown));
  return parsed.rules;
};

/** A comma-separated list of words from `allowed`. */
export const wordsOption = (what: string, allowed: readonly string[]) => (s: string): readonly string[] => {
  const words = s.split(',').map((x) => x.trim()).filter((x) => x !== '');
  const bad = words.find((w) => !allowed.includes(w));
  if (bad !== undefined) throw new InvalidArgumentError(`unknown ${what} ${JSON.stringify(bad)} (expected ${allowed.join(', ')})`);
  return [...new Set(words)];
};
