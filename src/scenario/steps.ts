// The `steps:` list: each step is a mapping keyed by its kind (schema.json's step kinds).
// Everything that can be judged before running is judged here, against the model cluster;
// what depends on the run (is the lease still there? does the request hold the wrlock?) is
// left to the simulator, whose ImpossibleStep the runner reports at the step.
import { RECOVERY_ORDER, STATE_REJOIN, rankStateByName, rankStateName } from '../cluster/mdsmap.js';
import { isMap, isScalar, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { op, RDLOCK, WRLOCK, XLOCK, REMOTE_WRLOCK, type LockOp } from '../request/LockOp.js';
import {
  capsWord, checkSessionCopy, declaredClient, endpoint, lockName, lockOnRank, objectName, rankName, reqidName, replicaText, type Model,
} from './names.js';
import { readExpect } from './expect.js';
import { fullPath, parseOp } from '../server/parseOp.js';
import type { ClientOp } from '../request/ClientRequest.js';
import { quote as q } from '../trace/quote.js';
import { STEP_KINDS } from './schema.js';
import { Cascade, type NodeReader, type Entry } from './yamlNodes.js';
import { linkText, type Link, type Loc, type Step } from './types.js';

/** Request ids seen so far: where each was submitted and, once finished, where; `broken` if its step failed to read. */
export type Requests = Map<string, { rank: number; line: number; finishedLine?: number; broken?: boolean }>;

/** The steps of a `steps:` list; the `# ...` comment above a step is kept for the trace. */
export function readSteps(r: NodeReader, seq: Node | null, m: Model, key = 'steps'): Step[] {
  const requests: Requests = new Map();
  const nodes = r.attempt(() => r.seq(seq, key)) ?? [];
  const steps: Step[] = [];
  nodes.forEach((n, i) => {
    const step = r.attempt(() => readStep(r, r.map(n, 'a step'), m, requests));
    if (!step) {
      // later steps naming this request follow from this error: not errors of their own
      const id = isMap(n) && n.get('request');
      if (typeof id === 'string' && !requests.has(id)) requests.set(id, { rank: -1, line: r.loc(n).line, broken: true });
      return;
    }
    const comment = n.commentBefore ?? (i === 0 ? (seq as YAMLSeq).commentBefore : undefined);
    steps.push(comment ? { ...step, comment } : step);
  });
  const abort = steps.findIndex((s) => s.kind === 'expect' && s.checks.some((c) => c.kind === 'abort'));
  if (abort >= 0 && abort !== steps.length - 1) r.attempt(() => r.fail(nodes[nodes.length - 1], 'nothing runs after an MDS abort: an expect with abort must be the last step'));
  return steps;
}

function readStep(r: NodeReader, map: YAMLMap, m: Model, requests: Requests): Step {
  const entries = r.entries(map);
  const kinds = entries.filter((e) => STEP_KINDS.includes(e.keyText));
  if (kinds.length === 0) r.fail(entries[0]?.key ?? map, `unknown step ${q(entries[0]?.keyText ?? '')} (expected one of ${STEP_KINDS.join(', ')})`);
  if (kinds.length > 1) r.fail(kinds[1].key, `a step does one thing: found both ${q(kinds[0].keyText)} and ${q(kinds[1].keyText)}`);
  const kind = kinds[0].keyText;
  const f = r.fields(map, kind, `a ${kind} step`);
  const v = f.get(kind)!.value;
  const loc = r.loc(map);
  switch (kind) {
    case 'request': return readRequest(r, f, loc, m, requests);
    case 'op': return readOp(r, f, loc, m, requests);
    case 'deliver': return readDeliver(r, v, loc, m);
    case 'early_reply': case 'finish': case 'kill': {
      const reqid = knownRequest(r, v, requests, kind);
      if (kind !== 'early_reply') requests.get(reqid)!.finishedLine = loc.line;
      return { kind, loc, reqid, text: `${kind} ${reqid}` };
    }
    case 'duplicate': {
      const link = readLink(r, v, m, kind);
      if (link.from < 0 || link.to < 0) r.fail(v, 'duplicate copies a lock message between two ranks: give from: mds.N, to: mds.M');
      return { kind, loc, link, text: `duplicate ${linkText(link)}` };
    }
    case 'wrlock_force': {
      const u = r.fields(r.map(v, kind), 'update_args', kind);
      const reqid = knownRequest(r, u.get('request')!.value, requests, kind);
      const lock = lockOnRank(r, u.get('lock')!.value, m, requests.get(reqid)!.rank, `${kind} lock`);
      if (lock.lt.cls === 'LocalLock') r.fail(u.get('lock')!.value, `${lock.name} is a versionlock: wrlock_force grabs it as a local lock, which no step models`);
      return { kind, loc, reqid, lock: lock.ref, text: `wrlock_force ${lock.name} by ${reqid}` };
    }
    case 'update': {
      const u = r.fields(r.map(v, 'update'), 'update_args', 'update');
      const reqid = knownRequest(r, u.get('request')!.value, requests, 'update');
      const lock = lockName(r, u.get('lock')!.value, m, 'update lock');
      if (lock.lt.cls !== 'ScatterLock') r.fail(u.get('lock')!.value, `${lock.name} carries no scattered data (only ifile, inest, idft do)`);
      return { kind, loc, reqid, lock: lock.ref, text: `update ${lock.name} by ${reqid}` };
    }
    case 'lease_release': {
      const u = r.fields(r.map(v, 'lease_release'), 'lease_release_args', 'lease_release');
      const rank = rankName(r, u.get('on')!.value, m.ranks, 'on');
      const pathNode = u.get('dentry')!.value;
      const spec = objectName(r, pathNode, m, 'dentry', 'dentry');
      const path = spec.path;
      if (!m.cluster.ranks[rank].dentries[path]) r.fail(pathNode, `mds.${rank} holds no copy of ${path} (auth mds.${spec.auth}, replicas ${replicaText(spec)})`);
      return { kind, loc, rank, path, text: `lease_release ${path} on mds.${rank}` };
    }
    case 'open': {
      const u = r.fields(r.map(v, 'open'), 'open_args', 'open');
      const c = declaredClient(r, u.get('client')!.value, m.clients, 'client');
      const spec = objectName(r, u.get('inode')!.value, m, 'inode', 'inode');
      checkSessionCopy(r, u.get('inode')!.value, c, spec);
      const capsNode = u.get('caps')!.value;
      const wanted = capsWord(r, capsNode, `open by ${c.name}`);
      return { kind, loc, client: c.id, path: spec.path, wanted, text: `open ${spec.path} by ${c.name} wanting ${r.str(capsNode, 'caps')}` };
    }
    case 'lease': {
      const u = r.fields(r.map(v, 'lease'), 'lease_args', 'lease');
      const c = declaredClient(r, u.get('client')!.value, m.clients, 'client');
      const spec = objectName(r, u.get('dentry')!.value, m, 'dentry', 'dentry');
      checkSessionCopy(r, u.get('dentry')!.value, c, spec);
      return { kind, loc, client: c.id, path: spec.path, text: `lease ${spec.path} by ${c.name}` };
    }
    case 'nudge': {
      const u = r.fields(r.map(v, 'nudge'), 'nudge_args', 'nudge');
      const rank = rankName(r, u.get('on')!.value, m.ranks, 'on');
      const lock = lockOnRank(r, u.get('lock')!.value, m, rank, 'nudge lock');
      if (lock.lt.cls !== 'ScatterLock') r.fail(u.get('lock')!.value, `${lock.name} is not a scatterlock (only ifile, inest, idft can be nudged)`);
      return { kind, loc, rank, lock: lock.ref, text: `nudge ${lock.name} on mds.${rank}` };
    }
    case 'tick': {
      const rank = rankName(r, v, m.ranks, 'tick');
      return { kind, loc, rank, text: `tick mds.${rank}` };
    }
    case 'fail': {
      const rank = rankName(r, v, m.ranks, 'fail');
      return { kind, loc, rank, text: `fail mds.${rank}` };
    }
    case 'recover': {
      if (!isMap(v)) {
        const rank = rankName(r, v, m.ranks, 'recover');
        return { kind, loc, rank, to: STATE_REJOIN, text: `recover mds.${rank}` };
      }
      const u = r.fields(r.map(v, 'recover'), 'recover_args', 'recover');
      const rank = rankName(r, u.get('rank')!.value, m.ranks, 'recover rank');
      const toNode = u.get('to')?.value;
      const toName = toNode ? r.str(toNode, 'to') : 'rejoin';
      const to = rankStateByName(toName);
      if (to === undefined || !RECOVERY_ORDER.includes(to)) r.fail(toNode!, `recover to ${q(toName)}: give replay, resolve, reconnect or rejoin`);
      return { kind, loc, rank, to, text: `recover mds.${rank}${to === STATE_REJOIN ? '' : ` to ${rankStateName(to)}`}` };
    }
    case 'export': {
      const u = r.fields(r.map(v, 'export'), 'export_args', 'export');
      const dirNode = u.get('dir')!.value;
      const dir = objectName(r, dirNode, m, 'inode', 'export dir');
      if (dir.kind !== 'inode' || !dir.is_dir) r.fail(dirNode, `export dir ${q(dir.path)}: not a directory`);
      if (dir.path === '/') r.fail(dirNode, 'export dir "/": the root\'s dirfrag is a system dirfrag, which Migrator::export_dir never exports');
      const to = rankName(r, u.get('to')!.value, m.ranks, 'export to');
      m.exported.add(dir.path);
      return { kind, loc, dir: dir.path, to, text: `export ${dir.path} to mds.${to}` };
    }
    case 'hold': case 'release': {
      const link = readLink(r, v, m, kind);
      return { kind, loc, link, text: `${kind} ${linkText(link)}` };
    }
    case 'expect': return { kind, loc, checks: readExpect(r, v, f.get(kind)!.key, m, requests), text: 'expect' };
  }
  throw new Error(`schema step kind ${kind} has no reader`);
}

function knownRequest(r: NodeReader, node: Node | null, requests: Requests, what: string): string {
  const reqid = reqidName(r, node, what);
  const known = requests.get(reqid);
  if (!known) r.fail(node, `unknown request ${reqid}: no earlier request step submits it`);
  if (known.broken) throw new Cascade(r.loc(node), `request ${reqid} did not read`);
  if (known.finishedLine !== undefined) r.fail(node, `request ${reqid} already finished at line ${known.finishedLine}`);
  return reqid;
}

function readLink(r: NodeReader, node: Node | null, m: Model, what: string): Link {
  const f = r.fields(r.map(node, `${what} link`), 'link', `${what} link`);
  return { from: endpoint(r, f.get('from')!.value, m, 'from'), to: endpoint(r, f.get('to')!.value, m, 'to') };
}

function readDeliver(r: NodeReader, v: Node, loc: Loc, m: Model): Step {
  if (!isScalar(v)) {
    const link = readLink(r, v, m, 'deliver');
    return { kind: 'deliver_link', loc, link, text: `deliver ${linkText(link)}` };
  }
  if (v.value === 'all') return { kind: 'deliver', loc, count: 'all', text: 'deliver all' };
  const n = v.value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) r.fail(v, `deliver takes a count of at least 1, 'all', or { from: mds.N, to: mds.M }; not ${q(String(n))}`);
  return { kind: 'deliver', loc, count: n, text: `deliver ${n}` };
}

