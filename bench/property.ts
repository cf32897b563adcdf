// One property run as a property test does it: a small cluster, 50 seeded commands of the
// benchmark workload, and the invariant checkers of src/invariants/ after every command (not
// I6 caps: it holds trivially until clients are simulated, and its locker hook is in flux).
// The invariants are another engineer's work in progress; the bench counts what they report
// instead of failing on it, so a run's cost is measured whatever they find.
import { Workload, workloadCluster } from './workload.js';
import { checkExclusion } from '../src/invariants/exclusion.js';
import { checkCounters } from '../src/invariants/counters.js';
import { checkGather } from '../src/invariants/gather.js';
import { checkReplicas } from '../src/invariants/replicas.js';
import { checkScatterData } from '../src/invariants/scatterData.js';
import type { Cluster } from '../src/cluster/Cluster.js';

const CHECKS = [checkExclusion, checkCounters, checkGather, checkReplicas, checkScatterData];

export const PROPERTY_STEPS = 50;

/** Run one property run; returns the number of violations the checkers reported. */
export function propertyRun(seed: number, steps = PROPERTY_STEPS): number {
  const opts = { ranks: 3, inodes: 4, requests: steps, seed, window: 6 };
  const c: Cluster = workloadCluster(opts);
  const w = new Workload(c, opts);
  let violations = 0;
  for (let i = 0; i < steps && w.step() !== null; i++) {
    for (const check of CHECKS) violations += check(c).length;
  }
  return violations;
}
