// A skipped gather (I1 / I5): with SimpleLock.init_gather stubbed out, an auth never waits for
// its replicas' acks, so it finishes sync->lock while replicas still read in SYNC. The fuzz
// must catch it on I1 (xlocked while a replica holds an rdlock), I5 (replicas left behind)
// or as the abort of the unexpected LOCKACK (handle_simple_lock asserts it is gathered), in a
// step or in the I7 drain that delivers it.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { SimpleLock } from '../../src/locks/index.js';
import { fuzz } from '../../src/fuzz/property.js';

describe('a skipped gather', () => {
  const spy = vi.spyOn(SimpleLock.prototype, 'init_gather').mockImplementation(() => {});
  afterAll(() => spy.mockRestore());

  it('is caught', () => {
    const r = fuzz({ runs: 300, seed: 3, steps: 30 });
    expect(r.failed).not.toBeNull();
    const f = r.failed!.failure!;
    if (f.what === 'I7') expect(f.message).toMatch(/not in the gather set/);
    else expect(['I1', 'I5', 'abort']).toContain(f.what);
    expect(spy).toHaveBeenCalled();
  });
});
