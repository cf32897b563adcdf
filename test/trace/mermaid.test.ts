// replay --mermaid: a sequenceDiagram with a lane per rank and client, an arrow per message
// delivered, a note per Locker line, in the run's order; Mermaid's own characters escaped.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import { mdslock } from '../cli/inProcess.js';

describe('replay --mermaid', () => {
  it('draws W3: lanes, an arrow per delivery, a note per Locker line', async () => {
    const file = 'scenarios/walkthroughs/w3-filelock-sync-to-mix.yaml';
    const r = await mdslock(['replay', '--mermaid', file]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const s = loadScenario(file);
    const run = runScenario(s, { check: false });
    expect(lines[0]).toBe('sequenceDiagram');
    expect(lines.filter((l) => l.startsWith('  participant '))).toEqual([
      ...Array.from({ length: s.topology.ranks }, (_, k) => `  participant M${k} as mds.${k}`),
      ...(s.topology.clients ?? []).map((c) => `  participant C${c.id} as client.${c.id}`),
    ]);
    const arrows = lines.filter((l) => /^ {2}\w+->>\w+: /.test(l));
    expect(arrows).toHaveLength(run.events.filter((e) => e.kind === 'deliver').length);
    expect(lines.filter((l) => /^ {2}Note over M\d+: /.test(l) && !/: (request|peer|lease) /.test(l))).toHaveLength(run.events.filter((e) => e.kind === 'locker').length);
    expect(arrows.some((a) => /^ {2}M\d+->>M\d+: lock\(a=\w+ ifile \/\S+\)$/.test(a))).toBe(true);
    expect(lines.slice(1).join('\n').replace(/#\d+;/g, '')).not.toMatch(/[;#]/);
  }, 30_000);
});