/** `op: client.N:TID`, `on: mds.N` (default the client's session rank), `do: <op> <paths> [options]`. */
function readOp(r: NodeReader, f: Map<string, Entry>, loc: Loc, m: Model, requests: Requests): Step {
  const reqNode = f.get('op')!.value;
  const reqid = reqidName(r, reqNode, 'op');
  const seen = requests.get(reqid);
  if (seen) r.fail(reqNode, `duplicate request id ${reqid} (first submitted at line ${seen.line})`);
  const client = declaredClient(r, reqNode, m.clients, `the client of ${reqid}`, reqid.slice(0, reqid.indexOf(':')));
  const rank = f.has('on') ? rankName(r, f.get('on')!.value, m.ranks, 'on') : client.session;
  const doNode = f.get('do')!.value;
  const parsed = parseOp(r.str(doNode, 'do'));
  if ('error' in parsed) r.fail(doNode, parsed.error);
  const op = parsed.op;
  requests.set(reqid, { rank, line: loc.line });
  noteDynamic(m, op);
  return { kind: 'op', loc, reqid, rank, op, text: `op ${reqid} on mds.${rank}: ${op.text}` };
}

/** The names an op may give objects at run time, so later steps can name them. */
function noteDynamic(m: Model, op: ClientOp): void {
  const target = fullPath(op.path);
  if (op.name === 'mkdir' || op.name === 'mknod' || op.name === 'create' || op.name === 'symlink' || op.name === 'link') m.dynamic.add(target);
  if (op.name === 'rename') {
    const src = fullPath(op.path2!);
    m.dynamic.add(target);
    for (const p of [...m.objects.keys(), ...m.dynamic]) {
      const path = p.startsWith('dentry ') ? p.slice(7) : p;
      if (path.startsWith(`${src}/`)) m.dynamic.add(target + path.slice(src.length));
    }
  }
}

