// Every op's lock vectors against test/fixtures/ceph-server-locks.txt, an independent
// transcription of Server.cc: on the same namespace, each op (run alone, nothing contended)
// must make the same acquire_locks calls, in the same order, with the same vectors, and take
// the same snap rdlocks (Locker::try_rdlock_snap_layout), as the transcription lists.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCluster, type ObjectSpec } from '../../src/cluster/topology.js';
import { deliverAll, submitOp } from '../../src/cluster/sim.js';
import { parseOp } from '../../src/server/parseOp.js';
import type { TraceEvent } from '../../src/locker/context.js';
import { printMessage } from '../../src/messages/index.js';

interface Case { title: string; acquire: string[]; snap: string[]; error?: string }

/** The fixture's blocks: `## <case>`, its `acquire:` lines and its `snap-rdlocks:` note. */
function fixture(): Case[] {
  const out: Case[] = [];
  for (const line of readFileSync('test/fixtures/ceph-server-locks.txt', 'utf8').split('\n')) {
    if (line.startsWith('## ')) out.push({ title: line.slice(3).trim(), acquire: [], snap: [] });
    const c = out[out.length - 1];
    if (!c) continue;
    if (line.startsWith('acquire: ')) c.acquire.push(line.slice(9).trim());
    if (line.startsWith('error: ')) c.error = line.slice(7).trim();
    const snap = /^note: (?:.*\. )?snap-rdlocks[^:]*: (.*)$/.exec(line);
    // the note is prose: take every `rdlock <lock> <path>` in it, in order
    if (snap && c.snap.length === 0) c.snap = [...snap[1].matchAll(/rdlock (\w+) (\/[^\s,;)]*|~\S+)/g)].map((m) => `rdlock ${m[1]} ${m[2].replace(/\.$/, '')}`);
  }
  return out;
}

/** The fixture's op line in the op step's words: `open /a/f O_RDWR|O_TRUNC` -> `open /a/f rdwr trunc`. */
function words(title: string): string {
  return title.replace(' -> ', ' ').replace('O_RDONLY', 'rdonly').replace('O_WRONLY', 'wronly').replace('O_RDWR|O_TRUNC', 'rdwr trunc');
}

const dir = (path: string): ObjectSpec => ({ kind: 'inode', path, is_dir: true, auth: 0, replicas: [] });
const file = (path: string): ObjectSpec => ({ kind: 'inode', path, is_dir: false, auth: 0, replicas: [] });
// the transcription's namespace, inode numbers in creation order
const ONE_RANK = [dir('/a'), dir('/a/b'), file('/a/f'), file('/a/g'), dir('/c')];

function run(title: string): { acquire: string[]; snap: string[]; trace: TraceEvent[] } {
  const c = createCluster({ ranks: 1, seed: 1, objects: ONE_RANK, clients: [{ id: 4101, session: 0 }] });
  const parsed = parseOp(words(title));
  if ('error' in parsed) throw new Error(parsed.error);
  const trace = [...submitOp(c, 0, 'client.4101:1', parsed.op), ...deliverAll(c)];
  const acquire: string[] = [];
  const snap: string[] = [];
  for (const e of trace) {
    if (e.kind !== 'request' || e.reqid !== 'client.4101:1') continue;
    if (e.what.startsWith('acquire_locks: ')) acquire.push(vector(e.what));
    if (e.what.startsWith('snap rdlocks: ')) snap.push(...e.what.slice('snap rdlocks: '.length).split(', '));
  }
  return { acquire, snap, trace };
}

/** An `acquire_locks: ...` trace line's vector; a stray dentry, named by an inode number, written `*` as the transcription does. */
const vector = (what: string): string => what.slice('acquire_locks: '.length).replace(/(~mds\d+\/stray\d+\/)[0-9a-f]+/g, '$1*');

const CASES = fixture();
const SINGLE = CASES.slice(0, 34);

