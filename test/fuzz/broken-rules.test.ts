// Each invariant is shown to catch a deliberately broken rule: the fuzz, given one command
// that breaks the system, must fail on that invariant, shrunk to a short run. Were the
// checker a no-op, the run would pass (or fail elsewhere) and the test would fail.
import { describe, expect, it } from 'vitest';
import type fc from 'fast-check';
import { fuzz } from '../../src/fuzz/property.js';
import type { FuzzCommand } from '../../src/fuzz/commands.js';
import { corruptCounter, dropScatterPending, loseLockack, strayGather, wrongReplicaState } from './sabotage.js';

function caught(extra: fc.Arbitrary<FuzzCommand>, mode: 'ops' | 'locks' = 'locks') {
  // the sabotage is weighted up so that most runs contain it; it breaks the lock layer, which
  // raw lock lists exercise most directly (scattered updates exist only there)
  const r = fuzz({ runs: 300, seed: 7, steps: 30, mode, extra: Array(8).fill(extra) });
  expect(r.failed, 'no run failed').not.toBeNull();
  return r.failed!;
}

describe('broken rules are caught', () => {
  it('I7: a lost LOCKACK leaves the gather pending', () => {
    const f = caught(loseLockack, 'ops');
    expect(f.failure!.what).toBe('I7');
    expect(f.steps.some((s) => s.kind === 'hold')).toBe(true);
    expect(f.steps.length).toBeLessThanOrEqual(4);
  });

  it('I3: a corrupted rdlock counter', () => {
    const f = caught(corruptCounter);
    expect(f.failure!.what).toBe('I3');
    expect(f.steps.map((s) => s.kind)).toEqual(['sabotage']);
  });

  it('I4: a gather set naming a rank that holds no replica', () => {
    const f = caught(strayGather);
    expect(f.failure!.what).toBe('I4');
    expect(f.steps.map((s) => s.kind)).toEqual(['sabotage']);
  });

  it('I5: a replica forced into the wrong state', () => {
    const f = caught(wrongReplicaState);
    expect(f.failure!.what).toBe('I5');
    expect(f.failure!.message).toMatch(/is lock but the auth mds\.\d is sync/);
  });

  it('I8: pending scattered updates dropped', () => {
    const f = caught(dropScatterPending);
    expect(f.failure!.what).toBe('I8');
    expect(f.steps.filter((s) => s.kind === 'update')).toHaveLength(1);
  });
});
