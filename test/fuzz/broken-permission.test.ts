// I2 catches a broken permission rule: with SimpleLock.can_rdlock answering yes whatever the
// state, requests rdlock where the table forbids it (a replica in LOCK, a lock in transition).
import { afterAll, describe, expect, it, vi } from 'vitest';
import { SimpleLock } from '../../src/locks/index.js';
import { fuzz } from '../../src/fuzz/property.js';

describe('an rdlock allowed against the table', () => {
  const spy = vi.spyOn(SimpleLock.prototype, 'can_rdlock').mockReturnValue(true);
  afterAll(() => spy.mockRestore());

  it('is caught by I2', () => {
    const r = fuzz({ runs: 300, seed: 3, steps: 30 });
    expect(r.failed).not.toBeNull();
    expect(r.failed!.failure!.what).toBe('I2');
    expect(r.failed!.failure!.message).toMatch(/rdlock/);
  });
});
