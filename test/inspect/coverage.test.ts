// Edge coverage read back from traces: every state change the walkthroughs make is a declared
// Locker edge, and the edges they take are counted on the right side.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Coverage, edgeText } from '../../src/inspect/coverage.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import { createCluster } from '../../src/cluster/topology.js';
import { cluster, file, xl } from '../helpers.js';
import { submitRequest } from '../../src/cluster/sim.js';

describe('transition edge coverage', () => {
  it('the walkthroughs take only declared edges, on the auth and on replicas', () => {
    const cov = new Coverage();
    const dir = 'scenarios/walkthroughs';
    for (const f of readdirSync(dir).sort()) {
      const s = loadScenario(`${dir}/${f}`);
      cov.addRun(createCluster({ ...s.topology, seed: s.seed }), runScenario(s).events);
    }
    const report = cov.report();
    expect(report.flatMap((m) => m.undeclared.map(edgeText))).toEqual([]);
    const covered = (machine: string, text: string) => {
      const m = report.find((r) => r.machine === machine)!;
      return !m.uncovered.some((e) => edgeText(e) === text);
    };
    expect(covered('sm_simplelock', 'auth sync -> sync->lock')).toBe(true);       // W1
    expect(covered('sm_simplelock', 'replica sync -> sync->lock')).toBe(true);    // W1
    expect(covered('sm_filelock', 'replica mix -> mix->sync')).toBe(true);        // W4
    expect(covered('sm_scatterlock', 'auth mix -> mix->lock')).toBe(true);        // W5
    expect(covered('sm_filelock', 'auth excl -> excl->xsyn')).toBe(false);
    expect(report.find((r) => r.machine === 'sm_scatterlock')!.unreachable.map(edgeText)).toContain('auth tsyn -> tsyn->lock');
  });

  it('an observed change that is no declared edge is reported', () => {
    const c = cluster(1, [file('/f', [])]);
    const initial = cluster(1, [file('/f', [])]);
    const t = submitRequest(c, 0, 'client.4101:1', [xl('iauth /f')]);
    const cov = new Coverage();
    // drop the intermediate lines: sync -> xlock would be a jump no rule makes
    cov.addRun(initial, t.filter((e) => !(e.kind === 'locker' && e.lock.startsWith('(iauth ') && !e.lock.startsWith('(iauth xlock'))));
    expect(cov.report().find((r) => r.machine === 'sm_simplelock')!.undeclared.map(edgeText)).toEqual(['auth sync -> xlock']);
  });
});
