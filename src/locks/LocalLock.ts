// LocalLock (src/mds/LocalLockC.h; older LocalLock.h): DVERSION, IVERSION. Never replicated,
// always in LOCK; only counts wrlocks and xlocks.
import { LOCK_LOCK } from '../../statemachines/index.js';
import { SimpleLock, CLIENT_UNDEF } from './SimpleLock.js';

export class LocalLock extends SimpleLock {
  last_wrlock_client = CLIENT_UNDEF;

  constructor(type: number, auth: boolean, parent = '') {
    super(type, auth, LOCK_LOCK, parent);
  }

  /** Ignores the table (whose can_wrlock is 0): any number of wrlocks unless xlocked. */
  override can_wrlock(_client?: number): boolean { return !this.is_xlocked(); }
  can_xlock_local(): boolean { return !this.is_wrlocked() && this.xlock_by === null; }

  get_wrlock_client(client: number): void {
    if (!this.can_wrlock()) throw new Error(`local wrlock on xlocked ${this.lt.name}`);
    super.get_wrlock();
    this.last_wrlock_client = client;
  }
  override put_wrlock(): void {
    super.put_wrlock();
    if (this.num_wrlock === 0) this.last_wrlock_client = CLIENT_UNDEF;
  }
}
