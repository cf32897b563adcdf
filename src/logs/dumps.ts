// The admin socket's JSON (`ceph daemon mds.X dump_ops_in_flight`, `dump_blocked_ops`, `dump
// inode`, `dump cache`): the ops waiting for locks ("failed to rdlock, waiting", the inodes their
// descriptions name), and every inode's lock states, turned into the log's object prints so
// they go on the same timelines. Pure: no I/O.
import { LOCK_TYPES } from '../../statemachines/index.js';

export interface WaitingOp {
  readonly reqid: string;
  readonly description: string;
  /** The last "failed to ..., waiting" event, or the flag point. */
  readonly waiting: string;
  readonly age: number | null;
  /** Inode numbers the description names (`#0x10000000030/name`). */
  readonly inos: readonly string[];
}

export interface Dump {
  readonly ops: readonly WaitingOp[];
  /** One object print per inode found, as the log prints it (`[inode 0x... [2,head] /path auth (ifile xlock) ...]`). */
  readonly inodePrints: readonly string[];
}

const INODE_LOCKS = LOCK_TYPES.filter((l) => l.owner === 'CInode');
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isObj = (v: Json): v is { [k: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);
const num = (v: Json | undefined) => (typeof v === 'number' ? v : 0);

/** A lock's dump (SimpleLock::dump) as its print. */
function lockPrint(name: string, l: { [k: string]: Json }): string | null {
  if (typeof l.state !== 'string') return null;
  const g = Array.isArray(l.gather_set) && l.gather_set.length ? ` g=${l.gather_set.join(',')}` : '';
  const r = num(l.num_rdlocks), w = num(l.num_wrlocks), x = num(l.num_xlocks);
  return `(${name} ${l.state}${g}${l.is_leased === true ? ' l' : ''}${r ? ` r=${r}` : ''}${w ? ` w=${w}` : ''}${x ? ` x=${x}` : ''})`;
}

function walk(v: Json, ops: WaitingOp[], prints: string[]): void {
  if (Array.isArray(v)) { for (const x of v) walk(x, ops, prints); return; }
  if (!isObj(v)) return;
  const td = v.type_data;
  if (typeof v.description === 'string' && isObj(td)) {
    const events = Array.isArray(td.events) ? td.events.filter(isObj).map((e) => String(e.event ?? '')) : [];
    // waiting now: the flag point says so, or the last event is a failed lock (an op that went on has later events)
    const flag = typeof td.flag_point === 'string' ? td.flag_point : '';
    const last = events[events.length - 1] ?? '';
    const waiting = /^failed to \w+, waiting$/.test(flag) ? flag : /^failed to \w+, waiting$/.test(last) ? last : null;
    if (waiting) {
      ops.push({
        reqid: typeof td.reqid === 'string' ? td.reqid : v.description.replace(/^\w+\(([^ )]*).*$/, '$1'),
        description: v.description, waiting, age: typeof v.age === 'number' ? v.age : null,
        inos: [...v.description.matchAll(/#(0x[0-9a-f]+)/gi)].map((m) => m[1].toLowerCase()),
      });
    }
  }
  if (v.ino !== undefined && INODE_LOCKS.some((l) => isObj(v[l.member] ?? null))) {
    const ino = typeof v.ino === 'number' ? `0x${v.ino.toString(16)}` : String(v.ino);
    const path = typeof v.path === 'string' && v.path !== '' ? v.path : ino;
    const locks = INODE_LOCKS.flatMap((l) => { const d = v[l.member]; return isObj(d ?? null) ? [lockPrint(l.name, d as { [k: string]: Json })] : []; }).filter((x): x is string => x !== null);
    const side = v.is_auth === true ? ' auth' : '';
    prints.push(`[inode ${ino} [2,head] ${path}${side} ${locks.join(' ')} | dump]`);
  }
  for (const x of Object.values(v)) walk(x, ops, prints);
}

/** Read a dump's text (lines starting with `#` are comments); an error names where the JSON breaks. */
export function readDump(text: string): Dump | { error: string } {
  const body = text.split('\n').map((l) => (/^\s*#/.test(l) ? '' : l)).join('\n');
  let v: Json;
  try {
    v = JSON.parse(body) as Json;
  } catch (e) {
    return { error: `not valid JSON (${(e as Error).message})` };
  }
  const ops: WaitingOp[] = [];
  const inodePrints: string[] = [];
  walk(v, ops, inodePrints);
  return { ops, inodePrints };
}

/** Whether a file whose first line that is not a comment or blank is `line` is a JSON dump rather than a log. */
export const opensJson = (line: string): boolean => /^\s*[\[{]/.test(line);
