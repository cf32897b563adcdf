// `mdslock check <file>`: every interleaving of a check file's workload on the real Locker,
// reported as TLC reports a run (states generated, distinct states, depth, what was never
// exercised), with a shortest counterexample written as a scenario file and replayed.
// `mdslock check --model simplelock` explores the reference SPIN model instead. Exit 0 every
// property holds in every state reached, 1 a violation, 2 bad input.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { loadErrors } from '../scenario/types.js';
import { loadScenario } from '../scenario/load.js';
import { SimplelockModel } from '../models/simplelock.js';
import { check, checkParallel, checkSimulate, clusterModel, type CheckReport } from '../checker/check.js';
import type { ModelSource } from '../checker/modelSource.js';
import type { Model } from '../models/Model.js';
import { exitWith, outStyle, type Cli } from './context.js';
import { progressLine } from './progress.js';
import { int, rulesOption, wordsOption } from './options.js';
import type { RuleId } from '../rules/variants.js';
import { FAULTS, faultsUnsupported } from '../cluster/faults.js';
import { opTexts } from '../scenario/load.js';
import { replay } from './replay.js';
import { symmetryText } from '../models/clusterSymmetry.js';
import { isDesignFile } from '../models/designs/file.js';
import { checkDesign } from './checkDesign.js';

export interface CheckCliOptions {
  model: 'cluster' | 'simplelock';
  replicas: number;
  locks: number;
  bug?: boolean;
  maxStates?: number;
  maxDepth?: number;
  time?: number;
  dfs?: boolean;
  symmetry?: boolean;
  workers: number;
  queueMemory: number;
  simulate?: number;
  seed: number;
  out: string;
  json?: boolean;
  rules?: readonly RuleId[];
  faults?: readonly string[];
  property?: readonly string[];
}

const n = (x: number) => x.toLocaleString('en-US');
const model = (s: string): 'cluster' | 'simplelock' => {
  if (s !== 'cluster' && s !== 'simplelock') throw new InvalidArgumentError('--model is cluster (a check file) or simplelock (the reference SPIN model)');
  return s;
};

/** The report as JSON (docs/schemas/check.schema.json). */
export function reportJson(r: CheckReport, file: string | null): object {
  const x = r.result;
  return {
    file, model: r.model, states_generated: x.generated, distinct_states: x.distinct, depth: x.depth, exhausted: x.exhausted, bound: x.bound,
    seconds: x.ms / 1000, distinct_states_per_second: x.distinct / Math.max(x.ms / 1000, 1e-9), bytes_per_state: x.bytesPerState, queue_spilled_bytes: x.spilledBytes,
    collision_probability: x.collisionProbability, coverage: Object.fromEntries([...x.coverage.entries()].sort(([a], [b]) => (a < b ? -1 : 1))), never: r.never,
    functions: r.functions && { run: Object.fromEntries([...r.functions.run.entries()].sort(([a], [b]) => (a < b ? -1 : 1))), never: r.functions.never },
    violation: r.violation,
  };
}

/** Action kinds grouped by what they share: `deliver lock: lock 3, sync 5; finish 2`. */
function grouped(items: readonly (readonly [string, string])[]): string {
  const groups = new Map<string, string[]>();
  for (const [k, v] of items) {
    const m = /^(deliver (?:lock|peer_request|client_caps|journal)) (.+)$/.exec(k) ?? /^(deliver) (.+)$/.exec(k);
    const [g, rest] = m ? [m[1], m[2]] : ['', k];
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(`${rest}${v}`);
  }
  return [...groups.entries()].map(([g, list]) => (g ? `${g}: ${list.join(', ')}` : list.join(', '))).join('; ');
}

