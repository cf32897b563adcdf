// The client commands of a fuzz run: a client opens an inode on its session rank wanting a
// cap word (capWords.ts), looks a dentry up there (a lease if the DN lock allows), or hangs on
// to what the MDS sent it by holding its link to the MDS (its acks and lease releases wait)
// and lets go again. Deliveries on client links are the `deliver` command's: it picks among
// every deliverable link, client links included. Clients take no locks, so the lock order of
// requests (commands.ts) is untouched.
import fc from 'fast-check';
import type { Cluster } from '../cluster/Cluster.js';
import type { ClientState } from '../clients/ClientState.js';
import { FuzzCommand } from './commands.js';
import { wantedWord } from './capWords.js';

const pick = <T>(list: readonly T[], i: number): T | null => (list.length === 0 ? null : list[i % list.length]);
const clients = (c: Cluster): ClientState[] => Object.values(c.clients);
const index = fc.nat(15);

/** A client's link to its session rank: where its acks and releases travel. */
const uplinks = (c: Cluster, held: boolean) =>
  clients(c).map((cl) => ({ from: -cl.id, to: cl.session })).filter((l) => c.net.held[c.net.link(l.from, l.to)] === held);

export function clientCommandArbs(): fc.Arbitrary<FuzzCommand>[] {
  const open = fc.record({ client: index, inode: index, words: fc.array(index, { minLength: 1, maxLength: 2 }) })
    .map(({ client, inode, words }) => new FuzzCommand(`open(${client},${inode},${JSON.stringify(words)})`, (s) => {
      const cl = pick(clients(s.cluster), client);
      const ino = cl && pick(Object.values(s.cluster.ranks[cl.session].inodes), inode);
      return cl && ino && { kind: 'open', client: cl.id, path: ino.path, wanted: wantedWord(ino.is_dir, words) };
    }));
  const lease = fc.tuple(index, index).map(([client, dentry]) => new FuzzCommand(`lease(${client},${dentry})`, (s) => {
    const cl = pick(clients(s.cluster), client);
    // not on a copy leased by no modelled client: the two kinds share one LEASED flag
    const dns = cl ? Object.values(s.cluster.ranks[cl.session].dentries).filter((d) => !(d.lock.is_leased() && d.client_leases.length === 0)) : [];
    const dn = pick(dns, dentry);
    return cl && dn && { kind: 'lease', client: cl.id, path: dn.path };
  }));
  const link = (held: boolean) => index.map((i) => new FuzzCommand(`${held ? 'release' : 'hold'}_client(${i})`, (s) => {
    const l = pick(uplinks(s.cluster, held), i);
    return l && { kind: held ? 'release' : 'hold', ...l };
  }));
  return [...Array(3).fill(open), lease, link(false), link(true)];
}
