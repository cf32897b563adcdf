// The op fuzz counts a deadlock Ceph has too instead of failing on it, but only the snaplock
// traversal and the frozen auth pin classes and the parked replica wrlock
// (test/fuzz/failures.test.ts): their findings are known, the versionlock deadlocks are not.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import { checkQuiescence } from '../../src/invariants/index.js';
import { FROZEN_AUTH_PINS, knownDeadlock, SNAPLOCK_TRAVERSAL } from '../../src/fuzz/known.js';

/** The drained cluster after the scenario's steps but its final expect. */
function drained(file: string) {
  const s = loadScenario(file);
  const r = runScenario(s, { until: s.steps.length - 1, check: false });
  const d = checkQuiescence(r.cluster);
  expect(d.violation?.invariant).toBe('I7');
  return d.drained;
}

describe('known deadlocks', () => {
  it.each([
    'scenarios/findings/rmdir-and-rename-into-itself-deadlock-on-snaplock.yaml',
    'scenarios/findings/rename-over-own-parent-self-deadlock-on-snaplock.yaml',
    'scenarios/findings/rename-and-link-deadlock-on-snaplock.yaml',
  ])('%s is the snaplock traversal class', (file) => {
    expect(knownDeadlock(drained(file))).toBe(SNAPLOCK_TRAVERSAL);
  });

  it('the crossing renames are the frozen auth pin class', () => {
    expect(knownDeadlock(drained('scenarios/findings/crossing-renames-deadlock-on-frozen-auth-pins.yaml'))).toBe(FROZEN_AUTH_PINS);
  });

  it('a parked replica wrlock is known only while its request waits: a lock-list request the drain finished leaves a bare waiter, reported', () => {
    expect(knownDeadlock(drained('scenarios/bugs/replica-wrlock-parks-after-auth-failover.yaml'))).toBeNull();
  });

  it.each([
    'scenarios/findings/remote-xlocks-deadlock-on-versionlock.yaml',
    'scenarios/findings/remote-xlock-then-remote-wrlock-deadlock-on-versionlock.yaml',
  ])('%s is not known: the fuzz reports it', (file) => {
    expect(knownDeadlock(drained(file))).toBeNull();
  });
});
