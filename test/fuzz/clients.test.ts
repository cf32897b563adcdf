// Clients in the fuzz: random clusters with clients and coherent initial caps, the client
// commands (open, lease, holding and releasing a client's link, deliveries on client links),
// the I7 drain letting a hanging client go, and counterexamples with client steps as scenario
// files that replay.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createCluster } from '../../src/cluster/topology.js';
import { deliverAll, submitRequest } from '../../src/cluster/sim.js';
import { topologyArb } from '../../src/fuzz/topology.js';
import { fuzzArbitrary, runCase } from '../../src/fuzz/property.js';
import { execute, newRun } from '../../src/fuzz/run.js';
import { writeScenario } from '../../src/fuzz/scenarioFile.js';
import { checkQuiescence, checkState } from '../../src/invariants/index.js';
import { parseCaps } from '../../src/clients/capString.js';
import { xl } from '../helpers.js';
import { mdslock } from '../cli/inProcess.js';

const C = (w: string) => parseCaps(w)!;

describe('random clusters with clients', () => {
  const topologies = fc.sample(topologyArb(), { numRuns: 300, seed: 42 });

  it('have 0-3 clients, sessions on existing ranks, and initial caps the lock states allow', () => {
    const counts = new Set(topologies.map((t) => t.clients?.length ?? 0));
    expect([...counts].sort()).toEqual([0, 1, 2, 3]);
    let withCaps = 0;
    let withLoner = 0;
    for (const t of topologies) {
      for (const cl of t.clients ?? []) expect(cl.session).toBeLessThan(t.ranks);
      const c = createCluster(t);
      expect(checkState(c)).toEqual([]);
      if (t.objects.some((o) => o.kind === 'inode' && Object.values(o.caps ?? {}).some((w) => w !== 0))) withCaps++;
      if (t.objects.some((o) => o.kind === 'inode' && o.loner !== undefined)) withLoner++;
    }
    expect(withCaps).toBeGreaterThan(30);
    expect(withLoner).toBeGreaterThan(10);
  });
});

describe('client commands', () => {
  it('open, lease, hold and release a client link, and deliver on client links', () => {
    const kinds = new Set<string>();
    for (const c of fc.sample(fuzzArbitrary({ runs: 0, seed: 0, steps: 40 }), { numRuns: 150, seed: 9 })) {
      const s = runCase(c, {});
      expect(s.failure).toBeNull();
      for (const st of s.steps) kinds.add(st.kind === 'deliver' && (st.from < 0 || st.to < 0) ? `deliver ${st.from < 0 ? 'from' : 'to'} client` : st.kind);
    }
    for (const k of ['open', 'lease', 'hold', 'release', 'deliver from client', 'deliver to client']) expect(kinds).toContain(k);
  });
});

describe('I7 with clients', () => {
  it('the drain lets a client that hangs on to a revoke go, and the gather completes', () => {
    const c = createCluster({ ranks: 1, seed: 1, clients: [{ id: 4101, session: 0 }],
      objects: [{ kind: 'inode', path: '/f', is_dir: false, auth: 0, replicas: [], caps: { 4101: C('As') } }] });
    submitRequest(c, 0, 'client.4102:1', [xl('iauth /f')]);
    c.net.held[c.net.link(-4101, 0)] = true;
    deliverAll(c);
    expect(c.ranks[0].inodes['/f'].caps[4101].is_revoking()).toBe(true);
    const d = checkQuiescence(c);
    expect(d.violation).toBeNull();
    expect(d.steps).toContainEqual({ kind: 'release', from: -4101, to: 0 });
    // the cluster under test is untouched: the client still hangs on
    expect(c.net.held[c.net.link(-4101, 0)]).toBe(true);
  });
});

describe('counterexamples with clients', () => {
  it('are written with clients, caps, wanted, loner, client steps and caps expectations, and replay', async () => {
    const topology = {
      ranks: 2, seed: 0, clients: [{ id: 4101, session: 0 }, { id: 4102, session: 1 }],
      objects: [
        { kind: 'inode' as const, path: '/d0/f0', is_dir: false, auth: 0, replicas: [1], caps: { 4101: C('pAsLsXsFscr') }, wanted: { 4101: C('Fr') }, loner: 4101 },
        { kind: 'dentry' as const, path: '/d0/f0', auth: 0, replicas: [1] },
      ],
    };
    const s = newRun(topology, 5);
    execute(s, { kind: 'lease', client: 4102, path: '/d0/f0' });
    execute(s, { kind: 'open', client: 4102, path: '/d0/f0', wanted: C('Fwb') });
    execute(s, { kind: 'hold', from: -4102, to: 1 });
    for (let i = 0; i < 6 && s.cluster.net.deliverable().length > 0; i++) {
      const [from, to] = s.cluster.net.ends(s.cluster.net.deliverable()[0]);
      execute(s, { kind: 'deliver', from, to });
    }
    execute(s, { kind: 'release', from: -4102, to: 1 });
    expect(s.failure).toBeNull();
    // written as a failure would be: the final expect holds the caps of /d0/f0 as they are
    s.failure = { what: 'I6', message: 'I6 caps: (the state of a test run)', locks: [{ path: '/d0/f0', type: s.cluster.ranks[0].inodes['/d0/f0'].filelock.type }], drain: [] };
    const file = writeScenario(s, mkdtempSync(join(tmpdir(), 'mdslock-cx-')), 'clients.yaml');
    const p = await mdslock(['replay', file]);
    expect(p.status, p.stdout + p.stderr).toBe(0);
    expect(p.stdout).toMatch(/ok mds\.0 caps \/d0\/f0: caps=\{4101=/);
    expect(p.stdout).toMatch(/ok client\.4101 caps on \/d0\/f0: /);
    expect(p.stdout).toMatch(/lease \/d0\/f0 by client\.4102/);
    expect(p.stdout).toMatch(/deliver mds\.1 -> client\.4102|deliver mds\.0 -> client\.4101/);
  });
});
