// Peak memory of the largest replay (10,000 inodes, 3 ranks), in a process of its own so the
// other benchmarks' garbage does not count. Prints one JSON line for run.ts.
import { Workload, workloadCluster, type WorkloadOptions } from './workload.js';

const inodes = Number(process.argv[2] ?? 10000);
const opts: WorkloadOptions = { ranks: 3, inodes, requests: 20000, seed: 1 };
const base = process.memoryUsage().rss;
const c = workloadCluster(opts);
const built = process.memoryUsage().rss;
new Workload(c, opts).run();
const after = process.memoryUsage().rss;
console.log(JSON.stringify({
  inodes, lock_events: c.stats.lock_events,
  rss_start_mb: base / 2 ** 20, rss_built_mb: built / 2 ** 20, rss_end_mb: after / 2 ** 20,
  max_rss_mb: process.resourceUsage().maxRSS / 1024, // maxRSS is in kilobytes
}));
