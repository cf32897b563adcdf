// Scenario text for tests: a small valid cluster to vary, temp files, and where a needle sits.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { loadErrors } from '../../src/scenario/types.js';

export const HEAD = `name: test scenario
ranks: 3
clients: { client.4101: mds.0, client.4102: mds.1 }
`;

export const OBJECTS = `objects:
  - inode: /f
    type: file
    auth: mds.0
    replicas: [mds.1, mds.2]
  - inode: /d
    type: dir
    auth: mds.0
    replicas: [mds.1]
  - dentry: /d/x
    auth: mds.0
    replicas: [mds.1]
    leased: [mds.1]
`;

/** A whole file: the head, objects and the given steps (YAML list items, indented by 2). */
export const scenario = (steps: string, objects = OBJECTS, head = HEAD) => `${head}${objects}steps:\n${steps}`;

/** `line:col` (1-based) of the `nth` occurrence of `needle` in `text`. */
export function pos(text: string, needle: string, nth = 1): string {
  let i = -1;
  for (let k = 0; k < nth; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`test bug: '${needle}' not in the text`);
  }
  const before = text.slice(0, i).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

const dir = mkdtempSync(join(tmpdir(), 'mdslock-scenario-'));
let n = 0;

/** Write `text` to a fresh temp file and return its path. */
export function tempFile(text: string, name = `s${++n}.yaml`): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** Every one-line error the loader gives for `text`, read as file `t.yaml`. */
export function errorsOf(text: string): string[] {
  try {
    parseScenario(text, 't.yaml');
  } catch (e) {
    return loadErrors(e).map((x) => x.line);
  }
  throw new Error('no error');
}

/** The loader's first error for `text`. */
export const errorOf = (text: string): string => errorsOf(text)[0];

/**
 * `text` fails to load with one line `t.yaml:line:col: message`; `where` is `line:col`, or a
 * needle in the text (`needle@N` for its Nth occurrence) whose position is expected.
 */
export function expectErrorAt(text: string, where: string, message: RegExp): void {
  const all = errorsOf(text);
  expect(all, 'one mistake gives one error, no cascade').toHaveLength(1);
  const line = all[0];
  const [needle, nth] = where.split('@');
  const lc = /^\d+:\d+$/.test(where) ? where : pos(text, needle, Number(nth ?? 1));
  expect(line.startsWith(`t.yaml:${lc}: `), `${line} should be at ${lc}`).toBe(true);
  expect(line.slice(`t.yaml:${lc}: `.length)).toMatch(message);
  expect(line).not.toContain('\n');
}
