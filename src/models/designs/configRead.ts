// Reading a design file's `config:` (already parsed YAML, plain data): every problem a
// DesignConfigError naming the key path, which the file loader turns into file:line:col.
import { DesignConfigError } from './design.js';

export type Path = readonly (string | number)[];

export function record(v: unknown, path: Path, allowed: readonly string[]): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new DesignConfigError(path, `${what(path)} must be a mapping`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new DesignConfigError([...path, k], `unknown key '${k}' (expected ${allowed.join(', ')})`);
  return o;
}

export function int(v: unknown, path: Path, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new DesignConfigError(path, `${what(path)} must be an integer`);
  if (v < min || v > max) throw new DesignConfigError(path, `${what(path)} must be ${min}..${max}, not ${v}`);
  return v;
}

export function bool(v: unknown, path: Path): boolean {
  if (typeof v !== 'boolean') throw new DesignConfigError(path, `${what(path)} must be true or false`);
  return v;
}

export function list(v: unknown, path: Path, min: number, max: number): unknown[] {
  if (!Array.isArray(v)) throw new DesignConfigError(path, `${what(path)} must be a list`);
  if (v.length < min || v.length > max) throw new DesignConfigError(path, `${what(path)} must have ${min}..${max} items, not ${v.length}`);
  return v;
}

export function str(v: unknown, path: Path): string {
  if (typeof v !== 'string') throw new DesignConfigError(path, `${what(path)} must be a string`);
  return v;
}

/** A required key. */
export function need(o: Record<string, unknown>, k: string, path: Path): unknown {
  if (!(k in o)) throw new DesignConfigError(path, `${what(path)} is missing '${k}'`);
  return o[k];
}

/** A lock request of a client's workload: `write /a /b` or `read /a` (mode, then resource paths). */
export interface LockOp { readonly write: boolean; readonly paths: readonly string[]; readonly text: string }

export function lockOp(v: unknown, path: Path, maxPaths: number): LockOp {
  const words = str(v, path).trim().split(/\s+/);
  const [mode, ...paths] = words;
  if (mode !== 'read' && mode !== 'write') throw new DesignConfigError(path, `an op is 'read' or 'write' then its paths, not '${mode}'`);
  if (paths.length < 1 || paths.length > maxPaths) throw new DesignConfigError(path, `an op names 1..${maxPaths} path${maxPaths > 1 ? 's' : ''}, not ${paths.length}`);
  for (const p of paths) if (!/^\/[A-Za-z0-9_./-]*$/.test(p)) throw new DesignConfigError(path, `'${p}' is not a path (/a, /bucket/object)`);
  return { write: mode === 'write', paths, text: words.join(' ') };
}

/** A key path as written: `clients[0].ops[1]`. */
const what = (path: Path) => (path.length ? path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${k}`)).join('') : 'config');
