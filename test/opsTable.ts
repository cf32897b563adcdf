// docs/ops.md's table of ops, rendered from the data (ops/ops.ts) so the page cannot drift from
// what the simulator runs; test/docs.test.ts checks the page holds exactly this table.
import { OPS, OP_NAMES, type OpLock, type PathLocking, type When } from '../ops/ops.js';
import { OP_USAGE } from '../src/server/parseOp.js';

const when = (w: When): string =>
  'mask' in w ? ` if the mask has ${w.mask} and ${w.unless_issued} is not issued`
    : 'setattr' in w ? ` if setting ${w.setattr.join('/')}`
    : 'flag' in w ? ' if O_TRUNC'
    : 'is_dir' in w ? ` if ${w.is_dir} is a dir`
    : ` if ${w.exists} exists`;

const lock = (l: OpLock): string => `${l.op} ${l.lock} of ${l.of}${l.when ? when(l.when) : ''}`;

function path(p: PathLocking): string {
  const args = Object.entries(p).filter(([k]) => k !== 'fn').map(([k, v]) => `${k}=${v}`);
  return `\`${p.fn}\`${args.length ? ` (${args.join(', ')})` : ''}`;
}

/** One row per op: how it is written, its handler, path locking, own locks, what it journals. */
export function opsTable(): string {
  const rows = ['| op (`do:`) | Server.cc handler | path locking | the handler\'s own locks | journal, reply |', '|---|---|---|---|---|'];
  const usages = [...OP_NAMES, 'getxattr' as const].sort();
  for (const u of usages) {
    const name = u === 'getxattr' ? 'getattr' : u;
    const d = OPS[name];
    const locks = u === 'getxattr' ? 'as getattr, mask Xs' : d.locks.length ? d.locks.map(lock).join('; ') : 'none';
    const created = 'creates' in d ? ` Creates a ${d.creates.type}${d.creates.excl.length ? `; ${d.creates.excl.join(', ')} to excl when the client gets a cap` : ''}.` : '';
    const journal = d.journal === true ? 'EUpdate, early reply' + ('no_early_reply' in d ? ' not allowed' : '') : d.journal === 'trunc' ? 'EUpdate if O_TRUNC, else replies at once' : 'replies at once';
    rows.push(`| \`${OP_USAGE[u].replaceAll('|', '\\|')}\` | \`${d.handler}\` | ${path(d.path)} | ${locks}.${created} | ${journal} |`);
  }
  return rows.join('\n') + '\n';
}
