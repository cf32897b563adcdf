// The client operations mdslock runs, as data: for each op, the Server.cc handler it mirrors,
// how the client names its object (ceph-fuse/kernel clients send an inode op as the bare
// inode number, a namespace op as (parent directory inode, name)), which Server.cc helper
// locks the path and with which arguments, the handler's own LockOpVec, and what it creates
// and journals. src/server/ interprets this; the order of every list is Ceph's.
// Source: ceph/ceph-ci src/mds/Server.cc (d2f255c2), MDCache::path_traverse.

/** Lock type names, as Ceph prints them. */
export type LockName = 'iauth' | 'ilink' | 'ifile' | 'ixattr' | 'isnap' | 'ipolicy' | 'iflock' | 'idft' | 'iversion' | 'inest' | 'dn';

/**
 * Objects a handler names (Ceph's mdr->in[0], dn[0], straydn, ...): the target inode, the
 * tail dentry and its directory inode; for two-path ops the source side; the stray dentry
 * an unlinked inode moves to and the stray directory holding it.
 */
export type Role = 'in' | 'dn' | 'dir' | 'srcdn' | 'srci' | 'destdn' | 'oldin' | 'straydn' | 'straydir' | 'targeti';

/** When a handler lock applies: the request's mask/flags, or a fact about an object. */
export type When =
  | { readonly mask: string; readonly unless_issued: string }  // getattr/open: mask has the cap, the client has not the EXCL one
  | { readonly setattr: readonly string[] }                      // setattr: any of these attributes is set
  | { readonly flag: 'trunc' }                                   // open: O_TRUNC
  | { readonly is_dir: Role }                                    // the object is a directory
  | { readonly exists: Role };                                   // the object exists (rename over a target)

export interface OpLock {
  readonly op: 'rdlock' | 'wrlock' | 'xlock';
  readonly lock: LockName;
  readonly of: Role;
  readonly when?: When;
}

/** How the path is locked: the Server.cc helper and its arguments. */
export type PathLocking =
  /** Server::rdlock_path_pin_ref(mdr, want_auth, no_want_auth): rdlock the path, pin the inode. */
  | { readonly fn: 'rdlock_path_pin_ref'; readonly want_auth: boolean | 'write'; readonly no_want_auth?: boolean }
  /** Server::rdlock_path_xlock_dentry(mdr, create, okexist, authexist, want_layout): xlock the tail dentry. */
  | { readonly fn: 'rdlock_path_xlock_dentry'; readonly create: boolean; readonly okexist: boolean | 'not_excl'; readonly authexist: boolean; readonly want_layout: boolean }
  /** Server::rdlock_two_paths_xlock_destdn(mdr, xlock_srcdn): lock both dentries in Ceph's order. */
  | { readonly fn: 'rdlock_two_paths_xlock_destdn'; readonly xlock_srcdn: boolean }
  /** Server::try_get_auth_inode + xlock_policylock: no path traversal at all. */
  | { readonly fn: 'try_get_auth_inode' };

export interface OpDef {
  /** The client request's op code. */
  readonly code: string;
  /** The Server.cc function dispatch_client_request runs for it. */
  readonly handler: string;
  /** How the client names its object: the inode, (directory, name), or two such names. */
  readonly names: 'inode' | 'dentry' | 'two';
  readonly path: PathLocking;
  /** The handler's own LockOpVec (one acquire_locks call), after the path is locked. */
  readonly locks: readonly OpLock[];
  /** What a successful op does to the namespace. */
  readonly effect?: 'create' | 'link' | 'unlink' | 'rename';
  /** A created inode's type, and the locks the handler sets to EXCL once issue_new_caps gave a cap. */
  readonly creates?: { readonly type: 'file' | 'dir' | 'symlink'; readonly excl: readonly LockName[]; readonly excl_always?: boolean; readonly cap_wanted_zero?: boolean };
  /** Server::journal_and_reply (the op journals) or respond_to_request at once. */
  readonly journal: boolean | 'trunc';
  /** issue_new_caps with this file mode (ceph_flags_to_mode of the open flags, or fixed). */
  readonly caps?: 'flags' | 'rdwr';
  /** mdr->no_early_reply. */
  readonly no_early_reply?: boolean;
}

const mask = (m: string, excl: string): When => ({ mask: m, unless_issued: excl });

/** Server::handle_client_getattr's mask-dependent rdlocks, in its order (Ls, As, Xs, Fs). */
const GETATTR_LOCKS: readonly OpLock[] = [
  { op: 'rdlock', lock: 'ilink', of: 'in', when: mask('Ls', 'Lx') },
  { op: 'rdlock', lock: 'iauth', of: 'in', when: mask('As', 'Ax') },
  { op: 'rdlock', lock: 'ixattr', of: 'in', when: mask('Xs', 'Xx') },
  // the filelock rdlock is skipped while the lock is unstable, readable and not wrlocked (server/stat.ts)
  { op: 'rdlock', lock: 'ifile', of: 'in', when: mask('Fs', 'Fx') },
];

