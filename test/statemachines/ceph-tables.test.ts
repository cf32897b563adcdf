// Holds each machine against an independent transcription of Ceph's src/mds/locks.c
// (test/fixtures/ceph-locks-c.txt, written from Ceph's source without reading ours):
// a wrong cell in statemachines/ fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MACHINES, COLUMNS, STATE_CONSTANTS, ZERO_ROW, LOCK_MAX, GENERIC_CAPS, ANY, AUTH, XCL, REQ,
  type StateMachine,
} from '../../statemachines/index.js';

const PERMS: Record<string, number> = { '0': 0, ANY, AUTH, XCL, REQ };
const CAP_BITS = new Map(GENERIC_CAPS.map((c) => [c.name, c.bit]));
const caps = (s: string) => (s === '0' ? 0 : s.split('|').reduce((acc, n) => {
  const bit = CAP_BITS.get(n);
  if (bit === undefined) throw new Error(`unknown cap ${n}`);
  return acc | bit;
}, 0));
const state = (s: string) => {
  if (s === '0') return 0;
  const v = STATE_CONSTANTS.indexOf(`LOCK_${s}`);
  if (v < 0) throw new Error(`unknown state ${s}`);
  return v;
};

interface Transcribed { rows: Map<number, number[] | boolean[]>; order: number[]; fields?: string[] }
const transcribed = new Map<string, Transcribed>();
for (const line of readFileSync(new URL('../fixtures/ceph-locks-c.txt', import.meta.url), 'utf8').split('\n')) {
  const t = line.trim();
  if (t === '' || t.startsWith('#')) continue;
  const [machine, name, ...cells] = t.split(/\s+/);
  const m: Transcribed = transcribed.get(machine) ?? { rows: new Map(), order: [] };
  transcribed.set(machine, m);
  if (name === 'FIELDS') { m.fields = cells; continue; }
  expect(cells).toHaveLength(14);
  const s = state(name);
  m.order.push(s);
  m.rows.set(s, [state(cells[0]), cells[1] === 'true', state(cells[2]),
    ...cells.slice(3, 10).map((p) => PERMS[p]), ...cells.slice(10).map(caps)] as number[]);
}

describe.each(Object.entries(MACHINES))('%s matches Ceph locks.c', (key, sm: StateMachine) => {
  const ceph = transcribed.get(key)!;

  it('defines exactly the rows Ceph initialises, in Ceph order', () => {
    expect(sm.defined).toEqual(ceph.order);
  });

  it.each(ceph.order.map((s) => [STATE_CONSTANTS[s], s]))('row %s, every column', (_name, s) => {
    const ours = COLUMNS.map((c) => sm.states[s][c]);
    expect(ours).toEqual(ceph.rows.get(s));
  });

  it('reads every other state as the all-zero (stable) row', () => {
    for (let s = 0; s < LOCK_MAX; s++) {
      if (!ceph.rows.has(s)) expect(sm.states[s]).toBe(ZERO_ROW);
    }
    expect(ZERO_ROW.next).toBe(0);
  });

  it('has the machine fields of its sm_t', () => {
    const [ea, er, careful, remote] = ceph.fields!;
    expect([sm.allowed_ever_auth, sm.allowed_ever_replica, sm.careful, sm.can_remote_xlock])
      .toEqual([caps(ea), caps(er), caps(careful), remote === '1']);
  });
});

it('targets Ceph main: filelock excl->xsyn is a loner state (PR #54669)', () => {
  expect(MACHINES.filelock.states[state('EXCL_XSYN')].loner).toBe(true);
});
