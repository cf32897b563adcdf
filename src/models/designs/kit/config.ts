// Reading a design file's `config:` mapping: every key known, every value of its type and in its
// range, or a DesignConfigError naming where (a key path) and why. Shared by the designs of this
// directory's siblings (rustfs-fastlock, juicefs-gateway, alluxio-locks).
import { DesignConfigError } from '../design.js';

export type Path = readonly (string | number)[];

/** `v` as a mapping with only `keys` (absent or null: an empty mapping). */
export function mapping(v: unknown, path: Path, keys: readonly string[]): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new DesignConfigError(path, 'expected a mapping');
  for (const k of Object.keys(v)) if (!keys.includes(k)) throw new DesignConfigError([...path, k], `unknown key (known: ${keys.join(', ')})`);
  return v as Record<string, unknown>;
}

export function int(m: Record<string, unknown>, key: string, path: Path, def: number, min: number, max: number): number {
  const v = m[key];
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new DesignConfigError([...path, key], `expected an integer, got ${JSON.stringify(v)}`);
  if (v < min || v > max) throw new DesignConfigError([...path, key], `${v} is out of range ${min}..${max}`);
  return v;
}

export function bool(m: Record<string, unknown>, key: string, path: Path, def: boolean): boolean {
  const v = m[key];
  if (v === undefined) return def;
  if (typeof v !== 'boolean') throw new DesignConfigError([...path, key], `expected true or false, got ${JSON.stringify(v)}`);
  return v;
}

export function choice<T extends string>(m: Record<string, unknown>, key: string, path: Path, def: T, choices: readonly T[]): T {
  const v = m[key];
  if (v === undefined) return def;
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) throw new DesignConfigError([...path, key], `expected one of ${choices.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

export function list(m: Record<string, unknown>, key: string, path: Path, minLen: number, maxLen: number): unknown[] {
  const v = m[key];
  if (v === undefined) throw new DesignConfigError([...path, key], 'required');
  if (!Array.isArray(v)) throw new DesignConfigError([...path, key], 'expected a list');
  if (v.length < minLen || v.length > maxLen) throw new DesignConfigError([...path, key], `expected ${minLen}..${maxLen} entries, got ${v.length}`);
  return v;
}

export function str(v: unknown, path: Path): string {
  if (typeof v !== 'string') throw new DesignConfigError(path, `expected a string, got ${JSON.stringify(v)}`);
  return v;
}

/** A mapping of names to integers in range (`readers_start: { /a: 254 }`), names checked by `known`. */
export function intMap(m: Record<string, unknown>, key: string, path: Path, known: readonly string[], min: number, max: number): Map<string, number> {
  const out = new Map<string, number>();
  const v = m[key];
  if (v === undefined) return out;
  const sub = mapping(v, [...path, key], known);
  for (const k of Object.keys(sub)) out.set(k, int(sub, k, [...path, key], 0, min, max));
  return out;
}
