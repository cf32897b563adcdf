// Subtree migration (src/migration/): what an export moves and how each rank's copies end up,
// the freeze waiting for auth pins, the dir inode's wrlocks keeping a stats gather from
// finishing mid-export, the frag reports I8 reads, bad export steps as one-line errors, and
// check drawing exports. scenarios/migration/ shows them end to end (test/scenario/examples).
import { describe, expect, it } from 'vitest';
import { parseScenario, loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import { checkState } from '../../src/invariants/index.js';
import { deliverAll, deliverOne, submitOp, submitRequest, finishRequest } from '../../src/cluster/sim.js';
import { parseOp } from '../../src/server/parseOp.js';
import { exportStep, exportsDrawable } from '../../src/migration/step.js';
import fc from 'fast-check';
import { faultArbs } from '../../src/fuzz/commands.js';
import { fuzz } from '../../src/fuzz/property.js';
import type { RunState } from '../../src/fuzz/run.js';
import { createCluster } from '../../src/cluster/topology.js';
import { CEPH_LOCK_DN, stateName } from '../../statemachines/index.js';
import { check, clusterModel } from '../../src/checker/check.js';
import { expectErrorAt } from '../scenario/files.js';
import type { Cluster } from '../../src/cluster/Cluster.js';
import { rd, xl } from '../helpers.js';

const TOPO = `name: t
ranks: 3
clients: { client.4101: mds.0, client.4102: mds.1 }
objects:
  - inode: /d
    type: dir
    auth: mds.0
    replicas: [mds.1, mds.2]
  - inode: /d/f
    type: file
    auth: mds.0
    replicas: [mds.1]
    locks: { ifile: excl, iauth: excl, ixattr: excl }
    loner: client.4101
    caps: { client.4101: pAsxLsXsxFsxcrwb }
    wanted: { client.4101: pAsxLsXsxFsxcrwb }
  - inode: /d/g
    type: file
    auth: mds.0
    replicas: [mds.1, mds.2]
    locks: { ilink: lock }
  - dentry: /d/g
    auth: mds.0
    replicas: [mds.1, mds.2]
    lock: lock
  - inode: /d/b
    type: dir
    auth: mds.0
    replicas: [mds.1]
    frag: mds.1
  - inode: /d/b/x
    type: file
    auth: mds.1
`;
const fresh = (): Cluster => createCluster(parseScenario(`${TOPO}steps: []\n`, 't.yaml').topology);
/** Deliver everything, checking every invariant after each delivery. */
function drain(c: Cluster): void {
  for (let i = 0; i < 500 && c.net.inFlight() > 0; i++) {
    deliverOne(c);
    expect(checkState(c).map((v) => v.message)).toEqual([]);
  }
  expect(c.net.inFlight()).toBe(0);
}
const states = (c: Cluster, rank: number, key: string) => c.ranks[rank].object(key)!.locks().filter((l) => l.lt.cls !== 'LocalLock').map((l) => [l.lt.name, stateName(l.state)]);

describe('an export', () => {
  it('moves every exported lock state to the importer and leaves the exporter replica states, but the dentry lock', () => {
    const c = fresh();
    const before = new Map(['/d/f', '/d/g', 'dentry /d/g', '/d/b'].map((k) => [k, states(c, 0, k)]));
    exportStep(c, '/d', 2);
    drain(c);
    for (const [key, st] of before) {
      // the importer's eval after the unfreeze syncs a dentry lock that came in lock (the deferred try_eval)
      if (key !== 'dentry /d/g') expect(states(c, 2, key), key).toEqual(st);
      const copy = c.ranks[0].object(key)!;
      expect(copy.authority, key).toBe(2);
      expect(copy.replicas, key).toEqual([]);
      expect(c.ranks[2].object(key)!.replicas, key).toContain(0);
      for (const l of copy.locks()) expect(l.auth).toBe(false);
    }
    // the exporter's copies took their states' replica_state (excl -> lock), the dn lock its own
    const f0 = Object.fromEntries(states(c, 0, '/d/f'));
    expect([f0.iauth, f0.ifile, f0.ixattr]).toEqual(['lock', 'lock', 'lock']);
    // the bound's dirfrag stays with its auth; the export's own dirfrag and the loner moved
    expect(c.ranks[0].dirfrags['/d'].authority).toBe(2);
    expect(c.ranks[0].dirfrags['/d/b'].authority).toBe(1);
    expect(c.ranks[1].dirfrags['/d'].authority).toBe(2);
    expect(c.ranks[2].inodes['/d/f'].loner_cap).toBe(4101);
    expect(c.ranks[0].inodes['/d/f'].loner_cap).toBe(-1);
    // the caps moved: the exporter issues none, the client holds what the importer issues
    expect(Object.keys(c.ranks[0].inodes['/d/f'].caps)).toEqual([]);
    expect(Object.keys(c.clients[4101].caps['/d/f'])).toEqual(['2']);
    // nothing is left of the export, the importer's or the exporter's locks on /d
    for (const r of c.ranks) {
      expect(r.exports).toEqual({});
      expect(r.imports).toEqual({});
      expect(Object.keys(r.requests)).toEqual([]);
      expect(r.inodes['/d'].filelock.num_wrlock + r.inodes['/d'].nestlock.num_wrlock).toBe(0);
    }
  });

  it('keeps the dentry lock\'s state on the exporter (no export_twiddle), as a replica of it', () => {
    const c = fresh();
    const dn = c.ranks[0].dentries['/d/g'];
    expect(dn.lock.type).toBe(CEPH_LOCK_DN);
    exportStep(c, '/d', 2);
    // deliver up to the exporter's finish, before the importer's eval syncs it
    for (let i = 0; i < 100 && c.ranks[0].exports['/d']; i++) deliverOne(c);
    expect(c.ranks[0].exports['/d']).toBeUndefined();
    expect(stateName(c.ranks[0].dentries['/d/g'].lock.state)).toBe('lock');
    expect(c.ranks[0].dentries['/d/g'].lock.auth).toBe(false);
  });

  it('freezes only once every auth pin in the subtree is gone; a request arriving meanwhile waits, then runs on the replica', () => {
    const c = fresh();
    submitRequest(c, 1, 'client.4102:1', [rd('iauth /d/g')]);
    submitRequest(c, 0, 'client.4101:1', [xl('iauth /d/g')]);
    exportStep(c, '/d', 2);
    for (let i = 0; i < 100 && c.ranks[0].exports['/d'].state !== 'freezing'; i++) deliverOne(c);
    deliverAll(c);
    expect(c.ranks[0].exports['/d'].state).toBe('freezing');
    expect(c.ranks[0].dirfrags['/d'].freeze_tree).toBe('freezing');
    submitRequest(c, 0, 'client.4101:2', [rd('iauth /d/f')]);
    expect(c.ranks[0].requests['client.4101:2'].status).toBe('waiting');
    finishRequest(c, 'client.4102:1');
    deliverAll(c);
    expect(c.ranks[0].exports['/d'].state).toBe('freezing'); // the xlocker still pins /d/g
    finishRequest(c, 'client.4101:1');
    expect(c.ranks[0].exports['/d'].state).toBe('prepping');
    drain(c);
    expect(c.ranks[0].requests['client.4101:2'].status).toBe('granted');
    expect(c.ranks[0].inodes['/d/f'].is_auth()).toBe(false);
  });

  it('holds the dir inode\'s ifile and inest wrlocked on the exporter and the importer from the freeze to the finish', () => {
    const c = fresh();
    exportStep(c, '/d', 2);
    const seen = new Set<string>();
    for (let i = 0; i < 200 && c.net.inFlight() > 0; i++) {
      const st = c.ranks[0].exports['/d']?.state;
      const im = c.ranks[2].imports['/d']?.state;
      if (st && ['prepping', 'warning', 'exporting', 'notifying'].includes(st)) {
        expect(c.ranks[0].inodes['/d'].filelock.num_wrlock, st).toBe(1);
        seen.add(st);
      }
      if (im) expect(c.ranks[2].inodes['/d'].nestlock.num_wrlock, im).toBe(1);
      deliverOne(c);
    }
    expect([...seen].sort()).toEqual(['exporting', 'notifying', 'prepping', 'warning']);
  });
});

describe('bad export steps', () => {
  const steps = (s: string) => runScenario(parseScenario(`${TOPO}steps:\n${s}`, 't.yaml'));
  it.each([
    ['to itself', '  - export: { dir: /d, to: mds.0 }\n', 'an export to itself'],
    ['to a failed rank', '  - fail: mds.2\n  - export: { dir: /d, to: mds.2 }\n', 'mds.2 is failed: Migrator::export_dir exports only between active ranks'],
    ['to a rank without the dir inode', '  - export: { dir: /d/b, to: mds.2 }\n', 'mds.2 holds no copy of /d/b: mdslock does not discover the dir inode for an export'],
    ['twice at once', '  - export: { dir: /d, to: mds.2 }\n  - export: { dir: /d, to: mds.1 }\n', 'being exported already'],
    ['a failure during an export', '  - export: { dir: /d, to: mds.2 }\n  - fail: mds.1\n', 'in the middle of an export'],
  ])('%s: the step fails with one line', (_, s, msg) => {
    const r = steps(s);
    expect(r.outcome.kind).toBe('error');
    const line = r.outcome.kind === 'error' ? r.outcome.error.line : '';
    expect(line).toMatch(/^t\.yaml:\d+:\d+: /);
    expect(line).toContain(msg);
  });

  it.each([
    ['the root', '  - export: { dir: /, to: mds.1 }\n', '/, to', /root's dirfrag is a system dirfrag/],
    ['a file', '  - export: { dir: /d/f, to: mds.1 }\n', '/d/f, to', /not a directory/],
  ])('%s: refused at load, at file:line:col', (_, s, at, msg) => {
    expectErrorAt(`${TOPO}steps:\n${s}`, at, msg);
  });
});

describe('check with exports drawn (faults: [export])', () => {
  it('exhausts a reader racing the balancer with Ceph main, every invariant holding; without the wrlocks it finds the double report (I8)', () => {
    const f = loadScenario('scenarios/bugs/export-without-scatter-wrlocks-find.yaml', 'check');
    const main = check(clusterModel(f, { rules: [] }), { out: '/tmp/mdslock-test-migration' }, () => '');
    expect(main.violation).toBeNull();
    expect(main.result.exhausted).toBe(true);
    expect(main.never).not.toContain('export');
    const bug = check(clusterModel(f), { out: '/tmp/mdslock-test-migration' }, () => '');
    expect(bug.violation?.property).toBe('I8');
    expect(bug.violation?.trace[0]).toMatch(/^export \/d to mds\.2$|^request/);
  }, 60_000);
});

describe('fuzz with exports drawn (--faults export)', () => {
  it('draws an export only when one may start: a dirfrag other than a system one, to an active rank holding the directory, none while one is in flight', () => {
    const c = fresh();
    const drawable = exportsDrawable(c);
    expect(drawable).toContainEqual({ dir: '/d', to: 1 });
    expect(drawable).toContainEqual({ dir: '/d', to: 2 });
    expect(drawable.some((x) => x.dir === '/' || x.dir.startsWith('~'))).toBe(false);
    // /d/b's dirfrag is mds.1's, and only mds.0 holds /d/b besides it
    expect(drawable.filter((x) => x.dir === '/d/b')).toEqual([{ dir: '/d/b', to: 0 }]);
    exportStep(c, '/d', 2);
    expect(exportsDrawable(c)).toEqual([]);
    // the fuzz's export command resolves against the same rule
    const cmds = fc.sample(faultArbs(['export'])[0], { numRuns: 5, seed: 1 });
    expect(cmds.every((cmd) => cmd.resolve({ cluster: c } as RunState) === null)).toBe(true);
    drain(c);
    expect(cmds.some((cmd) => cmd.resolve({ cluster: c } as RunState)?.kind === 'export')).toBe(true);
  });

  it('runs a bounded seeded fuzz of lock lists with exports clean', () => {
    const r = fuzz({ runs: 300, seed: 1, steps: 50, mode: 'locks', faults: ['export'] });
    expect(r.failed).toBeNull();
  }, 60_000);
});

describe('a discover meeting an export', () => {
  it('waits while the tree is frozen and is answered after, so the new auth lists the new replica', () => {
    const c = fresh();
    exportStep(c, '/d', 1);
    // up to the export message: the replica lists have gone to the importer
    for (let i = 0; i < 100 && c.ranks[0].exports['/d']?.state !== 'exporting'; i++) deliverOne(c);
    expect(c.ranks[0].dirfrags['/d'].freeze_tree).toBe('frozen');
    // mds.2 has no copy of /d/f: a stat there discovers it from mds.0, whose tree is frozen
    const parsed = parseOp('getattr /d/f');
    if ('error' in parsed) throw new Error(parsed.error);
    submitOp(c, 2, 'client.4102:7', parsed.op);
    drain(c);
    expect(c.clients[4102].replies['client.4102:7']).toBe('safe');
    expect(c.ranks[2].inodes['/d/f'].authority).toBe(1);
    expect(c.ranks[1].inodes['/d/f'].replicas).toContain(2);
    expect(c.ranks[0].inodes['/d/f'].replicas).toEqual([]);
  });
});