describe('op lock sets match the Server.cc transcription (one rank)', () => {
  it('the fixture has its 38 cases', () => expect(CASES).toHaveLength(38));
  it.each(SINGLE.map((c) => [c.title, c] as const))('%s', (_t, c) => {
    const got = run(c.title);
    expect(got.acquire, 'acquire_locks calls').toEqual(c.acquire);
    expect(got.snap, 'snap rdlocks').toEqual(c.snap);
  });
});

// the two-rank situation: /c's dirfrag is auth on mds.1, which caches /, the dentry /c and
// its inode (what else it needs, it discovers)
const TWO_RANKS: ObjectSpec[] = [
  { kind: 'inode', path: '/', is_dir: true, auth: 0, replicas: [1] },
  { kind: 'inode', path: '/a', is_dir: true, auth: 0, replicas: [] },
  { kind: 'inode', path: '/a/b', is_dir: true, auth: 0, replicas: [] },
  { kind: 'inode', path: '/a/f', is_dir: false, auth: 0, replicas: [] },
  { kind: 'inode', path: '/a/g', is_dir: false, auth: 0, replicas: [] },
  { kind: 'inode', path: '/c', is_dir: true, auth: 0, replicas: [1], frag: 1 },
];

interface TwoRankCase { runsOn: number; acquire: string[]; peers: string[]; witnesses: number[] }

function twoRankFixture(c: Case, text: string): TwoRankCase {
  const block = text.split('\n## ').find((b) => b.startsWith(c.title) && b.includes('runs-on'))!;
  const runsOn = Number(/^runs-on: mds\.(\d)/m.exec(block)![1]);
  const peers = [...block.matchAll(/^peer mds\.\d (OP_\w+): acquire: (.*)$/gm)].map((m) => `${m[1]}: ${m[2]}`);
  const w = /^witnesses: (.*)$/m.exec(block);
  return { runsOn, acquire: c.acquire, peers, witnesses: w ? w[1].split(', ').map((x) => Number(x.slice(4))) : [] };
}

describe('op lock sets match the Server.cc transcription (two ranks)', () => {
  const text = readFileSync('test/fixtures/ceph-server-locks.txt', 'utf8');
  const sentTo: Record<string, number> = { 'mkdir /c/n': 0, 'rename /a/f -> /c/f': 0, 'link /c/h -> /a/f': 1, 'rmdir /c': 0 };
  it.each(CASES.slice(34).map((c) => [c.title, c] as const))('%s', (_t, c) => {
    const want = twoRankFixture(c, text);
    const cl = createCluster({ ranks: 2, seed: 1, objects: TWO_RANKS, clients: [{ id: 4101, session: 0 }] });
    const parsed = parseOp(words(c.title));
    if ('error' in parsed) throw new Error(parsed.error);
    const trace = [...submitOp(cl, sentTo[c.title], 'client.4101:1', parsed.op), ...deliverAll(cl)];
    const ev = trace.filter((e): e is Extract<TraceEvent, { kind: 'request' }> => e.kind === 'request' && e.reqid === 'client.4101:1');
    const leader = ev.filter((e) => !e.peer && e.what.startsWith('acquire_locks: '));
    expect(new Set(leader.map((e) => e.rank)), 'the rank that runs it').toEqual(new Set([want.runsOn]));
    // a vector re-run after every remote wait is the same call again: compare the distinct ones
    expect([...new Set(leader.map((e) => vector(e.what)))], 'leader vectors').toEqual(want.acquire);
    // peers: the vector each OP_XLOCK / OP_WRLOCK builds, without the versionlocks acquire_locks adds
    const peer = ev.filter((e) => e.peer && e.what.startsWith('acquire_locks: '))
      .map((e) => vector(e.what).split(', ').filter((x) => !/ (i|d)version /.test(x)).join(', '));
    expect([...new Set(peer)], 'peer vectors').toEqual(want.peers.map((p) => p.slice(p.indexOf(': ') + 2)));
    const preps = trace.filter((e) => e.kind === 'send' && e.msg.kind === 'peer' && /_prep$/.test(printMessage(e.msg).split(' ')[1] ?? ''));
    expect([...new Set(preps.map((e) => (e as { msg: { to: number } }).msg.to))].sort(), 'witnesses').toEqual(want.witnesses);
  });
});