/** The report as text, in TLC's words where TLC has them. */
export function reportText(r: CheckReport, search: string, simulated = false): string[] {
  const x = r.result;
  const out: string[] = [];
  if (r.violation) {
    const v = r.violation;
    out.push(v.property === 'stuck' ? `Error: a stuck state: no action but a fault can change it, yet ${r.functions ? 'the cluster is not quiet' : 'work is left undone'}.`
      : v.property === 'abort' ? 'Error: an MDS would abort.'
      : `Error: ${/^I\d+$/.test(v.property) ? 'invariant' : 'property'} ${v.property} is violated.`);
    out.push(...v.message.split('\n').map((l) => `  ${l}`));
    out.push(`The behavior up to this point is (${simulated ? 'a path a walk found' : 'a shortest trace'}, ${v.trace.length} action${v.trace.length === 1 ? '' : 's'}):`);
    out.push('State 1: the initial state');
    v.trace.forEach((t, i) => out.push(`State ${i + 2}: ${t}`));
    out.push(`  ${v.state}`);
  } else if (simulated) {
    out.push(`Simulation completed${x.bound === 'time' ? ' (stopped by --time)' : ''}. No error has been found (a sample of the state space, not all of it).`);
  } else if (x.exhausted) {
    out.push('Model checking completed. No error has been found.');
  } else {
    out.push(`No error has been found, but the search stopped at its bound (${x.bound === 'max-states' ? '--max-states' : x.bound === 'max-depth' ? '--max-depth' : '--time'}): the state space was not exhausted.`);
  }
  out.push(`  Estimated probability of a fingerprint collision (TLC's optimistic n*(g-n)/2^64): ${x.collisionProbability.toExponential(1)}`);
  out.push(`${n(x.generated)} states generated, ${n(x.distinct)} distinct states found${x.exhausted ? ', 0 states left on queue' : ''}.`);
  out.push(simulated ? `The longest walk took ${x.depth} actions (${search}).` : `The depth of the ${x.exhausted ? 'complete state graph search' : 'search so far'} is ${x.depth} (${search}).`);
  const taken = [...x.coverage.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  out.push(`Actions taken: ${grouped(taken.map(([k, c]) => [k, ` ${n(c)}`])) || 'none'}.`);
  if (r.never.length) out.push(`Never taken: ${grouped(r.never.map((k) => [k, '']))}.`);
  if (r.functions) {
    const run = [...r.functions.run.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, c]) => `${k} ${n(c)}`);
    out.push(`Locker functions run: ${run.join(', ') || 'none'}.`);
    if (r.functions.never.length) out.push(`Never run (of those that move a lock along a table edge): ${r.functions.never.join(', ')}.`);
  }
  out.push(`Finished in ${(x.ms / 1000).toFixed(2)} s: ${n(Math.round(x.distinct / Math.max(x.ms / 1000, 1e-9)))} distinct states/s, ${x.bytesPerState.toFixed(1)} bytes per stored state${x.spilledBytes ? `; the queue spilled ${(x.spilledBytes / 2 ** 20).toFixed(0)} MB to disk` : ''}.`);
  return out;
}

