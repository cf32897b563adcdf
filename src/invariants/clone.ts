// A deep copy of a cluster that keeps every object's class, so a checker can run the
// simulator forward on the copy (I7 drains it) while the cluster under test stays untouched.
// Much cheaper than an immer draft for this one-off use; shared references stay shared, and
// frozen data (a lock type and its tables, a cluster's rule list) is not copied at all.
import type { Cluster } from '../cluster/Cluster.js';

function copy(v: unknown, seen: Map<object, unknown>): unknown {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return v;
  const done = seen.get(v);
  if (done !== undefined) return done;
  if (Array.isArray(v)) {
    const a: unknown[] = [];
    seen.set(v, a);
    for (const x of v) a.push(copy(x, seen));
    return a;
  }
  const o = Object.create(Object.getPrototypeOf(v)) as Record<string, unknown>;
  seen.set(v, o);
  for (const k of Object.keys(v)) o[k] = copy((v as Record<string, unknown>)[k], seen);
  return o;
}

export function cloneCluster(c: Cluster): Cluster {
  return copy(c, new Map()) as Cluster;
}
