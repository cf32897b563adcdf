// sm_locallock (src/mds/locks.c): DVERSION, IVERSION. One row: a local lock never changes state.
import { defineMachine } from './machine.js';
import { ANY, AUTH } from './codes.js';
import { LOCK_LOCK as LOCK } from './states.js';

export const sm_locallock = defineMachine('sm_locallock', [
  //       next loner  replica r    rp rd   wr fwr l    x     caps loner xlocker replica
  [LOCK,  [0,   false, LOCK,   ANY, 0, ANY, 0, 0,  ANY, AUTH, 0,   0,    0,      0]],
], { allowed_ever_auth: 0, allowed_ever_replica: 0, careful: 0, can_remote_xlock: false });
