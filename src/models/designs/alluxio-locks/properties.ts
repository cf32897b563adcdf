// The alluxio-locks properties, judged against which clients hold what (whatever Resource they
// locked), the Resources they reference, and BlockLockManager's own validate().
import type { Property } from '../../Model.js';
import { clientName, type Flat } from '../kit/flat.js';
import { BREF } from './blocks.js';
import { OKEY, OREF } from './lockpool.js';
import { DEAD, HOLD, PHASE, POOLWAIT, REFS, type AlluxioModel } from './model.js';

export const ALLUXIO_PROPERTIES = [
  { name: 'mutual_exclusion', description: 'An inode, edge or block held for write has no other holder.' },
  { name: 'evictor_never_removes_in_use', description: 'Every Resource a client references (holding or waiting on its lock) is still its key\'s entry in the LockPool.' },
  { name: 'validate_refcount_equals_records', description: 'BlockLockManager.validate() passes whenever no client is between getBlockLock and its lock record (each lock\'s reference count equals its block\'s records).' },
  { name: 'no_leaked_entry', description: 'Reference counts equal the clients referencing (LockPool Resources and block locks); a block lock is in mLocks only while referenced; no lock record outlives its holder.' },
  { name: 'stuck', description: 'Clients waiting for locks can always be unblocked by someone (lock() has no timeout); holds under Alluxio\'s lock order.' },
] as const;

export function alluxioProperties(m: AlluxioModel): Property<Flat>[] {
  const cfg = m.cfg;
  const me = (what: string, h: { readers: number[]; writers: number[] }) =>
    h.writers.length && h.writers.length + h.readers.length > 1 ? `${what} held by ${h.writers.map((x) => `${clientName(x)} (w)`).concat(h.readers.map((x) => `${clientName(x)} (r)`)).join(', ')}` : null;
  return [
    {
      name: 'mutual_exclusion',
      check: (s) => {
        for (const p of ['inode', 'edge'] as const) {
          const n = p === 'inode' ? cfg.inodes.length : cfg.edges.length;
          for (let k = 0; k < n; k++) { const r = me(m.keyName(p, k), m.holders(s, { pool: p, key: k })); if (r) return r; }
        }
        for (let b = 0; b < cfg.blocks.length; b++) { const r = me(cfg.blocks[b], m.holders(s, { block: b })); if (r) return r; }
        return null;
      },
    },
    {
      name: 'evictor_never_removes_in_use',
      check: (s) => {
        for (let ci = 0; ci < cfg.clients.length; ci++) {
          const op = m.op(s, ci);
          if (op?.kind !== 'path') continue;
          const o = m.c(ci);
          for (let i = 0; i < op.steps.length; i++) {
            const obj = s[o + REFS + i] - 1;
            if (obj < 0) continue;
            const st = op.steps[i], pool = m.pool(st.pool);
            if (pool.entry(s, st.key) !== obj) return `${clientName(ci)} uses a Resource of ${m.keyName(st.pool, st.key)} that is no longer in its LockPool`;
          }
        }
        return null;
      },
    },
    {
      name: 'validate_refcount_equals_records',
      check: (s) => {
        for (let ci = 0; ci < cfg.clients.length; ci++) {
          const op = m.op(s, ci), ph = s[m.c(ci) + PHASE];
          if (op?.kind === 'block' && s[m.c(ci) + REFS] && ph !== HOLD) return null; // an acquirer in flight: validate() is not meant for this moment
        }
        return m.validate(s);
      },
    },
    {
      name: 'no_leaked_entry',
      check: (s) => {
        for (const p of ['inode', 'edge'] as const) {
          const pool = m.pool(p);
          for (let obj = 0; obj < pool.objects; obj++) {
            const at = pool.obj(obj);
            if (!s[at + OKEY] || obj === pool.marked(s)) continue;
            let refs = 0;
            for (let ci = 0; ci < cfg.clients.length; ci++) {
              const op = m.op(s, ci);
              if (op?.kind !== 'path') continue;
              op.steps.forEach((st, i) => { if (st.pool === p && s[m.c(ci) + REFS + i] - 1 === obj) refs++; });
            }
            if (s[at + OREF] !== refs) return `${m.keyName(p, s[at + OKEY] - 1)}: a Resource with reference count ${s[at + OREF]} has ${refs} user(s)`;
          }
        }
        for (let b = 0; b < cfg.blocks.length; b++) {
          const e = m.block.entry(s, b);
          let refs = 0;
          for (let ci = 0; ci < cfg.clients.length; ci++) {
            const op = m.op(s, ci), ph = s[m.c(ci) + PHASE];
            if (op?.kind === 'block' && op.block === b && s[m.c(ci) + REFS] && ph !== POOLWAIT && ph !== DEAD) refs++;
          }
          const ref = e < 0 ? 0 : s[m.block.obj(e) + BREF];
          if (ref !== refs) return `${cfg.blocks[b]}: reference count ${ref} with ${refs} user(s)`;
          if (e >= 0 && ref === 0) return `${cfg.blocks[b]}: an unreferenced lock stays in mLocks`;
        }
        return null;
      },
    },
  ];
}
