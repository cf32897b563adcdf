import { describe, expect, it } from 'vitest';
import { History } from '../../src/cluster/history.js';
import { deliverOne, submitRequest } from '../../src/cluster/sim.js';
import { cluster, file, xl, line } from '../helpers.js';

describe('immutable cluster snapshots (immer)', () => {
  it('each step yields a new frozen snapshot; earlier ones keep their lines; stepping back restores them', () => {
    const h = new History(cluster(3, [file('/f')]));
    h.step((d) => submitRequest(d, 0, 'client.4101:12', [xl('iauth /f')]));
    h.step((d) => deliverOne(d, { from: 0, to: 2 })!);
    const [s0, s1, s2] = h.snapshots;
    expect(line(s0, 0, 'iauth /f')).toBe('(iauth sync)');
    expect(line(s1, 0, 'iauth /f')).toBe('(iauth sync->lock g=1,2)');
    expect(line(s2, 2, 'iauth /f')).toBe('(iauth lock)');
    expect(line(s1, 2, 'iauth /f')).toBe('(iauth sync)');
    expect(Object.isFrozen(s2.ranks[2].inodes['/f'].authlock)).toBe(true);
    // structural sharing: an untouched rank is the same object in both snapshots
    expect(s2.ranks[1]).toBe(s1.ranks[1]);
    expect(s2.ranks[2]).not.toBe(s1.ranks[2]);
    expect(s1.net.inFlight()).toBe(2);
    h.back();
    expect(h.current).toBe(s1);
    // replaying the same step from the restored snapshot gives the same state again
    h.step((d) => deliverOne(d, { from: 0, to: 2 })!);
    expect(line(h.current, 2, 'iauth /f')).toBe('(iauth lock)');
    expect(() => h.back(5)).toThrow(/cannot step back/);
  });
});
