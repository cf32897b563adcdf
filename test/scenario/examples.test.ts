// `npm test` replays every scenario file under scenarios/: each must pass (exit 0).
import { describe, expect, it } from 'vitest';
import { replayIn } from './replayIO.js';
import { expandPaths } from '../../src/cli/paths.js';

// every scenario, as `replay scenarios/` finds them (check files left out)
const files = expandPaths(['scenarios']).files;

describe('scenarios/', () => {
  it.skipIf(files.length === 0)('holds scenario files', () => expect(files.length).toBeGreaterThan(0));

  it.each(files)('%s passes, invariants checked after every step', async (file) => {
    const { code, out, err } = await replayIn([file]);
    expect(err).toBe('');
    expect(code, out).toBe(0);
    expect(out.trimEnd().split('\n').pop()).toMatch(/^PASS /);
  });
});
