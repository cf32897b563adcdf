// A design's counterexample (from check or fuzz) as a design file: the check file's config, the
// trace as `do:` steps, and a final `expect:` of what the last action changed. It names no
// violation, so its replay fails on the property the search found broken, as the cluster's
// counterexample scenarios do; adding `- expect: { violation: P }` makes it a finding that passes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelAssertion } from '../Model.js';
import type { DesignFile } from './file.js';

export interface Found {
  readonly property: string;
  readonly message: string;
  /** The actions from the initial state, as describe() names them (a failing action last). */
  readonly trace: readonly string[];
}

export function writeDesignCounterexample(f: DesignFile, x: Found, dir: string, fileName: string, by: string): string {
  const m = f.model;
  let s = m.initStates()[0];
  let before = m.view(s), after = before;
  for (const text of x.trace) {
    const a = m.actions(s).find((y) => m.describe(s, y) === text);
    if (a === undefined) throw new Error(`counterexample: '${text}' is not enabled on its replay`);
    try { s = m.nextState(s, a); } catch (e) { if (e instanceof ModelAssertion) break; throw e; }
    before = after; after = m.view(s);
  }
  const changed = [...after].filter(([k, v]) => before.get(k) !== v);
  const lines = [
    `# ${by}: a trace to a state that breaks ${x.property}.`,
    ...x.message.split('\n').map((l) => `#   ${l}`),
    '# Its replay fails naming that property; add `- expect: { violation: ' + x.property + ' }` to keep it as a finding.',
    `name: ${JSON.stringify(`${f.name}: ${x.property}`)}`,
    `model: ${f.design.id}`,
    f.configYaml,
    'steps:',
    ...x.trace.map((t) => `  - do: ${JSON.stringify(t)}`),
    ...(changed.length ? [`  - expect: { ${changed.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')} }`] : []),
  ];
  mkdirSync(dir, { recursive: true });
  const path = join(dir, fileName);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}
