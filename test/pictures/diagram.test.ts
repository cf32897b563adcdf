// mdslock diagram: every state and every Locker edge of a machine drawn, from the data alone;
// --show shades what a column lets in; the pictures in docs/diagrams/ are the ones it draws now.
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MACHINES, LOCK_TYPES, lockerEdges, stateName } from '../../statemachines/index.js';
import { machineDot, machineFor } from '../../src/pictures/diagram.js';
import { machineStates } from '../../src/inspect/parsePrint.js';
import { docDiagrams } from '../../src/cli/diagram.js';
import { mdslock } from '../cli/inProcess.js';

const cli = (...args: string[]) => mdslock(['diagram', ...args]);

describe('mdslock diagram', () => {
  it.each(Object.values(MACHINES).map((sm) => [sm.name, sm] as const))('%s: every state, and an arrow per edge and side', (_, sm) => {
    const dot = machineDot(sm);
    const lt = LOCK_TYPES.find((l) => l.sm === sm)!;
    const nodes = [...dot.matchAll(/^ {2}"([^"]+)" \[shape=(box|ellipse)/gm)].map((m) => [m[1], m[2]]);
    expect(nodes.map(([n]) => n).sort()).toEqual(machineStates(lt).map(stateName).sort());
    for (const [n, shape] of nodes) expect(shape, n).toBe(sm.states[machineStates(lt).find((s) => stateName(s) === n)!].next === 0 ? 'box' : 'ellipse');
    const pairs = new Set(lockerEdges(sm).map((e) => `${stateName(e.from)} ${stateName(e.to)} ${e.side}`));
    const arrows = [...dot.matchAll(/^ {2}"([^"]+)" -> "([^"]+)" \[label="([^"]*)"(.*)\];$/gm)].map((m) => `${m[1]} ${m[2]} ${m[4].includes('dashed') ? 'replica' : 'auth'}`);
    expect(arrows.sort()).toEqual([...pairs].sort());
  });

  it('labels an arrow with every function that takes it; --show shades where the column lets in', () => {
    const dot = machineDot(machineFor('ifile')!, 'can_wrlock');
    expect(dot).toContain('"sync" -> "sync->lock" [label="simple_lock"];');
    expect(dot).toContain('"sync" -> "sync->lock" [label="AC_LOCK" color="#1f5fbf" fontcolor="#1f5fbf" style=dashed];');
    const shaded = [...dot.matchAll(/^ {2}"([^"]+)" \[.*fillcolor/gm)].map((m) => m[1]).sort();
    const sm = machineFor('filelock')!;
    expect(shaded).toEqual(machineStates(LOCK_TYPES.find((l) => l.sm === sm)!).filter((s) => sm.states[s].can_wrlock !== 0).map(stateName).sort());
    expect(machineFor('sm_simplelock')).toBe(MACHINES.simplelock);
    expect(machineFor('nope')).toBeNull();
  });

  it('docs/diagrams/ holds the machines as drawn now (npm run diagrams redraws them)', async () => {
    for (const [file, svg] of await docDiagrams()) expect(readFileSync(file, 'utf8'), `${file} is stale: npm run diagrams`).toBe(svg);
  }, 60_000);

  it('writes SVG with -o; a name it does not know is one line, exit 2', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mdslock-diagram-')), 'ifile.svg');
    expect((await cli('ifile', '-o', out)).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^<\?xml[\s\S]*<svg [\s\S]*<title>sync&#45;&gt;lock<\/title>|^<\?xml[\s\S]*<svg /);
    const bad = await cli('nope');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^error: unknown machine or lock type 'nope' [^\n]*\n$/);
  }, 30_000);
});
