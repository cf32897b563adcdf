// sm_filelock (src/mds/locks.c, Ceph main): IFILE. Ceph main includes PR #54669, which made
// LOCK_EXCL_XSYN a loner state so that non-loner clients are not issued Fc/Fb during excl->xsyn.
import { defineMachine } from './machine.js';
import {
  ANY, AUTH, XCL, REQ,
  CEPH_CAP_GSHARED as S, CEPH_CAP_GEXCL as X, CEPH_CAP_GCACHE as C, CEPH_CAP_GRD as R,
  CEPH_CAP_GWR as W, CEPH_CAP_GBUFFER as B, CEPH_CAP_GWREXTEND as A, CEPH_CAP_GLAZYIO as L,
} from './codes.js';
import {
  LOCK_SYNC as SYNC, LOCK_LOCK_SYNC, LOCK_EXCL_SYNC, LOCK_MIX_SYNC, LOCK_MIX_SYNC2,
  LOCK_SNAP_SYNC, LOCK_XSYN_SYNC, LOCK_LOCK as LOCK, LOCK_SYNC_LOCK, LOCK_EXCL_LOCK,
  LOCK_MIX_LOCK, LOCK_MIX_LOCK2, LOCK_XSYN_LOCK, LOCK_PREXLOCK, LOCK_XLOCK, LOCK_XLOCKDONE,
  LOCK_XLOCKSNAP, LOCK_LOCK_XLOCK, LOCK_MIX as MIX, LOCK_SYNC_MIX, LOCK_SYNC_MIX2,
  LOCK_EXCL_MIX, LOCK_XSYN_MIX, LOCK_EXCL, LOCK_SYNC_EXCL, LOCK_MIX_EXCL, LOCK_LOCK_EXCL,
  LOCK_XSYN_EXCL, LOCK_XSYN, LOCK_EXCL_XSYN, LOCK_PRE_SCAN, LOCK_SCAN,
} from './states.js';

