// minio-dsync: the quorum and refresh arithmetic against drwmutex.go's numbers, and what check
// finds: no fault and refresh <= validity hold; a refresh interval longer than the validity, a
// locker restart or one cut link let two writers in.
import { describe, expect, it } from 'vitest';
import { explore } from '../../../src/checker/explore.js';
import { loadDesignFile } from '../../../src/models/designs/file.js';
import { minioDsync } from '../../../src/models/designs/minioDsync.js';
import { onlyProperties } from '../../../src/models/designs/only.js';
import { quorumOf, refreshVerdict } from '../../../src/models/designs/minioDsyncRules.js';

const twoWriters = (refresh: number, expiry: number, maxTicks: number) => minioDsync.model({ nodes: 3, refresh, expiry, max_ticks: maxTicks, clients: [{ ops: ['write /a'] }, { ops: ['write /a'] }] });

describe('minio-dsync', () => {
  it('quorum and tolerance as DRWMutex.lockBlocking computes them', () => {
    const q = (n: number, w: boolean) => { const x = quorumOf(n, w); return `${x.quorum}/${x.tolerance}`; };
    expect([1, 2, 3, 4, 5].map((n) => q(n, false))).toEqual(['1/0', '1/1', '2/1', '2/2', '3/2']);
    expect([1, 2, 3, 4, 5].map((n) => q(n, true))).toEqual(['1/0', '2/0', '2/1', '3/1', '3/2']);
  });

  it('a refresh is lost only when more than n - quorum lockers answer "not found"', () => {
    expect(refreshVerdict(1, 3, 2)).toBe('kept');
    expect(refreshVerdict(2, 3, 2)).toBe('lost');
    expect(refreshVerdict(0, 3, 2)).toBe('kept'); // three lockers unreachable: nothing counted
  });

  it('with no faults every property holds in every state of check-no-faults.yaml', () => {
    const r = explore(loadDesignFile('scenarios/models/minio-dsync/check-no-faults.yaml').model);
    expect(r.violation).toBeNull();
    expect(r.exhausted).toBe(true);
    expect(r.coverage.has('expire')).toBe(false); // every holder refreshed in time
  });

  it.each([[1, 1, true], [2, 1, false], [2, 2, true], [3, 2, false]] as const)('refresh %i, validity %i: mutual exclusion holds = %s', (refresh, expiry, holds) => {
    const r = explore(onlyProperties(twoWriters(refresh, expiry, expiry + 1), ['mutual_exclusion']));
    expect(r.violation === null).toBe(holds);
    if (holds) expect(r.exhausted).toBe(true);
  });

  it('a locker restart breaks mutual exclusion within the first tick', () => {
    const r = explore(onlyProperties(loadDesignFile('scenarios/models/minio-dsync/check-locker-restart.yaml').model, ['mutual_exclusion']));
    expect(r.violation?.property).toBe('mutual_exclusion');
    expect(r.violation!.message).toMatch(/both believe they hold \/a at t=0/);
  });

  it('rejects a config it cannot build, naming the key', () => {
    expect(() => minioDsync.model({ nodes: 9, refresh: 1, expiry: 1, max_ticks: 1, clients: [{ ops: ['write /a'] }] })).toThrow(/nodes must be 1..5, not 9/);
    expect(() => minioDsync.model({ nodes: 3, refresh: 1, expiry: 1, max_ticks: 1, clients: [{ ops: ['write /a /b'] }] })).toThrow(/1..1 path/);
  });
});
