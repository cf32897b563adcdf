// MClientCaps (src/messages/MClientCaps.h) and MClientLease (src/messages/MClientLease.h),
// reduced to what gates lock transitions, and MInodeFileCaps (a replica reports the caps its
// clients want to the auth).
// the cap ops' numbers are ceph_fs.h's
export const CEPH_CAP_OP_GRANT = 0;
export const CEPH_CAP_OP_REVOKE = 1;
/** The cap no longer comes from this rank: an export moved the inode's auth; `peer` is the new auth. */
export const CEPH_CAP_OP_EXPORT = 3;
/** The cap now comes from this rank: a rename or an export moved the inode's auth (Migrator's cap import); `peer` was its old auth. */
export const CEPH_CAP_OP_IMPORT = 4;
export const CEPH_CAP_OP_UPDATE = 5;

const CAP_OP_NAMES: Record<number, string> = { [CEPH_CAP_OP_GRANT]: 'grant', [CEPH_CAP_OP_REVOKE]: 'revoke', [CEPH_CAP_OP_EXPORT]: 'export', [CEPH_CAP_OP_IMPORT]: 'import', [CEPH_CAP_OP_UPDATE]: 'update' };
export const CAP_OP_LIST: readonly string[] = Object.values(CAP_OP_NAMES);
/** ceph_cap_op_name. */
export const capOpName = (op: number): string => CAP_OP_NAMES[op];

export const CEPH_MDS_LEASE_REVOKE = 1;
export const CEPH_MDS_LEASE_RELEASE = 2;

export interface MClientCaps {
  readonly kind: 'caps';
  readonly from: number;
  readonly to: number;
  readonly op: number;
  readonly client: number;
  readonly path: string;
  readonly seq: number;
  readonly caps: number;
  readonly wanted: number;
  /** CEPH_CAP_OP_IMPORT: the rank the cap came from; CEPH_CAP_OP_EXPORT: the rank it goes to. */
  readonly peer?: number;
}

export interface MClientLease {
  readonly kind: 'lease';
  readonly from: number;
  readonly to: number;
  readonly action: number;
  readonly client: number;
  readonly path: string;
}

export interface MInodeFileCaps {
  readonly kind: 'filecaps';
  readonly from: number;
  readonly to: number;
  readonly path: string;
  readonly wanted: number;
}
