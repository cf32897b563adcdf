// The faults fuzz and check may draw besides the protocol's own steps, never by default: a
// request killed wherever it is, a lock message delivered twice. One list: the loader, the
// command lines, the check model and the fuzzer all read it. (A rank failing is a scenario
// step, `fail`; neither fuzz nor check draws it yet.)
export const FAULTS = ['duplicate', 'kill'] as const;
export type Fault = (typeof FAULTS)[number];
export type Faults = Readonly<Record<Fault, boolean>>;

export const faultsOf = (names: Iterable<string>): Faults => {
  const on = new Set(names);
  return Object.fromEntries(FAULTS.map((f) => [f, on.has(f)])) as Faults;
};
export const NO_FAULTS: Faults = faultsOf([]);
