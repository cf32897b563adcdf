// SimpleLock::print / _print, ScatterLock::print and LocalLockC::print (objects.md §5):
//   (<type> <state>[ g=r1,r2][ l][ r=N][ w=N][ x=N[ by request(<reqid>)]][ dirty][ flushing][ flushed][ scatter_wanted])
// The mutation after ` by ` is rendered as `request(<reqid>)`, a fixed abbreviation of the
// daemon's longer request print.
import { stateName } from '../../statemachines/index.js';
import { SimpleLock, ScatterLock, LocalLock, LEASED } from '../locks/index.js';
import { PLAIN, type Style } from './style.js';

export function printLock(lock: SimpleLock, st: Style = PLAIN): string {
  let s = `(${st.lockType(lock.lt.name)} `;
  s += lock.is_stable() ? st.stableState(stateName(lock.state)) : st.unstableState(stateName(lock.state));
  if (lock.gather_set !== 0) s += ' ' + st.gather(`g=${lock.gather_ranks().join(',')}`);
  if (lock.state_flags & LEASED) s += ' ' + st.flag('l');
  if (lock.num_rdlock > 0) s += ' ' + st.counts(`r=${lock.num_rdlock}`);
  if (lock.num_wrlock > 0) s += ' ' + st.counts(`w=${lock.num_wrlock}`);
  if (lock.num_xlock > 0) {
    s += ' ' + st.counts(`x=${lock.num_xlock}`);
    if (lock.xlock_by !== null) s += ' by ' + st.dim(`request(${lock.xlock_by})`);
  }
  if (lock instanceof ScatterLock) {
    if (lock.is_dirty()) s += ' ' + st.flag('dirty');
    if (lock.is_flushing()) s += ' ' + st.flag('flushing');
    if (lock.is_flushed()) s += ' ' + st.flag('flushed');
    if (lock.get_scatter_wanted()) s += ' ' + st.flag('scatter_wanted');
  } else if (lock instanceof LocalLock && lock.last_wrlock_client >= 0) {
    s += ' ' + st.dim(`last_client=${lock.last_wrlock_client}`);
  }
  return s + ')';
}
