// I8 scatter data: no scattered update is lost or counted twice. For every scatterlock, the
// auth's folded value, plus what every copy still has pending, plus what travels in MLock
// payloads, in journal commits not yet safe and in an export's fnodes, equals the updates made
// (cluster.scatter_updates). And no gather gets one dirfrag's stats from two ranks (an exporter
// and an importer both taking themselves for its auth).
import type { Cluster } from '../cluster/Cluster.js';
import type { ScatterLock } from '../locks/index.js';
import { lockRefName } from '../request/LockOp.js';
import { scatterCarried } from '../locker/scatterData.js';
import { authCopy, lockCopies, violation, type LockCopies, type Violation } from './violation.js';

export function checkScatterData(c: Cluster, all: LockCopies = lockCopies(c)): Violation[] {
  const inFlight = new Map<string, number>();
  for (const m of c.net.all()) {
    for (const carried of scatterCarried(m)) {
      const key = lockRefName(carried.ref);
      inFlight.set(key, (inFlight.get(key) ?? 0) + carried.amount);
    }
  }
  const out: Violation[] = [];
  for (const [name, { ref, copies }] of all) {
    const auth = authCopy(copies);
    if (!auth || auth.lock.lt.cls !== 'ScatterLock') continue;
    const pending = copies.reduce((s, x) => s + (x.lock as ScatterLock).scatter_pending, 0);
    const folded = (auth.lock as ScatterLock).scatter_value;
    const travelling = inFlight.get(name) ?? 0;
    const made = c.scatter_updates[name] ?? 0;
    const reports = (auth.lock as ScatterLock).frag_reports;
    if (reports.length > 1) {
      out.push(violation('I8', [ref], `${name}: one gather got the stats of ${ref.path}'s dirfrag from ${reports.map((r) => `mds.${r}`).join(' and ')} (Ceph's decode keeps the last: a migrating dirfrag counted twice or lost)`));
    }
    if (folded + pending + travelling !== made) {
      out.push(violation('I8', [ref], `${name}: folded ${folded} + pending ${pending} + in flight ${travelling} != ${made} updates made`));
    }
  }
  return out;
}
