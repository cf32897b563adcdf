// Scenario files: YAML in, a typed Scenario out, or one ScenarioError naming file:line:col.
// Keys are checked against schema.json; names (ranks, clients, locks, states) against the
// cluster the file describes; steps are read by steps.ts.
import { FAULTS, faultsUnsupported } from '../cluster/faults.js';
import { RULE_IDS, unknownRuleMessage, type RuleId } from '../rules/variants.js';
import { objectKey } from '../cache/MDSCacheObject.js';
import type { Node, YAMLMap } from 'yaml';
import { lockTypeByName, stateByName, stateName } from '../../statemachines/index.js';
import { CInode } from '../cache/CInode.js';
import { carriedLocks } from '../cluster/carried.js';
import { createCluster, type ObjectSpec, type Topology } from '../cluster/topology.js';
import { completeTree } from '../cluster/tree.js';
import { NodeReader, type Entry } from './yamlNodes.js';
import { capsWord, checkSessionCopy, clientName, declaredClient, rankName, type Model } from './names.js';
import { readSteps } from './steps.js';
import { quote as q } from '../trace/quote.js';
import { ScenarioError, ScenarioErrors, type Scenario, type Step } from './types.js';
import { readSource, readYaml } from './yamlCheck.js';

/** A scenario file, or with `kind: 'check'` a check file (its `workload` read as the steps). */
export function loadScenario(file: string, kind: 'scenario' | 'check' = 'scenario'): Scenario {
  return parseScenario(readSource(file), file, kind);
}

