// `mdslock check <design file>`: every state of a design's model from the file's config (its
// steps, if any, are ignored), reported as the cluster's check is; a shortest counterexample is
// written as a design file and replayed (it fails naming the property).
import { basename } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { loadErrors } from '../scenario/types.js';
import { loadDesignFile, type DesignFile } from '../models/designs/file.js';
import { writeDesignCounterexample } from '../models/designs/write.js';
import { onlyProperties, propertyNames } from '../models/designs/only.js';
import { check, checkParallel, checkSimulate, type CheckOptions } from '../checker/check.js';
import { exitWith, outStyle, type Cli } from './context.js';
import { reportJson, reportText, type CheckCliOptions } from './check.js';
import { replay } from './replay.js';
import type { Command } from 'commander';

/** A design state in words: its view, `key: value` joined. */
export const viewText = (f: DesignFile) => (s: unknown): string => [...f.model.view(s)].map(([k, v]) => `${k}: ${v}`).join('; ');

/** The counterexample writer check and fuzz hand the checker, naming the file after the check file. */
export function designCounterexample(f: DesignFile, out: string, by: string, prefix: string): CheckOptions['counterexample'] {
  const base = basename(f.file).replace(/\.ya?ml$/, '').replace(/^check-/, '').replace(/[^A-Za-z0-9_.-]+/g, '-');
  return (x) => writeDesignCounterexample(f, x, out, `${prefix}-${base}-${x.property}.yaml`, by);
}

export async function checkDesign(file: string, o: CheckCliOptions, cli: Cli, cmd: Command, opts: CheckOptions, progress: { clear(): void }): Promise<void> {
  if (o.rules || o.faults || o.symmetry || o.bug) throw new InvalidArgumentError('--rules, --faults, --symmetry and --bug are for the cluster and simplelock, not a design file (its faults are in its config)');
  let f: DesignFile;
  try {
    f = loadDesignFile(file);
  } catch (e) {
    for (const err of loadErrors(e)) cli.err(`${err.line}\n`);
    exitWith(cli, 2);
    return;
  }
  const names = propertyNames(f.model);
  const unknown = (o.property ?? []).filter((p) => !names.includes(p));
  if (unknown.length) throw new InvalidArgumentError(`--property ${unknown.join(',')}: ${f.design.id} checks ${names.join(', ')}`);
  const model = o.property ? onlyProperties(f.model, o.property) : f.model;
  const walks = o.simulate === undefined ? null : { runs: o.simulate, depth: o.maxDepth ?? 100, seed: o.seed };
  const search = walks ? `${walks.runs} random walks of up to ${walks.depth} actions, seed ${walks.seed}` : o.dfs ? 'depth-first' : 'breadth-first';
  const copts: CheckOptions = { ...opts, counterexample: designCounterexample(f, o.out, `mdslock check ${file} (${walks ? 'a path a walk found' : 'a shortest trace'})`, 'check') };
  const show = viewText(f);
  const report = walks ? checkSimulate(model, { ...copts, ...walks }, show)
    : o.workers > 1 ? await checkParallel(model, { kind: 'design', file, ...(o.property ? { properties: o.property } : {}) }, o.workers, copts, show)
    : check(model, copts, show);
  progress.clear();
  if (o.json) {
    cli.out.write(JSON.stringify({ ...reportJson(report, file), simulation: walks, design: f.design.id }) + '\n');
  } else {
    cli.out.write(`mdslock check ${file} (design ${f.design.id}: ${f.model.name}; ${search}${o.workers > 1 ? `, ${o.workers} workers` : ''}${o.property ? `; only ${o.property.join(', ')}` : ''})\n`);
    for (const l of reportText(report, search, walks !== null)) cli.out.write(`${l}\n`);
    const cx = report.violation?.file;
    if (cx) {
      cli.out.write(`Counterexample written to ${cx}; its replay:\n  npx mdslock replay ${cx}\n\n`);
      await replay([cx], {}, { out: cli.out, err: cli.err, style: outStyle(cli, cmd) });
    }
  }
  exitWith(cli, report.violation ? 1 : 0);
}