/** Which flags each lock list of a request step asks for, in the order ops are built. */
const OP_LISTS: readonly [key: string, flag: number][] = [['rdlock', RDLOCK], ['wrlock', WRLOCK], ['xlock', XLOCK], ['remote_wrlock', REMOTE_WRLOCK]];

function readRequest(r: NodeReader, f: Map<string, Entry>, loc: Loc, m: Model, requests: Requests): Step {
  const reqNode = f.get('request')!.value;
  const reqid = reqidName(r, reqNode, 'request');
  const rank = rankName(r, f.get('on')!.value, m.ranks, 'on');
  const seen = requests.get(reqid);
  if (seen) r.fail(reqNode, `duplicate request id ${reqid} (first submitted at line ${seen.line})`);
  // either the four lists (taken in OP_LISTS order) or one ordered `locks` list of `<kind> <lock>`
  const listed: { n: Node; key: string; flag: number; text?: string }[] = [];
  if (f.has('locks')) {
    const other = OP_LISTS.find(([key]) => f.has(key));
    if (other) r.fail(f.get(other[0])!.key, `a request gives either 'locks' or the ${other[0]}/... lists, not both`);
    for (const n of r.seq(f.get('locks')!.value, 'locks')) {
      const s = r.str(n, 'locks entry');
      const sp = s.indexOf(' ');
      const kind = OP_LISTS.find(([key]) => key === s.slice(0, sp));
      if (sp < 0 || !kind) r.fail(n, `locks entry ${q(s)} must be '<rdlock|wrlock|xlock|remote_wrlock> <lock type> <path>'`);
      listed.push({ n, key: kind[0], flag: kind[1], text: s.slice(sp + 1) });
    }
  }
  for (const [key, flag] of OP_LISTS) {
    for (const n of f.has(key) ? r.seq(f.get(key)!.value, key) : []) listed.push({ n, key, flag });
  }
  const ops: LockOp[] = [];
  const words: string[] = [];
  let unread = 0; // lock entries are independent: each is read, and its problem reported, on its own
  for (const { n, key, flag, text } of listed) {
    if (r.attempt(() => readLock(n, key, flag, text)) === undefined) unread++;
  }
  if (unread > 0) throw new Cascade(r.loc(reqNode), `request ${reqid} has locks that did not read`);
  if (ops.length === 0) r.fail(reqNode, `request ${reqid} takes no locks (give locks, rdlock, wrlock, xlock or remote_wrlock)`);
  requests.set(reqid, { rank, line: loc.line });
  return { kind: 'request', loc, reqid, rank, ops, text: `request ${reqid} on mds.${rank}: ${words.join(', ')}` };

  function readLock(n: Node, key: string, flag: number, text?: string): true {
    const l = lockOnRank(r, n, m, rank, key, text);
    const cls = l.lt.cls;
    const auth = l.spec.auth;
    if (flag === WRLOCK && cls === 'SimpleLock') r.fail(n, `wrlock on ${l.name}: a simplelock is only ever force-wrlocked by the MDS itself (Locker::wrlock_start asserts)`);
    if (flag === XLOCK && l.lt.sm.name === 'sm_scatterlock') r.fail(n, `xlock on ${l.name}: sm_scatterlock has no xlock states (Ceph never xlocks inest or idft; xlock_start would abort)`);
    if (flag === XLOCK && cls === 'ScatterLock' && rank !== auth) r.fail(n, `xlock on ${l.name} from mds.${rank}: ${l.lt.sm.name} cannot be xlocked remotely (Ceph asserts can_remote_xlock); its auth is mds.${auth}`);
    if (flag === REMOTE_WRLOCK && cls !== 'ScatterLock') r.fail(n, `remote_wrlock on ${l.name}: only scatterlocks (ifile, inest, idft) take remote wrlocks`);
    if (flag === REMOTE_WRLOCK && rank === auth) r.fail(n, `remote_wrlock on ${l.name} from its auth mds.${auth}: take a wrlock instead`);
    ops.push(op(l.ref, flag, flag === REMOTE_WRLOCK ? auth : -1));
    words.push(`${key} ${l.name}`);
    return true;
  }
}
