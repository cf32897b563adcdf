// What a client sends for a path: the inode number it learned by looking the path up. mdslock
// walks the step's path name by name through the dentries' auths, following each linkage as
// it stands (projected: a client that got an unsafe reply sees the change), so a renamed
// directory's children are found under its new name before the rename is journaled. A path
// that resolves to nothing is a step no client could send (its lookup would have failed first).
import type { CDentry } from '../cache/CDentry.js';
import type { Cluster } from '../cluster/Cluster.js';
import { ImpossibleStep } from '../cluster/errors.js';
import { baseName, childPath, components, parentPath } from '../cluster/tree.js';
import type { ClientOp, FilePath } from '../request/ClientRequest.js';

/** The auth copy of the dentry keyed `key`, on whichever rank holds it. */
function authDentry(c: Cluster, key: string): CDentry | undefined {
  for (const r of c.ranks) {
    const d = r.dentries[key];
    if (d?.is_auth()) return d;
  }
  return undefined;
}

const isDir = (c: Cluster, key: string): boolean => c.ranks.some((r) => r.inodes[key]?.is_dir);

/** The key of the inode a lookup of `path` reaches, or null. */
export function inodeAt(c: Cluster, path: string): string | null {
  let cur: string | null = c.ranks.some((r) => r.inodes['/']) ? '/' : null;
  for (const name of components(path)) {
    if (cur === null) return null;
    cur = authDentry(c, childPath(cur, name))?.linkage?.inode ?? null;
  }
  return cur;
}

/** The namespace a client sees: every path a lookup reaches (strays aside), and whether it names a directory. */
export function clientNamespace(c: Cluster): { path: string; dir: boolean }[] {
  const children = new Map<string, CDentry[]>();
  for (const r of c.ranks) {
    for (const d of Object.values(r.dentries)) {
      if (!d.is_auth() || !d.linkage || d.path.startsWith('~')) continue;
      const p = parentPath(d.path)!;
      children.set(p, [...(children.get(p) ?? []), d]);
    }
  }
  const out: { path: string; dir: boolean }[] = [];
  const visit = (key: string, path: string): void => {
    const dir = isDir(c, key);
    out.push({ path, dir });
    if (dir) for (const d of children.get(key) ?? []) visit(d.linkage!.inode, childPath(path, baseName(d.path)));
  };
  if (inodeAt(c, '/')) visit('/', '/');
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

function resolve(c: Cluster, op: ClientOp, fp: FilePath, client: number): FilePath {
  const key = inodeAt(c, fp.base);
  const what = fp.name === null ? 'no inode is linked at' : 'no directory is linked at';
  if (key === null) throw new ImpossibleStep(`client.${client} cannot send ${op.text}: ${what} ${fp.base} (its lookup would fail first)`);
  if (fp.name !== null && !isDir(c, key)) throw new ImpossibleStep(`client.${client} cannot send ${op.text}: ${fp.base} is not a directory`);
  return { base: key, name: fp.name };
}

/** The op with its paths' bases as the client's inode numbers (keys). */
export function resolveOp(c: Cluster, op: ClientOp, client: number): ClientOp {
  return { ...op, path: resolve(c, op, op.path, client), path2: op.path2 && resolve(c, op, op.path2, client) };
}
