// minio-nslock: the check files' verdicts (sorted paths never deadlock; without the sort they
// do), and each property catches the state it is about when one is made by hand.
import { describe, expect, it } from 'vitest';
import { explore } from '../../../src/checker/explore.js';
import { loadDesignFile } from '../../../src/models/designs/file.js';
import { minioNslock } from '../../../src/models/designs/minioNslock.js';
import type { DesignModel } from '../../../src/models/designs/design.js';

type S = { clients: { pc: number; phase: number; at: number; failed: number }[]; locks: { w: number[]; r: number[]; ref: number }[] };
const model = (config: unknown) => minioNslock.model(config) as unknown as DesignModel<S, unknown>;
const broken = (m: DesignModel<S, unknown>, s: S) => m.properties.map((p) => [p.name, p.check(s)] as const).filter(([, x]) => x !== null).map(([n]) => n);

/** The state after the actions named, in order. */
function after(m: DesignModel<S, unknown>, ...texts: string[]): S {
  let s = m.initStates()[0];
  for (const t of texts) s = m.nextState(s, m.actions(s).find((a) => m.describe(s, a) === t)!);
  return s;
}

describe('minio-nslock', () => {
  it('with sorted paths and timeouts, every property holds in every state of check-two-paths.yaml', () => {
    const r = explore(loadDesignFile('scenarios/models/minio-nslock/check-two-paths.yaml').model);
    expect(r.violation).toBeNull();
    expect(r.exhausted).toBe(true);
    expect(r.distinct).toBe(215);
  });

  it('without the sort and the timeout, opposite orders deadlock in 4 actions', () => {
    const r = explore(loadDesignFile('scenarios/models/minio-nslock/check-unsorted.yaml').model);
    expect(r.violation?.property).toBe('stuck');
    expect(r.violation!.path.length - 1).toBe(4);
  });

  it('sorts the paths of a request as NewNSLock does, unless told not to', () => {
    const clients = [{ ops: ['write /b /a'] }];
    expect(model({ clients }).describe(model({ clients }).initStates()[0], model({ clients }).actions(model({ clients }).initStates()[0])[0])).toBe('client.1 lock /a /b write');
    const m = model({ clients, sort_paths: false });
    expect(m.describe(m.initStates()[0], m.actions(m.initStates()[0])[0])).toBe('client.1 lock /b /a write');
  });

  it('each property names the state it forbids', () => {
    const m = model({ clients: [{ ops: ['write /a /b'] }, { ops: ['read /a'] }] });
    const s = after(m, 'client.1 lock /a /b write', 'client.1 acquires /a write');
    expect(broken(m, s)).toEqual([]);
    expect(broken(m, { ...s, locks: s.locks.map((l, i) => (i === 0 ? { ...l, r: [1] } : l)) })).toContain('mutual_exclusion');
    expect(m.properties[0].check({ ...s, locks: s.locks.map((l, i) => (i === 0 ? { ...l, w: [0, 1] } : l)) })).toBe('/a: client.1 and client.2 write');
    expect(broken(m, { ...s, locks: s.locks.map((l, i) => (i === 1 ? { ...l, ref: -1 } : l)) })).toEqual(['no_leaked_entry']);
    expect(broken(m, { ...s, clients: s.clients.map((c, i) => (i === 0 ? { ...c, phase: 2 } : c)) })).toEqual(['all_or_nothing']);
  });

  it('a timed-out wait gives back the paths taken before it and drops the refcounts', () => {
    const m = model({ clients: [{ ops: ['write /b'] }, { ops: ['write /a /b'] }] });
    const s = after(m, 'client.1 lock /b write', 'client.1 acquires /b write', 'client.2 lock /a /b write', 'client.2 acquires /a write', 'client.2 times out on /b');
    expect(m.view(s).get('lock /a')).toBe('free');
    expect(m.view(s).get('entry /a')).toBe('none');
    expect(m.view(s).get('entry /b')).toBe('ref 1');
  });
});
