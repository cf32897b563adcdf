// The config of the alluxio-locks design: clients with bounded ops on a small inode tree (each op
// a lock list in Alluxio's order: root to leaf, edge then inode) or on blocks, the LockPool
// watermarks of the inode and edge pools, the block lock pool's size, and the broken variants.
import { DesignConfigError } from '../design.js';
import { bool, choice, int, list, mapping, str, type Path } from '../kit/config.js';

export type Mode = 'read' | 'write';
export type PoolKind = 'inode' | 'edge';
/** One lock of a path op: which pool, which key (index into that pool's keys), which mode. */
export interface Step { readonly pool: PoolKind; readonly key: number; readonly mode: Mode }
export type Op =
  | { readonly kind: 'path'; readonly text: string; readonly steps: readonly Step[] }
  | { readonly kind: 'block'; readonly text: string; readonly block: number; readonly mode: Mode };
export interface Watermarks { readonly low: number; readonly high: number }

export interface AlluxioConfig {
  /** Inode keys (paths, "/" first) and edge keys (the child's path: edge /a is root -> a). */
  readonly inodes: readonly string[];
  readonly edges: readonly string[];
  readonly blocks: readonly string[];
  /** Each client's ops; a client's `order` is `alluxio` (root to leaf, edge then inode) or the broken `reversed` (leaf to root). */
  readonly clients: readonly { readonly ops: readonly Op[]; readonly order: 'alluxio' | 'reversed' }[];
  /** LockPool watermarks (null: the evictor never runs). */
  readonly inodePool: Watermarks | null;
  readonly edgePool: Watermarks | null;
  /** BlockLockManager's ResourcePool of ClientRWLocks (WORKER_TIERED_STORE_BLOCK_LOCKS). */
  readonly blockLocks: number;
  /** Sessions may be cleaned up (cleanupSession) while holding. */
  readonly crashes: boolean;
  /** Broken variant: the evictor removes entries without checking the reference count. */
  readonly evictInUse: boolean;
}

const KEYS = ['clients', 'inode_pool', 'edge_pool', 'block_locks', 'crashes', 'evict_in_use'];

function watermarks(m: Record<string, unknown>, key: string): Watermarks | null {
  if (m[key] === undefined) return null;
  const w = mapping(m[key], [key], ['low', 'high']);
  const low = int(w, 'low', [key], 0, 0, 8), high = int(w, 'high', [key], 1, 0, 8);
  if (low > high) throw new DesignConfigError([key, 'low'], `low (${low}) is above high (${high})`);
  return { low, high };
}

export function parseConfig(raw: unknown): AlluxioConfig {
  const m = mapping(raw, [], KEYS);
  const orders: ('alluxio' | 'reversed')[] = [];
  const texts = list(m, 'clients', [], 1, 3).map((c, i) => {
    const cm = mapping(c, ['clients', i], ['ops', 'order']);
    orders.push(choice(cm, 'order', ['clients', i], 'alluxio', ['alluxio', 'reversed'] as const));
    return list(cm, 'ops', ['clients', i], 1, 3).map((o, j) => ({ text: str(o, ['clients', i, 'ops', j]).trim(), path: ['clients', i, 'ops', j] as Path }));
  });
  const paths = new Set<string>(['/']), blocks = new Set<string>();
  const parsed = texts.map((ops) => ops.map(({ text, path }) => {
    const b = /^(read|write) (block\.[0-9]+)$/.exec(text);
    if (b) { blocks.add(b[2]); return { text, block: b[2], mode: b[1] as Mode }; }
    const p = /^(read|write|create|delete) (\/(?:[a-z]+(?:\/[a-z]+)?)?)$/.exec(text);
    if (!p) throw new DesignConfigError(path, `expected "read|write|create|delete /path" (depth 2 at most) or "read|write block.N", got "${text}"`);
    if (p[2] === '/' && p[1] !== 'read' && p[1] !== 'write') throw new DesignConfigError(path, 'the root has no edge to create or delete');
    const parts = p[2].split('/').filter(Boolean);
    for (let k = 1; k <= parts.length; k++) paths.add('/' + parts.slice(0, k).join('/'));
    return { text, op: p[1], parts };
  }));
  const inodes = [...paths].sort(), edges = inodes.filter((x) => x !== '/'), blockNames = [...blocks].sort();
  if (inodes.length > 5 || blockNames.length > 3) throw new DesignConfigError(['clients'], 'at most 4 paths below / and 3 blocks');
  const clients = parsed.map((ops, ci) => ({
    order: orders[ci],
    ops: ops.map((o): Op => {
      if ('block' in o) return { kind: 'block', text: o.text, block: blockNames.indexOf(o.block!), mode: o.mode! };
      // InodeLockManager lock patterns: READ all read; WRITE_INODE the last inode written; WRITE_EDGE the last edge and the inode past it written
      const steps: Step[] = [{ pool: 'inode', key: 0, mode: 'read' }];
      for (let k = 1; k <= o.parts.length; k++) {
        const path = '/' + o.parts.slice(0, k).join('/'), last = k === o.parts.length;
        steps.push({ pool: 'edge', key: edges.indexOf(path), mode: last && (o.op === 'create' || o.op === 'delete') ? 'write' : 'read' });
        if (!(last && o.op === 'create')) steps.push({ pool: 'inode', key: inodes.indexOf(path), mode: last && o.op !== 'read' ? 'write' : 'read' });
      }
      if (o.parts.length === 0 && o.op === 'write') steps[0] = { pool: 'inode', key: 0, mode: 'write' };
      if (orders[ci] === 'reversed') steps.reverse();
      return { kind: 'path', text: o.text, steps };
    }),
  }));
  return {
    inodes, edges, blocks: blockNames, clients,
    inodePool: watermarks(m, 'inode_pool'), edgePool: watermarks(m, 'edge_pool'),
    blockLocks: int(m, 'block_locks', [], 2, 1, 4),
    crashes: bool(m, 'crashes', [], false),
    evictInUse: bool(m, 'evict_in_use', [], false),
  };
}
