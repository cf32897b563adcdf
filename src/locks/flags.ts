// state_flags bits (SimpleLock.h, ScatterLock.h).
export const LEASED = 1;
export const NEED_RECOVER = 2;
export const CACHED = 4;
export const SCATTER_WANTED = 256;
export const UNSCATTER_WANTED = 512;
export const DIRTY = 1024;
export const FLUSHING = 2048;
export const FLUSHED = 4096;

/** gcaps_allowed's `who` (SimpleLock.h: CAP_ANY, CAP_LONER, CAP_XLOCKER). */
export const CAP_ANY = 0;
export const CAP_LONER = 1;
export const CAP_XLOCKER = 2;
export type CapWho = typeof CAP_ANY | typeof CAP_LONER | typeof CAP_XLOCKER;

/** Lock-level waiter bits (SimpleLock.h); WAIT_XLOCK and WAIT_STABLE are the same bit. */
export const WAIT_RD = 1;
export const WAIT_WR = 2;
export const WAIT_XLOCK = 4;
export const WAIT_STABLE = 4;
export const WAIT_REMOTEXLOCK = 8;
export const WAIT_ALL = 15;
