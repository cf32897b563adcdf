// The namespace as the cluster caches it: path helpers, and completing a described set of
// objects into a tree every rank can walk, as Ceph's cache always is (a rank caching an object
// caches its ancestors; an inode comes with its primary dentry). What a description leaves out
// is filled in: the root `/` (auth mds.0), missing ancestor directories (auth where their
// parent's dentries are), and each inode's primary dentry (auth and replicas of the inode).
import type { DentrySpec, InodeSpec, ObjectSpec } from './topology.js';

/** The root's inode number (CEPH_INO_ROOT). */
export const CEPH_INO_ROOT = 1;

/** `/a/b` -> `/a`; `/a` -> `/`; the root has none. */
export function parentPath(p: string): string | null {
  if (p === '/') return null;
  const i = p.lastIndexOf('/');
  return i === 0 ? '/' : p.slice(0, i);
}

/** The last component: `/a/b` -> `b`. */
export const baseName = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** `/a` + `b` -> `/a/b`. */
export const childPath = (dir: string, name: string): string => (dir === '/' ? `/${name}` : `${dir}/${name}`);

/** The path's components: `/a/b` -> [`a`, `b`]; the root has none. */
export const components = (p: string): string[] => (p === '/' ? [] : p.slice(1).split('/'));

/** Whether `p` is `dir` or lies under it. */
export const isWithin = (p: string, dir: string): boolean => p === dir || dir === '/' || p.startsWith(`${dir}/`);

/** Where a directory's dentries are auth: its dirfrag's auth (the inode's auth unless delegated). */
export const fragAuth = (d: InodeSpec): number => d.frag ?? d.auth;

/**
 * The objects with the root, missing ancestors and primary dentries added. A missing ancestor
 * is cached wherever a described object under it is; declared objects are never changed.
 */
export function completeTree(objects: readonly ObjectSpec[], ranks: number): ObjectSpec[] {
  const inodes = new Map<string, InodeSpec>();
  const dentries = new Set<string>();
  for (const o of objects) {
    if (o.kind === 'inode') inodes.set(o.path, o);
    else dentries.add(o.path);
  }
  // the ranks caching something under each missing ancestor
  const holdersUnder = new Map<string, Set<number>>();
  for (const o of objects) {
    for (let a = parentPath(o.path); a !== null; a = parentPath(a)) {
      if (inodes.has(a)) continue;
      const h = holdersUnder.get(a) ?? new Set<number>();
      for (const r of [o.auth, ...o.replicas]) h.add(r);
      holdersUnder.set(a, h);
    }
  }
  if (!inodes.has('/')) holdersUnder.set('/', new Set([...(holdersUnder.get('/') ?? []), 0]));
  const added: ObjectSpec[] = [];
  // top-down, so each missing directory's parent (and its dirfrag auth) is known
  for (const a of [...holdersUnder.keys()].sort((x, y) => components(x).length - components(y).length || (x < y ? -1 : 1))) {
    const parent = parentPath(a);
    const auth = parent === null ? 0 : fragAuth(inodes.get(parent)!);
    const spec: InodeSpec = { kind: 'inode', path: a, is_dir: true, auth, replicas: [...holdersUnder.get(a)!].filter((r) => r !== auth && r < ranks).sort((x, y) => x - y) };
    if (a === '/' && !objects.some((o) => o.kind === 'inode' && o.ino === CEPH_INO_ROOT)) spec.ino = CEPH_INO_ROOT;
    inodes.set(a, spec);
    added.push(spec);
  }
  for (const i of [...objects.filter((o): o is InodeSpec => o.kind === 'inode'), ...added.filter((o): o is InodeSpec => o.kind === 'inode')]) {
    if (i.path === '/' || dentries.has(i.path)) continue;
    const d: DentrySpec = { kind: 'dentry', path: i.path, auth: i.auth, replicas: [...i.replicas] };
    dentries.add(i.path);
    added.push(d);
  }
  return added.length === 0 ? [...objects] : [...objects, ...added];
}