/** Server::handle_client_unlink's LockOpVec: the link count, the snap, emptiness, the stray. */
const UNLINK_LOCKS: readonly OpLock[] = [
  { op: 'xlock', lock: 'ilink', of: 'in' },
  { op: 'xlock', lock: 'isnap', of: 'in' },
  { op: 'rdlock', lock: 'ifile', of: 'in', when: { is_dir: 'in' } },
  { op: 'wrlock', lock: 'ifile', of: 'straydir', when: { exists: 'straydn' } },
  { op: 'wrlock', lock: 'inest', of: 'straydir', when: { exists: 'straydn' } },
  { op: 'xlock', lock: 'dn', of: 'straydn', when: { exists: 'straydn' } },
];

const CREATE_PATH = { fn: 'rdlock_path_xlock_dentry', create: true, okexist: false, authexist: false, want_layout: false } as const;

export const OPS = {
  lookup: {
    code: 'CEPH_MDS_OP_LOOKUP', handler: 'Server::handle_client_getattr', names: 'dentry',
    path: { fn: 'rdlock_path_pin_ref', want_auth: false }, locks: GETATTR_LOCKS, journal: false,
  },
  getattr: {
    code: 'CEPH_MDS_OP_GETATTR', handler: 'Server::handle_client_getattr', names: 'inode',
    path: { fn: 'rdlock_path_pin_ref', want_auth: false }, locks: GETATTR_LOCKS, journal: false,
  },
  setattr: {
    code: 'CEPH_MDS_OP_SETATTR', handler: 'Server::handle_client_setattr', names: 'inode',
    path: { fn: 'rdlock_path_pin_ref', want_auth: true },
    locks: [
      { op: 'xlock', lock: 'iauth', of: 'in', when: { setattr: ['mode', 'uid', 'gid', 'btime', 'kill_sguid', 'kill_suid', 'kill_sgid'] } },
      { op: 'xlock', lock: 'ifile', of: 'in', when: { setattr: ['mtime', 'atime', 'size'] } },
      { op: 'wrlock', lock: 'iversion', of: 'in', when: { setattr: ['ctime'] } },
    ],
    journal: true,
  },
  setxattr: {
    code: 'CEPH_MDS_OP_SETXATTR', handler: 'Server::handle_client_setxattr', names: 'inode',
    path: { fn: 'rdlock_path_pin_ref', want_auth: true }, locks: [{ op: 'xlock', lock: 'ixattr', of: 'in' }], journal: true,
  },
  removexattr: {
    code: 'CEPH_MDS_OP_RMXATTR', handler: 'Server::handle_client_removexattr', names: 'inode',
    path: { fn: 'rdlock_path_pin_ref', want_auth: true }, locks: [{ op: 'xlock', lock: 'ixattr', of: 'in' }], journal: true,
  },
  open: {
    code: 'CEPH_MDS_OP_OPEN', handler: 'Server::handle_client_open', names: 'inode',
    path: { fn: 'rdlock_path_pin_ref', want_auth: 'write' },
    locks: [
      { op: 'rdlock', lock: 'isnap', of: 'in' },
      { op: 'rdlock', lock: 'iauth', of: 'in', when: mask('As', 'Ax') },
      { op: 'rdlock', lock: 'ixattr', of: 'in', when: mask('Xs', 'Xx') },
      { op: 'xlock', lock: 'ifile', of: 'in', when: { flag: 'trunc' } },
    ],
    journal: 'trunc', caps: 'flags',
  },
  create: {
    code: 'CEPH_MDS_OP_CREATE', handler: 'Server::handle_client_openc', names: 'dentry',
    path: { fn: 'rdlock_path_xlock_dentry', create: true, okexist: 'not_excl', authexist: true, want_layout: true },
    locks: [], effect: 'create', creates: { type: 'file', excl: ['iauth', 'ixattr'], excl_always: true }, journal: true, caps: 'flags',
  },
  mknod: {
    code: 'CEPH_MDS_OP_MKNOD', handler: 'Server::handle_client_mknod', names: 'dentry',
    path: { ...CREATE_PATH, want_layout: true }, locks: [], effect: 'create',
    creates: { type: 'file', excl: ['ifile', 'iauth', 'ixattr'], cap_wanted_zero: true }, journal: true, caps: 'rdwr',
  },
  mkdir: {
    code: 'CEPH_MDS_OP_MKDIR', handler: 'Server::handle_client_mkdir', names: 'dentry',
    path: CREATE_PATH, locks: [], effect: 'create',
    creates: { type: 'dir', excl: ['ifile', 'iauth', 'ixattr'], cap_wanted_zero: true }, journal: true, caps: 'rdwr',
  },
  symlink: {
    code: 'CEPH_MDS_OP_SYMLINK', handler: 'Server::handle_client_symlink', names: 'dentry',
    path: CREATE_PATH, locks: [], effect: 'create', creates: { type: 'symlink', excl: [] }, journal: true,
  },
  link: {
    code: 'CEPH_MDS_OP_LINK', handler: 'Server::handle_client_link', names: 'two',
    path: { fn: 'rdlock_two_paths_xlock_destdn', xlock_srcdn: false },
    locks: [{ op: 'xlock', lock: 'isnap', of: 'targeti' }, { op: 'xlock', lock: 'ilink', of: 'targeti' }],
    effect: 'link', journal: true,
  },
  unlink: {
    code: 'CEPH_MDS_OP_UNLINK', handler: 'Server::handle_client_unlink', names: 'dentry',
    path: { fn: 'rdlock_path_xlock_dentry', create: false, okexist: true, authexist: false, want_layout: false },
    locks: UNLINK_LOCKS, effect: 'unlink', journal: true,
  },
  rmdir: {
    code: 'CEPH_MDS_OP_RMDIR', handler: 'Server::handle_client_unlink', names: 'dentry',
    path: { fn: 'rdlock_path_xlock_dentry', create: false, okexist: true, authexist: false, want_layout: false },
    locks: UNLINK_LOCKS, effect: 'unlink', journal: true,
  },
  rename: {
    code: 'CEPH_MDS_OP_RENAME', handler: 'Server::handle_client_rename', names: 'two',
    path: { fn: 'rdlock_two_paths_xlock_destdn', xlock_srcdn: true },
    // srci's and oldin's locks are swapped into Ceph's order in server/rename.ts
    locks: [
      { op: 'xlock', lock: 'ilink', of: 'srci' },
      { op: 'xlock', lock: 'isnap', of: 'srci' },
      { op: 'xlock', lock: 'ilink', of: 'oldin', when: { exists: 'oldin' } },
      { op: 'xlock', lock: 'isnap', of: 'oldin', when: { exists: 'oldin' } },
      { op: 'rdlock', lock: 'ifile', of: 'oldin', when: { is_dir: 'oldin' } },
      { op: 'wrlock', lock: 'ifile', of: 'straydir', when: { exists: 'straydn' } },
      { op: 'wrlock', lock: 'inest', of: 'straydir', when: { exists: 'straydn' } },
      { op: 'xlock', lock: 'dn', of: 'straydn', when: { exists: 'straydn' } },
    ],
    effect: 'rename', journal: true,
  },
  readdir: {
    code: 'CEPH_MDS_OP_READDIR', handler: 'Server::handle_client_readdir', names: 'inode',
    path: { fn: 'rdlock_path_pin_ref', want_auth: false, no_want_auth: true },
    locks: [{ op: 'rdlock', lock: 'ifile', of: 'in' }, { op: 'rdlock', lock: 'idft', of: 'in' }], journal: false,
  },
  setlayout: {
    code: 'CEPH_MDS_OP_SETLAYOUT', handler: 'Server::handle_client_setlayout', names: 'inode',
    path: { fn: 'rdlock_path_pin_ref', want_auth: true }, locks: [{ op: 'xlock', lock: 'ifile', of: 'in' }], journal: true,
  },
  setdirlayout: {
    code: 'CEPH_MDS_OP_SETDIRLAYOUT', handler: 'Server::handle_client_setdirlayout', names: 'inode',
    path: { fn: 'try_get_auth_inode' },
    // Server::xlock_policylock(want_layout=true, xlock_snaplock=false), then the parent's snap chain
    locks: [{ op: 'xlock', lock: 'ipolicy', of: 'in' }, { op: 'rdlock', lock: 'isnap', of: 'in' }],
    journal: true, no_early_reply: true,
  },
  setfilelock: {
    code: 'CEPH_MDS_OP_SETFILELOCK', handler: 'Server::handle_client_file_setlock', names: 'inode',
    path: { fn: 'rdlock_path_pin_ref', want_auth: true }, locks: [{ op: 'xlock', lock: 'iflock', of: 'in' }], journal: false,
  },
  getfilelock: {
    code: 'CEPH_MDS_OP_GETFILELOCK', handler: 'Server::handle_client_file_readlock', names: 'inode',
    path: { fn: 'rdlock_path_pin_ref', want_auth: true }, locks: [{ op: 'rdlock', lock: 'iflock', of: 'in' }], journal: false,
  },
} as const satisfies Record<string, OpDef>;

export type OpName = keyof typeof OPS;
export const OP_NAMES = Object.keys(OPS) as OpName[];
export const opDef = (name: OpName): OpDef => OPS[name];
