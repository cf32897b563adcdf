// `expect:` steps: what must hold after the previous step. Each key gives one or more checks:
// lock prints and client caps per rank, the caps and leases a client holds, request status,
// the count or exact list of messages in flight, an invariant violation or an MDS abort the
// scenario documents, quiescence. A value left empty (`iauth /f:`, or `~`) is a placeholder
// that `replay --update` fills in; so is a whole rank (`mds.0: ~`) or a whole step (`expect: ~`).
import { RANK_STATE_NAMES, rankStateByName } from '../cluster/mdsmap.js';
import { isSeq, isScalar, type Node, type Scalar, type YAMLMap } from 'yaml';
import { parseRank, parseReqid } from '../cluster/names.js';
import { ccap_string } from '../clients/capString.js';
import { INVARIANT_NAMES, type InvariantId } from '../invariants/violation.js';
import { capsWord, checkSessionCopy, declaredClient, lockOnRank, objectName, rankName, mayBeImported, replicaText, reqidName, type Model } from './names.js';
import { quote as q } from '../trace/quote.js';
import type { Requests } from './steps.js';
import { allowedKeys } from './schema.js';
import { Cascade, type NodeReader } from './yamlNodes.js';
import type { Check, Loc, RequestStatus } from './types.js';

const STATUSES: readonly RequestStatus[] = ['granted', 'waiting', 'finished'];
/** Invariants an expect may name (I9, determinism, is a property of two replays, not of a state). */
const EXPECTABLE = (Object.keys(INVARIANT_NAMES) as InvariantId[]).filter((id) => id !== 'I9');

