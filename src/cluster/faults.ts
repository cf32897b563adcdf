// The faults fuzz and check may draw besides the protocol's own steps, never by default: a
// request killed wherever it is, a lock message delivered twice, a rank failing (and a standby
// taking it over). One list: the loader, the command lines, the check model and the fuzzer all
// read it.
export const FAULTS = ['duplicate', 'kill', 'fail'] as const;

/**
 * Why a workload cannot have failures drawn, or null: a rename prepared for a leader (or on a
 * peer) that fails is not rolled back yet (docs/failure.md).
 */
export const failUnsupported = (ops: readonly string[]): string | null =>
  ops.some((o) => /^rename\b/.test(o)) ? 'the workload renames, and a rename prepared across a failure is not rolled back yet' : null;
export type Fault = (typeof FAULTS)[number];
export type Faults = Readonly<Record<Fault, boolean>>;

export const faultsOf = (names: Iterable<string>): Faults => {
  const on = new Set(names);
  return Object.fromEntries(FAULTS.map((f) => [f, on.has(f)])) as Faults;
};
export const NO_FAULTS: Faults = faultsOf([]);
