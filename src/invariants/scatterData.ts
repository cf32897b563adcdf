// I8 scatter data: no scattered update is lost or counted twice. For every scatterlock, the
// auth's folded value, plus what every copy still has pending, plus what travels in MLock
// payloads and in journal commits not yet safe, equals the updates made (cluster.scatter_updates).
import type { Cluster } from '../cluster/Cluster.js';
import type { ScatterLock } from '../locks/index.js';
import { lockRefName } from '../request/LockOp.js';
import { scatterCarried } from '../locker/scatterData.js';
import { authCopy, lockCopies, violation, type LockCopies, type Violation } from './violation.js';

export function checkScatterData(c: Cluster, all: LockCopies = lockCopies(c)): Violation[] {
  const inFlight = new Map<string, number>();
  for (const m of c.net.all()) {
    const carried = scatterCarried(m);
    if (!carried) continue;
    const key = lockRefName(carried.ref);
    inFlight.set(key, (inFlight.get(key) ?? 0) + carried.amount);
  }
  const out: Violation[] = [];
  for (const [name, { ref, copies }] of all) {
    const auth = authCopy(copies);
    if (!auth || auth.lock.lt.cls !== 'ScatterLock') continue;
    const pending = copies.reduce((s, x) => s + (x.lock as ScatterLock).scatter_pending, 0);
    const folded = (auth.lock as ScatterLock).scatter_value;
    const travelling = inFlight.get(name) ?? 0;
    const made = c.scatter_updates[name] ?? 0;
    if (folded + pending + travelling !== made) {
      out.push(violation('I8', [ref], `${name}: folded ${folded} + pending ${pending} + in flight ${travelling} != ${made} updates made`));
    }
  }
  return out;
}
