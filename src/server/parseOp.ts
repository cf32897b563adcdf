// The `do:` words of an op step (`mkdir /a/n`, `rename /a/f /c/f`, `getattr /a/f mask=AsFs`)
// turned into the ClientOp a client would send: its op code's name and its file paths in
// the client's form (an inode op names the inode; a namespace op names the parent directory
// and the new or old name).
import { OPS, OP_NAMES, type OpName } from '../../ops/ops.js';
import { parseCaps } from '../clients/capString.js';
import { baseName, parentPath } from '../cluster/tree.js';
import { quote as q } from '../trace/quote.js';
import type { ClientOp, FilePath, OpenMode } from '../request/ClientRequest.js';

/** Setattr attributes (CEPH_SETATTR_*), as written after the path. */
export const SETATTR_ATTRS = ['mode', 'uid', 'gid', 'btime', 'mtime', 'atime', 'size', 'ctime', 'kill_sguid', 'kill_suid', 'kill_sgid'] as const;

/** The getattr mask a stat asks for by default (CEPH_STAT_CAP_INODE_ALL). */
const STAT_ALL = parseCaps('pAsLsXsFs')!;

const PATH = /^\/([^/\s]+(\/[^/\s]+)*)?$/;

/** Ops the step accepts besides OPS: what a client sends for them. */
const ALIASES: Record<string, OpName> = { getxattr: 'getattr' };

/** The usage line of each op, for errors and docs. */
export const OP_USAGE: Record<OpName | 'getxattr', string> = {
  lookup: 'lookup <path> [mask=<caps>]', getattr: 'getattr <path> [mask=<caps>]', getxattr: 'getxattr <path> [<name>]',
  setattr: 'setattr <path> <attr>[,<attr>...]', setxattr: 'setxattr <path> [<name>]', removexattr: 'removexattr <path> [<name>]',
  open: 'open <path> [rdonly|wronly|rdwr] [trunc] [mask=<caps>]', create: 'create <path> [rdonly|wronly|rdwr] [excl] [trunc]',
  mknod: 'mknod <path>', mkdir: 'mkdir <path>', symlink: 'symlink <path>', link: 'link <new path> <existing path>',
  unlink: 'unlink <path>', rmdir: 'rmdir <path>', rename: 'rename <from> <to>', readdir: 'readdir <path>',
  setlayout: 'setlayout <path>', setdirlayout: 'setdirlayout <path>', setfilelock: 'setfilelock <path>', getfilelock: 'getfilelock <path>',
};

export type Parsed = { readonly op: ClientOp } | { readonly error: string };

/** Parse `do:` words; an error says what is wrong and how the op is written. */
export function parseOp(text: string): Parsed {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  const written = words[0] ?? '';
  const name = (OPS as Record<string, unknown>)[written] ? written as OpName : ALIASES[written];
  if (!name) return { error: `unknown op ${q(written)} (known: ${[...OP_NAMES, ...Object.keys(ALIASES)].sort().join(', ')})` };
  const usage = OP_USAGE[written as keyof typeof OP_USAGE];
  const npaths = OPS[name].names === 'two' ? 2 : 1;
  const paths = words.slice(1, 1 + npaths);
  if (paths.length < npaths) return { error: `${written} needs ${npaths === 2 ? 'two paths' : 'a path'}: ${usage}` };
  const bad = paths.find((p) => !PATH.test(p));
  if (bad !== undefined) return { error: `${q(bad)} is not an absolute path (like /d/x, no trailing slash): ${usage}` };
  const rest = words.slice(1 + npaths);

  let mask = written === 'getxattr' ? parseCaps('Xs')! : name === 'open' || name === 'create' ? 0 : STAT_ALL;
  let mode: OpenMode = name === 'create' ? 'wronly' : 'rdonly';
  let trunc = false;
  let excl = false;
  let setattr: string[] = [];
  for (const w of rest) {
    if (w.startsWith('mask=') && (name === 'getattr' || name === 'lookup' || name === 'open') && written !== 'getxattr') {
      const m = parseCaps(w.slice(5));
      if (m === undefined) return { error: `bad mask ${q(w.slice(5))} (want caps like pAsLsXsFs): ${usage}` };
      mask = m;
    } else if ((name === 'open' || name === 'create') && (w === 'rdonly' || w === 'wronly' || w === 'rdwr')) {
      mode = w;
    } else if ((name === 'open' || name === 'create') && w === 'trunc') {
      trunc = true;
    } else if (name === 'create' && w === 'excl') {
      excl = true;
    } else if (name === 'setattr' && setattr.length === 0) {
      setattr = w.split(',');
      const unknown = setattr.find((a) => !(SETATTR_ATTRS as readonly string[]).includes(a));
      if (unknown !== undefined) return { error: `unknown setattr attribute ${q(unknown)} (known: ${SETATTR_ATTRS.join(', ')})` };
    } else if ((written === 'setxattr' || written === 'removexattr' || written === 'getxattr') && rest.indexOf(w) === 0) {
      // the xattr's name: it changes no lock
    } else {
      return { error: `unexpected ${q(w)}: ${usage}` };
    }
  }
  if (name === 'setattr' && setattr.length === 0) return { error: `setattr needs the attributes it sets: ${usage}` };

  const byInode = (p: string): FilePath => ({ base: p, name: null });
  const byDentry = (p: string): FilePath | null => (p === '/' ? null : { base: parentPath(p)!, name: baseName(p) });
  let path: FilePath | null;
  let path2: FilePath | null = null;
  if (OPS[name].names === 'inode') path = byInode(paths[0]);
  else if (OPS[name].names === 'dentry') path = byDentry(paths[0]);
  else {
    // rename <from> <to> and link <new> <existing>: Ceph's filepath is the destination
    const [dest, src] = name === 'rename' ? [paths[1], paths[0]] : [paths[0], paths[1]];
    path = byDentry(dest);
    path2 = byDentry(src);
    if (!path2) return { error: `${written} of the root: it has no name in a directory` };
  }
  if (!path) return { error: `${written} of the root: it has no name in a directory` };
  return { op: { name, text: words.join(' '), path, path2, mask, setattr, mode, trunc, excl } };
}

/** The full path a client filepath names. */
export const fullPath = (p: FilePath): string => (p.name === null ? p.base : p.base === '/' ? `/${p.name}` : `${p.base}/${p.name}`);
