// The op fuzz's commands: a client sends an operation (ops/ops.ts) on names of the namespace
// as it stands (resolved when the command runs, as a client looks a path up first) to a
// random rank, which forwards or discovers as Ceph would. Names that do not exist yet are
// drawn too (n0..n3, h0..h2), so creates, links and renames over free names happen. With
// failures or exports drawn there are no renames: a rename prepared across a failure is not
// rolled back yet, nor is a rename moving an inode during an export modelled (faults.ts).
import fc from 'fast-check';
import type { Cluster } from '../cluster/Cluster.js';
import { childPath, isWithin } from '../cluster/tree.js';
import { clientNamespace } from '../server/clientPaths.js';
import { SETATTR_ATTRS } from '../server/parseOp.js';
import { FuzzCommand } from './commands.js';

const pick = <T>(list: readonly T[], i: number): T | null => (list.length === 0 ? null : list[i % list.length]);

const MASKS = ['pAsLsXsFs', 'As', 'Fs', 'LsXs'];
const MODES = ['rdonly', 'wronly', 'rdwr', 'rdwr trunc'];

/** The op text for raw numbers, or null when the namespace has nothing to name. */
function opText(c: Cluster, kind: number, a: number, b: number, x: number, rename: boolean): string | null {
  const ns = clientNamespace(c);
  const dirs = ns.filter((n) => n.dir).map((n) => n.path);
  const files = ns.filter((n) => !n.dir).map((n) => n.path);
  const any = ns.map((n) => n.path);
  const below = ns.filter((n) => n.path !== '/').map((n) => n.path);
  const fresh = (prefix: string, count: number) => { const d = pick(dirs, a); return d && childPath(d, `${prefix}${b % count}`); };
  const one = (op: string, path: string | null, extra = '') => (path ? `${op} ${path}${extra}` : null);
  switch (kind % 16) {
    case 0: return one('getattr', pick(any, a), ` mask=${MASKS[x % MASKS.length]}`);
    case 1: return one('lookup', pick(below, a), ` mask=${MASKS[x % MASKS.length]}`);
    case 2: return one('setattr', pick(any, a), ` ${SETATTR_ATTRS[x % SETATTR_ATTRS.length]}`);
    case 3: return one(x % 2 ? 'setxattr' : 'removexattr', pick(any, a), ' user.x');
    case 4: return one('open', pick(files, a), ` ${MODES[x % MODES.length]}`);
    case 5: return one('create', fresh('n', 4), x % 3 === 0 ? ' excl' : '');
    case 6: return one('mkdir', fresh('n', 4));
    case 7: return one(x % 2 ? 'mknod' : 'symlink', fresh('n', 4));
    case 8: { const f = pick(files, b); return f && one('link', fresh('h', 3), ` ${f}`); }
    case 9: return one('unlink', pick(files, a));
    case 10: return one('rmdir', pick(dirs.filter((d) => d !== '/'), a));
    case 11: case 12: {
      if (!rename) return null;
      // over an existing name or to a free one; never into its own subtree nor onto an ancestor:
      // both deadlock on a snaplock (scenarios/findings/rmdir-and-rename-into-itself-deadlock-on-snaplock.yaml,
      // rename-over-own-parent-self-deadlock-on-snaplock.yaml)
      const from = pick(below, a);
      const to = x % 2 ? pick(below, b) : fresh('n', 4);
      return from && to && (to === from || !(isWithin(to, from) || isWithin(from, to))) ? `rename ${from} ${to}` : null;
    }
    case 13: return one('readdir', pick(dirs, a));
    case 14: return one(x % 2 ? 'setlayout' : 'setdirlayout', x % 2 ? pick(files, a) : pick(dirs, a));
    default: return one(x % 2 ? 'setfilelock' : 'getfilelock', pick(files, a));
  }
}

const index = fc.nat(15);

export function opCommandArbs(rename = true): fc.Arbitrary<FuzzCommand>[] {
  const op = fc.record({ client: index, rank: fc.nat(3), kind: index, a: index, b: index, x: index })
    .map(({ client, rank, kind, a, b, x }) => new FuzzCommand(`op(${client},${rank},${kind},${a},${b},${x})`, (s) => {
      const cl = pick(Object.values(s.cluster.clients), client);
      const text = cl && opText(s.cluster, kind, a, b, x, rename);
      return cl && text ? { kind: 'op', rank: rank % s.cluster.ranks.length, reqid: `client.${cl.id}:${s.submitted + 1}`, text } : null;
    }));
  return Array(4).fill(op);
}
