// A failing fuzz run as a scenario file for `mdslock replay`: the seed, the topology, every
// step (deliveries by explicit link, requests with their ordered `locks`, an I7 failure's
// drain), and a final `expect` holding the state the violation left, printed as it is (the
// locks involved on every rank, the client caps of their inodes on each copy and as each
// client holds them). `mdslock replay` checks the invariants after every step, so the file
// fails on the same violation (or MDS abort) the fuzz found, exit 1.
import { STATE_REJOIN, rankStateName } from '../cluster/mdsmap.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCluster, type ObjectSpec } from '../cluster/topology.js';
import type { Cluster } from '../cluster/Cluster.js';
import { lockRefName } from '../request/LockOp.js';
import { printLock } from '../trace/printLock.js';
import { printInodeCaps } from '../trace/printCaps.js';
import { endpointName } from '../cluster/network.js';
import { ccap_string } from '../clients/capString.js';
import type { DrainStep } from '../invariants/index.js';
import { applyStep, stepText, type FuzzStep } from './steps.js';
import type { RunState } from './run.js';

/** What a counterexample file is written from: the cluster, the steps taken and the failure. */
export type FailedRun = Pick<RunState, 'topology' | 'seed' | 'steps' | 'failure'>;

const rank = (r: number) => `mds.${r}`;
const ranks = (rs: readonly number[]) => `[${rs.map(rank).join(', ')}]`;
const client = (id: number) => `client.${id}`;
const word = (caps: number) => JSON.stringify(ccap_string(caps));
const perClient = (m: Record<number, number>) => `{ ${Object.entries(m).map(([id, w]) => `${client(Number(id))}: ${word(w)}`).join(', ')} }`;
const link = (s: { from: number; to: number }) => `{ from: ${endpointName(s.from)}, to: ${endpointName(s.to)} }`;

function objectYaml(o: ObjectSpec): string[] {
  const head = o.kind === 'inode'
    ? [`  - inode: ${o.path}`, `    type: ${o.is_dir ? 'dir' : 'file'}`]
    : [`  - dentry: ${o.path}`];
  const out = [...head, `    auth: ${rank(o.auth)}`];
  if (o.replicas.length) out.push(`    replicas: ${ranks(o.replicas)}`);
  if (o.kind === 'inode') {
    if (o.delegation) out.push('    delegation: true');
    if (o.frag !== undefined) out.push(`    frag: ${rank(o.frag)}`);
    const locks = Object.entries(o.locks ?? {});
    if (locks.length) out.push(`    locks: { ${locks.map(([k, v]) => `${k}: ${v}`).join(', ')} }`);
    if (o.caps && Object.keys(o.caps).length) out.push(`    caps: ${perClient(o.caps)}`);
    if (o.wanted && Object.keys(o.wanted).length) out.push(`    wanted: ${perClient(o.wanted)}`);
    if (o.loner !== undefined) out.push(`    loner: ${client(o.loner)}`);
    const flushing = Object.entries(o.flushing ?? {});
    if (flushing.length) out.push(`    flushing: { ${flushing.map(([k, v]) => `${k}: ${ranks(v)}`).join(', ')} }`);
  } else {
    if (o.lock) out.push(`    lock: ${o.lock}`);
    if (o.leased?.length) out.push(`    leased: ${ranks(o.leased)}`);
    if (o.leases?.length) out.push(`    leases: [${o.leases.map(client).join(', ')}]`);
  }
  return out;
}

function stepYaml(s: FuzzStep | DrainStep): string[] {
  switch (s.kind) {
    case 'request': return [`  - request: ${s.reqid}`, `    on: ${rank(s.rank)}`, `    locks: [${s.locks.map((w) => `${w.mode} ${lockRefName(w.ref)}`).join(', ')}]`];
    case 'op': return [`  - op: ${s.reqid}`, `    on: ${rank(s.rank)}`, `    do: ${s.text}`];
    case 'finish': case 'early_reply': case 'kill': return [`  - ${s.kind}: ${s.reqid}`];
    case 'deliver': case 'hold': case 'release': case 'duplicate': return [`  - ${s.kind}: ${link(s)}`];
    case 'wrlock_force': return [`  - wrlock_force: { request: ${s.reqid}, lock: ${lockRefName(s.ref)} }`];
    case 'open': return [`  - open: { client: ${client(s.client)}, inode: ${s.path}, caps: ${word(s.wanted)} }`];
    case 'lease': return [`  - lease: { client: ${client(s.client)}, dentry: ${s.path} }`];
    case 'deliver_all': return ['  - deliver: all'];
    case 'update': return [`  - update: { request: ${s.reqid}, lock: ${lockRefName(s.ref)} }`];
    case 'lease_release': return [`  - lease_release: { on: ${rank(s.rank)}, dentry: ${s.path} }`];
    case 'nudge': return [`  - nudge: { on: ${rank(s.rank)}, lock: ${lockRefName(s.ref)} }`];
    case 'tick': case 'fail': return [`  - ${s.kind}: ${rank(s.rank)}`];
    case 'recover': return [s.to === STATE_REJOIN ? `  - recover: ${rank(s.rank)}` : `  - recover: { rank: ${rank(s.rank)}, to: ${rankStateName(s.to)} }`];
    case 'export': return [`  - export: { dir: ${s.dir}, to: ${rank(s.to)} }`];
    case 'sabotage': return [`  # ${stepText(s)} (done by the test; not a scenario step, so a replay differs from here on)`];
  }
}

