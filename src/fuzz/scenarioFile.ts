// A failing fuzz run as a scenario file for `mdslock replay`: the seed, the topology, every
// step (deliveries by explicit link, requests with their ordered `locks`, an I7 failure's
// drain), and a final `expect` holding the state the violation left, printed as it is. So the
// file replays with exit 0 up to the violated state, or exit 1 where the MDS would abort.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCluster, type ObjectSpec } from '../cluster/topology.js';
import type { Cluster } from '../cluster/Cluster.js';
import { lockRefName } from '../request/LockOp.js';
import { printLock } from '../trace/printLock.js';
import type { DrainStep } from '../invariants/index.js';
import { applyStep, stepText, type FuzzStep } from './steps.js';
import type { RunState } from './run.js';

const rank = (r: number) => `mds.${r}`;
const ranks = (rs: readonly number[]) => `[${rs.map(rank).join(', ')}]`;

function objectYaml(o: ObjectSpec): string[] {
  const head = o.kind === 'inode'
    ? [`  - inode: ${o.path}`, `    type: ${o.is_dir ? 'dir' : 'file'}`]
    : [`  - dentry: ${o.path}`];
  const out = [...head, `    auth: ${rank(o.auth)}`];
  if (o.replicas.length) out.push(`    replicas: ${ranks(o.replicas)}`);
  if (o.kind === 'inode') {
    if (o.delegation) out.push('    delegation: true');
    const locks = Object.entries(o.locks ?? {});
    if (locks.length) out.push(`    locks: { ${locks.map(([k, v]) => `${k}: ${v}`).join(', ')} }`);
  } else {
    if (o.lock) out.push(`    lock: ${o.lock}`);
    if (o.leased?.length) out.push(`    leased: ${ranks(o.leased)}`);
  }
  return out;
}

function stepYaml(s: FuzzStep | DrainStep): string[] {
  switch (s.kind) {
    case 'request': return [`  - request: ${s.reqid}`, `    on: ${rank(s.rank)}`, `    locks: [${s.locks.map((w) => `${w.mode} ${lockRefName(w.ref)}`).join(', ')}]`];
    case 'finish': case 'early_reply': return [`  - ${s.kind}: ${s.reqid}`];
    case 'deliver': case 'hold': return [`  - ${s.kind}: { from: ${rank(s.from)}, to: ${rank(s.to)} }`];
    case 'deliver_all': return ['  - deliver: all'];
    case 'update': return [`  - update: { request: ${s.reqid}, lock: ${lockRefName(s.ref)} }`];
    case 'lease_release': return [`  - lease_release: { on: ${rank(s.rank)}, dentry: ${s.path} }`];
    case 'nudge': return [`  - nudge: { on: ${rank(s.rank)}, lock: ${lockRefName(s.ref)} }`];
    case 'tick': return [`  - tick: ${rank(s.rank)}`];
    case 'sabotage': return [`  # ${stepText(s)} (done by the test; not a scenario step, so a replay differs from here on)`];
  }
}

/** The state after all steps (replayed), or null if a step aborts on the way. */
function finalState(s: RunState, steps: readonly (FuzzStep | DrainStep)[]): Cluster | null {
  const c = createCluster({ ...s.topology, seed: s.seed });
  c.traced = false;
  try {
    for (const st of steps) applyStep(c, st);
  } catch {
    return null;
  }
  return c;
}

function expectYaml(s: RunState, c: Cluster): string[] {
  const out = ['  - expect:', `      in_flight: ${c.net.inFlight()}`];
  const names = [...new Set((s.failure?.locks ?? []).map(lockRefName))];
  for (const r of c.ranks) {
    const lines = names.flatMap((n) => {
      const ref = s.failure!.locks.find((l) => lockRefName(l) === n)!;
      const lock = r.lock(ref);
      return lock ? [`        ${n}: ${JSON.stringify(printLock(lock))}`] : [];
    });
    if (lines.length) out.push(`      ${rank(r.id)}:`, ...lines);
  }
  return out;
}

/** The scenario text of a failed run. */
export function scenarioText(s: RunState, note = ''): string {
  const f = s.failure!;
  const steps: (FuzzStep | DrainStep)[] = [...s.steps, ...f.drain];
  const end = f.what === 'abort' ? null : finalState(s, steps);
  const comment = [`Counterexample found by mdslock fuzz${note}: the MDS would abort, or an invariant fails.`,
    ...f.message.split('\n'), ...(f.drain.length ? ['The steps after the last command are the I7 drain (finish all, release leases, deliver all).'] : []),
    ...(end ? ['The final expect holds the state the violation left (so the replay passes up to it).'] : [])];
  return [
    ...comment.map((l) => `# ${l}`),
    `name: "fuzz counterexample: ${f.what === 'abort' ? 'MDS abort' : f.message.split('\n')[0].split(':')[0]}"`,
    `seed: ${s.seed}`,
    `ranks: ${s.topology.ranks}`,
    'objects:',
    ...s.topology.objects.flatMap(objectYaml),
    'steps:',
    ...steps.flatMap(stepYaml),
    ...(end ? expectYaml(s, end) : []),
  ].join('\n') + '\n';
}

/** Write the scenario into `dir` (created if needed); returns the file's path. */
export function writeScenario(s: RunState, dir: string, name: string, note = ''): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, scenarioText(s, note));
  return file;
}
