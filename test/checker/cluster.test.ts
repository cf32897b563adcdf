// The real Locker as a model: small check files are exhausted with every invariant holding, the
// versionlock deadlock is found as a stuck state without a schedule, and a deliberately broken
// rule yields a shortest counterexample that fails on replay with the same property.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { check, clusterModel } from '../../src/checker/check.js';
import { explore } from '../../src/checker/explore.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import { SimpleLock } from '../../src/locks/index.js';
import { Encoder } from '../../src/models/Model.js';

const load = (f: string) => loadScenario(`scenarios/check/${f}`, 'check');
const out = () => mkdtempSync(join(tmpdir(), 'mdslock-check-'));
const show = () => '';

describe('the cluster model', () => {
  afterEach(() => vi.restoreAllMocks());

  it('exhausts a replica rdlock racing an auth xlock with every invariant holding', () => {
    const r = explore(clusterModel(load('replica-rdlock-races-xlock.yaml')));
    expect(r.violation).toBeNull();
    expect(r.exhausted).toBe(true);
    expect(r.distinct).toBeGreaterThan(20);
    // both requests were granted and finished in some order: finishes were taken
    expect(r.coverage.get('finish')).toBeGreaterThan(0);
    expect(r.coverage.get('deliver lock reqrdlock')).toBeGreaterThan(0);
  });

  it('exhausts a mkdir racing a stat of its parent from another rank', () => {
    const r = explore(clusterModel(load('mkdir-races-stat.yaml')));
    expect(r.violation).toBeNull();
    expect(r.exhausted).toBe(true);
    expect(r.coverage.get('deliver journal EUpdate')).toBeGreaterThan(0);
  });

  it('decoding an encoded state gives the same state (the explorer expands decoded states)', () => {
    const m = clusterModel(load('mkdir-races-stat.yaml'));
    let s = m.initStates()[0];
    for (let i = 0; i < 6; i++) s = m.nextState(s, m.actions(s)[i % m.actions(s).length]);
    const a = new Encoder(), b = new Encoder();
    m.encode(s, a);
    m.encode(m.decode(a.buf.slice(0, a.len)), b);
    expect([...b.buf.subarray(0, b.len)]).toEqual([...a.buf.subarray(0, a.len)]);
    expect(m.actions(m.decode(a.buf.slice(0, a.len))).map((x) => m.describe(s, x))).toEqual(m.actions(s).map((x) => m.describe(s, x)));
  });

  it('finds the remote-xlock versionlock deadlock as a stuck state, and the counterexample replays as I7', () => {
    const dir = out();
    const r = check(clusterModel(load('remote-xlocks-deadlock-on-versionlock.yaml')), { out: dir, file: 'remote-xlocks-deadlock-on-versionlock.yaml' }, show);
    expect(r.violation?.property).toBe('stuck');
    expect(r.violation?.message).toMatch(/request client\.4101:1 waiting.*request client\.4102:1 waiting/);
    const text = readFileSync(r.violation!.file!, 'utf8');
    expect(text).toMatch(/waiting: \[client\.4101:1, client\.4102:1\]/);
    const replayed = runScenario(loadScenario(r.violation!.file!));
    expect(replayed.violations.map((v) => v.invariant)).toContain('I7');
  });

  it('finds the second versionlock deadlock shape too, with no tick or schedule', () => {
    const r = check(clusterModel(load('remote-xlock-and-remote-wrlock-deadlock-on-versionlock.yaml')), { out: out() }, show);
    expect(r.violation?.property).toBe('stuck');
    expect(r.violation?.trace.some((t) => t.startsWith('tick'))).toBe(false);
    expect(runScenario(loadScenario(r.violation!.file!)).violations.map((v) => v.invariant)).toContain('I7');
  });

  it('an import from the new auth in flight settles what the client holds from the old one (I6, found by check)', () => {
    // before the fix, I6 fired at the 2,703rd state: after the leader's commit, before the import arrives
    const r = explore(clusterModel(load('renames-of-an-open-file-across-ranks.yaml')), { maxStates: 4000 });
    expect(r.violation).toBeNull();
    expect(r.coverage.get('deliver client_caps import')).toBeGreaterThan(0);
  }, 60_000);

  it('a broken rule (rdlock allowed whatever the state) gives a shortest I2 counterexample that fails on replay', () => {
    vi.spyOn(SimpleLock.prototype, 'can_rdlock').mockReturnValue(true);
    const dir = out();
    const r = check(clusterModel(load('replica-rdlock-races-xlock.yaml')), { out: dir }, show);
    expect(r.violation?.property).toBe('I2');
    // breadth-first: no shorter trace reaches it
    const n = r.violation!.trace.length;
    for (let d = 0; d < n - 1; d++) expect(explore(clusterModel(load('replica-rdlock-races-xlock.yaml')), { maxDepth: d }).violation).toBeNull();
    const replayed = runScenario(loadScenario(r.violation!.file!));
    expect(replayed.violations.map((v) => v.invariant)).toContain('I2');
  });
});

