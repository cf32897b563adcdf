// MClientRequest, MClientReply and MClientRequestForward (src/messages/): a client's request
// to an MDS, the MDS's unsafe (early) and safe replies, and the forward that tells a client to
// resend to the auth (MDSRank::forward_message_mds: the client resends with num_fwd + 1).
import type { ClientOp } from '../request/ClientRequest.js';

export interface MClientRequest {
  readonly kind: 'client_request';
  readonly from: number;
  readonly to: number;
  readonly reqid: string;
  readonly op: ClientOp;
  readonly num_fwd: number;
}

export interface MClientReply {
  readonly kind: 'client_reply';
  readonly from: number;
  readonly to: number;
  readonly reqid: string;
  /** 0 or a negative errno (CEPHFS_E*), printed by name. */
  readonly result: number;
  /** The safe reply (the update is journaled), or the early, unsafe one. */
  readonly safe: boolean;
  /** Caps the reply's trace carries (issue_new_caps for an open or a create): the inode and the cap word. */
  readonly caps: { readonly path: string; readonly caps: number } | null;
}

export interface MClientRequestForward {
  readonly kind: 'client_forward';
  readonly from: number;
  readonly to: number;
  readonly reqid: string;
  readonly dest: number;
  readonly num_fwd: number;
}

/** CEPHFS_E* values (include/cephfs/... errno.h) and their names. */
export const ERRNO: Record<string, number> = {
  EPERM: 1, ENOENT: 2, ESTALE: 116, EEXIST: 17, EXDEV: 18, ENOTDIR: 20, EISDIR: 21, EINVAL: 22,
  ENOTEMPTY: 39, EBUSY: 16, EROFS: 30,
};

export const errnoName = (r: number): string => {
  if (r === 0) return '0';
  const hit = Object.entries(ERRNO).find(([, v]) => v === -r);
  return hit ? hit[0] : String(r);
};
