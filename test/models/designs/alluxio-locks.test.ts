// alluxio-locks explored: exact state counts, the properties holding under Alluxio's lock order,
// the evictor race check finds, the broken variants caught, hand paths and config errors.
import { describe, expect, it } from 'vitest';
import { explore } from '../../../src/checker/explore.js';
import { Encoder } from '../../../src/models/Model.js';
import { DesignConfigError } from '../../../src/models/designs/design.js';
import { alluxioLocks } from '../../../src/models/designs/alluxio-locks/index.js';
import { broken, enabled, run, view } from './drive.js';

const model = (config: unknown) => alluxioLocks.model(config);
const check = (config: unknown) => explore(model(config));
const C = (...ops: string[]) => ({ ops });

describe('alluxio-locks explored', () => {
  it('one reader of /a/b: 7 states (five locks taken one by one, holding, done)', () => {
    const r = check({ clients: [C('read /a/b')] });
    expect([r.distinct, r.generated, r.depth, r.exhausted, r.violation]).toEqual([7, 7, 6, true, null]);
  });

  it('two writers of /a: 28 states, exclusion holds, nothing stuck', () => {
    // each client: next inode /, next edge /a, next inode /a, holding or done (the pools' entries
    // and refcounts follow from these), 25 pairs but both holding = 24; plus one waiting for
    // inode /a while the other holds or is done: 4. 24 + 4 = 28
    const r = check({ clients: [C('write /a'), C('write /a')] });
    expect([r.distinct, r.generated, r.depth, r.exhausted, r.violation]).toEqual([28, 43, 8, true, null]);
  });

  it('reader, delete, writer and blocks: 793 states, clean (scenarios/models/alluxio-locks/check-tree-and-blocks.yaml)', () => {
    const r = check({ block_locks: 1, clients: [C('read /a/b', 'read block.1'), C('delete /a/b', 'write block.1'), C('write /a', 'read block.2')] });
    expect([r.distinct, r.generated, r.depth, r.exhausted, r.violation]).toEqual([793, 1893, 22, true, null]);
  });

  it('blocks with a one-lock pool and session cleanups: 117 states, validate() holds', () => {
    const r = check({ crashes: true, block_locks: 1, clients: [C('read block.1'), C('write block.1'), C('read block.2')] });
    expect([r.distinct, r.exhausted, r.violation]).toEqual([117, true, null]);
    expect(r.coverage.get('cleanup')).toBeGreaterThan(0);
  });

  it('finds the evictor removing an entry reacquired between its mark and its remove', () => {
    const r = check({ inode_pool: { low: 0, high: 1 }, clients: [C('write /a'), C('write /a')] });
    expect(r.violation?.property).toBe('evictor_never_removes_in_use');
    expect(r.violation?.path.length).toBe(8); // 7 actions: a whole write, unlock, mark, a lock, remove
    // with watermarks high enough for every key, the evictor never runs and the same workload is clean
    expect(check({ inode_pool: { low: 2, high: 2 }, clients: [C('write /a'), C('write /a')] }).violation).toBe(null);
  });

  it('the evictor without its refcount check: evictor_never_removes_in_use in 5 actions (three locks take the inode pool over its high watermark, mark, remove)', () => {
    const r = check({ evict_in_use: true, inode_pool: { low: 0, high: 1 }, clients: [C('write /a'), C('write /a')] });
    expect(r.violation?.property).toBe('evictor_never_removes_in_use');
    expect(r.violation?.path.length).toBe(6);
  });

  it('a client locking leaf to root deadlocks with one in Alluxio order; both in Alluxio order do not', () => {
    const r = check({ clients: [C('delete /a'), { order: 'reversed', ops: ['write /a'] }] });
    expect(r.violation?.property).toBe('stuck');
    expect(r.violation?.message).toBe('deadlock: client.1 on inode /a, client.2 on edge /a wait and nothing can move');
    expect(r.violation?.path.length).toBe(6);
    expect(check({ clients: [C('delete /a'), C('write /a')] }).violation).toBe(null);
  });
});

describe('alluxio-locks by hand', () => {
  it('a marked entry is not reused: the next get makes a fresh Resource', () => {
    const m = model({ inode_pool: { low: 0, high: 1 }, clients: [C('write /a'), C('read /a')] });
    let s = run(m, ['client.1 lock inode / read', 'client.1 lock edge /a read', 'client.1 lock inode /a write', 'client.1 unlock /a']);
    expect(enabled(m, s)).toContain('inode evictor mark /a');
    s = run(m, ['inode evictor mark /a', 'client.2 lock inode / read', 'client.2 lock edge /a read', 'client.2 lock inode /a read'], s);
    expect(view(m, s)['refcount inode /a']).toBe('1');
    expect(broken(m, s)).toEqual([]);
    s = run(m, ['inode evictor remove /a'], s);
    expect(broken(m, s)).toEqual(['evictor_never_removes_in_use']);
  });

  it('encode/decode round-trip', () => {
    const m = model({ clients: [C('read /a/b'), C('write block.1')] });
    const s = run(m, ['client.1 lock inode / read', 'client.2 lock block.1 write']);
    const e = new Encoder().reset();
    m.encode(s, e, false);
    expect(m.decode(e.buf.slice(0, e.len))).toEqual(s);
  });
});

describe('alluxio-locks config', () => {
  const bad = (config: unknown, path: (string | number)[]) => {
    expect(() => model(config)).toThrow(DesignConfigError);
    try { model(config); } catch (e) { expect((e as DesignConfigError).path).toEqual(path); }
  };
  it('rejects unknown keys, wrong types, out-of-range values, bad ops', () => {
    bad({ clients: [C('read /a')], lock_pool: 1 }, ['lock_pool']);
    bad({ clients: [C('read /a/b/c')] }, ['clients', 0, 'ops', 0]);
    bad({ clients: [C('create /')] }, ['clients', 0, 'ops', 0]);
    bad({ clients: [C('read /a')], inode_pool: { low: 3, high: 1 } }, ['inode_pool', 'low']);
    bad({ clients: [C('read /a')], block_locks: 0 }, ['block_locks']);
    bad({ clients: [{ ops: ['read /a'], order: 'random' }] }, ['clients', 0, 'order']);
  });
});
