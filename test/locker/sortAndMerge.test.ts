import { describe, expect, it } from 'vitest';
import { sort_and_merge, op, RDLOCK, WRLOCK, XLOCK, REMOTE_WRLOCK } from '../../src/request/LockOp.js';
import { ref } from '../helpers.js';

const show = (ops: ReturnType<typeof sort_and_merge>) => ops.map((o) => `${o.lock.type}@${o.lock.path}:${o.flags}${o.wrlock_target >= 0 ? `>${o.wrlock_target}` : ''}`);

describe('LockOpVec::sort_and_merge', () => {
  it('sorts by type value within each run of one object, keeping the order of objects', () => {
    const ops = [op(ref('ixattr /b'), RDLOCK), op(ref('iauth /b'), RDLOCK), op(ref('dn /a'), XLOCK), op(ref('iauth /c'), RDLOCK), op(ref('isnap /c'), RDLOCK)];
    expect(show(sort_and_merge(ops))).toEqual(['512@/b:1', '2048@/b:1', '1@/a:4', '16@/c:1', '512@/c:1']);
  });

  it('merges entries for the same lock (OR of flags, the remote target kept); XLOCK absorbs the rest', () => {
    const ops = [op(ref('ifile /d'), RDLOCK), op(ref('inest /d'), WRLOCK), op(ref('ifile /d'), REMOTE_WRLOCK, 2), op(ref('iauth /d'), RDLOCK), op(ref('iauth /d'), XLOCK)];
    expect(show(sort_and_merge(ops))).toEqual(['64@/d:9>2', '128@/d:2', '512@/d:4']);
  });

  it('does not change its input', () => {
    const ops = [op(ref('iauth /f'), RDLOCK), op(ref('iauth /f'), WRLOCK)];
    sort_and_merge(ops);
    expect(ops.map((o) => o.flags)).toEqual([RDLOCK, WRLOCK]);
  });
});
