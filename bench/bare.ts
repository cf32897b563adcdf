// The bare table-driven limit: the same tables the simulator reads (statemachines/), driven by
// the tightest loop we can write: numeric states in a typed array, the row looked up as
// `sm.states[state]`, the Locker's edges precomputed per state, messages to replicas in a
// flat array queue. No objects, no requests, no waiters: what a step costs when it is only
// the table lookup and the state write. One event = one lock copy changing state, the unit
// the simulator counts as a lock event.
import { LOCK_SYNC, LOCK_TYPES, lockerEdges, type StateMachine } from '../statemachines/index.js';

const MACHINES = LOCK_TYPES.filter((lt) => lt.cls !== 'LocalLock').map((lt) => lt.sm); // local locks never change state

/** Per machine, per state: the states the auth may enter next (the row's `next`, or an edge). */
function authTargets(sm: StateMachine): number[][] {
  const out: number[][] = sm.states.map(() => []);
  for (const e of lockerEdges(sm)) if (e.side === 'auth' && !out[e.from].includes(e.to)) out[e.from].push(e.to);
  return out;
}

/** Run `events` events on `inodes` objects (every lockable type) replicated on all `ranks`. */
export function bareLoop(ranks: number, inodes: number, events: number, seed: number): number {
  const L = MACHINES.length;
  const sms = MACHINES;
  const targets = MACHINES.map(authTargets);
  const states = new Int32Array(inodes * L * ranks);
  for (let k = 0; k < inodes * L; k++) {
    const auth = Math.floor(k / L) % ranks;
    for (let r = 0; r < ranks; r++) states[k * ranks + r] = r === auth ? LOCK_SYNC : sms[k % L].states[LOCK_SYNC].replica_state;
  }
  const queue: number[] = [];
  let head = 0;
  let rng = seed | 0;
  let check = 0;
  let n = 0;
  while (n < events) {
    // mulberry32, inline
    rng = (rng + 0x6d2b79f5) | 0;
    let t = Math.imul(rng ^ (rng >>> 15), rng | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const x = (t ^ (t >>> 14)) >>> 0;
    if (head < queue.length && (x & 3) !== 0) {
      // deliver: a replica copy enters the state the auth told it
      const idx = queue[head++];
      const s = queue[head++];
      if (head === queue.length) { queue.length = 0; head = 0; }
      states[idx] = s;
      check += sms[Math.floor(idx / ranks) % L].states[s].can_rdlock;
      n++;
      continue;
    }
    const k = (x >>> 2) % (inodes * L);
    const sm = sms[k % L];
    const auth = Math.floor(k / L) % ranks;
    const idx = k * ranks + auth;
    const row = sm.states[states[idx]];
    let next = row.next;
    if (next === 0) {
      const ts = targets[k % L][states[idx]];
      if (ts.length === 0) continue;
      next = ts[(x >>> 12) % ts.length];
    }
    states[idx] = next;
    n++;
    const rs = sm.states[next].replica_state;
    if (rs !== 0) for (let r = 0; r < ranks; r++) if (r !== auth) queue.push(k * ranks + r, rs);
  }
  return check;
}