export const sm_filelock = defineMachine('sm_filelock', [
  //                 next           loner  replica         r     rp    rd    wr   fwr   l    x    caps       loner              xlocker replica
  [SYNC,            [0,             false, SYNC,           ANY,  0,    ANY,  0,   0,    ANY, 0,   S|C|R|L,   0,                 0,      S|C|R]],
  [LOCK_LOCK_SYNC,  [SYNC,          false, LOCK,           AUTH, 0,    0,    0,   0,    0,   0,   C,         0,                 0,      0]],
  [LOCK_EXCL_SYNC,  [SYNC,          true,  LOCK,           0,    0,    0,    0,   XCL,  0,   0,   0,         S|C|R,             0,      0]],
  [LOCK_MIX_SYNC,   [SYNC,          false, LOCK_MIX_SYNC2, 0,    0,    0,    0,   0,    0,   0,   R|L,       0,                 0,      R]],
  [LOCK_MIX_SYNC2,  [SYNC,          false, 0,              0,    0,    0,    0,   0,    0,   0,   R|L,       0,                 0,      R]],
  [LOCK_SNAP_SYNC,  [SYNC,          false, LOCK,           0,    0,    0,    0,   AUTH, 0,   0,   0,         0,                 0,      0]],
  [LOCK_XSYN_SYNC,  [SYNC,          true,  LOCK,           AUTH, 0,    AUTH, 0,   0,    0,   0,   0,         C,                 0,      0]],

  [LOCK,            [0,             false, LOCK,           AUTH, 0,    REQ,  AUTH,0,    0,   0,   C|B,       0,                 0,      0]],
  [LOCK_SYNC_LOCK,  [LOCK,          false, LOCK,           ANY,  0,    REQ,  0,   0,    0,   0,   C,         0,                 0,      0]],
  [LOCK_EXCL_LOCK,  [LOCK,          false, LOCK,           0,    0,    0,    0,   XCL,  0,   0,   C|B,       0,                 0,      0]],
  [LOCK_MIX_LOCK,   [LOCK,          false, MIX,            0,    0,    REQ,  0,   0,    0,   0,   0,         0,                 0,      0]],
  [LOCK_MIX_LOCK2,  [LOCK,          false, LOCK,           0,    0,    REQ,  0,   0,    0,   0,   0,         0,                 0,      0]],
  [LOCK_XSYN_LOCK,  [LOCK,          true,  LOCK,           AUTH, 0,    0,    XCL, 0,    0,   0,   0,         C|B,               0,      0]],

  [LOCK_PREXLOCK,   [LOCK,          false, LOCK,           0,    XCL,  0,    0,   0,    0,   ANY, C|B,       0,                 0,      0]],
  [LOCK_XLOCK,      [LOCK,          false, LOCK,           0,    XCL,  0,    0,   0,    0,   0,   C|B,       0,                 0,      0]],
  [LOCK_XLOCKDONE,  [LOCK,          false, LOCK,           XCL,  XCL,  XCL,  0,   0,    XCL, 0,   C|B,       0,                 S,      0]],
  [LOCK_XLOCKSNAP,  [LOCK,          false, LOCK,           0,    XCL,  0,    0,   0,    0,   0,   C,         0,                 0,      0]],
  [LOCK_LOCK_XLOCK, [LOCK_PREXLOCK, false, LOCK,           0,    XCL,  0,    0,   0,    0,   XCL, C|B,       0,                 0,      0]],

  [MIX,             [0,             false, MIX,            0,    0,    REQ,  ANY, 0,    0,   0,   R|W|L,     0,                 0,      R]],
  [LOCK_SYNC_MIX,   [MIX,           false, LOCK_SYNC_MIX2, ANY,  0,    0,    0,   0,    0,   0,   R|L,       0,                 0,      R]],
  [LOCK_SYNC_MIX2,  [MIX,           false, 0,              0,    0,    0,    0,   0,    0,   0,   R|L,       0,                 0,      R]],
  [LOCK_EXCL_MIX,   [MIX,           true,  LOCK,           0,    0,    0,    XCL, 0,    0,   0,   0,         R|W,               0,      0]],
  [LOCK_XSYN_MIX,   [MIX,           true,  LOCK,           0,    0,    0,    XCL, 0,    0,   0,   0,         0,                 0,      0]],

  [LOCK_EXCL,       [0,             true,  LOCK,           0,    0,    XCL,  XCL, 0,    0,   0,   0,         S|X|C|R|W|B,       0,      0]],
  [LOCK_SYNC_EXCL,  [LOCK_EXCL,     true,  LOCK,           ANY,  0,    0,    0,   0,    0,   0,   0,         S|C|R,             0,      0]],
  [LOCK_MIX_EXCL,   [LOCK_EXCL,     true,  LOCK,           0,    0,    0,    XCL, 0,    0,   0,   0,         R|W,               0,      0]],
  [LOCK_LOCK_EXCL,  [LOCK_EXCL,     true,  LOCK,           AUTH, 0,    0,    0,   0,    0,   0,   0,         C|B,               0,      0]],

  [LOCK_XSYN_EXCL,  [LOCK_EXCL,     true,  LOCK,           AUTH, 0,    XCL,  0,   0,    0,   0,   0,         C|B,               0,      0]],
  [LOCK_XSYN,       [0,             true,  LOCK,           AUTH, AUTH, AUTH, XCL, 0,    0,   0,   0,         C|B,               0,      0]],
  [LOCK_EXCL_XSYN,  [LOCK_XSYN,     true,  LOCK,           0,    0,    XCL,  0,   0,    0,   0,   0,         C|B,               0,      0]],

  [LOCK_PRE_SCAN,   [LOCK_SCAN,     false, LOCK,           0,    0,    0,    0,   0,    0,   0,   0,         0,                 0,      0]],
  [LOCK_SCAN,       [LOCK,          false, LOCK,           0,    0,    0,    0,   0,    0,   0,   0,         0,                 0,      0]],
], {
  allowed_ever_auth: S | X | C | R | W | A | B | L,
  allowed_ever_replica: S | C | R | L,
  careful: S | X | C | B,
  can_remote_xlock: false,
});
