// Random namespaces for the op fuzz: a root (replicated everywhere) and up to three
// directories and four files under it or each other. Each directory's dirfrag has a random
// auth (a delegation point when not the inode's auth); an object is auth where its parent's
// dentries are, and is cached on a random subset of the ranks caching its parent (a rank's
// cache is a tree, as Ceph's is). One to three clients with a session on a random rank.
import fc from 'fast-check';
import type { InodeSpec, Topology } from '../cluster/topology.js';
import { childPath, fragAuth } from '../cluster/tree.js';

interface RawDir { parent: number; frag: number; replicas: number }
interface RawFile { parent: number; replicas: number }

const rawDir: fc.Arbitrary<RawDir> = fc.record({ parent: fc.nat(3), frag: fc.nat(3), replicas: fc.nat(15) });
const rawFile: fc.Arbitrary<RawFile> = fc.record({ parent: fc.nat(3), replicas: fc.nat(15) });

export function opTopologyArb(fixedRanks?: number): fc.Arbitrary<Topology> {
  return fc.record({
    ranks: fixedRanks === undefined ? fc.integer({ min: 1, max: 3 }) : fc.constant(fixedRanks),
    rootFrag: fc.nat(3),
    dirs: fc.array(rawDir, { maxLength: 3 }),
    files: fc.array(rawFile, { minLength: 1, maxLength: 4 }),
    clients: fc.array(fc.nat(3), { minLength: 1, maxLength: 3 }),
  }).map(({ ranks, rootFrag, dirs, files, clients }) => {
    const all = Array.from({ length: ranks }, (_, r) => r);
    const root: InodeSpec = { kind: 'inode', path: '/', is_dir: true, auth: 0, replicas: all.slice(1), ...(rootFrag % ranks ? { frag: rootFrag % ranks } : {}) };
    const dirSpecs: InodeSpec[] = [root];
    // a child of `parent`, auth where its dentries are, cached on a subset of the parent's holders
    const place = (parent: InodeSpec, mask: number, extra: number[] = []) => {
      const auth = fragAuth(parent);
      const holders = [parent.auth, ...parent.replicas];
      const replicas = all.filter((r) => r !== auth && (holders.includes(r) && ((mask >> r) & 1 || extra.includes(r))));
      return { auth, replicas };
    };
    dirs.forEach((d, i) => {
      const parent = dirSpecs[d.parent % dirSpecs.length];
      const frag = d.frag % ranks;
      // the dirfrag's auth caches the directory
      const spec: InodeSpec = { kind: 'inode', path: childPath(parent.path, `d${i}`), is_dir: true, ...place(parent, d.replicas, [frag]) };
      if (frag !== spec.auth && !spec.replicas.includes(frag)) return; // its auth could not cache it: no delegation
      if (frag !== spec.auth) spec.frag = frag;
      dirSpecs.push(spec);
    });
    const fileSpecs: InodeSpec[] = files.map((f, i) => {
      const parent = dirSpecs[f.parent % dirSpecs.length];
      return { kind: 'inode', path: childPath(parent.path, `f${i}`), is_dir: false, ...place(parent, f.replicas) };
    });
    return {
      ranks, seed: 0, objects: [...dirSpecs, ...fileSpecs],
      clients: clients.map((r, i) => ({ id: 4101 + i, session: r % ranks })),
    };
  });
}
