// MClientCaps (src/messages/MClientCaps.h) and MClientLease (src/messages/MClientLease.h),
// reduced to what gates lock transitions, and MInodeFileCaps (a replica reports the caps its
// clients want to the auth).
export const CEPH_CAP_OP_GRANT = 0;
export const CEPH_CAP_OP_REVOKE = 1;
export const CEPH_CAP_OP_UPDATE = 3;

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
