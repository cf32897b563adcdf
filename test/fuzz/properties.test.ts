// The cluster's invariants as property tests (src/fuzz, src/invariants): random clusters and
// commands with a fixed fast-check seed, every invariant after every command. Bounded to a
// few seconds; `npm run fuzz` runs the same properties for long.
import { describe, expect, it } from 'vitest';
import { fuzz, type FuzzOptions } from '../../src/fuzz/property.js';
import { scenarioText } from '../../src/fuzz/scenarioFile.js';

function holds(o: FuzzOptions): void {
  const r = fuzz(o);
  // on failure, print the shrunk run as the scenario file it would be written as
  expect(r.failed ? scenarioText(r.failed) : null).toBeNull();
  expect(r.runs).toBe(o.runs);
}

describe('invariants I1-I8 hold', () => {
  it('on 1-4 ranks, 50 commands per run', () => holds({ runs: 250, seed: 20240601, steps: 50 }));
  it('on 3 ranks, quiescence (I7) checked after every command', () => holds({ runs: 60, seed: 11, steps: 30, ranks: 3, quiescenceEveryStep: true }));
});

describe('I9 determinism', () => {
  it('replaying a run twice, traced, prints the same trace', () => holds({ runs: 60, seed: 5, steps: 40, determinism: true }));
});
