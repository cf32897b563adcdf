// sm_simplelock (src/mds/locks.c): DN, IAUTH, ILINK, IXATTR, ISNAP, IFLOCK, IPOLICY.
import { defineMachine } from './machine.js';
import { ANY, AUTH, XCL, REQ, CEPH_CAP_GSHARED as S, CEPH_CAP_GEXCL as X } from './codes.js';
import {
  LOCK_SYNC as SYNC, LOCK_LOCK_SYNC, LOCK_EXCL_SYNC, LOCK_SNAP_SYNC, LOCK_LOCK as LOCK,
  LOCK_SYNC_LOCK, LOCK_EXCL_LOCK, LOCK_PREXLOCK, LOCK_XLOCK, LOCK_XLOCKDONE, LOCK_LOCK_XLOCK,
  LOCK_EXCL, LOCK_SYNC_EXCL, LOCK_LOCK_EXCL, LOCK_REMOTEXLOCK,
} from './states.js';

export const sm_simplelock = defineMachine('sm_simplelock', [
  //                 next           loner  replica r     rp   rd   wr   fwr   l    x    caps loner  xlocker replica
  [SYNC,            [0,             false, SYNC,   ANY,  0,   ANY, 0,   0,    ANY, 0,   S,   0,     0,      S]],
  [LOCK_LOCK_SYNC,  [SYNC,          false, LOCK,   AUTH, XCL, XCL, 0,   0,    XCL, 0,   0,   0,     0,      0]],
  [LOCK_EXCL_SYNC,  [SYNC,          true,  LOCK,   0,    0,   0,   0,   XCL,  0,   0,   0,   S,     0,      0]],
  [LOCK_SNAP_SYNC,  [SYNC,          false, LOCK,   0,    0,   0,   0,   AUTH, 0,   0,   0,   0,     0,      0]],

  [LOCK,            [0,             false, LOCK,   AUTH, 0,   REQ, 0,   0,    0,   0,   0,   0,     0,      0]],
  [LOCK_SYNC_LOCK,  [LOCK,          false, LOCK,   ANY,  0,   0,   0,   0,    0,   0,   0,   0,     0,      0]],
  [LOCK_EXCL_LOCK,  [LOCK,          false, LOCK,   0,    0,   0,   0,   XCL,  0,   0,   0,   0,     0,      0]],

  [LOCK_PREXLOCK,   [LOCK,          false, LOCK,   0,    XCL, 0,   0,   0,    0,   ANY, 0,   0,     0,      0]],
  [LOCK_XLOCK,      [SYNC,          false, LOCK,   0,    XCL, 0,   0,   0,    0,   0,   0,   0,     0,      0]],
  [LOCK_XLOCKDONE,  [SYNC,          false, LOCK,   XCL,  XCL, XCL, 0,   0,    XCL, 0,   0,   0,     S,      0]],
  [LOCK_LOCK_XLOCK, [LOCK_PREXLOCK, false, LOCK,   0,    XCL, 0,   0,   0,    0,   XCL, 0,   0,     0,      0]],

  [LOCK_EXCL,       [0,             true,  LOCK,   0,    0,   REQ, XCL, 0,    0,   0,   0,   X | S, 0,      0]],
  [LOCK_SYNC_EXCL,  [LOCK_EXCL,     true,  LOCK,   ANY,  0,   0,   0,   0,    0,   0,   0,   S,     0,      0]],
  [LOCK_LOCK_EXCL,  [LOCK_EXCL,     false, LOCK,   AUTH, 0,   0,   0,   0,    0,   0,   S,   0,     0,      0]],

  [LOCK_REMOTEXLOCK,[LOCK,          false, LOCK,   0,    0,   0,   0,   0,    0,   0,   0,   0,     0,      0]],
], { allowed_ever_auth: S | X, allowed_ever_replica: S, careful: S | X, can_remote_xlock: true });
