// The cluster model's symmetry: the group of renamings a check file is invariant under, a
// renaming that reaches every place a rank or client is named (the mirror image of a step is
// a step: a field left unrenamed makes an image no action reaches), one fingerprint per class
// of states, fewer states with the same count on two workers, and counterexamples under
// symmetry that are concrete and replay.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { check, clusterModel } from '../../src/checker/check.js';
import { explore } from '../../src/checker/explore.js';
import { exploreParallel } from '../../src/checker/parallel.js';
import { fingerprintOf } from '../../src/checker/fingerprints.js';
import { loadScenario, parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import { SimpleLock } from '../../src/locks/index.js';
import { nextRandom } from '../../src/cluster/rng.js';
import { Encoder, ModelAssertion } from '../../src/models/Model.js';
import { renameState, symmetryText } from '../../src/models/clusterSymmetry.js';
import type { ClusterModel, ClusterState } from '../../src/models/cluster.js';

const SYMMETRIC = 'scenarios/check/setattrs-from-two-replicas.yaml';
const load = (f: string) => loadScenario(f, 'check');
const fromText = (text: string) => clusterModel(parseScenario(text, 't.yaml', 'check'));
const tmp = () => mkdtempSync(join(tmpdir(), 'mdslock-symmetry-'));

/** Two replica ranks of a directory and its file, a client on each; `caps` on the file. */
const cluster = (caps = '') => `ranks: 3
clients: { client.4101: mds.1, client.4102: mds.2 }
objects:
  - inode: /d
    type: dir
    auth: mds.0
    replicas: [mds.1, mds.2]
    delegation: true
  - inode: /d/f
    type: file
    auth: mds.0
    replicas: [mds.1, mds.2]
${caps}`;
/** The same workload from each replica rank's client. */
const mirrored = (name: string, step: (client: number, rank: number) => string, extra = '', caps = '') =>
  `name: ${name}\n${cluster(caps)}workload:\n${step(4101, 1)}${step(4102, 2)}${extra}`;
const setattrs = (c: number) => `  - op: client.${c}:1\n    do: setattr /d/f mode\n`;

/** Seeded random walks of up to `steps` actions: each step's state before and after. */
function* walks(m: ClusterModel, runs: number, steps: number): Generator<[ClusterState, ClusterState]> {
  let rng = 7;
  const pick = (n: number) => { const [x, r] = nextRandom(rng); rng = r; return Math.floor(x * n); };
  for (let run = 0; run < runs; run++) {
    let s = m.initStates()[0];
    for (let d = 0; d < steps; d++) {
      const acts = m.actions(s);
      if (acts.length === 0) break;
      const t = m.nextState(s, acts[pick(acts.length)]);
      yield [s, t];
      s = t;
    }
  }
}

describe('the cluster symmetry', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is mds.1 <-> mds.2 with client.4101 <-> client.4102 in the symmetric file, and nothing in three-ranks-file-ops', () => {
    expect(symmetryText(clusterModel(load(SYMMETRIC)).symmetry())).toBe('(mds.1 mds.2)(client.4101 client.4102)');
    expect(clusterModel(load('scenarios/check/three-ranks-file-ops.yaml')).symmetry()).toHaveLength(1);
    // the workload must match (another op), and so must the initial cluster (a cap only one client holds)
    expect(fromText(mirrored('t', setattrs)).symmetry()).toHaveLength(2);
    expect(fromText(mirrored('t', setattrs).replace(/mode\n$/, 'mtime\n')).symmetry()).toHaveLength(1);
    expect(fromText(mirrored('t', setattrs, '', '    caps: { client.4101: As }\n')).symmetry()).toHaveLength(1);
  });

  it.each([
    ['the symmetric file', () => clusterModel(load(SYMMETRIC))],
    ['lock-list requests with remote wrlocks and xlocks, killed or not', () => fromText(mirrored('remote', (c, r) => `  - request: client.${c}:1\n    on: mds.${r}\n    locks: [xlock iauth /d/f, remote_wrlock inest /d]\n`, 'faults: [kill]\n'))],
    ['scattered updates under wrlocks, with ticks', () => fromText(mirrored('scatter', (c, r) => `  - request: client.${c}:1\n    on: mds.${r}\n    wrlock: [ifile /d]\n`, 'interleave: [finish, update, tick]\n'))],
    ['renames in a replicated directory (witnesses)', () => fromText(mirrored('rename', (c) => `  - op: client.${c}:1\n    do: rename /d/f /d/g\n`))],
    ['opens and dentry leases, with a duplicated lock message', () => fromText(mirrored('caps', (c) => `  - lease: { client: client.${c}, dentry: /d/f }\n  - open: { client: client.${c}, inode: /d/f, caps: Fscrw }\n`, 'faults: [duplicate]\n'))],
  ])('renames every rank and client of a state: the mirror image of each step is a step (%s)', (_, make) => {
    const m = make();
    const group = m.symmetry();
    expect(group.length).toBe(2);
    const enc = new Encoder(), fp = new Uint32Array(2);
    // plain fingerprints with peer sets in order, as a renaming leaves them
    const plain = (s: ClusterState) => { fingerprintOf(m, renameState(s, group[0]), enc, fp, false); return `${fp[0]}:${fp[1]}`; };
    const sym = (s: ClusterState) => { fingerprintOf(m, s, enc, fp, true); return `${fp[0]}:${fp[1]}`; };
    const mirror = (s: ClusterState) => renameState(s, group[1]);
    let steps = 0;
    for (const [s, t] of walks(m, 8, 80)) {
      const image = plain(mirror(t));
      const from = mirror(s);
      expect(m.actions(from).some((a) => { try { return plain(m.nextState(from, a)) === image; } catch (e) { if (e instanceof ModelAssertion) return false; throw e; } })).toBe(true);
      expect(sym(mirror(t))).toBe(sym(t)); // one fingerprint for a state and its mirror image
      steps++;
    }
    expect(steps).toBeGreaterThan(50);
  }, 20_000);

  it('counts fewer states, the same on two workers as on one', async () => {
    const plain = explore(clusterModel(load(SYMMETRIC)));
    const one = explore(clusterModel(load(SYMMETRIC)), { symmetry: true });
    expect([plain.distinct, plain.exhausted, plain.violation]).toEqual([507, true, null]);
    expect([one.distinct, one.exhausted, one.violation]).toEqual([258, true, null]);
    const src = { kind: 'cluster', file: SYMMETRIC } as const;
    const two = await exploreParallel(clusterModel(load(SYMMETRIC)), src, 2, { symmetry: true });
    expect([two.distinct, two.generated, two.depth, two.exhausted]).toEqual([one.distinct, one.generated, one.depth, one.exhausted]);
  }, 30_000);

  it('a broken rule (no gather) still gives a concrete counterexample that fails on replay, whichever client the search meets first', () => {
    vi.spyOn(SimpleLock.prototype, 'init_gather').mockImplementation(() => {});
    const text = mirrored('gather', setattrs);
    // the search's representative is one of the mirror images; with the workload in the other
    // order the concrete trace is the other one, so one of the two runs rebuilds across a renaming
    const swapped = text.replace(setattrs(4101) + setattrs(4102), setattrs(4102) + setattrs(4101));
    expect(swapped).not.toBe(text);
    const firsts: string[] = [];
    for (const t of [text, swapped]) {
      const file = join(tmp(), 'gather.yaml');
      writeFileSync(file, t);
      const r = check(clusterModel(load(file)), { out: tmp(), file, symmetry: true }, () => '');
      expect(r.violation?.property).toBe('abort');
      const replayed = runScenario(loadScenario(r.violation!.file!));
      expect(replayed.outcome).toMatchObject({ kind: 'abort', message: r.violation!.message });
      firsts.push(r.violation!.trace[0]);
    }
    expect(firsts[0]).toMatch(/client\.4101/);
    expect(firsts[1]).toMatch(/client\.4102/);
  }, 20_000);
});
