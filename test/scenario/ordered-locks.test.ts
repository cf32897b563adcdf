// A request step's ordered `locks:` list: ops are taken in the listed order (the caller's
// order across objects), with the same legality rules as the four per-kind lists.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { loadErrors } from '../../src/scenario/types.js';
import { lockRefName, RDLOCK, XLOCK } from '../../src/request/LockOp.js';
import { scenario } from './files.js';

const req = (body: string) => scenario(`  - request: client.4101:1\n    on: mds.0\n${body}`);

function error(text: string): string {
  try {
    parseScenario(text, 's.yaml');
  } catch (e) {
    return loadErrors(e).map((x) => x.line).join('\n');
  }
  return 'no error';
}

describe('request locks: [...]', () => {
  it('keeps the listed order across kinds', () => {
    const s = parseScenario(req('    locks: [xlock iauth /f, rdlock dn /d/x]\n'), 's.yaml');
    const step = s.steps[0];
    expect(step.kind).toBe('request');
    if (step.kind !== 'request') return;
    expect(step.ops.map((o) => [lockRefName(o.lock), o.flags])).toEqual([['iauth /f', XLOCK], ['dn /d/x', RDLOCK]]);
  });

  it('rejects an unknown kind, a mix with the lists, and illegal locks', () => {
    expect(error(req('    locks: [grab iauth /f]\n'))).toMatch(/locks entry 'grab iauth \/f' must be/);
    expect(error(req('    locks: [xlock iauth /f]\n    rdlock: [iauth /f]\n'))).toMatch(/either 'locks' or the rdlock/);
    expect(error(req('    locks: [wrlock iauth /f]\n'))).toMatch(/wrlock on iauth \/f: a simplelock/);
  });
});
