// The four machines: the single source of truth the rest of mdslock is derived from.
export * from './states.js';
export * from './codes.js';
export * from './machine.js';
export * from './lockTypes.js';
export * from './transitions.js';
export { sm_simplelock } from './sm_simplelock.js';
export { sm_scatterlock } from './sm_scatterlock.js';
export { sm_filelock } from './sm_filelock.js';
export { sm_locallock } from './sm_locallock.js';
import { sm_simplelock } from './sm_simplelock.js';
import { sm_scatterlock } from './sm_scatterlock.js';
import { sm_filelock } from './sm_filelock.js';
import { sm_locallock } from './sm_locallock.js';

/** Keyed as `mdslock tables --json` names them. */
export const MACHINES = { simplelock: sm_simplelock, scatterlock: sm_scatterlock, filelock: sm_filelock, locallock: sm_locallock } as const;
