// `npm test` replays every scenario file under scenarios/: each must pass (exit 0).
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replay } from '../../src/cli/replay.js';
import { PLAIN } from '../../src/trace/style.js';

function scenarioFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

const files = scenarioFiles('scenarios');

describe('scenarios/', () => {
  it.skipIf(files.length === 0)('holds scenario files', () => expect(files.length).toBeGreaterThan(0));

  it.each(files)('%s passes', (file) => {
    let out = '';
    let err = '';
    const code = replay([file], {}, { out: (s) => { out += s; }, err: (s) => { err += s; }, style: PLAIN });
    expect(err).toBe('');
    expect(code, out).toBe(0);
  });
});
