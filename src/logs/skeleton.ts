// A scenario skeleton from a log (`mdslock log --scenario FILE`): the ranks seen, each inode the
// prints name by path with its auth and replicas, the first stable state each of its locks was
// seen in on the auth, and the clients of its first caps print on the auth with their caps,
// wants and loner; steps to write, after an `expect: ~` that `replay --update` fills with the
// starting state. What a log does not show (objects printed only by number, dentries, clients
// of replicas) is left out, and said so in the file's header.
import { lockTypeByName, lockerEdges, stateByName, stateName, type LockType } from '../../statemachines/index.js';
import { parseCapPrint } from '../inspect/parsePrint.js';
import { ccap_string } from '../clients/capString.js';
import type { Timelines } from './timeline.js';
import { CInode } from '../cache/CInode.js';
import { carriedLocks } from '../cluster/carried.js';

/** Ceph prints a directory's path with a trailing slash; only a directory's dirfragtreelock changes state. */
const DIR_LOCKS = ['idft'];

/** The stable state a copy started in: its first print's, or the one state an auth edge leaves for it. */
function startState(lt: LockType, first: string | null): string | null {
  const s = first === null ? undefined : stateByName(first);
  if (s === undefined) return null;
  if (lt.sm.states[s].next === 0) return first;
  const from = [...new Set(lockerEdges(lt.sm).filter((e) => e.side === 'auth' && e.to === s && lt.sm.states[e.from].next === 0).map((e) => e.from))];
  return from.length === 1 ? stateName(from[0]) : null;
}

export function scenarioSkeleton(t: Timelines, files: readonly string[]): string {
  const timelines = [...t.byKey.values()];
  const ranks = Math.max(0, ...timelines.map((x) => x.rank ?? 0), ...[...t.objects.values()].flatMap((o) => [o.authRank ?? 0, ...o.replicas])) + 1;
  const clients = new Map<number, number>();
  const objects: string[] = [];
  const left: string[] = [];
  for (const [key, o] of [...t.objects.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!key.startsWith('inode ')) continue;
    const path = key.slice(6).replace(/(.)\/$/, '$1');
    if (!path.startsWith('/') || /\s/.test(path)) { left.push(key); continue; }
    if (o.authRank === null) { left.push(`${key} (no print shows its auth)`); continue; }
    const mine = timelines.filter((x) => x.object === key);
    const isDir = key.endsWith('/') || mine.some((x) => DIR_LOCKS.includes(x.lock));
    const locks: string[] = [];
    const carried = carriedLocks(new CInode({ path, ino: 0, is_dir: isDir, authority: 0, rank: 0, replicas: [] })).map((l) => l.lt.name);
    for (const tl of mine.filter((x) => x.rank === o.authRank && x.auth !== false)) {
      const lt = lockTypeByName(tl.lock);
      if (!lt || lt.cls === 'LocalLock' || !carried.includes(lt.name)) continue;
      const start = startState(lt, tl.entries.find((e) => e.state !== null)?.state ?? null);
      if (start) locks.push(`${tl.lock}: ${start}`);
    }
    const lines = [`  - inode: ${path}`, `    type: ${isDir ? 'dir' : 'file'}`, `    auth: mds.${o.authRank}`];
    const replicas = [...o.replicas].filter((r) => r !== o.authRank).sort((a, b) => a - b);
    if (replicas.length) lines.push(`    replicas: [${replicas.map((r) => `mds.${r}`).join(', ')}]`);
    if (locks.length) lines.push(`    locks: { ${locks.join(', ')} }`);
    const caps = o.caps ? parseCapPrint(o.caps) : null;
    // a client's caps live on its session rank's copy: the rank of the first auth it was seen on
    const held = caps?.ok ? caps.value.clients.filter((c) => (clients.get(c.client) ?? o.authRank) === o.authRank) : [];
    if (caps?.ok && held.length < caps.value.clients.length) left.push(`caps on ${key} of clients seen first on another rank`);
    if (caps?.ok && held.length) {
      for (const c of held) clients.set(c.client, o.authRank);
      lines.push(`    caps: { ${held.map((c) => `client.${c.client}: ${ccap_string(c.issued)}`).join(', ')} }`);
      lines.push(`    wanted: { ${held.map((c) => `client.${c.client}: ${ccap_string(c.wanted)}`).join(', ')} }`);
      if (held.some((c) => c.client === caps.value.loner)) lines.push(`    loner: client.${caps.value.loner}`);
    }
    objects.push(...lines);
  }
  return [
    `# A scenario skeleton written by mdslock log from ${files.join(', ')}: the ranks, inodes (auth, replicas,`,
    '# first stable lock states on the auth) and clients (caps, wants, loner) the prints show. Add the steps',
    '# to replay; `mdslock replay --update` fills the expect below with the starting state.',
    ...(left.length ? [`# Left out (no path from the root, or no auth shown): ${left.join(', ')}`] : []),
    `name: from ${files.map((f) => f.replace(/^.*\//, '')).join(', ')}`,
    `ranks: ${ranks}`,
    ...(clients.size ? [`clients: { ${[...clients.entries()].sort(([a], [b]) => a - b).map(([c, r]) => `client.${c}: mds.${r}`).join(', ')} }`] : []),
    'objects:',
    ...(objects.length ? objects : ['  []']),
    'steps:',
    '  - expect: ~',
  ].join('\n').replace('objects:\n  []', 'objects: []') + '\n';
}
