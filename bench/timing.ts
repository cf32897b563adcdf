// Plain timing for the benchmarks: warm up, then the median of five timed runs. A run
// reports how much work it did (events, steps, runs), so the rate is work per second.
import os from 'node:os';

/** Present when node runs with --expose-gc (npm run bench does). */
const gc = (globalThis as { gc?: () => void }).gc;

export interface Rate {
  /** Work units per second, median of the timed runs. */
  perSec: number;
  /** Work units of one run (the same every run: the workloads are seeded). */
  work: number;
  /** Median wall time of one run, ms. */
  ms: number;
}

/** `setup` (untimed) builds a fresh input for each run; `run` does the work and returns its amount. */
export function measure<T>(setup: () => T, run: (input: T) => number, opts: { warmup?: number; runs?: number } = {}): Rate {
  const { warmup = 1, runs = 5 } = opts;
  for (let i = 0; i < warmup; i++) run(setup());
  const times: number[] = [];
  let work = 0;
  for (let i = 0; i < runs; i++) {
    const input = setup();
    gc?.(); // the previous run's garbage is not this run's cost
    const t0 = performance.now();
    work = run(input);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)];
  return { perSec: (work / ms) * 1000, work, ms };
}

export function machine() {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    node: process.version,
  };
}
