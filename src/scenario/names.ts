// The names a scenario uses, checked against the cluster being described: ranks `mds.N`,
// clients `client.N`, link endpoints (either), requests `client.N:TID`, locks `<type> <path>`,
// objects by path and cap words.
import type { Node } from 'yaml';
import { LOCK_TYPES, lockTypeByName, type LockType } from '../../statemachines/index.js';
import { nameProblem, parseClient, parseRank, parseReqid } from '../cluster/names.js';
import { parseCaps } from '../clients/capString.js';
import { carriedLocks } from '../cluster/carried.js';
import { objectKey } from '../cache/MDSCacheObject.js';
import { isWithin } from '../cluster/tree.js';
import type { Cluster } from '../cluster/Cluster.js';
import type { ObjectSpec } from '../cluster/topology.js';
import type { LockRef } from '../request/LockOp.js';
import { Cascade, type NodeReader } from './yamlNodes.js';
import { quote as q } from '../trace/quote.js';

/** What names are checked against: the rank count, the declared objects, and a model cluster. */
export interface Model {
  readonly ranks: number;
  /** Declared objects by object key (`/d/x` the inode, `dentry /d/x` the dentry). */
  readonly objects: ReadonlyMap<string, ObjectSpec>;
  /** Declared clients (`client.4101`) and their session rank. */
  readonly clients: Readonly<Record<string, number>>;
  /** The cluster as created, before any step: which rank holds which copy, which locks exist. */
  readonly cluster: Cluster;
  /** Paths of objects whose declaration failed (already reported): naming them is no new error. */
  readonly broken: ReadonlySet<string>;
  /**
   * Paths earlier op steps may create or rename something to (and the stray directories'
   * `~mdsN/...`): names of them are taken as written and checked when the step runs.
   */
  readonly dynamic: Set<string>;
  /** Directories earlier export steps move: a rank may hold copies under them it did not at the start. */
  readonly exported: Set<string>;
}

/** Whether a rank's copy of `path` may come from an earlier export rather than the declarations. */
export const mayBeImported = (m: Model, path: string): boolean => [...m.exported].some((d) => isWithin(path, d));

/** Whether a path may be named though no object declares it (ops make it at run time). */
export const isDynamic = (m: Model, path: string): boolean => m.dynamic.has(path) || path.startsWith('~mds');

/** A stand-in for an object only ops make: no auth or replicas known before the run. */
const dynamicSpec = (kind: ObjectSpec['kind'], path: string): ObjectSpec =>
  kind === 'inode' ? { kind, path, is_dir: false, auth: -1, replicas: [] } : { kind, path, auth: -1, replicas: [] };

export function rankName(r: NodeReader, node: Node | null, ranks: number, what: string): number {
  const s = r.str(node, what);
  const n = parseRank(s);
  if (n === undefined) r.fail(node, `${what} ${q(s)} is not a rank (want mds.N${nameProblem(s) ? `: ${nameProblem(s)}` : ''})`);
  if (n >= ranks) r.fail(node, `${what} ${s} is out of range: the cluster has mds.0 .. mds.${ranks - 1}`);
  return n;
}

export function clientName(r: NodeReader, node: Node | null, what: string): string {
  const s = r.str(node, what);
  if (parseClient(s) === undefined) r.fail(node, `${what} ${q(s)} is not a client (want client.N${nameProblem(s) ? `: ${nameProblem(s)}` : ''})`);
  return s;
}

export interface DeclaredClient {
  readonly name: string;
  /** The client id; its network endpoint is -id. */
  readonly id: number;
  readonly session: number;
}

export function declaredClient(r: NodeReader, node: Node | null, clients: Readonly<Record<string, number>>, what: string, text?: string): DeclaredClient {
  const name = text ?? clientName(r, node, what);
  const session = clients[name];
  if (session === undefined) r.fail(node, `${what} ${name} is not declared under clients`);
  return { name, id: Number(name.slice('client.'.length)), session };
}

/** One end of a link: a rank (`mds.N` -> N) or a declared client (`client.N` -> -N). */
export function endpoint(r: NodeReader, node: Node | null, m: Model, what: string): number {
  const s = r.str(node, what);
  if (parseRank(s) !== undefined) return rankName(r, node, m.ranks, what);
  if (parseClient(s) === undefined) r.fail(node, `${what} ${q(s)} is neither a rank nor a client (want mds.N or client.N${nameProblem(s) ? `: ${nameProblem(s)}` : ''})`);
  return -declaredClient(r, node, m.clients, what).id;
}