export function parseScenario(text: string, file: string, kind: 'scenario' | 'check' = 'scenario'): Scenario {
  const stepsKey = kind === 'check' ? 'workload' : 'steps';
  const { doc, r } = readYaml(text, file);
  const done = (): never => {
    throw new ScenarioErrors([...r.errors].sort((a, b) => a.loc.line - b.loc.line || a.loc.col - b.loc.col));
  };
  const top = r.attempt(() => {
    const m = r.map(r.resolve(doc.contents), `a ${kind} file`);
    const other = kind === 'scenario' ? m.get('workload', true) && !m.has('steps') : m.get('steps', true) && !m.has('workload');
    if (other) r.fail(m.items.find((i) => (i.key as { value?: unknown }).value === (kind === 'scenario' ? 'workload' : 'steps'))!.key as Node, kind === 'scenario' ? 'this is a check file (it has a workload, not steps): run `mdslock check` on it' : 'this is a scenario (it has steps, not a workload): run `mdslock replay` on it');
    return r.fields(m, kind === 'check' ? 'checkFile' : 'scenario', kind === 'check' ? 'the check file' : 'the scenario', true);
  }) ?? done();
  const val = (k: string): Node | null => top.get(k)?.value ?? null;

  const name = r.attempt(() => {
    const n = r.str(val('name'), 'name');
    if (n.trim() === '') r.fail(val('name'), 'name is empty');
    return n;
  });
  const seed = r.attempt(() => (top.has('seed') ? r.int(val('seed'), 'seed') : 1));
  const ranks = !top.has('ranks') ? undefined : r.attempt(() => {
    const n = r.int(val('ranks'), 'ranks');
    if (n < 1 || n > 16) r.fail(val('ranks'), `ranks must be 1..16, not ${n}`);
    return n;
  });
  // names of ranks, clients and objects are read against the rank count: without it, stop here
  if (ranks === undefined || !top.has('objects') || !top.has(stepsKey)) done();

  const clients: Record<string, number> = {};
  const sessions = new Map<number, string>();
  if (top.has('clients')) {
    for (const e of r.attempt(() => r.entries(r.map(val('clients'), 'clients'))) ?? []) {
      r.attempt(() => {
        const c = clientName(r, e.key, 'client');
        clients[c] = rankName(r, e.value, ranks!, `rank of ${e.keyText}`);
        sessions.set(Number(c.slice('client.'.length)), c);
      });
    }
  }

  const objects = new Map<string, ObjectSpec>();
  const broken = new Set<string>();
  const declaredAt = new Map<string, number>();
  const inos = new Map<number, string>();
  for (const node of r.attempt(() => r.seq(val('objects'), 'objects')) ?? []) {
    r.attempt(() => {
      const m = r.map(node, 'an object');
      const path = declaredPath(m);
      if (path !== null) broken.add(path); // until it reads cleanly: names of it are not errors of their own
      const spec = readObject(r, m, ranks!, clients);
      const key = objectKey(spec.kind, spec.path);
      const first = declaredAt.get(key);
      if (first !== undefined) r.fail(node, `${spec.kind} ${spec.path} is already declared at line ${first}`);
      if (spec.kind === 'inode' && spec.ino !== undefined) {
        const other = inos.get(spec.ino);
        if (other) r.fail(m.get('ino', true) as Node, `ino 0x${spec.ino.toString(16)} of ${spec.path} is already used by ${other}`);
        inos.set(spec.ino, spec.path);
      }
      objects.set(key, spec);
      broken.delete(spec.path);
      declaredAt.set(key, r.loc(node).line);
    });
  }

  // the root, missing ancestors and primary dentries the file leaves out can be named too
  for (const o of completeTree([...objects.values()], ranks!).slice(objects.size)) objects.set(objectKey(o.kind, o.path), o);
  const rules = top.has('rules') ? readWords(r, val('rules'), 'rules', RULE_IDS, unknownRuleMessage) as RuleId[] : [];
  const topology: Topology = {
    ranks: ranks!, seed: seed ?? 1, objects: [...objects.values()],
    clients: Object.entries(clients).map(([c, session]) => ({ id: Number(c.slice('client.'.length)), session })),
    ...(rules.length ? { rules: [...rules].sort() } : {}),
  };
  const model: Model = { ranks: ranks!, objects, clients, broken, cluster: createCluster(topology), dynamic: new Set(), exported: new Set() };
  const steps = readSteps(r, val(stepsKey), model, stepsKey);
  const interleave = kind === 'check' ? readInterleave(r, val('interleave'), steps) : undefined;
  const faults = kind === 'check' && top.has('faults') ? readWords(r, val('faults'), 'faults', FAULTS, (w) => `unknown fault ${q(w)} (expected ${FAULTS.join(', ')})`) : undefined;
  const noFault = faults ? faultsUnsupported(faults, opTexts(steps)) : null;
  if (noFault) r.attempt(() => r.fail(val('faults'), `faults: ${noFault}`));
  if (r.errors.length || name === undefined || seed === undefined) done();
  return { file, name: name!, seed: seed!, topology, clients, steps, ...(interleave ? { interleave } : {}), ...(faults ? { faults } : {}) };
}

const WORKLOAD_KINDS = ['request', 'op', 'open', 'lease'];

/** The ops a workload runs, as written (`rename /a/f /b/f`). */
export const opTexts = (steps: readonly Step[]): string[] => steps.flatMap((s) => (s.kind === 'op' ? [s.op.text] : []));
export const INTERLEAVE: readonly string[] = ['finish', 'early_reply', 'tick', 'nudge', 'update', 'wrlock_force'];

/** A list of words each from `allowed`, none twice. */
function readWords(r: NodeReader, node: Node | null, key: string, allowed: readonly string[], unknown: (w: string) => string): string[] {
  const out: string[] = [];
  for (const n of r.attempt(() => r.seq(node, key)) ?? []) {
    r.attempt(() => {
      const w = r.str(n, `a ${key} entry`);
      if (!allowed.includes(w)) r.fail(n, unknown(w));
      if (out.includes(w)) r.fail(n, `${q(w)} is listed twice`);
      out.push(w);
    });
  }
  return out;
}

