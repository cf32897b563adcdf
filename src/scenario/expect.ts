// `expect:` steps: what the state must be after the previous step. Each key gives one or more
// checks: printed lock lines and client caps per rank, the caps and leases a client holds,
// request status, the count or exact list of messages in flight.
import { isSeq, type Node, type YAMLMap } from 'yaml';
import { parseRank } from '../cluster/names.js';
import { ccap_string } from '../clients/capString.js';
import { capsWord, checkSessionCopy, declaredClient, lockOnRank, objectName, rankName, replicaText, reqidName, type Model } from './names.js';
import type { Requests } from './steps.js';
import { allowedKeys } from './schema.js';
import type { NodeReader } from './yamlNodes.js';
import type { Check } from './types.js';

export function readExpect(r: NodeReader, node: Node | null, m: Model, requests: Requests): Check[] {
  const entries = r.entries(r.map(node, 'expect'));
  if (entries.length === 0) r.fail(node, 'expect checks nothing');
  const checks: Check[] = [];
  for (const e of entries) {
    const loc = r.loc(e.key);
    if (parseRank(e.keyText) !== undefined) {
      checks.push(...rankChecks(r, e.key, r.map(e.value, `expect ${e.keyText}`), m));
      continue;
    }
    if (e.keyText.startsWith('client.')) {
      checks.push(...clientChecks(r, e.key, r.map(e.value, `expect ${e.keyText}`), m));
      continue;
    }
    switch (e.keyText) {
      case 'granted': case 'waiting': {
        const status = e.keyText as 'granted' | 'waiting';
        const list = isSeq(e.value) ? r.seq(e.value, status) : [e.value];
        for (const n of list) {
          const reqid = reqidName(r, n, status);
          if (!requests.has(reqid)) r.fail(n, `unknown request ${reqid}: no earlier request step submits it`);
          checks.push({ kind: 'status', loc: r.loc(n), what: `request ${reqid}`, reqid, status });
        }
        break;
      }
      case 'in_flight': {
        const count = r.int(e.value, 'in_flight');
        if (count < 0) r.fail(e.value, 'in_flight cannot be negative');
        checks.push({ kind: 'in_flight', loc, what: 'messages in flight', count });
        break;
      }
      case 'messages': {
        const messages = r.seq(e.value, 'messages').map((n) => r.str(n, 'a message'));
        checks.push({ kind: 'messages', loc, what: 'messages in flight', messages });
        break;
      }
      default:
        r.fail(e.key, `unknown expect key '${e.keyText}' (expected mds.N, client.N, ${allowedKeys('expectation').join(', ')})`);
    }
  }
  return checks;
}

/** `mds.1: { iauth /f: "(iauth sync r=1)", caps /f: "caps={4102=pAs/-@1}" }` */
function rankChecks(r: NodeReader, key: Node, map: YAMLMap, m: Model): Check[] {
  const rank = rankName(r, key, m.ranks, 'expect rank');
  return r.entries(map).map((l): Check => {
    if (l.keyText.startsWith('caps ')) {
      const spec = objectName(r, l.key, m, 'inode', 'expect caps', l.keyText.slice('caps '.length));
      if (!m.cluster.ranks[rank].inodes[spec.path]) r.fail(l.key, `mds.${rank} holds no copy of ${spec.path} (auth mds.${spec.auth}, replicas ${replicaText(spec)})`);
      const text = r.str(l.value, `expected caps of ${spec.path}`);
      if (!text.startsWith('caps={')) r.fail(l.value, `expected caps of ${spec.path} must look like caps={<client>=<pending>/<wanted>@<seq>,...}, not '${text}'`);
      return { kind: 'caps', loc: r.loc(l.key), what: `mds.${rank} caps ${spec.path}`, rank, path: spec.path, text };
    }
    const lock = lockOnRank(r, l.key, m, rank, 'expect');
    const text = r.str(l.value, `expected print of ${lock.name}`);
    if (!text.startsWith(`(${lock.lt.name} `) || !text.endsWith(')')) r.fail(l.value, `expected print of ${lock.name} must look like (${lock.lt.name} <state> ...), not '${text}'`);
    return { kind: 'lock', loc: r.loc(l.key), what: `mds.${rank} ${lock.name}`, rank, lock: lock.ref, text };
  });
}

/** `client.4101: { /f: pAsLsXsFscr, leases: [/d/x] }` */
function clientChecks(r: NodeReader, key: Node, map: YAMLMap, m: Model): Check[] {
  const c = declaredClient(r, key, m.clients, 'expect client');
  return r.entries(map).map((e): Check => {
    if (e.keyText === 'leases') {
      const leases: string[] = [];
      for (const n of r.seq(e.value, 'leases')) {
        const spec = objectName(r, n, m, 'dentry', 'lease');
        if (leases.includes(spec.path)) r.fail(n, `${spec.path} is listed twice in leases`);
        leases.push(spec.path);
      }
      return { kind: 'client_leases', loc: r.loc(e.key), what: `${c.name} leases`, client: c.id, leases };
    }
    const spec = objectName(r, e.key, m, 'inode', `expect ${c.name}`);
    checkSessionCopy(r, e.key, c, spec);
    const text = ccap_string(capsWord(r, e.value, `${c.name} on ${spec.path}`));
    return { kind: 'client_caps', loc: r.loc(e.key), what: `${c.name} caps on ${spec.path}`, client: c.id, path: spec.path, text };
  });
}