describe('docs/check.md', () => {
  // the table of check files states what each explores; keep it true
  it.each([['replica-rdlock-races-xlock.yaml', 33], ['mkdir-races-stat.yaml', 130], ['rename-across-ranks-races-stat.yaml', 549], ['scatter-writebehind-races-reader.yaml', 2748], ['setattrs-from-two-replicas.yaml', 507]])('%s: %i states, exhausted, as the table says', (file, states) => {
    const r = explore(clusterModel(load(file)));
    expect([r.distinct, r.exhausted, r.violation]).toEqual([states, true, null]);
    expect(readFileSync('docs/check.md', 'utf8')).toContain(`(../scenarios/check/${file}) | `);
  });
});

describe('the search on several workers', () => {
  it('gives the one-thread result: states, counts, depth, coverage, the counterexample', async () => {
    const { exploreParallel } = await import('../../src/checker/parallel.js');
    const { buildModel } = await import('../../src/checker/modelSource.js');
    const pick = (r: Awaited<ReturnType<typeof exploreParallel>>) =>
      [r.distinct, r.generated, r.depth, r.exhausted, r.bound, r.violation && { ...r.violation }, [...r.coverage.entries()].sort()];
    for (const file of ['rename-across-ranks-races-stat.yaml', 'remote-xlocks-deadlock-on-versionlock.yaml']) {
      const src = { kind: 'cluster', file: `scenarios/check/${file}` } as const;
      expect(pick(await exploreParallel(buildModel(src), src, 2)), file).toEqual(pick(explore(buildModel(src))));
    }
    const bug = { kind: 'simplelock', n: 2, l: 1, bug: true } as const;
    expect(pick(await exploreParallel(buildModel(bug), bug, 3))).toEqual(pick(explore(buildModel(bug))));
  }, 60_000);

  it('hands states between workers so each expands about as many', async () => {
    const { balance } = await import('../../src/checker/parallel.js');
    expect(balance([10, 0])).toEqual([[{ to: 1, count: 5 }], []]);
    expect(balance([7, 1, 1])).toEqual([[{ to: 1, count: 2 }, { to: 2, count: 2 }], [], []]);
    expect(balance([3, 3])).toEqual([[], []]);
  });
});

describe('failures drawn by the check (faults: [fail])', () => {
  it('finds Ceph main\'s parked replica wrlock across an auth failover, shortest, as a stuck state that replays as I7', () => {
    const r = check(clusterModel(loadScenario('scenarios/bugs/replica-wrlock-parks-after-auth-failover-find.yaml', 'check')), { out: out() }, show);
    expect(r.violation?.property).toBe('stuck');
    expect(r.violation?.trace).toEqual([
      'request client.4102:1 on mds.1: wrlock ifile /d',
      'deliver mds.1 -> mds.0: peer_request(client.4102:1 authpin /d)',
      'deliver mds.0 -> mds.1: peer_request(client.4102:1 authpin_ack /d)',
      'fail mds.0',
      'recover mds.0',
      'deliver mds.0 -> mds.1: cache_rejoin(weak)',
      'deliver mds.1 -> mds.0: cache_rejoin(strong /d / dentry /d authpin client.4102:1 /d)',
      'deliver mds.0 -> mds.1: cache_rejoin(ack /d / dentry /d)',
      'deliver mds.1 -> mds.0: cache_rejoin(ack)',
    ]);
    expect(runScenario(loadScenario(r.violation!.file!)).violations.map((v) => v.invariant)).toContain('I7');
  });

  it('a state only a fault would change is stuck: without counting faults as moves, the same search finds nothing stuck', () => {
    const m = clusterModel(loadScenario('scenarios/bugs/replica-wrlock-parks-after-auth-failover-find.yaml', 'check'));
    expect(explore(m).violation?.property).toBe('stuck');
    const counted = Object.assign(clusterModel(loadScenario('scenarios/bugs/replica-wrlock-parks-after-auth-failover-find.yaml', 'check')), { isFault: () => false });
    // once every rank has failed, nothing is left: the stuck state is found, but later
    expect(explore(counted).violation?.path.length).toBeGreaterThan(explore(m).violation!.path.length);
  });

  it('exhausts an rdlock racing an xlock with either rank failing at any point, every invariant holding', () => {
    const r = explore(clusterModel(load('replica-rdlock-races-xlock.yaml'), { faults: ['fail'] }));
    expect([r.exhausted, r.violation]).toEqual([true, null]);
    expect(r.distinct).toBeGreaterThan(33);
    expect(r.coverage.get('fail')).toBeGreaterThan(0);
    expect(r.coverage.get('deliver cache_rejoin ack')).toBeGreaterThan(0);
  });
});
