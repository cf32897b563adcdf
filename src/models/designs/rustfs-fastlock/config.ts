// The config of the rustfs-fastlock design: shards, the clients and their bounded workloads,
// the acquire timeout in ticks, the reader-count width and a starting count of other readers or
// waiters (abstract: many tasks as one number, so the state stays small).
import { DesignConfigError } from '../design.js';
import { bool, choice, int, intMap, list, mapping, str, type Path } from '../kit/config.js';
import { shardOf } from './state.js';

export type Mode = 'read' | 'write';
export interface Item { readonly key: number; readonly mode: Mode }
/**
 * One op: a single lock, or a batch (acquire_locks_batch) of distinct keys, in the order it takes
 * them: `groups` are the indexes in `items` where a shard group starts; the groups are taken in
 * any order (one after another), the items of a group in order.
 */
export interface Op { readonly batch: boolean; readonly items: readonly Item[]; readonly groups: readonly number[] }
export interface ClientSpec { readonly owner: number; readonly ops: readonly Op[] }

export interface FastlockConfig {
  /** Shards (upstream: 1024; a power of two, keys placed by hash & (shards-1)). */
  readonly shards: number;
  /** Keys, sorted as ObjectKey sorts them ("/a" < "/a@v1": no version before a version). */
  readonly keys: readonly string[];
  readonly owners: readonly string[];
  readonly clients: readonly ClientSpec[];
  /** Ticks a waiter waits before it times out (the slow path's deadline). */
  readonly timeoutTicks: number;
  /** Width of the state word's reader count (upstream state.rs: 8 bits, [15:8]). */
  readonly readerBits: number;
  /** try_acquire_shared refuses at the field's maximum (upstream: yes); false: the add carries over. */
  readonly readerGuard: boolean;
  /** acquire_locks_batch's all_or_nothing: a failed batch releases what it took. */
  readonly allOrNothing: boolean;
  /**
   * How a batch orders its keys: `manager` (FastObjectLockManager::acquire_locks_batch: sorted by
   * (shard, key), then grouped by shard in a HashMap, so the shard groups come in any order),
   * `sorted` (LockShard::acquire_locks_batch, seed 003: sorted by key), `none` (as written).
   */
  readonly batchOrder: 'manager' | 'sorted' | 'none';
  /** Entries that are free and unwaited may be removed (cleanup_expired). */
  readonly cleanup: boolean;
  /** Other tasks, abstracted as counts per key: readers holding, readers and writers waiting (never leaving). */
  readonly readersStart: ReadonlyMap<number, number>;
  readonly readersWaitingStart: ReadonlyMap<number, number>;
  readonly writersWaitingStart: ReadonlyMap<number, number>;
}

const KEYS = ['shards', 'clients', 'timeout_ticks', 'reader_bits', 'reader_guard', 'all_or_nothing', 'batch_order', 'cleanup', 'readers_start', 'readers_waiting_start', 'writers_waiting_start'];
const KEY_RE = /^\/[a-z0-9]+(@v[0-9]+)?$/;

/** `write /a`, `read /a@v1`, `batch write /b, read /a`. */
function parseOp(text: unknown, path: Path, keyNames: string[]): { batch: boolean; items: { key: string; mode: Mode }[] } {
  const t = str(text, path).trim();
  const batch = t.startsWith('batch ');
  const parts = (batch ? t.slice(6) : t).split(',').map((p) => p.trim());
  if (!batch && parts.length !== 1) throw new DesignConfigError(path, `a single op is "read /k" or "write /k"; a batch starts with "batch"`);
  const items = parts.map((p) => {
    const m = /^(read|write) (\S+)$/.exec(p);
    if (!m) throw new DesignConfigError(path, `expected "read /key" or "write /key", got "${p}"`);
    if (!KEY_RE.test(m[2])) throw new DesignConfigError(path, `key "${m[2]}" is not /name or /name@vN`);
    if (!keyNames.includes(m[2])) keyNames.push(m[2]);
    return { key: m[2], mode: m[1] as Mode };
  });
  if (new Set(items.map((i) => i.key)).size !== items.length) throw new DesignConfigError(path, 'a batch names each key once');
  return { batch, items };
}

export function parseConfig(raw: unknown): FastlockConfig {
  const m = mapping(raw, [], KEYS);
  const shards = int(m, 'shards', [], 4, 1, 1024);
  if ((shards & (shards - 1)) !== 0) throw new DesignConfigError(['shards'], `${shards} is not a power of two (the shard mask needs one)`);
  const rawClients = list(m, 'clients', [], 1, 4);
  const keyNames: string[] = [];
  const ownerNames: string[] = [];
  const parsed = rawClients.map((c, i) => {
    const cm = mapping(c, ['clients', i], ['owner', 'ops']);
    const owner = cm.owner === undefined ? `client.${i + 1}` : str(cm.owner, ['clients', i, 'owner']);
    if (!ownerNames.includes(owner)) ownerNames.push(owner);
    const ops = list(cm, 'ops', ['clients', i], 1, 3).map((o, j) => parseOp(o, ['clients', i, 'ops', j], keyNames));
    return { owner, ops };
  });
  if (keyNames.length > 6) throw new DesignConfigError(['clients'], `at most 6 keys, got ${keyNames.length}`);
  const keys = [...keyNames].sort();
  const shardOfKey = (k: number) => shardOf(keys[k], shards);
  const batchOrder = choice(m, 'batch_order', [], 'manager', ['manager', 'sorted', 'none'] as const);
  const clients: ClientSpec[] = parsed.map((p) => ({
    owner: ownerNames.indexOf(p.owner),
    ops: p.ops.map((o) => {
      const items = o.items.map((it) => ({ key: keys.indexOf(it.key), mode: it.mode }));
      let groups = [0];
      if (o.batch && batchOrder === 'sorted') items.sort((a, b) => a.key - b.key); // LockShard::acquire_locks_batch: sort_by(key)
      if (o.batch && batchOrder === 'manager') {
        // FastObjectLockManager::acquire_locks_batch: sort by (shard, key), group_requests_by_shard into a HashMap
        items.sort((a, b) => shardOfKey(a.key) - shardOfKey(b.key) || a.key - b.key);
        groups = items.map((it, i) => (i === 0 || shardOfKey(items[i - 1].key) !== shardOfKey(it.key) ? i : -1)).filter((i) => i >= 0);
      }
      return { batch: o.batch, items, groups };
    }),
  }));
  const readerBits = int(m, 'reader_bits', [], 8, 1, 16);
  const keyIndex = (mp: Map<string, number>) => new Map([...mp].map(([k, v]) => [keys.indexOf(k), v]));
  return {
    shards, keys, owners: ownerNames, clients,
    timeoutTicks: int(m, 'timeout_ticks', [], 1, 1, 8),
    readerBits,
    readerGuard: bool(m, 'reader_guard', [], true),
    allOrNothing: bool(m, 'all_or_nothing', [], true),
    batchOrder,
    cleanup: bool(m, 'cleanup', [], true),
    readersStart: keyIndex(intMap(m, 'readers_start', [], keys, 0, 2 ** readerBits - 1)),
    readersWaitingStart: keyIndex(intMap(m, 'readers_waiting_start', [], keys, 0, 0xffff)),
    writersWaitingStart: keyIndex(intMap(m, 'writers_waiting_start', [], keys, 0, 0xffff)),
  };
}
