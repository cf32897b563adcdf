// The seeded scheduler: which deliverable link goes next. All nondeterminism of a run is
// this choice, drawn from the cluster's PRNG state, so one seed fixes the whole trace.
import type { Network } from './network.js';
import { nextRandom } from './rng.js';

export interface SchedulerState { rng: number }

/** Pick a deliverable link, or -1 when none. Advances the PRNG only when there is a choice. */
export function pickLink(net: Network, sched: SchedulerState): number {
  const links = net.deliverable();
  if (links.length === 0) return -1;
  if (links.length === 1) return links[0];
  const [r, next] = nextRandom(sched.rng);
  sched.rng = next;
  return links[Math.floor(r * links.length)];
}
