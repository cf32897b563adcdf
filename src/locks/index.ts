export * from './flags.js';
export { SimpleLock, CLIENT_UNDEF } from './SimpleLock.js';
export { ScatterLock } from './ScatterLock.js';
export { LocalLock } from './LocalLock.js';
import { lockType } from '../../statemachines/index.js';
import { SimpleLock } from './SimpleLock.js';
import { ScatterLock } from './ScatterLock.js';
import { LocalLock } from './LocalLock.js';
import type { LockState } from '../../statemachines/index.js';

/** Construct the right class for a lock type (SimpleLock.h's LockType classification). */
export function createLock(type: number, auth: boolean, state?: LockState, parent = ''): SimpleLock {
  switch (lockType(type).cls) {
    case 'ScatterLock': return new ScatterLock(type, auth, state, parent);
    case 'LocalLock': return new LocalLock(type, auth, parent);
    default: return new SimpleLock(type, auth, state, parent);
  }
}