/** The state after all steps (replayed), or null if a step aborts on the way. */
function finalState(s: FailedRun, steps: readonly (FuzzStep | DrainStep)[]): Cluster | null {
  const c = createCluster({ ...s.topology, seed: s.seed });
  c.traced = false;
  try {
    for (const st of steps) applyStep(c, st);
  } catch {
    return null;
  }
  return c;
}

function expectYaml(s: FailedRun, c: Cluster): string[] {
  const out = ['  - expect:', `      in_flight: ${c.net.inFlight()}`];
  const names = [...new Set((s.failure?.locks ?? []).map(lockRefName))];
  // the inodes of the locks involved, when some client has a cap or wants caps on them
  const inodePaths = [...new Set((s.failure?.locks ?? []).map((l) => l.path))]
    .filter((p) => c.ranks.some((r) => Object.keys(r.inodes[p]?.caps ?? {}).length > 0));
  for (const r of c.ranks) {
    const lines = names.flatMap((n) => {
      const ref = s.failure!.locks.find((l) => lockRefName(l) === n)!;
      const lock = r.lock(ref);
      return lock ? [`        ${n}: ${JSON.stringify(printLock(lock))}`] : [];
    });
    const caps = inodePaths.flatMap((p) => (Object.keys(r.inodes[p]?.caps ?? {}).length ? [`        caps ${p}: ${JSON.stringify(printInodeCaps(r.inodes[p]))}`] : []));
    if (lines.length + caps.length) out.push(`      ${rank(r.id)}:`, ...lines, ...caps);
  }
  for (const cl of Object.values(c.clients)) {
    const held = inodePaths.filter((p) => c.ranks[cl.session].inodes[p]).map((p) => `${p}: ${word(cl.held(p))}`);
    if (held.length) out.push(`      ${client(cl.id)}: { ${held.join(', ')} }`);
  }
  return out;
}

export interface ScenarioTextOptions {
  /** After the tool's name in the header comment: how to find the run again. */
  readonly note?: string;
  /** The tool that found it: `fuzz` or `check`. */
  readonly by?: string;
  /** More lines for the final expect (indented as its keys). */
  readonly expect?: readonly string[];
}

/** The scenario text of a failed run. */
export function scenarioText(s: FailedRun, o: ScenarioTextOptions = {}): string {
  const f = s.failure!;
  const by = o.by ?? 'fuzz';
  const steps: (FuzzStep | DrainStep)[] = [...s.steps, ...f.drain];
  const end = f.what === 'abort' ? null : finalState(s, steps);
  const comment = [`Counterexample found by mdslock ${by}${o.note ?? ''}: the MDS would abort, or an invariant fails.`,
    ...f.message.split('\n'), ...(f.drain.length ? ['The steps after the last command are the I7 drain (finish all, let held clients go, release leases, deliver all).'] : []),
    ...(end ? ['The final expect holds the state the violation left; the replay then fails on the violation.'] : [])];
  return [
    ...comment.map((l) => `# ${l}`),
    `name: "${by} counterexample: ${f.what === 'abort' ? 'MDS abort' : f.message.split('\n')[0].split(':')[0]}"`,
    `seed: ${s.seed}`,
    `ranks: ${s.topology.ranks}`,
    ...(s.topology.clients?.length ? [`clients: { ${s.topology.clients.map((x) => `${client(x.id)}: ${rank(x.session)}`).join(', ')} }`] : []),
    ...(s.topology.rules?.length ? [`rules: [${s.topology.rules.join(', ')}]`] : []),
    'objects:',
    ...s.topology.objects.flatMap(objectYaml),
    'steps:',
    ...steps.flatMap(stepYaml),
    ...(end ? [...expectYaml(s, end), ...(o.expect ?? []).map((l) => `      ${l}`)] : []),
  ].join('\n') + '\n';
}

/** Write the scenario into `dir` (created if needed); returns the file's path. */
export function writeScenario(s: FailedRun, dir: string, name: string, o: ScenarioTextOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, scenarioText(s, o));
  return file;
}