export function readExpect(r: NodeReader, node: Node, key: Node, m: Model, requests: Requests): Check[] {
  if (r.isNull(node)) return [{ kind: 'all', loc: r.loc(key), what: 'everything', edit: r.edit(node, key) }];
  const entries = r.entries(r.map(node, 'expect'));
  if (entries.length === 0) r.fail(node, 'expect checks nothing');
  const checks: Check[] = [];
  for (const e of entries) {
    const loc = r.loc(e.key);
    const edit = r.edit(e.value, e.key);
    const placeholder = r.isNull(e.value);
    if (parseRank(e.keyText) !== undefined) {
      if (placeholder) checks.push({ kind: 'rank', loc, what: `mds.${rankName(r, e.key, m.ranks, 'expect rank')}`, rank: rankName(r, e.key, m.ranks, 'expect rank'), edit });
      else checks.push(...rankChecks(r, e.key, r.map(e.value, `expect ${e.keyText}`), m));
      continue;
    }
    if (parseReqid(e.keyText)) {
      const reqid = reqidName(r, e.key, 'request');
      knownRequest(r, e.key, reqid, requests);
      checks.push({ kind: 'status', loc, what: `request ${reqid}`, reqid, status: placeholder ? null : status(r, e.value), listed: false, edit });
      continue;
    }
    if (e.keyText.startsWith('client.')) {
      checks.push(...clientChecks(r, e.key, r.map(e.value, `expect ${e.keyText}`), m));
      continue;
    }
    switch (e.keyText) {
      case 'granted': case 'waiting': case 'finished': {
        const st = e.keyText as RequestStatus;
        if (placeholder) r.fail(e.value, `${st} lists requests; to have their status filled in, write '<request id>:' keys instead`);
        const list = isSeq(e.value) ? r.seq(e.value, st) : [e.value];
        if (list.length === 0) r.fail(e.value, `${st}: [] checks nothing; list requests or leave the key out`);
        for (const n of list) {
          const reqid = reqidName(r, n, st);
          knownRequest(r, n, reqid, requests);
          checks.push({ kind: 'status', loc: r.loc(n), what: `request ${reqid}`, reqid, status: st, listed: true, edit: r.edit(e.key, e.key) });
        }
        break;
      }
      case 'in_flight': {
        const count = placeholder ? null : r.int(e.value, 'in_flight');
        if (count !== null && count < 0) r.fail(e.value, 'in_flight cannot be negative');
        checks.push({ kind: 'in_flight', loc, what: 'messages in flight', count, edit });
        break;
      }
      case 'messages': {
        const messages = placeholder ? null : r.seq(e.value, 'messages').map((n) => r.str(n, 'a message'));
        checks.push({ kind: 'messages', loc, what: 'messages in flight', messages, edit });
        break;
      }
      case 'violation': {
        const nodes = placeholder ? null : isSeq(e.value) ? r.seq(e.value, 'violation') : [e.value];
        if (nodes && nodes.length === 0) r.fail(e.value, 'violation: [] expects nothing; name an invariant (I1 .. I8) or leave the key out');
        const ids = nodes?.map((n) => invariant(r, n)) ?? null;
        checks.push({ kind: 'violation', loc, what: 'violation', invariants: ids, edit });
        break;
      }
      case 'abort': {
        const message = placeholder ? null : r.str(e.value, 'abort');
        checks.push({ kind: 'abort', loc, what: 'MDS abort', message, edit });
        break;
      }
      case 'replies': {
        if (placeholder) r.fail(e.value, 'replies maps request ids to the reply expected (safe, unsafe, none or an error like ENOENT); give <request id>: keys');
        for (const x of r.entries(r.map(e.value, 'replies'))) {
          const reqid = reqidName(r, x.key, 'replies');
          knownRequest(r, x.key, reqid, requests);
          const reply = r.isNull(x.value) ? null : r.str(x.value, `reply to ${reqid}`);
          if (reply !== null && !/^(none|unsafe|safe|E[A-Z]+)$/.test(reply)) r.fail(x.value, `reply to ${reqid} must be none, unsafe, safe or an error like ENOENT, not ${q(reply)}`);
          checks.push({ kind: 'reply', loc: r.loc(x.key), what: `reply to ${reqid}`, reqid, client: parseReqid(reqid)!.client, reply, edit: r.edit(x.value, x.key) });
        }
        break;
      }
      case 'mdsmap': {
        if (placeholder) r.fail(e.value, 'mdsmap maps ranks to their state (active, failed, replay, resolve, reconnect, rejoin); give mds.N: keys');
        for (const x of r.entries(r.map(e.value, 'mdsmap'))) {
          const rank = rankName(r, x.key, m.ranks, 'mdsmap rank');
          const state = r.isNull(x.value) ? null : r.str(x.value, `state of mds.${rank}`);
          if (state !== null && rankStateByName(state) === undefined) r.fail(x.value, `rank state ${q(state)} is not one of ${RANK_STATE_NAMES.join(', ')}`);
          checks.push({ kind: 'mdsmap', loc: r.loc(x.key), what: `mds.${rank} state`, rank, state, edit: r.edit(x.value, x.key) });
        }
        break;
      }
      case 'quiet': {
        if (!r.bool(e.value, 'quiet')) r.fail(e.value, 'quiet: false checks nothing; to expect a cluster that cannot quiesce, write violation: I7');
        checks.push({ kind: 'quiet', loc, what: 'quiet' });
        break;
      }
      default:
        r.fail(e.key, `unknown expect key ${q(e.keyText)} (expected mds.N, client.N, client.N:TID, ${allowedKeys('expectation').join(', ')})`);
    }
  }
  return checks;
}

/** A request an earlier step submits (one whose step failed to read is a cascade, not a new error). */
function knownRequest(r: NodeReader, node: Node, reqid: string, requests: Requests): void {
  const known = requests.get(reqid);
  if (!known) r.fail(node, `unknown request ${reqid}: no earlier request step submits it`);
  if (known.broken) throw new Cascade(r.loc(node), `request ${reqid} did not read`);
}

function status(r: NodeReader, node: Node): RequestStatus {
  const s = r.str(node, 'request status');
  if (!(STATUSES as readonly string[]).includes(s)) r.fail(node, `request status ${q(s)} is not one of ${STATUSES.join(', ')}`);
  return s as RequestStatus;
}

function invariant(r: NodeReader, node: Node): InvariantId {
  const s = isScalar(node) ? String((node as Scalar).value) : r.str(node, 'violation');
  if (s === 'I9') r.fail(node, 'I9 (determinism) compares two replays; fuzz checks it, an expect cannot');
  if (!(EXPECTABLE as string[]).includes(s)) r.fail(node, `unknown invariant ${q(s)} (expected one of ${EXPECTABLE.map((i) => `${i} ${INVARIANT_NAMES[i]}`).join(', ')})`);
  return s as InvariantId;
}

