// `why`: every waiting request in every scenario file, after every step, has a named blocker
// (a lock state and what that waits on, or the peer it waits for); deadlocks are the cycles.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import { deadlocks, waits } from '../../src/inspect/why.js';
import { expandPaths } from '../../src/cli/paths.js';
import { mdslock } from '../cli/inProcess.js';

const files = expandPaths(['scenarios']).files; // every scenario, check files left out

describe('why', () => {
  it.each(files)('%s: every waiting request, after every step, names what it waits on', (file) => {
    const s = loadScenario(file);
    const expectsI7 = s.steps.some((st) => st.kind === 'expect' && st.checks.some((c) => c.kind === 'violation' && c.invariants?.includes('I7')));
    let seen = 0;
    for (let k = 1; k <= s.steps.length; k++) {
      const r = runScenario(s, { until: k, check: false });
      if (r.outcome.kind !== 'done') break; // an MDS abort leaves a step half done
      for (const w of waits(r.cluster)) {
        seen++;
        expect(w.blockers.length, `${file} [${k}] ${w.node}`).toBeGreaterThan(0);
        // under a historical rule (scenarios/bugs/) a lock nobody will move is the bug shown, and
        // so it is in a finding that expects I7 (a request Ceph main leaves parked)
        if (!s.topology.rules?.length && !expectsI7) for (const b of w.blockers) expect(b.text, `${file} [${k}] ${w.node} ${w.on}`).not.toMatch(/nothing will (wake|finish) it/);
      }
    }
    // each walkthrough makes some request wait (so this test is not vacuous there)
    if (file.includes('/walkthroughs/')) expect(seen).toBeGreaterThan(0);
  });

  it('names the deadlock of the versionlock finding as a cycle of its two peer requests', () => {
    const r = runScenario(loadScenario('scenarios/findings/remote-xlocks-deadlock-on-versionlock.yaml'), { check: false });
    expect(deadlocks(waits(r.cluster))).toEqual([['client.4101:1@mds.0', 'client.4101:2@mds.0']]);
    const w = waits(r.cluster).find((x) => x.node === 'client.4101:2@mds.0')!;
    expect(w.on).toBe('xlock iversion /d0/f0, (iversion lock x=1 by request(client.4101:1)) on mds.0');
    expect(w.blockers.map((b) => b.text)).toEqual(['xlocked by peer client.4101:1@mds.0 (itself waiting)']);
  });

  it('`mdslock why --at` stops after that step; a deadlock exits 1, none exits 0', async () => {
    const f = 'scenarios/walkthroughs/w2-replica-rdlock.yaml';
    const r = await mdslock(['why', '--at', '5', f]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`# ${f} after step [5] at ${f}:32:5 deliver mds.0 -> mds.1\n` +
      'client.4102:9@mds.1 waits for rdlock iauth /f, (iauth lock) on mds.1, a replica: the auth mds.0 has (iauth excl); ' +
      'lock(a=reqrdlock iauth /f) in flight mds.1 -> mds.0\nno deadlock\n');
    const d = await mdslock(['why', 'scenarios/findings/remote-xlocks-deadlock-on-versionlock.yaml']);
    expect(d.status).toBe(1);
    expect(d.stdout).toMatch(/^deadlock: client\.4101:1@mds\.0 -> client\.4101:2@mds\.0 -> client\.4101:1@mds\.0$/m);
    expect((await mdslock(['why', '--at', '99', f])).status).toBe(2);
  }, 30_000);
});
