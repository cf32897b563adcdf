// Runs as JSON for tools (schema: docs/schemas/replay.schema.json). Everything is named as the
// trace prints it, never by internal numbers: ranks and clients `mds.0` / `client.4101`, lock
// types `iauth`, MLock actions `lockack`, peer ops `authpin`, cap ops `revoke`, caps in Ceph's
// cap words. Each event also carries its plain printed line (`text`). A run is written piece
// by piece (events as they come, the final state a rank at a time), so output size never
// bounds memory.
import { carriedLocks } from '../cluster/carried.js';
import type { Cluster } from '../cluster/Cluster.js';
import type { CInode } from '../cache/CInode.js';
import { ccap_string } from '../clients/capString.js';
import { endpointName } from '../cluster/network.js';
import { lockType, stateName } from '../../statemachines/index.js';
import {
  lockActionName, peerOpName, errnoName, capOpName, CEPH_MDS_LEASE_REVOKE, type Message,
} from '../messages/index.js';
import { fullPath } from '../server/parseOp.js';
import { printLock } from '../trace/printLock.js';
import { printInodeCaps } from '../trace/printCaps.js';
import { PLAIN } from '../trace/style.js';
import { INVARIANT_NAMES } from '../invariants/index.js';
import { whyJson } from '../inspect/why.js';
import { exitCode, printRunEvent, problems, VERDICTS } from './report.js';
import { fillText, type CheckResult } from './check.js';
import type { RunEvent, RunSummary, ViolationResult } from './run.js';
import { at, type Scenario } from './types.js';

const rank = (r: number) => `mds.${r}`;

export function messageJson(m: Message): Record<string, unknown> {
  const base = { from: endpointName(m.from), to: endpointName(m.to) };
  switch (m.kind) {
    case 'lock': return { kind: 'lock', ...base, action: lockActionName(m.action), lock: lockType(m.lockType).name, path: m.path };
    case 'peer': return {
      kind: 'peer', ...base, reqid: m.reqid, op: peerOpName(m.op),
      ...(m.lockType !== undefined ? { lock: lockType(m.lockType).name, path: m.path } : m.path !== undefined ? { path: m.path } : {}),
      ...(m.objects ? { objects: [...m.objects] } : {}),
      ...(m.srcdn !== undefined ? { srcdn: m.srcdn } : {}),
      ...(m.destdn !== undefined ? { destdn: m.destdn } : {}),
      ...(m.straydn ? { straydn: m.straydn } : {}),
      ...(m.witnesses ? { witnesses: m.witnesses.map(rank) } : {}),
      ...(m.journaled !== undefined ? { journaled: m.journaled } : {}),
      ...(m.inode_export ? { export: m.inode_export.key } : {}),
    };
    case 'journal': return { kind: 'journal', ...base, what: m.what, lock: lockType(m.lockType).name, path: m.path, mutation: m.mutid };
    case 'caps': return {
      kind: 'caps', ...base, op: capOpName(m.op),
      client: `client.${m.client}`, path: m.path, seq: m.seq, caps: ccap_string(m.caps), wanted: ccap_string(m.wanted),
    };
    case 'lease': return { kind: 'lease', ...base, action: m.action === CEPH_MDS_LEASE_REVOKE ? 'revoke' : 'release', client: `client.${m.client}`, path: m.path };
    case 'filecaps': return { kind: 'filecaps', ...base, path: m.path, wanted: ccap_string(m.wanted) };
    case 'client_request': return {
      kind: 'client_request', ...base, reqid: m.reqid, op: m.op.name, path: fullPath(m.op.path),
      ...(m.op.path2 ? { path2: fullPath(m.op.path2) } : {}), num_fwd: m.num_fwd,
    };
    case 'client_reply': return {
      kind: 'client_reply', ...base, reqid: m.reqid, safe: m.safe, result: errnoName(m.result),
      ...(m.caps ? { caps: { path: m.caps.path, caps: ccap_string(m.caps.caps) } } : {}),
    };
    case 'client_forward': return { kind: 'client_forward', ...base, reqid: m.reqid, dest: rank(m.dest), num_fwd: m.num_fwd };
    case 'dentry_link': return { kind: 'dentry_link', ...base, path: m.path, inode: m.inode, remote: m.remote };
    case 'dentry_unlink': return { kind: 'dentry_unlink', ...base, path: m.path, ...(m.straydn ? { straydn: m.straydn } : {}) };
    case 'event': return { kind: 'event', ...base, event: m.event, ...(m.phase ? { phase: m.phase } : {}), op: m.op, reqid: m.reqid };
    case 'rejoin': return {
      kind: 'rejoin', ...base, op: m.op,
      objects: m.objects.map((o) => ({ key: o.key, locks: Object.fromEntries(o.locks.map(([t, st]) => [lockType(t).name, stateName(st)])) })),
      ...(m.authpins?.length ? { authpins: m.authpins.map((p) => ({ request: p.reqid, object: p.key })) } : {}),
      ...(m.xlocks?.length ? { xlocks: m.xlocks.map((x) => ({ request: x.reqid, lock: lockType(x.lock.type).name, path: x.lock.path })) } : {}),
      ...(m.wrlocks?.length ? { wrlocks: m.wrlocks.map((x) => ({ request: x.reqid, lock: lockType(x.lock.type).name, path: x.lock.path })) } : {}),
    };
    case 'export': return {
      kind: 'export', ...base, op: m.op, dir: m.dir, ...(m.ok !== undefined ? { ok: m.ok } : {}), ...(m.phase ? { phase: m.phase } : {}),
      ...(m.bystanders ? { bystanders: m.bystanders.map(rank) } : {}), ...(m.objects ? { objects: m.objects.map((o) => o.key) } : {}),
      ...(m.last !== undefined ? { last: m.last } : {}),
    };
    case 'discover': case 'discover_reply': return {
      kind: m.kind, ...base, base: m.base, ...(m.name !== null ? { name: m.name } : {}), ino: m.ino,
      ...(m.kind === 'discover' ? { path_locked: m.path_locked } : { error_dn: m.error_dn }),
    };
  }
}

