// juicefs-gateway explored: exact state counts, what the two levels guarantee (writers across
// gateways, crashes) and what they do not (lockers in one gateway, a reader's unlock, a stall),
// hand paths and config errors.
import { describe, expect, it } from 'vitest';
import { explore } from '../../../src/checker/explore.js';
import { DesignConfigError } from '../../../src/models/designs/design.js';
import { juicefsGateway } from '../../../src/models/designs/juicefs-gateway/index.js';
import { broken, enabled, run, view } from './drive.js';

const model = (config: unknown) => juicefsGateway.model(config);
const check = (config: unknown) => explore(model(config));
const W = (g: number, ...ops: string[]) => ({ gateway: g, ops });

describe('juicefs-gateway explored', () => {
  it('one writer: 5 states (idle, local taken with 1 and with 0 ticks left, holding, done)', () => {
    // no timeout: the flock would succeed, and upstream looks at the deadline only after a failed try
    const r = check({ clients: [W(1, 'write /a')] });
    expect([r.distinct, r.generated, r.depth, r.exhausted, r.violation]).toEqual([5, 6, 3, true, null]);
  });

  it('one writer per gateway: 24 states, exclusion holds, nothing stuck', () => {
    // each client is idle, flock pending with 1 or 0 ticks left, holding or done (its local lock
    // is its own: never contended); every pair of those 5 is reachable but both holding: 25 - 1
    for (const local of ['instance', 'process', 'object']) {
      const r = check({ local, clients: [W(1, 'write /a'), W(2, 'write /a')] });
      expect([r.distinct, r.generated, r.depth, r.exhausted, r.violation]).toEqual([24, 46, 6, true, null]);
    }
  });

  it('with crashes: 160 states, still clean (scenarios/models/juicefs-gateway/check-writers-with-crashes.yaml)', () => {
    const r = check({ crashes: true, clients: [W(1, 'write /a'), W(2, 'write /a')] });
    expect([r.distinct, r.generated, r.depth, r.exhausted, r.violation]).toEqual([160, 372, 11, true, null]);
    expect(r.coverage.get('expire')).toBeGreaterThan(0);
  });

  it('two objects, two gateways, one RWMutex per gateway: exhausted clean (78 states)', () => {
    const r = check({ local: 'process', clients: [W(1, 'write /a', 'read /b'), W(2, 'write /b', 'read /a')] });
    expect([r.distinct, r.exhausted, r.violation]).toEqual([78, true, null]);
  });

  it('upstream (a fresh RWMutex per call): two writers in one gateway both hold, in 4 actions', () => {
    const r = check({ clients: [W(1, 'write /a'), W(1, 'write /a')] });
    expect(r.violation?.property).toBe('mutual_exclusion');
    expect(r.violation?.path.length).toBe(5);
    // one RWMutex per gateway closes that hole
    expect(check({ local: 'process', clients: [W(1, 'write /a'), W(1, 'write /a')] }).violation).toBe(null);
  });

  it("a reader's unlock drops its gateway's shared flock field: mutual_exclusion in 7 actions, in every local scope", () => {
    for (const local of ['instance', 'process', 'object']) {
      const r = check({ local, clients: [W(1, 'read /a'), W(1, 'read /a'), W(2, 'write /a')] });
      expect(r.violation?.property).toBe('mutual_exclusion');
      expect(r.violation?.path.length).toBe(8);
    }
  });

  it('with a RWMutex per object, two writers of different objects in one gateway share one W field: the first unlock lets another gateway in', () => {
    const r = check({ local: 'object', clients: [W(1, 'write /a'), W(1, 'write /b'), W(2, 'read /a')] });
    expect(r.violation?.property).toBe('mutual_exclusion');
    expect(r.violation?.message).toBe('/a held by client.1 (w), client.3 (r)');
    expect(r.violation?.path.length).toBe(8);
  });

  it('a stalled gateway loses its flock when its session expires: mutual_exclusion', () => {
    const r = check({ local: 'process', stalls: true, clients: [W(1, 'write /a'), W(2, 'write /a')] });
    expect(r.violation?.property).toBe('mutual_exclusion');
    expect(r.violation?.path.length).toBe(8);
  });
});

describe('juicefs-gateway by hand', () => {
  it('a writer waits on the flock; its deadline runs out and the local lock is released', () => {
    const m = model({ local: 'process', clients: [W(1, 'write /a'), W(2, 'write /a')] });
    let s = run(m, ['client.1 lock /a write', 'client.1 flock /a write', 'client.2 lock /a write']);
    expect(enabled(m, s)).toEqual(['client.1 unlock /a', 'tick']);
    s = run(m, ['tick', 'client.2 timeout /a'], s);
    expect(view(m, s)['local gateway.2']).toBe('free');
    expect(view(m, s)['client.2']).toBe('done');
    expect(broken(m, s)).toEqual([]);
  });

  it('a writer in one gateway waits for the local lock a reader of the same gateway holds', () => {
    const m = model({ local: 'process', clients: [W(1, 'read /a'), W(1, 'write /b')] });
    let s = run(m, ['client.1 lock /a read', 'client.2 lock /b write']);
    expect(view(m, s)['client.2']).toBe('waiting local write /b (1 ticks left)');
    s = run(m, ['client.1 flock /a read', 'client.1 unlock /a', 'client.2 retry local /b', 'client.2 flock /b write'], s);
    expect(view(m, s)['flock']).toBe('gateway.1 W');
  });

  it('encode/decode round-trip', async () => {
    const { Encoder } = await import('../../../src/models/Model.js');
    const m = model({ crashes: true, clients: [W(1, 'write /a'), W(2, 'read /a')] });
    const s = run(m, ['client.1 lock /a write', 'client.1 flock /a write', 'gateway.1 crash']);
    const e = new Encoder().reset();
    m.encode(s, e, false);
    expect(m.decode(e.buf.slice(0, e.len))).toEqual(s);
  });
});

describe('juicefs-gateway config', () => {
  const bad = (config: unknown, path: (string | number)[]) => {
    expect(() => model(config)).toThrow(DesignConfigError);
    try { model(config); } catch (e) { expect((e as DesignConfigError).path).toEqual(path); }
  };
  it('rejects unknown keys, wrong types, out-of-range values, bad ops', () => {
    bad({ clients: [W(1, 'write /a')], nodes: 2 }, ['nodes']);
    bad({ clients: [W(3, 'write /a')] }, ['clients', 0, 'gateway']);
    bad({ clients: [W(1, 'write a')] }, ['clients', 0, 'ops', 0]);
    bad({ clients: [W(1, 'write /a')], local: 'global' }, ['local']);
    bad({ clients: [W(1, 'write /a')], crashes: 'yes' }, ['crashes']);
    bad({ clients: [] }, ['clients']);
  });
});
