// `mdslock fuzz <design file>`: seeded random walks through the design's model from the file's
// config (check's simulation), every property checked in every state met; the first violation
// is written as a design file (its replay fails naming the property). Exit 0 all hold, 1 a
// counterexample, 2 bad input.
import { InvalidArgumentError } from 'commander';
import { loadErrors } from '../scenario/types.js';
import { loadDesignFile, type DesignFile } from '../models/designs/file.js';
import { checkSimulate } from '../checker/check.js';
import { designCounterexample, viewText } from './checkDesign.js';
import { progressLine, type FuzzIO } from './progress.js';
import type { FuzzCliOptions } from './fuzz.js';

export function runDesignFuzz(file: string, o: FuzzCliOptions, io: FuzzIO): number {
  if (o.json || o.ranks || o.rules || o.faults || o.wrlockForce || o.mode !== 'ops') {
    throw new InvalidArgumentError('--json, --mode, --ranks, --rules, --faults and --wrlock-force are for the cluster; on a design file use `mdslock check FILE --simulate RUNS --json` for JSON');
  }
  let f: DesignFile;
  try {
    f = loadDesignFile(file);
  } catch (e) {
    for (const x of loadErrors(e)) io.err(x.line + '\n');
    return 2;
  }
  const progress = progressLine(io);
  const by = `mdslock fuzz ${file} --seed ${o.seed} (a path a random walk found, not a shortest one)`;
  const r = checkSimulate(f.model, {
    runs: o.runs, depth: o.steps, seed: o.seed, out: o.out, file, counterexample: designCounterexample(f, o.out, by, `fuzz-seed${o.seed}`),
    progress: (p) => progress.update(`fuzz: ${p.generated} actions, ${p.distinct} distinct states`),
  }, viewText(f));
  progress.clear();
  const x = r.result as typeof r.result & { runs: number };
  const secs = (x.ms / 1000).toFixed(1);
  if (!r.violation) {
    io.out(`fuzz: ${x.runs} walks of up to ${o.steps} actions through ${f.design.id} passed (seed ${o.seed}, ${secs} s, ${x.distinct} distinct states met)\n`);
    return 0;
  }
  const v = r.violation;
  io.out(`fuzz: walk ${x.runs + 1} broke ${v.property} after ${v.trace.length} action${v.trace.length === 1 ? '' : 's'}: ${v.message.split('\n')[0]}\n`);
  io.out(`fuzz: counterexample written to ${v.file}\n  npx mdslock replay ${v.file}\n`);
  return 1;
}
