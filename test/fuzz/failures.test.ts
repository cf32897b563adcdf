// The fuzz with rank failures drawn (`--faults fail`): an active rank fails, one at a time and
// each once, as check draws them; a standby takes it over at any point after (the drain does
// for a rank still down); clients send only to active ranks; ops leave renames out. Bounded
// runs with fixed seeds.
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzz, fuzzArbitrary, runCase, type FuzzOptions } from '../../src/fuzz/property.js';
import { scenarioText, writeScenario } from '../../src/fuzz/scenarioFile.js';
import { PARKED_REPLICA_WRLOCK } from '../../src/fuzz/known.js';
import { activeRankOf, applyStep, type FuzzStep } from '../../src/fuzz/steps.js';
import { createCluster, type Topology } from '../../src/cluster/topology.js';
import { STATE_ACTIVE } from '../../src/cluster/mdsmap.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import { loseRejoinAck } from './sabotage.js';

/** Replays a run's steps, checking each against the rules of drawing failures; returns the failures. */
function replayChecked(topology: Topology, seed: number, steps: readonly FuzzStep[]): number {
  const c = createCluster({ ...topology, seed });
  c.traced = false;
  const failed = new Set<number>();
  for (const st of steps) {
    const to = activeRankOf(c, st);
    if (to !== null) expect(c.mdsmap.state[to], `${st.kind} to mds.${to}`).toBe(STATE_ACTIVE);
    if (st.kind === 'fail') {
      expect(c.mdsmap.state.every((x) => x === STATE_ACTIVE), 'one failure at a time').toBe(true);
      expect(failed.has(st.rank), 'each rank once').toBe(false);
      failed.add(st.rank);
    }
    if (st.kind === 'op') expect(st.text).not.toMatch(/^rename /);
    applyStep(c, st);
  }
  return failed.size;
}

describe('fuzz --faults fail', () => {
  it.each(['ops', 'locks'] as const)('--mode %s draws failures and takeovers by the rules, and every run holds every invariant', (mode) => {
    const o: FuzzOptions = { runs: 60, seed: 1, steps: 50, mode, faults: ['fail'], determinism: true };
    const runs = fc.sample(fuzzArbitrary(o), { seed: o.seed, numRuns: o.runs }).map((c) => runCase(c, o));
    expect(runs.map((s) => s.failure && scenarioText(s)).filter(Boolean)).toEqual([]);
    expect(runs.filter((s) => replayChecked(s.topology, s.seed, s.steps) > 0).length).toBeGreaterThan(20);
    expect(runs.filter((s) => s.steps.some((x) => x.kind === 'recover')).length).toBeGreaterThan(8);
  });

  it('a counterexample with a failure and a takeover is written as a scenario that replays', () => {
    const r = fuzz({ runs: 300, seed: 3, steps: 30, mode: 'locks', ranks: 2, faults: ['fail'], extra: Array(8).fill(loseRejoinAck) });
    expect(r.failed?.failure?.what).toBe('I7');
    const file = writeScenario(r.failed!, mkdtempSync(join(tmpdir(), 'mdslock-cx-')), 'lost-rejoin-ack.yaml');
    const text = scenarioText(r.failed!);
    expect(text).toMatch(/^ {2}- fail: mds\.\d$/m);
    expect(text).toMatch(/^ {2}- recover: mds\.\d$/m);
    expect(text).toMatch(/^ {2}- hold: \{ from: mds\.\d, to: mds\.\d \}$/m);
    const replay = runScenario(loadScenario(file));
    expect(replay.outcome.kind).toBe('done');
    expect(replay.violations.map((v) => v.invariant)).toEqual(['I7']);
    expect(replay.violations[0].message).toMatch(/mds\.\d rejoin/);
  });
});

describe('the parked replica wrlock (Ceph PR #71408)', () => {
  // the same runs, under Ceph main and under the fix
  const o: FuzzOptions = { runs: 100, seed: 16, steps: 50, faults: ['fail'] };

  it('Ceph main: the op fuzz meets it after failures and counts it', () => {
    const r = fuzz(o);
    expect(r.failed ? scenarioText(r.failed) : null).toBeNull();
    expect(r.known[PARKED_REPLICA_WRLOCK]).toBeGreaterThan(0);
  });

  it('with replica-wrlock-waits-for-active-auth it never occurs', () => {
    const r = fuzz({ ...o, rules: ['replica-wrlock-waits-for-active-auth'] });
    expect(r.failed ? scenarioText(r.failed) : null).toBeNull();
    expect(r.known[PARKED_REPLICA_WRLOCK]).toBeUndefined();
  });
});