/** `mds.1: { iauth /f: "(iauth sync r=1)", caps /f: "caps={4102=pAs/-@1}" }` */
function rankChecks(r: NodeReader, key: Node, map: YAMLMap, m: Model): Check[] {
  const rank = rankName(r, key, m.ranks, 'expect rank');
  return r.entries(map).map((l): Check => {
    const loc: Loc = r.loc(l.key);
    const edit = r.edit(l.value, l.key);
    const placeholder = r.isNull(l.value);
    if (l.keyText.startsWith('caps ')) {
      const spec = objectName(r, l.key, m, 'inode', 'expect caps', l.keyText.slice('caps '.length));
      if (spec.auth >= 0 && !m.cluster.ranks[rank].inodes[spec.path] && !mayBeImported(m, spec.path)) r.fail(l.key, `mds.${rank} holds no copy of ${spec.path} (auth mds.${spec.auth}, replicas ${replicaText(spec)})`);
      const text = placeholder ? null : r.str(l.value, `expected caps of ${spec.path}`);
      if (text !== null && !text.startsWith('caps={')) r.fail(l.value, `expected caps of ${spec.path} must look like caps={<client>=<pending>/<wanted>@<seq>,...}, not ${q(text)}`);
      return { kind: 'caps', loc, what: `mds.${rank} caps ${spec.path}`, rank, path: spec.path, text, edit };
    }
    if (l.keyText.startsWith('auth ')) {
      // `auth /d/f`, `auth dn /d/f`, `auth dirfrag /d`: which rank this copy takes for the auth
      const rest = l.keyText.slice('auth '.length);
      const [what, path] = rest.startsWith('dn ') ? ['dn', rest.slice(3)] : rest.startsWith('dirfrag ') ? ['dirfrag', rest.slice(8)] : ['inode', rest];
      const spec = objectName(r, l.key, m, what === 'dn' ? 'dentry' : 'inode', 'expect auth', path);
      if (what === 'dirfrag' && (spec.kind !== 'inode' || !spec.is_dir)) r.fail(l.key, `${spec.path} is not a directory: it has no dirfrag`);
      const text = placeholder ? null : r.str(l.value, `expected auth of ${rest}`);
      if (text !== null && parseRank(text) === undefined) r.fail(l.value, `expected auth of ${rest} must be a rank (mds.N), not ${q(text)}`);
      return { kind: 'auth', loc, what: `mds.${rank} auth ${rest}`, rank, object: what as 'inode' | 'dn' | 'dirfrag', path: spec.path, text, edit };
    }
    const lock = lockOnRank(r, l.key, m, rank, 'expect');
    const text = placeholder ? null : r.str(l.value, `expected print of ${lock.name}`);
    if (text !== null && !text.startsWith('(no copy of ') && (!text.startsWith(`(${lock.lt.name} `) || !text.endsWith(')'))) r.fail(l.value, `expected print of ${lock.name} must look like (${lock.lt.name} <state> ...), not ${q(text)}`);
    return { kind: 'lock', loc, what: `mds.${rank} ${lock.name}`, rank, lock: lock.ref, text, edit };
  });
}

/** `client.4101: { /f: pAsLsXsFscr, leases: [/d/x] }` */
function clientChecks(r: NodeReader, key: Node, map: YAMLMap, m: Model): Check[] {
  const c = declaredClient(r, key, m.clients, 'expect client');
  return r.entries(map).map((e): Check => {
    const edit = r.edit(e.value, e.key);
    const placeholder = r.isNull(e.value);
    if (e.keyText === 'leases') {
      let leases: string[] | null = null;
      if (!placeholder) {
        leases = [];
        for (const n of r.seq(e.value, 'leases')) {
          const spec = objectName(r, n, m, 'dentry', 'lease');
          if (leases.includes(spec.path)) r.fail(n, `${spec.path} is listed twice in leases`);
          leases.push(spec.path);
        }
      }
      return { kind: 'client_leases', loc: r.loc(e.key), what: `${c.name} leases`, client: c.id, leases, edit };
    }
    const spec = objectName(r, e.key, m, 'inode', `expect ${c.name}`);
    checkSessionCopy(r, e.key, c, spec);
    const text = placeholder ? null : ccap_string(capsWord(r, e.value, `${c.name} on ${spec.path}`));
    return { kind: 'client_caps', loc: r.loc(e.key), what: `${c.name} caps on ${spec.path}`, client: c.id, path: spec.path, text, edit };
  });
}