export function resultJson(r: CheckResult): Record<string, unknown> {
  return { at: at(r.loc), what: r.what, expected: r.expected, actual: r.actual, pass: r.pass };
}

function violationJson(v: ViolationResult): Record<string, unknown> {
  return { at: at(v.loc), invariant: v.invariant, name: INVARIANT_NAMES[v.invariant], message: v.message, locks: v.locks };
}

/** One event; `type` says which. */
export function eventJson(e: RunEvent): Record<string, unknown> {
  const text = printRunEvent(e, PLAIN);
  switch (e.kind) {
    case 'step': return { type: 'step', index: e.index, at: at(e.loc), text: e.text, ...(e.comment ? { comment: e.comment.split('\n').map((l) => l.trim()).join('\n') } : {}) };
    case 'check': return { type: 'check', ...resultJson(e.result) };
    case 'violation': return { type: 'violation', ...violationJson(e.violation), text };
    case 'waits': return { type: 'waits', step: e.index, ...whyJson(e.waits) };
    case 'state': return { type: 'state', step: e.index, mode: e.mode, locks: e.lines.map((l) => ({ rank: rank(l.rank), name: l.name, print: l.text })) };
    case 'locker': {
      const lt = e.lock.slice(1, e.lock.indexOf(' '));
      return { type: 'locker', rank: rank(e.rank), fn: e.fn, lock: lt, path: e.path, print: e.lock, ...(e.note ? { note: e.note } : {}), text };
    }
    case 'send': return { type: e.kind, message: messageJson(e.msg), text };
    case 'deliver': return { type: e.kind, message: messageJson(e.msg), ...(e.duplicate ? { duplicate: true } : {}), text };
    case 'request': return { type: 'request', rank: rank(e.rank), reqid: e.reqid, ...(e.peer ? { peer: true } : {}), what: e.what, ...(e.why ? { why: e.why } : {}), text };
    case 'lease': return { type: 'lease', rank: rank(e.rank), path: e.path, what: e.what, text };
    case 'mds': return { type: 'mds', rank: rank(e.rank), what: e.what, text };
  }
}

