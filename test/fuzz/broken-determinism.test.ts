// I9 catches a scheduler that does not follow the seed: this one picks links by a counter that
// survives from one replay to the next, so replaying the same commands delivers in another order.
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as scheduler from '../../src/cluster/scheduler.js';
import { fuzz } from '../../src/fuzz/property.js';

describe('a scheduler with state outside the cluster', () => {
  let calls = 0;
  const spy = vi.spyOn(scheduler, 'pickLink').mockImplementation((net) => {
    const links = net.deliverable();
    return links.length === 0 ? -1 : links[calls++ % links.length];
  });
  afterAll(() => spy.mockRestore());

  it('is caught by I9', () => {
    const r = fuzz({ runs: 100, seed: 5, steps: 30, determinism: true });
    expect(r.failed).not.toBeNull();
    expect(r.failed!.failure!.what).toBe('I9');
  });
});
