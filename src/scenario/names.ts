// The names a scenario uses, checked against the cluster being described: ranks `mds.N`,
// clients `client.N`, requests `client.N:TID`, locks `<type> <path>` and cap strings.
import type { Node } from 'yaml';
import { GENERIC_CAPS, LOCK_TYPES, gcapString, lockTypeByName, type LockType } from '../../statemachines/index.js';
import { parseRank, parseReqid } from '../cluster/names.js';
import { carriedLocks } from '../cluster/carried.js';
import { objectKey } from '../cache/MDSCacheObject.js';
import type { Cluster } from '../cluster/Cluster.js';
import type { ObjectSpec } from '../cluster/topology.js';
import type { LockRef } from '../request/LockOp.js';
import type { NodeReader } from './yamlNodes.js';

/** What names are checked against: the rank count, the declared objects, and a model cluster. */
export interface Model {
  readonly ranks: number;
  /** Declared objects by object key (`/d/x` the inode, `dentry /d/x` the dentry). */
  readonly objects: ReadonlyMap<string, ObjectSpec>;
  /** The cluster as created, before any step: which rank holds which copy, which locks exist. */
  readonly cluster: Cluster;
}

export function rankName(r: NodeReader, node: Node | null, ranks: number, what: string): number {
  const s = r.str(node, what);
  const n = parseRank(s);
  if (n === undefined) r.fail(node, `${what} '${s}' is not a rank (want mds.N)`);
  if (n >= ranks) r.fail(node, `${what} ${s} is out of range: the cluster has mds.0 .. mds.${ranks - 1}`);
  return n;
}

export function clientName(r: NodeReader, node: Node | null, what: string): string {
  const s = r.str(node, what);
  if (!/^client\.\d+$/.test(s)) r.fail(node, `${what} '${s}' is not a client (want client.N)`);
  return s;
}

export function declaredClient(r: NodeReader, node: Node | null, clients: Record<string, number>, what: string): string {
  const s = clientName(r, node, what);
  if (clients[s] === undefined) r.fail(node, `${what} ${s} is not declared under clients`);
  return s;
}

export function reqidName(r: NodeReader, node: Node | null, what: string): string {
  const s = r.str(node, what);
  if (!parseReqid(s)) r.fail(node, `bad request id '${s}' (want client.<id>:<tid>)`);
  return s;
}

/** Cap letters each field of the cap word takes (ccap_string): A, L and X are 2 bits wide. */
const CAP_FIELDS: Record<string, number> = { A: 3, L: 3, X: 3, F: 255 };

/** Ceph's ccap_string form (`pAsLsXsFscr`, or `-`): fields and letters in Ceph's order, each once. */
export function checkCaps(r: NodeReader, node: Node | null, what: string): string {
  const s = r.str(node, what);
  const fields = /^p?((?:[ALXF][a-z]+)*)$/.exec(s);
  const bits: Record<string, number> = {};
  for (const [, f, letters] of fields ? fields[1].matchAll(/([ALXF])([a-z]+)/g) : []) {
    bits[f] = GENERIC_CAPS.filter((c) => letters.includes(c.letter)).reduce((a, c) => a | c.bit, 0) & CAP_FIELDS[f];
  }
  // re-print the parsed caps as Ceph would: any stray, repeated or misordered letter shows up as a difference
  const printed = (s.startsWith('p') ? 'p' : '') + Object.keys(CAP_FIELDS).filter((f) => bits[f]).map((f) => f + gcapString(bits[f])).join('');
  if (s !== '-' && (!fields || printed !== s || printed === '')) {
    r.fail(node, `bad caps '${s}' for ${what} (want Ceph's form, e.g. pAsxLsXsFscrwbl: A, L, X take s and x; letters in that order)`);
  }
  return s;
}

export interface NamedLock {
  readonly ref: LockRef;
  readonly lt: LockType;
  readonly spec: ObjectSpec;
  readonly name: string;
}

/** `iauth /f` -> the lock, which must be of a known type on a declared object that carries it. */
export function lockName(r: NodeReader, node: Node | null, m: Model, what: string): NamedLock {
  const name = r.str(node, what);
  const sp = name.indexOf(' ');
  const [type, path] = sp < 0 ? [name, ''] : [name.slice(0, sp), name.slice(sp + 1)];
  const lt = lockTypeByName(type);
  if (!path) r.fail(node, `${what} '${name}' is not a lock name (want '<lock type> <path>', e.g. 'iauth /f')`);
  if (!lt) r.fail(node, `unknown lock type '${type}' (known: ${LOCK_TYPES.map((l) => l.name).join(', ')})`);
  const kind = lt.owner === 'CDentry' ? 'dentry' : 'inode';
  const spec = m.objects.get(objectKey(kind, path));
  if (!spec) {
    const other = m.objects.get(objectKey(kind === 'dentry' ? 'inode' : 'dentry', path));
    if (other) r.fail(node, `${describe(other)} ${path} carries no ${type} lock`);
    r.fail(node, `unknown object ${path} in ${what}`);
  }
  const obj = m.cluster.ranks[spec.auth].objectOf({ path, type: lt.type })!;
  if (!carriedLocks(obj).some((l) => l.type === lt.type)) r.fail(node, `${describe(spec)} ${path} carries no ${type} lock`);
  return { ref: { path, type: lt.type }, lt, spec, name };
}

/** A lock that must be present on `rank` (auth or replica copy of its object). */
export function lockOnRank(r: NodeReader, node: Node | null, m: Model, rank: number, what: string): NamedLock {
  const l = lockName(r, node, m, what);
  if (!m.cluster.ranks[rank].objectOf(l.ref)) r.fail(node, `mds.${rank} holds no copy of ${l.ref.path} (auth mds.${l.spec.auth}, replicas ${replicaText(l.spec)})`);
  return l;
}

const describe = (s: ObjectSpec) => (s.kind === 'inode' ? (s.is_dir ? 'directory' : 'file') : 'dentry');

export const replicaText = (s: ObjectSpec): string => s.replicas.length === 0 ? 'none' : s.replicas.map((x) => `mds.${x}`).join(', ');
