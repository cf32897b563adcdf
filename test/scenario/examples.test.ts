// `npm test` replays every scenario file under scenarios/: each must pass (exit 0).
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayIn } from './replayIO.js';

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

  it.each(files)('%s passes, invariants checked after every step', async (file) => {
    const { code, out, err } = await replayIn([file]);
    expect(err).toBe('');
    expect(code, out).toBe(0);
    expect(out.trimEnd().split('\n').pop()).toMatch(/^PASS /);
  });
});
