// sm_scatterlock (src/mds/locks.c): INEST, IDFT. Note: no row for LOCK_MIX_SYNC2, so a
// scatterlock replica parked there reads the all-zero row (stable, no permissions).
import { defineMachine } from './machine.js';
import { ANY, AUTH, REQ, CEPH_CAP_GSHARED as S, CEPH_CAP_GEXCL as X } from './codes.js';
import {
  LOCK_SYNC as SYNC, LOCK_LOCK_SYNC, LOCK_MIX_SYNC, LOCK_SNAP_SYNC, LOCK_LOCK as LOCK,
  LOCK_SYNC_LOCK, LOCK_MIX_LOCK, LOCK_MIX_LOCK2, LOCK_TSYN_LOCK, LOCK_TSYN, LOCK_LOCK_TSYN,
  LOCK_MIX_TSYN, LOCK_MIX as MIX, LOCK_TSYN_MIX, LOCK_SYNC_MIX, LOCK_SYNC_MIX2,
} from './states.js';

export const sm_scatterlock = defineMachine('sm_scatterlock', [
  //                 next       loner  replica         r     rp  rd    wr    fwr   l    x    caps loner xlocker replica
  [SYNC,            [0,         false, SYNC,           ANY,  0,  ANY,  0,    0,    ANY, 0,   S,   0,    0,      S]],
  [LOCK_LOCK_SYNC,  [SYNC,      false, LOCK,           AUTH, 0,  0,    0,    0,    0,   0,   0,   0,    0,      0]],
  [LOCK_MIX_SYNC,   [SYNC,      false, LOCK,           0,    0,  0,    0,    0,    0,   0,   0,   0,    0,      0]],
  [LOCK_SNAP_SYNC,  [SYNC,      false, LOCK,           0,    0,  0,    0,    AUTH, 0,   0,   0,   0,    0,      0]],

  [LOCK,            [0,         false, LOCK,           AUTH, 0,  REQ,  AUTH, 0,    0,   ANY, 0,   0,    0,      0]],
  [LOCK_SYNC_LOCK,  [LOCK,      false, LOCK,           ANY,  0,  0,    0,    0,    0,   0,   0,   0,    0,      0]],
  [LOCK_MIX_LOCK,   [LOCK,      false, MIX,            0,    0,  0,    0,    0,    0,   0,   0,   0,    0,      0]],
  [LOCK_MIX_LOCK2,  [LOCK,      false, LOCK,           0,    0,  0,    0,    0,    0,   0,   0,   0,    0,      0]],
  [LOCK_TSYN_LOCK,  [LOCK,      false, LOCK,           AUTH, 0,  0,    0,    0,    0,   0,   0,   0,    0,      0]],

  [LOCK_TSYN,       [0,         false, LOCK,           AUTH, 0,  AUTH, 0,    0,    0,   0,   0,   0,    0,      0]],
  [LOCK_LOCK_TSYN,  [LOCK_TSYN, false, LOCK,           0,    0,  0,    0,    0,    0,   0,   0,   0,    0,      0]],
  [LOCK_MIX_TSYN,   [LOCK_TSYN, false, LOCK,           0,    0,  0,    0,    0,    0,   0,   0,   0,    0,      0]],

  [MIX,             [0,         false, MIX,            0,    0,  REQ,  ANY,  0,    0,   0,   0,   0,    0,      0]],
  [LOCK_TSYN_MIX,   [MIX,       false, LOCK,           0,    0,  0,    0,    0,    0,   0,   0,   0,    0,      0]],
  [LOCK_SYNC_MIX,   [MIX,       false, LOCK_SYNC_MIX2, ANY,  0,  0,    0,    0,    0,   0,   0,   0,    0,      0]],
  [LOCK_SYNC_MIX2,  [MIX,       false, 0,              0,    0,  0,    0,    0,    0,   0,   0,   0,    0,      0]],
], { allowed_ever_auth: S | X, allowed_ever_replica: S, careful: S | X, can_remote_xlock: false });
