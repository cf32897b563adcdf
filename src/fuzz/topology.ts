// Random clusters for the property tests: 1-4 ranks (or a fixed count), up to two directories,
// two files and two dentries, each with a random auth, a random replica set, some initial
// stable lock states, and (directories) the subtree delegation flag; dentries may be leased
// (a lease of no modelled client). 0-3 clients (client.4101, .4102, .4103, the ids fuzz
// requests use too) with a session on a random rank; inodes may start with caps issued to
// them, cut to what the lock states allow (initialCaps.ts), wanted caps and a loner. Client
// leases come from the `lease` command. Raw numbers are drawn and folded onto the rank count
// in .map(), so every part shrinks alone.
import fc from 'fast-check';
import type { ObjectSpec, Topology } from '../cluster/topology.js';
import { rawCapsArb, withInitialCaps, type RawCaps } from './initialCaps.js';

const SCATTER_STATES = ['sync', 'lock', 'mix'] as const;
const SIMPLE_STATES = ['sync', 'lock'] as const;

interface RawObject {
  auth: number;
  /** Bit r: mds.r holds a replica (the auth's bit is ignored). */
  replicas: number;
  states: Record<string, number>;
  delegation: boolean;
  /** Bit r: the copy on mds.r is leased (dentries). */
  leased: number;
  /** Inodes: initial client caps. */
  caps: RawCaps;
}

const rawObject = (lockNames: readonly string[]): fc.Arbitrary<RawObject> => fc.record({
  auth: fc.nat(3),
  replicas: fc.nat(15),
  states: fc.record(Object.fromEntries(lockNames.map((n) => [n, fc.nat(2)])), { requiredKeys: [] }) as fc.Arbitrary<Record<string, number>>,
  delegation: fc.boolean(),
  leased: fc.nat(15),
  caps: rawCapsArb,
});

const DIR_LOCKS = ['ifile', 'inest', 'idft', 'iauth', 'ilink'] as const;
const FILE_LOCKS = ['ifile', 'iauth', 'ixattr'] as const;

function place(raw: RawObject, ranks: number): { auth: number; replicas: number[] } {
  const auth = raw.auth % ranks;
  const replicas = Array.from({ length: ranks }, (_, r) => r).filter((r) => r !== auth && (raw.replicas & (1 << r)));
  return { auth, replicas };
}

function states(raw: RawObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(raw.states)) {
    out[name] = ['ifile', 'inest', 'idft'].includes(name) ? SCATTER_STATES[v % 3] : SIMPLE_STATES[v % 2];
  }
  return out;
}

export function topologyArb(fixedRanks?: number): fc.Arbitrary<Topology> {
  return fc.record({
    ranks: fixedRanks === undefined ? fc.integer({ min: 1, max: 4 }) : fc.constant(fixedRanks),
    dirs: fc.array(rawObject(DIR_LOCKS), { maxLength: 2 }),
    files: fc.array(rawObject(FILE_LOCKS), { maxLength: 2 }),
    dentries: fc.array(rawObject(['dn']), { minLength: 1, maxLength: 2 }),
    clients: fc.array(fc.nat(3), { maxLength: 3 }),
  }).map(({ ranks, dirs, files, dentries, clients }) => {
    const objects: ObjectSpec[] = [
      ...dirs.map((d, i): ObjectSpec => ({ kind: 'inode', path: `/d${i}`, is_dir: true, ...place(d, ranks), locks: states(d), ...(d.delegation ? { delegation: true } : {}) })),
      ...files.map((f, i): ObjectSpec => ({ kind: 'inode', path: `/d0/f${i}`, is_dir: false, ...place(f, ranks), locks: states(f) })),
      ...dentries.map((d, i): ObjectSpec => {
        const p = place(d, ranks);
        const lock = d.states.dn === undefined ? 'sync' : SIMPLE_STATES[d.states.dn % 2];
        // only a SYNC dentry can be leased (can_lease is 0 in LOCK)
        const leased = lock !== 'sync' ? [] : [p.auth, ...p.replicas].filter((r) => d.leased & (1 << r)).sort((a, b) => a - b);
        return { kind: 'dentry', path: `/d0/f${i}`, ...p, ...(lock !== 'sync' ? { lock } : {}), ...(leased.length ? { leased } : {}) };
      }),
    ];
    const t: Topology = { ranks, seed: 0, objects, clients: clients.map((r, i) => ({ id: 4101 + i, session: r % ranks })) };
    const caps = new Map<string, RawCaps>([...dirs.map((d, i) => [`/d${i}`, d.caps] as const), ...files.map((f, i) => [`/d0/f${i}`, f.caps] as const)]);
    return withInitialCaps(t, caps);
  });
}