/** The client's caps and leases come from its session rank's copy: that rank must hold one. */
export function checkSessionCopy(r: NodeReader, node: Node | null, c: DeclaredClient, spec: ObjectSpec): void {
  if (spec.auth >= 0 && spec.auth !== c.session && !spec.replicas.includes(c.session)) {
    r.fail(node, `${c.name}'s session rank mds.${c.session} holds no copy of ${spec.kind === 'dentry' ? 'dentry ' : ''}${spec.path} (auth mds.${spec.auth}, replicas ${replicaText(spec)})`);
  }
}

/** A declared object of the given kind, named by its path. */
export function objectName(r: NodeReader, node: Node | null, m: Model, kind: ObjectSpec['kind'], what: string, path = r.str(node, what)): ObjectSpec {
  const spec = m.objects.get(objectKey(kind, path));
  if (spec) return spec;
  const other = m.objects.get(objectKey(kind === 'dentry' ? 'inode' : 'dentry', path));
  if (other) r.fail(node, `${what}: ${path} is ${other.kind === 'dentry' ? 'a dentry' : 'an inode'}, not ${kind === 'dentry' ? 'a dentry' : 'an inode'}`);
  if (m.broken.has(path)) throw new Cascade(r.loc(node), `${path} did not read`);
  if (isDynamic(m, path)) return dynamicSpec(kind, path);
  r.fail(node, `unknown ${kind} ${q(path)}`);
}

export function reqidName(r: NodeReader, node: Node | null, what: string): string {
  const s = r.str(node, what);
  if (!parseReqid(s)) r.fail(node, `bad request id ${q(s)} (want client.<id>:<tid>${nameProblem(s) ? `: ${nameProblem(s)}` : ''})`);
  return s;
}

/** A cap word in Ceph's ccap_string form (`pAsLsXsFscr`, or `-`). */
export function capsWord(r: NodeReader, node: Node | null, what: string): number {
  const s = r.str(node, what);
  const caps = parseCaps(s);
  if (caps === undefined) r.fail(node, `bad caps ${q(s)} for ${what} (want Ceph's form, e.g. pAsxLsXsFscrwbl: A, L, X take s and x; letters in that order)`);
  return caps;
}

export interface NamedLock {
  readonly ref: LockRef;
  readonly lt: LockType;
  readonly spec: ObjectSpec;
  readonly name: string;
}

/** `iauth /f` -> the lock, which must be of a known type on a declared object that carries it. */
export function lockName(r: NodeReader, node: Node | null, m: Model, what: string, text?: string): NamedLock {
  const name = text ?? r.str(node, what);
  const sp = name.indexOf(' ');
  const [type, path] = sp < 0 ? [name, ''] : [name.slice(0, sp), name.slice(sp + 1)];
  const lt = lockTypeByName(type);
  if (!path) r.fail(node, `${what} ${q(name)} is not a lock name (want '<lock type> <path>', e.g. 'iauth /f')`);
  if (!lt) r.fail(node, `unknown lock type ${q(type)} (known: ${LOCK_TYPES.map((l) => l.name).join(', ')})`);
  const kind = lt.owner === 'CDentry' ? 'dentry' : 'inode';
  const spec = m.objects.get(objectKey(kind, path));
  if (!spec) {
    const other = m.objects.get(objectKey(kind === 'dentry' ? 'inode' : 'dentry', path));
    if (other) r.fail(node, `${describe(other)} ${path} carries no ${type} lock`);
    if (m.broken.has(path)) throw new Cascade(r.loc(node), `${path} did not read`);
    if (isDynamic(m, path)) return { ref: { path, type: lt.type }, lt, spec: dynamicSpec(kind, path), name };
    r.fail(node, `unknown object ${q(path)} in ${what}`);
  }
  const obj = m.cluster.ranks[spec.auth].objectOf({ path, type: lt.type })!;
  if (!carriedLocks(obj).some((l) => l.type === lt.type)) r.fail(node, `${describe(spec)} ${path} carries no ${type} lock`);
  return { ref: { path, type: lt.type }, lt, spec, name };
}

/** A lock that must be present on `rank` (auth or replica copy of its object). */
export function lockOnRank(r: NodeReader, node: Node | null, m: Model, rank: number, what: string, text?: string): NamedLock {
  const l = lockName(r, node, m, what, text);
  if (l.spec.auth >= 0 && !m.cluster.ranks[rank].objectOf(l.ref) && !mayBeImported(m, l.ref.path)) r.fail(node, `mds.${rank} holds no copy of ${l.ref.path} (auth mds.${l.spec.auth}, replicas ${replicaText(l.spec)})`);
  return l;
}

const describe = (s: ObjectSpec) => (s.kind === 'inode' ? (s.is_dir ? 'directory' : 'file') : 'dentry');

export const replicaText = (s: ObjectSpec): string => s.replicas.length === 0 ? 'none' : s.replicas.map((x) => `mds.${x}`).join(', ');
