// What a client sends for a path: the inode number it learned by looking the path up. mdslock
// resolves the step's path in the namespace as the dentries' auths hold it (following the
// last name's link, so a hard link reaches its inode); a path that resolves to nothing is a
// step no client could send (its lookup would have failed first).
import type { Cluster } from '../cluster/Cluster.js';
import { ImpossibleStep } from '../cluster/errors.js';
import type { ClientOp, FilePath } from '../request/ClientRequest.js';

/** The key of the inode linked at `path`, or null. */
export function inodeAt(c: Cluster, path: string): string | null {
  if (path === '/') return c.ranks.some((r) => r.inodes['/']) ? '/' : null;
  for (const r of c.ranks) {
    const d = r.dentries[path];
    if (d?.is_auth()) return d.linkage?.inode ?? null;
  }
  return null;
}

function resolve(c: Cluster, op: ClientOp, fp: FilePath, client: number): FilePath {
  const key = inodeAt(c, fp.base);
  const what = fp.name === null ? 'no inode is linked at' : 'no directory is linked at';
  if (key === null) throw new ImpossibleStep(`client.${client} cannot send ${op.text}: ${what} ${fp.base} (its lookup would fail first)`);
  if (fp.name !== null && !c.ranks.some((r) => r.inodes[key]?.is_dir)) throw new ImpossibleStep(`client.${client} cannot send ${op.text}: ${fp.base} is not a directory`);
  return { base: key, name: fp.name };
}

/** The op with its paths' bases as the client's inode numbers (keys). */
export function resolveOp(c: Cluster, op: ClientOp, client: number): ClientOp {
  return { ...op, path: resolve(c, op, op.path, client), path2: op.path2 && resolve(c, op, op.path2, client) };
}
