// The cluster model's symmetry: the renamings of ranks and clients under which a check file's
// initial cluster and workload are as they were (replica ranks holding the same copies, each
// with a client issuing the same steps), and the canonical encoding of a state under them, so
// that the search counts states equal up to such a renaming once.
import type { Encoder } from './Model.js';
import type { ClusterState } from './cluster.js';
import type { FuzzStep } from '../fuzz/steps.js';
import { cloneCluster } from '../invariants/clone.js';
import { Renamer, peerSetsInOrder, type Renaming } from './clusterRename.js';

/** One renaming the file is invariant under. */
export interface Symmetry {
  readonly renaming: Renaming;
  /** The workload group (one client's steps) each group becomes, by index: `issued` counts per group. */
  readonly groups: readonly number[];
}

/** `s` renamed, as a copy. */
export function renameState(s: ClusterState, g: Symmetry): ClusterState {
  const rn = new Renamer(g.renaming);
  const c = cloneCluster(s.c);
  rn.cluster(c);
  const issued: number[] = [];
  s.issued.forEach((n, i) => { issued[g.groups[i]] = n; });
  // a once-key names a request or a rank second (`update client.4101:1 ifile /d`, `tick mds.1`); the list is kept sorted
  const once = s.once.map((k) => k.replace(/^(\S+ )(\S+)/, (_, kind: string, who: string) => kind + rn.id(who))).sort();
  return { c, issued, once };
}

/** Workload steps name their client (in the request id, or `client`) and ranks (where a request runs, a remote wrlock's target). */
function renameStep(rn: Renamer, s: FuzzStep): FuzzStep {
  switch (s.kind) {
    case 'request': return { ...s, rank: rn.rank(s.rank), reqid: rn.id(s.reqid), locks: s.locks.map((w) => ({ ...w, target: rn.rank(w.target) })) };
    case 'op': return { ...s, rank: rn.rank(s.rank), reqid: rn.id(s.reqid) };
    case 'open': case 'lease': return { ...s, client: rn.client(s.client) };
    default: throw new Error(`not a workload step: ${s.kind}`);
  }
}

/** Every map of `items` onto themselves taking each item to one with the same profile; the identity first. */
function bijections(items: readonly number[], profile: (x: number) => string): Map<number, number>[] {
  const out: Map<number, number>[] = [];
  const to = new Map<number, number>(), used = new Set<number>();
  const go = (i: number): void => {
    if (i === items.length) { out.push(new Map(to)); return; }
    for (const y of items) {
      if (used.has(y) || profile(y) !== profile(items[i])) continue;
      used.add(y); to.set(items[i], y);
      go(i + 1);
      used.delete(y);
    }
  };
  go(0);
  return out;
}

/**
 * The renamings under which the initial state and the workload are as they were, the identity
 * first. Candidates take a rank only to one caching the same objects in the same roles (auth or
 * replica; a rank caching nothing stays, which keeps the enumeration small on a file with idle
 * ranks), and a client only to one declared alike (with a session or not) with as many steps.
 * Each candidate is then checked whole: the renamed initial state must have the original's
 * `key` (its encoding), and each client's renamed steps must be those of the client it becomes.
 */
export function symmetryGroup(init: ClusterState, workload: readonly (readonly FuzzStep[])[], groupClients: readonly number[], declared: readonly number[], key: (s: ClusterState) => string): Symmetry[] {
  const ranks = init.c.ranks.map((m) => m.id);
  const roles = ranks.map((r) => {
    const m = init.c.ranks[r];
    return m.objects().map((o) => `${o.key} ${o.is_auth() ? 'auth' : 'replica'}`).sort().join(',') || `mds.${r}`;
  });
  const clients = [...new Set([...declared, ...groupClients])];
  const steps = (c: number) => workload[groupClients.indexOf(c)]?.length ?? 0;
  const same = (a: readonly FuzzStep[], b: readonly FuzzStep[]) => JSON.stringify(a) === JSON.stringify(b);
  const original = key(init);
  const out: Symmetry[] = [];
  for (const rmap of bijections(ranks, (r) => roles[r])) {
    for (const cmap of bijections(clients, (c) => `${declared.includes(c)} ${steps(c)}`)) {
      const renaming: Renaming = { ranks: ranks.map((r) => rmap.get(r)!), clients: cmap };
      const rn = new Renamer(renaming);
      const groups = groupClients.map((c) => groupClients.indexOf(rn.client(c)));
      if (groups.some((g, i) => g < 0 || !same(workload[i].map((s) => renameStep(rn, s)), workload[g]))) continue;
      const g: Symmetry = { renaming, groups };
      if (key(renameState(init, g)) === original) out.push(g);
    }
  }
  return out;
}

/**
 * Write the representative of `s`: of its renamings under `group`, the one whose content hash
 * (what the encoder mixes) is least. Not the least bytes: bytes number strings and shapes in
 * the order this thread met them, so two workers would pick different representatives of one
 * state, and fingerprint them differently; the content hash is the same in every thread. Two
 * renamings with one hash are one state (but for a 2^-64 collision): either will do.
 */
export function writeCanonical(group: readonly Symmetry[], s: ClusterState, e: Encoder, write: (t: ClusterState, e: Encoder) => void, scratch: readonly [Encoder, Encoder]): void {
  let best: Encoder | null = null;
  for (const g of group) {
    const enc: Encoder = (best === scratch[0] ? scratch[1] : scratch[0]).reset();
    write(g === group[0] && peerSetsInOrder(s.c) ? s : renameState(s, g), enc);
    if (best === null || less(enc, best)) best = enc;
  }
  // as if `e` had been fed the representative itself
  e.bytes(best!.buf.subarray(0, best!.len));
  e.h1 = best!.h1; e.h2 = best!.h2; e.mixed = best!.mixed;
}

const less = (a: Encoder, b: Encoder): boolean => ((a.h1 >>> 0) !== (b.h1 >>> 0) ? (a.h1 >>> 0) < (b.h1 >>> 0) : (a.h2 >>> 0) < (b.h2 >>> 0));

/** The group in words: each renaming but the identity as its cycles, `(mds.1 mds.2)(client.4101 client.4102)`. */
export function symmetryText(group: readonly Symmetry[]): string {
  const cycles = (ids: readonly number[], f: (x: number) => number, name: (x: number) => string): string => {
    const seen = new Set<number>();
    let out = '';
    for (const x of ids) {
      if (seen.has(x) || f(x) === x) continue;
      const cycle: string[] = [];
      for (let y = x; !seen.has(y); y = f(y)) { seen.add(y); cycle.push(name(y)); }
      out += `(${cycle.join(' ')})`;
    }
    return out;
  };
  return group.slice(1).map(({ renaming: r }) => cycles(r.ranks.map((_, i) => i), (x) => r.ranks[x], (x) => `mds.${x}`)
    + cycles([...r.clients.keys()], (x) => r.clients.get(x)!, (x) => `client.${x}`)).join(', ');
}
