// `expect:` steps: what the state must be after the previous step. Each key gives one or more
// checks: printed lock lines per rank, request status, the count or exact list of messages
// in flight.
import { isSeq, type Node } from 'yaml';
import { parseRank } from '../cluster/names.js';
import { lockOnRank, rankName, reqidName, type Model } from './names.js';
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
      const rank = rankName(r, e.key, m.ranks, 'expect rank');
      for (const l of r.entries(r.map(e.value, `expect ${e.keyText}`))) {
        const lock = lockOnRank(r, l.key, m, rank, 'expect');
        const text = r.str(l.value, `expected print of ${lock.name}`);
        if (!text.startsWith(`(${lock.lt.name} `) || !text.endsWith(')')) r.fail(l.value, `expected print of ${lock.name} must look like (${lock.lt.name} <state> ...), not '${text}'`);
        checks.push({ kind: 'lock', loc: r.loc(l.key), what: `mds.${rank} ${lock.name}`, rank, lock: lock.ref, text });
      }
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
        r.fail(e.key, `unknown expect key '${e.keyText}' (expected mds.N, ${allowedKeys('expectation').join(', ')})`);
    }
  }
  return checks;
}
