// rustfs-fastlock explored: exact state counts on small workloads, the properties that hold, the
// broken variants each caught by the property it breaks, the stalls check finds, and hand paths.
import { describe, expect, it } from 'vitest';
import { explore } from '../../../src/checker/explore.js';
import { Encoder } from '../../../src/models/Model.js';
import { DesignConfigError } from '../../../src/models/designs/design.js';
import { rustfsFastlock } from '../../../src/models/designs/rustfs-fastlock/index.js';
import { broken, enabled, run, view } from './drive.js';

const model = (config: unknown) => rustfsFastlock.model(config);
const check = (config: unknown) => explore(model(config));

describe('rustfs-fastlock explored', () => {
  it('one writer: 4 states (idle, holding, released with its entry, entry cleaned up)', () => {
    const r = check({ clients: [{ ops: ['write /a'] }] });
    expect([r.distinct, r.generated, r.depth, r.exhausted, r.violation]).toEqual([4, 4, 3, true, null]);
  });

  it('one reader on a key with no entry: the slow path creates it (no cleanup: 3 states)', () => {
    const r = check({ clients: [{ ops: ['read /a'] }], cleanup: false });
    // idle, holding, done (the entry stays)
    expect([r.distinct, r.exhausted]).toEqual([3, true]);
  });

  it('two writers on one key: 31 states, every property holds, nothing stuck', () => {
    // a client is I(dle), W1/W0 (backing off, ticks left), P1/P0 (parked), H(olding) or D(one):
    // both idle (no entry): 1; one holding, the other I, W1, W0, P1, P0 or D: 2 x 6 = 12;
    // one done, the other I, W1, W0 or D, the entry there or cleaned up: 2 x 3 x 2 + 2 = 14;
    // one done, the other parked (its count keeps the entry): 2 x 2 = 4. 1 + 12 + 14 + 4 = 31
    const r = check({ clients: [{ ops: ['write /a'] }, { ops: ['write /a'] }] });
    expect([r.distinct, r.generated, r.depth, r.exhausted, r.violation]).toEqual([31, 68, 5, true, null]);
  });

  it('crossing batches sorted by key: 63 states, exhausted clean; on one shard the manager order is the same', () => {
    const clients = [{ ops: ['batch write /a, write /b'] }, { ops: ['batch write /b, read /a'] }];
    for (const c of [{ batch_order: 'sorted' }, { shards: 1 }]) {
      const r = check({ ...c, clients, timeout_ticks: 1 });
      expect([r.distinct, r.generated, r.depth, r.exhausted, r.violation]).toEqual([63, 155, 8, true, null]);
    }
  });

  it('crossing batches over two shards, manager order: stuck in 6 actions (scenarios/models/rustfs-fastlock/check-crossing-batches.yaml)', () => {
    const r = check({ clients: [{ ops: ['batch write /a, write /b'] }, { ops: ['batch write /b, read /a'] }], timeout_ticks: 1 });
    expect(r.violation?.property).toBe('stuck');
    expect(r.violation?.message).toBe('only a timeout ends the wait of client.1 on /a, client.2 on /b');
    expect([r.violation?.path.length, r.distinct]).toEqual([7, 177]);
  });

  it('versioned keys are separate entries: two writers of /a and /a@v1 never wait', () => {
    const r = check({ clients: [{ ops: ['write /a'] }, { ops: ['write /a@v1'] }] });
    expect(r.exhausted).toBe(true);
    expect(r.coverage.get('park')).toBeUndefined();
  });

  it('the sort is what prevents the batch deadlock: unsorted, check finds it stuck', () => {
    const r = check({ batch_order: 'none', clients: [{ ops: ['batch write /a, write /b'] }, { ops: ['batch write /b, write /a'] }] });
    expect(r.violation?.property).toBe('stuck');
    expect(r.violation?.message).toBe('only a timeout ends the wait of client.1 on /b, client.2 on /a');
  });

  it('finds the parked-writers stall with three writers on one key', () => {
    const r = check({ clients: [{ ops: ['write /a'] }, { ops: ['write /a'] }, { ops: ['write /a'] }] });
    expect(r.violation?.property).toBe('stuck');
    expect(r.violation?.path.length).toBe(7); // the initial state + 6 actions: lock, lock, park, lock, park, unlock
  });

  it('finds a reader and a writer parked on a free key', () => {
    const r = check({ clients: [{ ops: ['read /a', 'write /a'] }, { ops: ['write /a', 'read /a'] }] });
    expect(r.violation?.property).toBe('stuck');
  });

  it('readers at the 8-bit limit: the 256th waits, field_bounds holds (24 states)', () => {
    const r = check({ readers_start: { '/a': 254 }, clients: [{ ops: ['read /a'] }, { ops: ['read /a'] }] });
    expect([r.distinct, r.exhausted, r.violation]).toEqual([24, true, null]);
  });

  it('without the guard the count wraps: field_bounds', () => {
    const r = check({ reader_guard: false, readers_start: { '/a': 254 }, clients: [{ ops: ['read /a'] }, { ops: ['read /a'] }] });
    expect(r.violation?.property).toBe('field_bounds');
  });

  it('a 16-bit reader field (seed 003 layout) wraps at 65,536 without the guard, holds with it', () => {
    const near = { reader_bits: 16, readers_start: { '/a': 65534 }, clients: [{ ops: ['read /a'] }, { ops: ['read /a'] }] };
    expect(check({ ...near, reader_guard: false }).violation?.property).toBe('field_bounds');
    expect(check(near).violation).toBe(null);
  });

  it('writers_waiting saturates at 65535: field_bounds', () => {
    const r = check({ writers_waiting_start: { '/a': 65535 }, clients: [{ ops: ['write /a'] }] });
    expect(r.violation?.property).toBe('field_bounds');
  });

  it('two readers sharing an owner leak a reader count: no_leaked_entry', () => {
    const r = check({ clients: [{ owner: 'node1', ops: ['read /a'] }, { owner: 'node1', ops: ['read /a'] }] });
    expect(r.violation?.property).toBe('no_leaked_entry');
    // with distinct owners the same workload is clean
    expect(check({ clients: [{ ops: ['read /a'] }, { ops: ['read /a'] }] }).violation).toBe(null);
  });

  it('all_or_nothing: false keeps part of a failed batch', () => {
    const r = check({ all_or_nothing: false, clients: [{ ops: ['write /b'] }, { ops: ['batch write /a, write /b'] }] });
    expect(r.violation?.property).toBe('all_or_nothing');
    expect(check({ clients: [{ ops: ['write /b'] }, { ops: ['batch write /a, write /b'] }] }).violation).toBe(null);
  });
});

