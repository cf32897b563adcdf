// Coherent initial client caps for random clusters. A client holds caps on the copy of its
// session rank; what it may hold there is what that copy's lock states allow its role (the
// auth's loner its loner caps, any other client the others' caps; a replica copy answers
// replica_caps). The drawn words are cut to exactly that: a cluster built with the caps set to
// nothing is asked (caps_vs_allowed, which only reads), and each raw word is masked with the
// allowed set. The loner must be a client with a cap on the auth's copy. Initial wanted caps
// are given only to clients of the auth's copy: a replica reports its clients' wants to the
// auth itself (request_inode_file_caps) once a client opens.
import fc from 'fast-check';
import { createCluster, type InodeSpec, type Topology } from '../cluster/topology.js';
import { caps_vs_allowed } from '../locker/caps.js';
import { wantedWord } from './capWords.js';

export interface RawCaps {
  /** Per client slot (client.4101 + i): nothing, or a raw cap word and a wanted word index. */
  slots: ({ caps: number; wanted: number } | null)[];
  /** The loner's client slot (a slot without a cap on the auth's copy means none). */
  loner: number;
}

export const rawCapsArb: fc.Arbitrary<RawCaps> = fc.record({
  slots: fc.array(fc.option(fc.record({ caps: fc.nat(0xffff), wanted: fc.nat(15) }), { nil: null }), { maxLength: 3 }),
  loner: fc.nat(3),
});

/** Give the inodes (in `raws` order) their initial caps, wanted caps and loner. */
export function withInitialCaps(t: Topology, raws: ReadonlyMap<string, RawCaps>): Topology {
  const clients = t.clients ?? [];
  const raw = new Map<string, Map<number, number>>();
  const objects = t.objects.map((o) => {
    const r = raws.get(o.path);
    if (o.kind !== 'inode' || !r) return o;
    const caps: Record<number, number> = {};
    const wanted: Record<number, number> = {};
    const words = new Map<number, number>();
    r.slots.forEach((s, i) => {
      const cl = clients[i];
      if (!s || !cl || (cl.session !== o.auth && !o.replicas.includes(cl.session))) return;
      caps[cl.id] = 0;
      words.set(cl.id, s.caps);
      if (cl.session === o.auth) wanted[cl.id] = wantedWord(o.is_dir, [s.wanted]);
    });
    if (words.size === 0) return o;
    raw.set(o.path, words);
    const loner = clients[r.loner];
    const spec: InodeSpec = { ...o, caps, wanted };
    if (loner && loner.session === o.auth && loner.id in caps) spec.loner = loner.id;
    return spec;
  });
  const probe = createCluster({ ...t, objects });
  const session = new Map(clients.map((c) => [c.id, c.session]));
  return {
    ...t,
    objects: objects.map((o) => {
      const words = raw.get(o.path);
      if (o.kind !== 'inode' || !words) return o;
      const caps: Record<number, number> = {};
      for (const [id, w] of words) {
        const allowed = caps_vs_allowed(probe.ranks[session.get(id)!].inodes[o.path]).find((x) => x.client === id)!.allowed;
        caps[id] = w & allowed;
      }
      return { ...o, caps };
    }),
  };
}