/** The end of a run: verdict, problems, every result and violation. */
export function endJson(run: RunSummary): Record<string, unknown> {
  const o = run.outcome;
  return {
    verdict: VERDICTS[exitCode(run)].toLowerCase(),
    problems: problems(run).map((p) => ({ kind: p.kind, at: at(p.at), text: p.text })),
    results: run.results.map((r) => ({ ...resultJson(r), ...(r.pass ? {} : { fill: fillText(r.fill) }) })),
    violations: run.violations.map(violationJson),
    accepted: run.accepted.map(violationJson),
    ...(o.kind === 'abort' || o.kind === 'livelock' ? { [o.kind]: { at: at(o.loc), message: o.message, expected: !!o.expected } } : {}),
    ...(o.kind === 'error' ? { error: o.error.line } : {}),
  };
}

/** `{ "iauth /f": "(iauth sync)", ... }` for one rank: objects in file order, locks in Ceph's member order. */
export function rankLocks(c: Cluster, r: number): Record<string, string> {
  const mds = c.ranks[r];
  const locks: Record<string, string> = {};
  for (const obj of mds.objects()) {
    for (const l of carriedLocks(obj)) locks[`${l.lt.name} ${obj.path}`] = printLock(l);
  }
  return locks;
}

/** `{ "/f": "caps={4101=pAs/-@1}" }`: the inode copies of a rank with client caps. */
export function rankCaps(c: Cluster, r: number): Record<string, string> {
  const caps: Record<string, string> = {};
  for (const inode of Object.values(c.ranks[r].inodes) as CInode[]) if (Object.keys(inode.caps).length > 0) caps[inode.path] = printInodeCaps(inode);
  return caps;
}

/** `{ "client.4101": { "caps": { "/f": "pAs" }, "leases": ["/d/x"] } }` */
export function clientStates(c: Cluster): Record<string, { caps: Record<string, string>; leases: string[] }> {
  const out: Record<string, { caps: Record<string, string>; leases: string[] }> = {};
  for (const cl of Object.values(c.clients)) {
    out[endpointName(-cl.id)] = { caps: Object.fromEntries(Object.keys(cl.caps).map((p) => [p, ccap_string(cl.held(p))])), leases: [...cl.leases] };
  }
  return out;
}

/** Where JSON text goes (a CLI sink). */
export interface JsonOut { write(s: string): void; flush(force?: boolean): Promise<void> }

/** The final state as the tail of a file's JSON object: `"locks": {...}, "caps": {...}, "clients": {...}`, a rank at a time. */
export async function writeFinalState(out: JsonOut, c: Cluster): Promise<void> {
  for (const [key, of] of [['locks', rankLocks], ['caps', rankCaps]] as const) {
    out.write(`,"${key}":{`);
    for (const r of c.ranks) {
      out.write(`${r.id ? ',' : ''}${JSON.stringify(rank(r.id))}:${JSON.stringify(of(c, r.id))}`);
      await out.flush();
    }
    out.write('}');
  }
  out.write(`,"clients":${JSON.stringify(clientStates(c))}`);
}

/** The final state as JSON lines: one per lock copy, per inode copy with caps, per client. */
export async function writeFinalLines(out: JsonOut, c: Cluster): Promise<void> {
  for (const r of c.ranks) {
    for (const [name, print] of Object.entries(rankLocks(c, r.id))) out.write(JSON.stringify({ type: 'lock', rank: rank(r.id), name, print }) + '\n');
    for (const [path, print] of Object.entries(rankCaps(c, r.id))) out.write(JSON.stringify({ type: 'caps', rank: rank(r.id), path, print }) + '\n');
    await out.flush();
  }
  for (const [client, held] of Object.entries(clientStates(c))) out.write(JSON.stringify({ type: 'client', client, ...held }) + '\n');
}

export const fileJson = (s: Scenario, seed: number, rules: readonly string[] = []) => ({ file: s.file, name: s.name, seed, ...(rules.length ? { rules } : {}) });
