// The faults fuzz and check may draw besides the protocol's own steps, never by default: a
// request killed wherever it is, a lock message delivered twice, a rank failing, a directory's
// dirfrag exported to another rank (the balancer moving a subtree; check only, as a rank
// failing: the fuzzer does not draw them yet). One list: the loader, the command lines, the
// check model and the fuzzer all read it.
export const FAULTS = ['duplicate', 'kill', 'fail', 'export'] as const;

/**
 * Why a workload cannot have failures or exports drawn, or null: a rename prepared for a
 * leader (or on a peer) that fails is not rolled back yet (docs/failure.md), and a rename
 * moving an inode's auth while its subtree migrates is not modelled (docs/migration.md).
 */
export const faultUnsupported = (fault: 'fail' | 'export', ops: readonly string[]): string | null =>
  !ops.some((o) => /^rename\b/.test(o)) ? null
    : fault === 'fail' ? 'the workload renames, and a rename prepared across a failure is not rolled back yet'
      : 'the workload renames, and a rename moving an inode\'s auth during an export is not modelled';

/** The first fault of `faults` the workload cannot have, with why; null if none. */
export function faultsUnsupported(faults: readonly string[], ops: readonly string[]): string | null {
  for (const f of ['fail', 'export'] as const) {
    const why = faults.includes(f) ? faultUnsupported(f, ops) : null;
    if (why) return `${f}: ${why}`;
  }
  return null;
}
export type Fault = (typeof FAULTS)[number];
/** What the fuzzer draws (a failure not yet). */
export const FUZZ_FAULTS: readonly Fault[] = ['duplicate', 'kill'];
export type Faults = Readonly<Record<Fault, boolean>>;

export const faultsOf = (names: Iterable<string>): Faults => {
  const on = new Set(names);
  return Object.fromEntries(FAULTS.map((f) => [f, on.has(f)])) as Faults;
};
export const NO_FAULTS: Faults = faultsOf([]);
