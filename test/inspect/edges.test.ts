// Edge coverage of everything under scenarios/: every reachable Locker edge is exercised by a
// scenario file (mostly scenarios/edges/), and no run changes a lock along an undeclared edge.
// The edges no rule can take are data (statemachines/transitions.ts, UNREACHABLE and
// UNREACHABLE_EDGES, each with its reason). A scenario change that loses an edge, or a rule
// change that takes an undeclared one, fails this test.
import { describe, expect, it } from 'vitest';
import { expandPaths } from '../../src/cli/paths.js';
import { MACHINES, UNREACHABLE_EDGES, lockerEdges } from '../../statemachines/index.js';
import { Coverage, edgeText } from '../../src/inspect/coverage.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import { createCluster } from '../../src/cluster/topology.js';

const scenarioFiles = (dir: string): string[] => expandPaths([dir]).files; // check files left out

describe('scenarios/ cover every reachable Locker edge', () => {
  const cov = new Coverage();
  for (const f of scenarioFiles('scenarios')) {
    const s = loadScenario(f);
    cov.addRun(createCluster({ ...s.topology, seed: s.seed }), runScenario(s).events);
  }
  const report = cov.report();

  it.each(report.map((m) => m.machine))('%s: every reachable edge is covered, none undeclared', (machine) => {
    const m = report.find((r) => r.machine === machine)!;
    expect(m.uncovered.map(edgeText)).toEqual([]);
    expect(m.undeclared.map(edgeText)).toEqual([]);
    expect(m.covered).toBe(m.declared);
  });

  it('the reachable edges are most of them: 28 simplelock, 24 scatterlock, 57 filelock', () => {
    expect(report.map((m) => m.declared)).toEqual([28, 24, 57, 0]);
  });

  it('each edge listed as unreachable is a declared edge of its machines (the list is not stale)', () => {
    for (const u of UNREACHABLE_EDGES) {
      for (const name of u.machines) {
        const sm = Object.values(MACHINES).find((m) => m.name === name)!;
        expect(lockerEdges(sm).some((e) => e.from === u.from && e.to === u.to && e.side === u.side)).toBe(true);
      }
    }
  });
});