export function checkCommand(cli: Cli): Command {
  return new Command('check')
    .description('explore every interleaving of a check file\'s workload on the real Locker, checking the invariants in every state and finding stuck states (exit 0 all hold, 1 a violation, 2 bad input)')
    .argument('[file]', 'a check file: a cluster as a scenario gives it, and a workload (docs/check.md); or a design file (model: minio-nslock, ...; docs/models.md)')
    .option('--model <m>', 'cluster (a check file) or simplelock (the reference SPIN model of the simplelock gather)', model, 'cluster')
    .option('--replicas <n>', 'simplelock: replicas (SPIN\'s N)', int('--replicas', 1, 7), 2)
    .option('--locks <l>', 'simplelock: independent locks (SPIN\'s L)', int('--locks', 1, 4), 1)
    .option('--bug', 'simplelock: the broken replica of SPIN\'s -DBUG (acks LOCK keeping its rdlocks)')
    .option('--max-states <n>', 'stop after this many distinct states', int('--max-states', 1, 2 ** 31 - 1))
    .option('--max-depth <d>', 'do not expand states deeper than this many actions', int('--max-depth', 0, 1_000_000))
    .option('--time <s>', 'stop after this many seconds', int('--time', 1, 1_000_000))
    .option('--dfs', 'depth-first (default breadth-first, which finds shortest counterexamples)')
    .option('--symmetry', 'count states equal up to interchangeable ranks or clients once: simplelock\'s replicas, or those of a check file whose renaming leaves its cluster and workload as they are')
    .option('--workers <k>', 'threads searching (breadth-first; the same result as one): worth it when states are costly, as the cluster\'s are', int('--workers', 1, 64), 1)
    .option('--simulate <runs>', 'random walks instead of every state (TLC\'s -simulate): this many, each up to --max-depth actions (default 100)', int('--simulate', 1, 100_000_000))
    .option('--seed <s>', 'the walks\' seed (--simulate)', int('--seed', -(2 ** 31), 2 ** 31 - 1), 1)
    .option('--queue-memory <mb>', 'MB of queued states kept in memory; past it the breadth-first queue spills to a temporary file', int('--queue-memory', 1, 1_000_000), 2048)
    .option('--rules <ids>', "historical rule variants, overriding the file's rules (comma-separated; `main` for none; mdslock rules lists them)", rulesOption)
    .option('--faults <list>', `faults the search may also take, overriding the file's faults: ${FAULTS.join(', ')} (comma-separated; \`none\` for none)`, (v: string) => (v === 'none' ? [] : wordsOption('fault', FAULTS)(v)))
    .option('--property <names>', 'a design file: check only these of its properties (comma-separated; `mdslock models` lists them)', (v: string) => v.split(',').map((x) => x.trim()).filter(Boolean))
    .option('--out <dir>', 'where a counterexample scenario is written', join(tmpdir(), 'mdslock-check'))
    .option('--json', 'one JSON object (schema: docs/schemas/check.schema.json)')
    .action(async (file: string | undefined, o: CheckCliOptions, cmd: Command) => {
      const design = file !== undefined && isDesignFile(file);
      if (o.property && !design) throw new InvalidArgumentError('--property is for a design file');
      if (o.model === 'cluster' && !file) throw new InvalidArgumentError('give a check file (or --model simplelock)');
      if (o.model === 'simplelock' && file) throw new InvalidArgumentError('--model simplelock takes no file');
      if (o.workers > 1 && o.dfs) throw new InvalidArgumentError('--workers searches breadth-first: not with --dfs');
      if (o.simulate !== undefined && (o.workers > 1 || o.dfs)) throw new InvalidArgumentError('--simulate walks at random: not with --dfs or --workers');
      let scenario;
      if (file && !design) {
        try {
          scenario = loadScenario(file, 'check');
        } catch (e) {
          for (const err of loadErrors(e)) cli.err(`${err.line}\n`);
          exitWith(cli, 2);
          return;
        }
      }
      const progress = progressLine({ err: cli.err, tty: cli.stderrTTY, now: Date.now });
      const opts = {
        maxStates: o.maxStates, maxDepth: o.maxDepth, timeMs: o.time === undefined ? undefined : o.time * 1000, dfs: o.dfs, symmetry: o.symmetry, out: o.out, file,
        queue: { memoryBytes: o.queueMemory * 2 ** 20 },
        progress: (p: { generated: number; distinct: number; depth: number; queued: number; ms: number }) => progress.update(
          `check: ${n(p.generated)} states generated, ${n(p.distinct)} distinct, ${n(p.queued)} on queue, depth ${p.depth}, ${n(Math.round(p.distinct / Math.max(p.ms / 1000, 1e-3)))} distinct/s`),
      };
      if (design) { await checkDesign(file!, o, cli, cmd, opts, progress); return; }
      if (o.model === 'simplelock' && (o.rules || o.faults)) throw new InvalidArgumentError('--rules and --faults apply to a check file\'s cluster, not to --model simplelock');
      const noFault = scenario && o.faults ? faultsUnsupported(o.faults, opTexts(scenario.steps)) : null;
      if (noFault) throw new InvalidArgumentError(`--faults ${noFault}`);
      const overrides = { ...(o.rules ? { rules: o.rules } : {}), ...(o.faults ? { faults: o.faults } : {}) };
      const source: ModelSource = file ? { kind: 'cluster', file, overrides } : { kind: 'simplelock', n: o.replicas, l: o.locks, bug: o.bug ?? false };
      const walks = o.simulate === undefined ? null : { runs: o.simulate, depth: o.maxDepth ?? 100, seed: o.seed };
      const run = <S, A>(m: Model<S, A>, show: (s: S) => string) => (walks ? Promise.resolve(checkSimulate(m, { ...opts, ...walks }, show))
        : o.workers > 1 ? checkParallel(m, source, o.workers, opts, show) : Promise.resolve(check(m, opts, show)));
      const cluster = scenario ? clusterModel(scenario, overrides) : null;
      const report = cluster
        ? await run(cluster, (s) => s.c.ranks.map((r) => `mds.${r.id}: ${Object.values(r.requests).map((q) => `${q.reqid} ${q.status}`).join(', ') || 'no request'}`).join('; '))
        : await (() => { const m = new SimplelockModel({ n: o.replicas, l: o.locks, bug: o.bug }); return run(m, (s) => m.show(s)); })();
      progress.clear();
      const rules = cluster?.topology.rules ?? [];
      const faults = cluster ? Object.entries(cluster.faults).filter(([, on]) => on).map(([k]) => k) : [];
      const group = cluster && o.symmetry ? cluster.symmetry() : null;
      const symmetry = group && (group.length > 1 ? `Symmetry: states equal up to ${symmetryText(group)} are counted once.` : 'Symmetry: no interchangeable ranks or clients in this file; every state is counted as it is.');
      const search = walks ? `${n(walks.runs)} random walks of up to ${walks.depth} actions, seed ${walks.seed}` : o.dfs ? 'depth-first' : 'breadth-first';
      if (o.json) {
        cli.out.write(JSON.stringify({ ...reportJson(report, file ?? null), simulation: walks, ...(cluster ? { rules, faults } : {}), ...(group ? { symmetry: group.length > 1 ? symmetryText(group) : null } : {}) }) + '\n');
      } else {
        cli.out.write(`mdslock check ${file ?? report.model} (${search}${o.symmetry ? ', symmetry' : ''}${o.workers > 1 ? `, ${o.workers} workers` : ''}${rules.length ? `; historical rules: ${rules.join(', ')}` : ''}${faults.length ? `; faults: ${faults.join(', ')}` : ''})\n`);
        if (symmetry) cli.out.write(`${symmetry}\n`);
        for (const l of reportText(report, search, walks !== null)) cli.out.write(`${l}\n`);
        const cx = report.violation?.file;
        if (cx) {
          cli.out.write(`Counterexample written to ${cx} (a sequence chart of it: ${report.violation!.html}); its replay:\n  npx mdslock replay ${cx}\n\n`);
          await replay([cx], {}, { out: cli.out, err: cli.err, style: outStyle(cli, cmd) });
        }
      }
      exitWith(cli, report.violation ? 1 : 0);
    });
}
