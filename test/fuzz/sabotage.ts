// Commands that break the system on purpose, for the tests showing each invariant catches a
// broken rule. Each resolves only when it can do its damage, so shrinking keeps it.
import fc from 'fast-check';
import { FuzzCommand } from '../../src/fuzz/commands.js';
import { lockCopies } from '../../src/invariants/violation.js';
import { LOCK_AC_LOCKACK } from '../../src/messages/index.js';
import { LOCK_LOCK, LOCK_SYNC } from '../../statemachines/index.js';
import type { ScatterLock } from '../../src/locks/index.js';

/** A lossy network: the link carrying a LOCKACK goes dead (held for good), losing it. */
export const loseLockack = fc.constant(new FuzzCommand('lose_lockack', (s) => {
  const net = s.cluster.net;
  const l = net.queues.findIndex((q, i) => !net.held[i] && q[0]?.kind === 'lock' && q[0].action === LOCK_AC_LOCKACK);
  if (l < 0) return null;
  const [from, to] = net.ends(l);
  return { kind: 'hold', from, to };
}));

/** A lossy network after a failure: the link carrying a rejoin ack goes dead, so the rejoin never ends. */
export const loseRejoinAck = fc.constant(new FuzzCommand('lose_rejoin_ack', (s) => {
  const net = s.cluster.net;
  const l = net.queues.findIndex((q, i) => !net.held[i] && q[0]?.kind === 'rejoin' && q[0].op === 'ack');
  if (l < 0) return null;
  const [from, to] = net.ends(l);
  return { kind: 'hold', from, to };
}));

/** One lock copy with an rdlock nobody holds. */
export const corruptCounter = fc.constant(new FuzzCommand('corrupt_counter', (s) => {
  const first = [...lockCopies(s.cluster).values()][0]?.copies[0];
  return first ? { kind: 'sabotage', text: `num_rdlock++ on mds.${first.rank} ${first.lock.lt.name} ${first.lock.parent}`, apply: () => { first.lock.num_rdlock++; } } : null;
}));

/** A replica copy of a quiet SYNC lock forced into LOCK. */
export const wrongReplicaState = fc.constant(new FuzzCommand('wrong_replica_state', (s) => {
  if (s.cluster.net.inFlight() > 0) return null;
  const copy = [...lockCopies(s.cluster).values()].flatMap((e) => e.copies)
    .find((x) => !x.lock.auth && x.lock.lt.cls === 'SimpleLock' && x.lock.state === LOCK_SYNC);
  return copy ? { kind: 'sabotage', text: `mds.${copy.rank} ${copy.lock.lt.name} ${copy.lock.parent} set to lock`, apply: () => { copy.lock.state = LOCK_LOCK; } } : null;
}));

/** A copy's pending scattered updates vanish. */
export const dropScatterPending = fc.constant(new FuzzCommand('drop_scatter_pending', (s) => {
  const copy = [...lockCopies(s.cluster).values()].flatMap((e) => e.copies)
    .find((x) => x.lock.lt.cls === 'ScatterLock' && (x.lock as ScatterLock).scatter_pending > 0);
  return copy ? { kind: 'sabotage', text: `scatter_pending of mds.${copy.rank} ${copy.lock.lt.name} ${copy.lock.parent} dropped`, apply: () => { (copy.lock as ScatterLock).scatter_pending = 0; } } : null;
}));

/** A stable lock whose gather set names a rank that holds no replica. */
export const strayGather = fc.constant(new FuzzCommand('stray_gather', (s) => {
  const copy = [...lockCopies(s.cluster).values()].flatMap((e) => e.copies).find((x) => x.lock.auth && x.lock.is_stable());
  return copy ? { kind: 'sabotage', text: `mds.${copy.rank} ${copy.lock.lt.name} ${copy.lock.parent} gathers from mds.15`, apply: () => { copy.lock.gather_set |= 1 << 15; } } : null;
}));
