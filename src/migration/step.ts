// The step `export: { dir, to }`: the dirfrag's auth starts an export (Migrator::export_dir).
// Where Ceph's export_dir returns without exporting (a rank not active, the cluster degraded,
// the dirfrag already freezing or exporting), and where the importer would first have to
// discover the dir inode (mdslock does not discover for an export), the step is refused with
// the reason: a scenario that asks for an export means one to happen.
import type { Cluster } from '../cluster/Cluster.js';
import { get_state, is_degraded, rankStateName, STATE_ACTIVE } from '../cluster/mdsmap.js';
import { ImpossibleStep, runOn } from '../cluster/sim.js';
import type { TraceEvent } from '../locker/context.js';
import { export_dir } from './exporter.js';
import { migrating } from './state.js';

/** The root and the ranks' stray directories (`~mdsN/...`): CInode::is_system, never exported. */
const isSystem = (dir: string): boolean => dir === '/' || dir.startsWith('~');

export function exportStep(cluster: Cluster, dir: string, to: number): TraceEvent[] {
  const from = cluster.ranks.find((r) => r.dirfrags[dir]?.is_auth())?.id;
  if (from === undefined) throw new ImpossibleStep(`no rank is the auth of ${dir}'s dirfrag`);
  if (isSystem(dir)) throw new ImpossibleStep(`${dir} is a system directory, which Migrator::export_dir never exports`);
  if (to === from) throw new ImpossibleStep(`mds.${from} is the auth of ${dir}'s dirfrag already: an export to itself`);
  for (const r of [from, to]) {
    const s = get_state(cluster.mdsmap, r);
    if (s !== STATE_ACTIVE) throw new ImpossibleStep(`mds.${r} is ${rankStateName(s)}: Migrator::export_dir exports only between active ranks`);
  }
  if (is_degraded(cluster.mdsmap)) throw new ImpossibleStep('the cluster is degraded: Migrator::export_dir waits until no rank is recovering');
  const mds = cluster.ranks[from];
  if (mds.exports[dir] || mds.dirfrags[dir].freeze_tree) throw new ImpossibleStep(`${dir}'s dirfrag is being exported already`);
  if (!cluster.ranks[to].inodes[dir]) throw new ImpossibleStep(`mds.${to} holds no copy of ${dir}: mdslock does not discover the dir inode for an export (declare a replica there)`);
  return runOn(cluster, from, (ctx) => export_dir(ctx, dir, to));
}

/**
 * The exports the balancer may start now, as check and fuzz draw them: none while one is in
 * flight or a rank is down; else any directory's dirfrag but a system one's, from its auth to
 * another active rank holding the directory.
 */
export function exportsDrawable(c: Cluster): { dir: string; to: number }[] {
  if (migrating(c) || is_degraded(c.mdsmap)) return [];
  const out: { dir: string; to: number }[] = [];
  const active = (r: number) => c.mdsmap.state[r] === STATE_ACTIVE;
  for (const m of c.ranks) {
    if (!active(m.id)) continue;
    for (const d of Object.values(m.dirfrags)) {
      if (!d.is_auth() || isSystem(d.path)) continue;
      for (const t of c.ranks) if (t.id !== m.id && active(t.id) && t.inodes[d.path]) out.push({ dir: d.path, to: t.id });
    }
  }
  return out;
}