/** A check file's `interleave` (default: finish), after checking its workload holds only what clients issue. */
function readInterleave(r: NodeReader, node: Node | null, steps: readonly Step[]): string[] {
  for (const s of steps) {
    if (!WORKLOAD_KINDS.includes(s.kind)) r.attempt(() => { throw new ScenarioError(s.loc, `a workload holds what clients issue (${WORKLOAD_KINDS.join(', ')}), not ${s.kind} steps: the check tries every delivery and interleaving itself`); });
  }
  if (node === null) return ['finish'];
  const out = readWords(r, node, 'interleave', INTERLEAVE, (w) => `unknown interleave ${q(w)} (expected ${INTERLEAVE.join(', ')})`);
  // a lock-list request ends only when finished: without finish, every end would be stuck
  if (steps.some((s) => s.kind === 'request') && !out.includes('finish')) {
    r.attempt(() => r.fail(node, 'the workload has lock-list requests, which end only by a finish: list finish in interleave'));
  }
  return out;
}

/** The path an object mapping declares, read leniently (to know which names its failure covers). */
function declaredPath(m: YAMLMap): string | null {
  const v = m.get('inode') ?? m.get('dentry');
  return typeof v === 'string' ? v : null;
}

/** A list of distinct ranks, none of them `exclude` (the object's auth). */
function readRanks(r: NodeReader, e: Entry | undefined, ranks: number, what: string, exclude = -1): number[] {
  const out: number[] = [];
  for (const n of e ? r.seq(e.value, what) : []) {
    const x = rankName(r, n, ranks, what);
    if (out.includes(x)) r.fail(n, `mds.${x} is listed twice in ${what}`);
    if (x === exclude) r.fail(n, `mds.${x} is the auth; it cannot also be one of the ${what}`);
    out.push(x);
  }
  return out;
}

function readPath(r: NodeReader, node: Node | null, what: string): string {
  const p = r.str(node, what);
  if (!/^\/([^/\s]+(\/[^/\s]+)*)?$/.test(p)) r.fail(node, `${what} ${q(p)} is not an absolute path (like /d/x, no trailing slash or spaces)`);
  return p;
}

