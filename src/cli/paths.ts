// Command-line paths to scenario files: a file as given, a directory as every .yaml/.yml file
// under it, a glob (`scenarios/**/w*.yaml`, quoted so the shell leaves it) as the files it
// matches; check files (scenarios/check/, for `mdslock check`) are left out of both, and so are
// design files (scenarios/models/) unless asked for. Sorted, each file once.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const GLOB = /[*?[]/;
const isYaml = (p: string) => /\.ya?ml$/.test(p);

/** What a walk finds in a file: a cluster scenario, a design file with steps (replay), a design check file (no steps), or a cluster check file. */
function kindOf(p: string): 'scenario' | 'design' | 'design-check' | 'check' {
  let text = '';
  try { text = readFileSync(p, 'utf8'); } catch { return 'scenario'; }
  if (/^model:/m.test(text)) return /^steps:/m.test(text) ? 'design' : 'design-check';
  return /^workload:/m.test(text) ? 'check' : 'scenario';
}

/**
 * A scenario found by walking a directory or a glob: YAML, not a check file, and a design file
 * (scenarios/models/) only when asked for: the cluster's tools read cluster scenarios.
 */
const wanted = (p: string, designs: boolean) => { const k = kindOf(p); return k === 'scenario' || (designs && k === 'design'); };
const isScenario = (p: string, designs: boolean) => isYaml(p) && wanted(p, designs);

/** Every file under `dir`, recursively, sorted by path. */
function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** A glob as a regular expression over `/`-separated relative paths: `**` any depth, `*` and `?` within a name. */
function globRegex(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) { re += '\\['; continue; }
      re += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export interface Expanded {
  readonly files: string[];
  /** One line per argument that names nothing. */
  readonly errors: string[];
}

export function expandPaths(args: readonly string[], o: { designs?: boolean } = {}): Expanded {
  const designs = o.designs ?? false;
  const files: string[] = [];
  const errors: string[] = [];
  for (const arg of args) {
    if (GLOB.test(arg)) {
      const parts = arg.split('/');
      const first = parts.findIndex((p) => GLOB.test(p));
      const base = parts.slice(0, first).join('/') || '.';
      let all: string[] = [];
      try { all = walk(base); } catch { /* reported below as matching nothing */ }
      const re = globRegex(parts.slice(first).join('/'));
      const hits = all.filter((p) => re.test(relative(base, p).split(sep).join('/')) && wanted(p, designs));
      if (hits.length === 0) errors.push(`${arg}: no file matches`);
      files.push(...hits);
      continue;
    }
    let isDir = false;
    try { isDir = statSync(arg).isDirectory(); } catch { /* a missing file: the loader says so */ }
    if (!isDir) { files.push(arg); continue; }
    const found = walk(arg).filter((p) => isScenario(p, designs));
    if (found.length === 0) errors.push(`${arg}: no scenario (.yaml or .yml) under it`);
    files.push(...found);
  }
  return { files: [...new Set(files)], errors };
}
