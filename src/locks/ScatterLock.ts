// ScatterLock (src/mds/ScatterLock.h): IFILE, INEST, IDFT. Adds the dirty/flush tracking of
// scattered data and the scatter/unscatter "wanted" flags. The scattered data itself is
// modelled as a counter: `scatter_pending` = updates this copy made (or, on the auth,
// gathered) that are not yet folded into the inode; `scatter_value` = the inode's folded
// value as this copy last saw it.
import { LOCK_SYNC, LOCK_MIX, type LockState } from '../../statemachines/index.js';
import { SimpleLock } from './SimpleLock.js';
import { DIRTY, FLUSHING, FLUSHED, SCATTER_WANTED, UNSCATTER_WANTED } from './flags.js';

export class ScatterLock extends SimpleLock {
  scatter_pending = 0;
  scatter_value = 0;
  /**
   * Auth, during a gather: the ranks whose ack carried the stats of the directory's dirfrag
   * (sent by a replica that is the dirfrag's auth: encode_lock_ifile / encode_lock_inest).
   * Emptied when the gather ends, but for two reports, which stay for I8 to see: Ceph's
   * decode keeps the last one (the race an export's wrlocks prevent).
   */
  frag_reports: number[] = [];

  constructor(type: number, auth: boolean, state?: LockState, parent = '') {
    super(type, auth, state, parent);
  }

  override init_gather(replicas: readonly number[]): void { this.frag_reports = []; super.init_gather(replicas); }
  is_dirty(): boolean { return (this.state_flags & DIRTY) !== 0; }
  is_flushing(): boolean { return (this.state_flags & FLUSHING) !== 0; }
  is_flushed(): boolean { return (this.state_flags & FLUSHED) !== 0; }
  is_dirty_or_flushing(): boolean { return this.is_dirty() || this.is_flushing(); }
  get_scatter_wanted(): boolean { return (this.state_flags & SCATTER_WANTED) !== 0; }
  get_unscatter_wanted(): boolean { return (this.state_flags & UNSCATTER_WANTED) !== 0; }
  set_scatter_wanted(): void { this.state_flags |= SCATTER_WANTED; }
  clear_scatter_wanted(): void { this.state_flags &= ~SCATTER_WANTED; }
  set_unscatter_wanted(): void { this.state_flags |= UNSCATTER_WANTED; }
  clear_unscatter_wanted(): void { this.state_flags &= ~UNSCATTER_WANTED; }
  can_scatter_pin(): boolean { return this.state === LOCK_SYNC || this.state === LOCK_MIX; }

  /** SimpleLock's version plus "not dirty, not flushing" (used when the caller knows the type). */
  override is_sync_and_unlocked(): boolean {
    return super.is_sync_and_unlocked() && !this.is_dirty() && !this.is_flushing();
  }

  mark_dirty(): void { this.state_flags |= DIRTY; }
  start_flush(): void {
    if (this.is_dirty()) this.state_flags = (this.state_flags | FLUSHING) & ~DIRTY;
  }
  finish_flush(): void {
    if (this.is_flushing()) this.state_flags = (this.state_flags | FLUSHED) & ~FLUSHING;
  }
  clear_flushed(): void { this.state_flags &= ~FLUSHED; }
  remove_dirty(): void { this.start_flush(); this.finish_flush(); this.clear_flushed(); }
}
