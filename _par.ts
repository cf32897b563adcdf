import { exploreParallel } from './src/checker/parallel.js';
import { explore } from './src/checker/explore.js';
import { buildModel } from './src/checker/modelSource.js';
const srcs: any[] = [{ kind: 'simplelock', n: 3, l: 1, bug: false }, { kind: 'simplelock', n: 2, l: 1, bug: true }, { kind: 'cluster', file: 'scenarios/check/mkdir-races-stat.yaml' }, { kind: 'cluster', file: 'scenarios/check/remote-xlocks-deadlock-on-versionlock.yaml' }, { kind: 'cluster', file: 'scenarios/check/rename-across-ranks-races-stat.yaml' }];
const N = Number(process.argv[2] ?? 0);
if (N) srcs.splice(0, srcs.length, { kind: 'cluster', file: 'scenarios/check/three-ranks-file-ops.yaml' });
for (const src of srcs) {
  const o = N ? { maxStates: N } : {};
  const a = explore(buildModel(src), o);
  const b = await exploreParallel(buildModel(src), src, 2, o);
  const pick = (r: any) => JSON.stringify([r.distinct, r.generated, r.depth, r.exhausted, r.bound, r.violation && { ...r.violation }, [...r.coverage.entries()].sort()]);
  console.log(src.kind, pick(a) === pick(b) ? 'SAME' : `DIFF\n${pick(a)}\n${pick(b)}`, a.distinct, Math.round(a.ms), Math.round(b.ms), (a.ms / b.ms).toFixed(2));
}
