// Edge coverage read back from traces: every state change the walkthroughs make is a declared
// Locker edge, the edges they take are counted on the right side and per file, and each edge
// names the Locker functions that take it.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Coverage, edgeText } from '../../src/inspect/coverage.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import { createCluster } from '../../src/cluster/topology.js';
import { expandPaths } from '../../src/cli/paths.js';
import { cluster, file, xl } from '../helpers.js';
import { submitRequest } from '../../src/cluster/sim.js';

function covered(paths: string[]): Coverage {
  const cov = new Coverage();
  for (const f of expandPaths(paths).files) {
    const s = loadScenario(f);
    cov.addRun(createCluster({ ...s.topology, seed: s.seed }), runScenario(s).events, f);
  }
  return cov;
}

describe('transition edge coverage', () => {
  it('the walkthroughs take only declared edges, on the auth and on replicas', () => {
    const dir = 'scenarios/walkthroughs';
    const report = covered(readdirSync(dir).sort().map((f) => `${dir}/${f}`)).report();
    expect(report.flatMap((m) => m.undeclared.map(edgeText))).toEqual([]);
    const uncovered = (machine: string) => report.find((r) => r.machine === machine)!.uncovered.map(edgeText);
    expect(uncovered('sm_simplelock')).not.toContain('sm_simplelock auth: sync -> sync->lock (simple_lock)');                         // W1
    expect(uncovered('sm_simplelock')).not.toContain('sm_simplelock replica: sync -> sync->lock (handle_simple_lock on AC_LOCK)');     // W1
    expect(uncovered('sm_filelock')).not.toContain('sm_filelock replica: mix -> mix->sync (handle_file_lock on AC_SYNC)');             // W4
    expect(uncovered('sm_scatterlock')).not.toContain('sm_scatterlock auth: mix -> mix->lock (simple_lock)');                         // W5
    expect(uncovered('sm_filelock')).toContain('sm_filelock auth: excl -> excl->xsyn (file_xsyn)');
    expect(report.find((r) => r.machine === 'sm_scatterlock')!.unreachable.map(edgeText)).toContain('sm_scatterlock auth: tsyn -> tsyn->lock (simple_lock)');
  });

  it('names the functions: the starter, eval_gather (and the starter finishing at once) for `next`, the handler for a replica', () => {
    const all = new Coverage().report().flatMap((m) => m.uncovered.map(edgeText));
    expect(all).toContain('sm_simplelock auth: lock -> lock->sync (simple_sync)');
    expect(all).toContain('sm_simplelock auth: lock->sync -> sync (simple_sync, eval_gather)');
    expect(all).toContain('sm_simplelock auth: xlock -> sync (eval_gather)');
    expect(all).toContain('sm_filelock auth: sync -> sync->excl (file_excl)');
    expect(all).toContain('sm_filelock auth: mix->lock -> mix->lock(2) (simple_lock, eval_gather)');
    expect(all).toContain('sm_filelock auth: mix->lock(2) -> lock (simple_lock, eval_gather)');
    expect(all).toContain('sm_scatterlock replica: sync->mix(2) -> mix (handle_file_lock on AC_MIX)');
    expect(all).toContain('sm_simplelock replica: sync->lock -> lock (eval_gather)');
    expect(all).toContain('sm_simplelock auth: prexlock -> xlock (xlock_start)');
  });

  it('every function a trace shows taking an edge is one the edge names', () => {
    const cov = covered(['scenarios']);
    const taken = cov.files().flatMap((f) => f.edges);
    expect(new Set(taken.map(edgeText)).size).toBe(109); // every reachable edge (28 + 24 + 57)
    const missing = taken.flatMap((e) => cov.takenBy(e).filter((fn) => !e.by.some((b) => b === fn || b.startsWith(`${fn} on `)))
      .map((fn) => `${edgeText(e)}: ${fn}`));
    expect([...new Set(missing)]).toEqual([]);
  });

  it('counts per file the distinct edges each takes', () => {
    const a = 'scenarios/walkthroughs/w1-simplelock-xlock.yaml';
    const b = 'scenarios/walkthroughs/w8-local-versionlock.yaml';
    const files = covered([a, b]).files();
    expect(files.map((f) => [f.file, f.edges.length])).toEqual([[a, 10], [b, 0]]);
    expect(files[0].edges.map(edgeText)).toContain('sm_simplelock auth: prexlock -> xlock (xlock_start)');
  });

  it('an observed change that is no declared edge is reported, with the function the trace shows', () => {
    const c = cluster(1, [file('/f', [])]);
    const initial = cluster(1, [file('/f', [])]);
    const t = submitRequest(c, 0, 'client.4101:1', [xl('iauth /f')]);
    const cov = new Coverage();
    // drop the intermediate lines: sync -> xlock would be a jump no rule makes
    cov.addRun(initial, t.filter((e) => !(e.kind === 'locker' && e.lock.startsWith('(iauth ') && !e.lock.startsWith('(iauth xlock'))));
    expect(cov.report().find((r) => r.machine === 'sm_simplelock')!.undeclared.map(edgeText)).toEqual(['sm_simplelock auth: sync -> xlock (xlock_start)']);
    expect(cov.files()).toEqual([]);
  });
});
