// The checker's benchmarks: the simplelock reference model at N = 3, L = 2 (2,989,441 states)
// against SPIN on the same .pml in the same run (when `spin` and `gcc` are installed), and the
// real Locker on the bench check file (scenarios/check/three-ranks-file-ops.yaml), part of it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimplelockModel } from '../src/models/simplelock.js';
import { explore } from '../src/checker/explore.js';
import { clusterModel } from '../src/checker/check.js';
import { loadScenario } from '../src/scenario/load.js';
import { Encoder } from '../src/models/Model.js';

export interface CheckBench { states: number; generated: number; ms: number; statesPerSec: number; bytesPerState: number }

export function simplelockBench(): CheckBench {
  explore(new SimplelockModel({ n: 2, l: 2 })); // warm-up
  const r = explore(new SimplelockModel({ n: 3, l: 2 }));
  return { states: r.distinct, generated: r.generated, ms: r.ms, statesPerSec: r.distinct / (r.ms / 1000), bytesPerState: r.bytesPerState };
}

/** SPIN on test/fixtures/simplelock.pml, N = 3, L = 2, as its header says (no partial order reduction); null without spin or gcc. */
export function spinBench(): { states: number; seconds: number; statesPerSec: number } | null {
  const dir = mkdtempSync(join(tmpdir(), 'mdslock-spin-'));
  try {
    copyFileSync(fileURLToPath(new URL('../test/fixtures/simplelock.pml', import.meta.url)), join(dir, 'simplelock.pml'));
    execFileSync('spin', ['-a', '-DN=3', '-DL=2', 'simplelock.pml'], { cwd: dir, stdio: 'ignore' });
    execFileSync('gcc', ['-O2', '-DSAFETY', '-DNOREDUCE', '-o', 'pan', 'pan.c'], { cwd: dir, stdio: 'ignore' });
  } catch {
    return null;
  }
  const out = execFileSync('./pan', ['-m2000000'], { cwd: dir, encoding: 'utf8' });
  const states = Number(/(\d+) states, stored/.exec(out)![1]);
  const seconds = Number(/elapsed time ([\d.e+-]+) seconds/.exec(out)![1]);
  return { states, seconds, statesPerSec: states / seconds };
}

export const CLUSTER_FILE = 'scenarios/check/three-ranks-file-ops.yaml';
export const CLUSTER_STATES = 20_000;

export function clusterBench(): CheckBench & { encodedBytes: number } {
  const m = clusterModel(loadScenario(fileURLToPath(new URL(`../${CLUSTER_FILE}`, import.meta.url)), 'check'));
  explore(m, { maxStates: 2000 }); // warm-up
  const r = explore(m, { maxStates: CLUSTER_STATES });
  const e = new Encoder();
  m.encode(m.initStates()[0], e);
  return { states: r.distinct, generated: r.generated, ms: r.ms, statesPerSec: r.distinct / (r.ms / 1000), bytesPerState: r.bytesPerState, encodedBytes: e.len };
}
