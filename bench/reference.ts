// Reference points for the bare loop: the same table transitions through an xstate v5 actor
// (the machines src/inspect/xstate.ts derives from the tables), and one immer `produce` per
// step on a realistic cluster, as History does in replay mode.
import { createActor } from 'xstate';
import { sm_filelock, lockerEdges, LOCK_SYNC, LOCK_MIX } from '../statemachines/index.js';
import { xstateConfig, xstateMachine } from '../src/inspect/xstate.js';
import { History } from '../src/cluster/history.js';
import { nextRandom } from '../src/cluster/rng.js';
import { objectPath, workloadCluster } from './workload.js';

/** `events` transitions of an xstate actor over sm_filelock (the largest machine), seeded. */
export function xstateLoop(events: number, seed: number): number {
  const edges = lockerEdges(sm_filelock);
  const config = xstateConfig(sm_filelock, edges);
  // the events each state accepts, precomputed so the loop measures xstate, not our lookup
  const accepts = new Map(Object.entries(config.states).map(([k, v]) => [k, Object.keys(v.on)]));
  const machine = xstateMachine(sm_filelock, edges);
  let actor = createActor(machine).start();
  let rng = seed | 0;
  let moved = 0;
  for (let n = 0; n < events; n++) {
    const evs = accepts.get(actor.getSnapshot().value as string) ?? [];
    if (evs.length === 0) { actor.stop(); actor = createActor(machine).start(); continue; }
    const [r, next] = nextRandom(rng);
    rng = next;
    actor.send({ type: evs[Math.floor(r * evs.length)] });
    moved++;
  }
  actor.stop();
  return moved;
}

/** `steps` History steps on a 3-rank, `inodes`-inode cluster, each changing one lock state. */
export function immerLoop(steps: number, inodes: number, seed: number): number {
  const h = new History(workloadCluster({ ranks: 3, inodes, requests: 0, seed }));
  let rng = seed | 0;
  for (let n = 0; n < steps; n++) {
    const [r, next] = nextRandom(rng);
    rng = next;
    const i = Math.floor(r * inodes);
    h.step((d) => {
      const lock = d.ranks[i % 3].inodes[objectPath(i)].filelock;
      lock.state = lock.state === LOCK_SYNC ? LOCK_MIX : LOCK_SYNC;
      d.stats.lock_events++;
      return [];
    });
    if (h.snapshots.length > 64) h.snapshots.splice(0, 32); // keep memory bounded: old snapshots are not the cost
  }
  return steps;
}
