// The cluster's invariants. State invariants (I1, I3-I6, I8, I10) are checked on the state after a
// step; I2 while the step runs (checkGrants); I7 by draining a copy; I9 by replaying a run.
import type { Cluster } from '../cluster/Cluster.js';
import { checkExclusion } from './exclusion.js';
import { checkCounters } from './counters.js';
import { checkGather } from './gather.js';
import { checkReplicas } from './replicas.js';
import { checkCaps } from './caps.js';
import { checkScatterData } from './scatterData.js';
import { checkCapSemantics } from './capSemantics.js';
import { lockCopies, type Violation } from './violation.js';

export { checkGrants } from './permission.js';
export { checkQuiescence, drain, quietNow, type DrainStep, type DrainResult } from './quiescence.js';
export { INVARIANT_NAMES, violation, type InvariantId, type Violation } from './violation.js';

/** I1, I3, I4, I5, I6, I8, I10 on the current state (the walk over every lock copy made once). */
export function checkState(c: Cluster): Violation[] {
  const all = lockCopies(c);
  return [...checkExclusion(c, all), ...checkCounters(c, all), ...checkGather(c, all), ...checkReplicas(c, all), ...checkCaps(c), ...checkScatterData(c, all), ...checkCapSemantics(c)];
}
export { checkDeterminism } from './determinism.js';