describe('rustfs-fastlock by hand', () => {
  it('a writer on the fast path, a reader refused, the word as upstream packs it', () => {
    const m = model({ clients: [{ ops: ['write /a'] }, { ops: ['read /a'] }] });
    let s = run(m, ['client.1 lock /a write']);
    expect(view(m, s)['word /a']).toBe('w=1 r=0 rw=0 ww=0 (0x1)');
    s = run(m, ['client.2 lock /a read', 'client.2 park /a'], s);
    expect(view(m, s)['word /a']).toBe('w=1 r=0 rw=1 ww=0 (0x10001)');
    // a parked reader cannot retry while the writer holds: only unlock, tick
    expect(enabled(m, s)).toEqual(['client.1 unlock /a', 'tick']);
    s = run(m, ['client.1 unlock /a', 'client.2 retry /a'], s);
    expect(view(m, s)['lock /a']).toBe('r client.2');
    expect(broken(m, s)).toEqual([]);
  });

  it('encode/decode round-trip', () => {
    const m = model({ clients: [{ ops: ['write /a'] }, { ops: ['read /a'] }] });
    const s = run(m, ['client.1 lock /a write', 'client.2 lock /a read', 'client.2 park /a']);
    expect(m.decode(encodeOf(m, s))).toEqual(s);
  });
});

describe('rustfs-fastlock config', () => {
  const bad = (config: unknown, path: (string | number)[]) => {
    try { model(config); } catch (e) {
      expect(e).toBeInstanceOf(DesignConfigError);
      expect((e as DesignConfigError).path).toEqual(path);
      return;
    }
    throw new Error('no error');
  };
  it('rejects unknown keys, wrong types, out-of-range values, bad ops', () => {
    bad({ clients: [{ ops: ['write /a'] }], shardz: 4 }, ['shardz']);
    bad({ clients: [{ ops: ['write /a'] }], shards: 3 }, ['shards']);
    bad({ clients: [{ ops: ['write /a'] }], timeout_ticks: 'x' }, ['timeout_ticks']);
    bad({ clients: [{ ops: ['lock /a'] }] }, ['clients', 0, 'ops', 0]);
    bad({ clients: [{ ops: ['batch write /a, read /a'] }] }, ['clients', 0, 'ops', 0]);
    bad({ clients: [{ ops: ['write /a'] }], readers_start: { '/b': 1 } }, ['readers_start', '/b']);
    bad({ clients: [{ ops: ['write /a'] }], readers_start: { '/a': 256 } }, ['readers_start', '/a']);
    bad({}, ['clients']);
  });
});

function encodeOf<S>(m: { encode(s: S, e: Encoder, sym: boolean): void }, s: S): Uint8Array {
  const e = new Encoder().reset();
  m.encode(s, e, false);
  return e.buf.slice(0, e.len);
}