function readObject(r: NodeReader, m: YAMLMap, ranks: number, clients: Record<string, number>): ObjectSpec {
  const isInode = m.has('inode');
  if (!isInode && !m.has('dentry')) r.fail(m, `an object needs 'inode: <path>' or 'dentry: <path>'`);
  const f = r.fields(m, isInode ? 'inode' : 'dentry', isInode ? 'an inode' : 'a dentry');
  const path = readPath(r, f.get(isInode ? 'inode' : 'dentry')!.value, isInode ? 'inode' : 'dentry');
  const auth = rankName(r, f.get('auth')!.value, ranks, 'auth');
  const replicas = readRanks(r, f.get('replicas'), ranks, 'replicas', auth);
  const holders = [auth, ...replicas];

  if (!isInode) {
    const leased = readRanks(r, f.get('leased'), ranks, 'leased');
    const notHolder = leased.findIndex((x) => !holders.includes(x));
    if (notHolder >= 0) r.fail(r.seq(f.get('leased')!.value, 'leased')[notHolder], `mds.${leased[notHolder]} holds no copy of ${path} to lease`);
    const lock = f.get('lock') && initialState(r, f.get('lock')!.value, 'dn');
    const spec: ObjectSpec = { kind: 'dentry', path, auth, replicas, ...(lock ? { lock } : {}), ...(leased.length ? { leased } : {}) };
    const leases: number[] = [];
    for (const n of f.has('leases') ? r.seq(f.get('leases')!.value, 'leases') : []) {
      const c = declaredClient(r, n, clients, 'lease holder');
      if (leases.includes(c.id)) r.fail(n, `${c.name} is listed twice in leases`);
      checkSessionCopy(r, n, c, spec);
      leases.push(c.id);
    }
    return leases.length ? { ...spec, leases } : spec;
  }

  const typeNode = f.get('type')!.value;
  const type = r.str(typeNode, 'type');
  if (type !== 'file' && type !== 'dir') r.fail(typeNode, `type must be file or dir, not ${q(type)}`);
  const is_dir = type === 'dir';
  const spec: ObjectSpec = { kind: 'inode', path, is_dir, auth, replicas };
  if (f.has('ino')) {
    spec.ino = r.int(f.get('ino')!.value, 'ino');
    if (spec.ino < 1) r.fail(f.get('ino')!.value, 'ino must be positive');
  }
  if (f.has('delegation')) {
    spec.delegation = r.bool(f.get('delegation')!.value, 'delegation');
    if (spec.delegation && !is_dir) r.fail(f.get('delegation')!.key, `delegation applies to directories only; ${path} is a file`);
  }
  if (f.has('frag')) {
    const n = f.get('frag')!.value;
    if (!is_dir) r.fail(f.get('frag')!.key, `frag applies to directories only; ${path} is a file`);
    spec.frag = rankName(r, n, ranks, 'frag');
    if (!holders.includes(spec.frag)) r.fail(n, `the dirfrag's auth mds.${spec.frag} must hold a copy of ${path} (auth mds.${auth}, replicas ${replicas.length ? replicas.map((x) => `mds.${x}`).join(', ') : 'none'})`);
  }
  if (f.has('locks')) {
    const probe = new CInode({ path, ino: 0, is_dir, authority: 0, rank: 0, replicas: [] });
    spec.locks = {};
    for (const e of r.entries(r.map(f.get('locks')!.value, 'locks'))) {
      const lt = lockTypeByName(e.keyText);
      if (!lt) r.fail(e.key, `unknown lock type ${q(e.keyText)}`);
      if (!carriedLocks(probe).some((l) => l.type === lt.type)) r.fail(e.key, `${type} ${path} carries no ${lt.name} lock`);
      spec.locks[lt.name] = initialState(r, e.value, lt.name);
    }
  }
  for (const key of ['caps', 'wanted'] as const) {
    if (!f.has(key)) continue;
    const words: Record<number, number> = {};
    for (const e of r.entries(r.map(f.get(key)!.value, key))) {
      const c = declaredClient(r, e.key, clients, key === 'caps' ? 'caps holder' : 'client wanting caps');
      checkSessionCopy(r, e.key, c, spec);
      words[c.id] = capsWord(r, e.value, e.keyText);
    }
    spec[key] = words;
  }
  if (f.has('loner')) spec.loner = declaredClient(r, f.get('loner')!.value, clients, 'loner').id;
  if (f.has('flushing')) {
    spec.flushing = {};
    for (const e of r.entries(r.map(f.get('flushing')!.value, 'flushing'))) {
      const lt = lockTypeByName(e.keyText);
      if (!lt || lt.cls !== 'ScatterLock') r.fail(e.key, `flushing names a scatterlock (ifile, inest, idft), not ${q(e.keyText)}`);
      if (spec.locks?.[lt.name] !== 'mix') r.fail(e.key, `a replica is left flushing in mix: give ${lt.name}: mix under locks`);
      const at = r.seq(e.value, `flushing ${lt.name}`).map((n) => {
        const rank = rankName(r, n, ranks, `flushing ${lt.name}`);
        if (!replicas.includes(rank)) r.fail(n, `mds.${rank} holds no replica of ${path} (only a replica waits for LOCK_AC_LOCKFLUSHED)`);
        return rank;
      });
      spec.flushing[lt.name] = at;
    }
  }
  return spec;
}

/** A state a lock may start in: stable, defined in its machine, and the lock not a local one. */
function initialState(r: NodeReader, node: Node | null, lockName: string): string {
  const lt = lockTypeByName(lockName)!;
  const name = r.str(node, `${lockName} state`);
  const s = stateByName(name);
  if (lt.cls === 'LocalLock') r.fail(node, `${lockName} is a local lock: it is always lock and takes no initial state`);
  if (s === undefined) r.fail(node, `unknown lock state ${q(name)}`);
  if (!lt.sm.defined.includes(s)) r.fail(node, `${lockName} (${lt.sm.name}) has no state ${name}; it has ${lt.sm.defined.filter((x) => lt.sm.states[x].next === 0).map(stateName).join(', ')}`);
  if (lt.sm.states[s].next !== 0) r.fail(node, `${lockName} state ${name} is unstable; start in a stable state (${lt.sm.defined.filter((x) => lt.sm.states[x].next === 0).map(stateName).join(', ')})`);
  return name;
}
