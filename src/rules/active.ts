// The rule variants the code running now follows. A Locker switch reads `rule(id)`; a lock
// object takes its type, and so its state table, from `activeLockType`. The set is a cluster's:
// createCluster and every simulation step (runOn) enter it with `withRules` for the extent of
// their work, so clusters with different rules never see each other's.
import { LOCK_TYPES, lockType, patchMachine, withMachine, type LockType, type StateMachine } from '../../statemachines/index.js';
import { RULE_VARIANTS, type RuleId } from './variants.js';

interface Compiled {
  readonly ids: ReadonlySet<RuleId>;
  /** The lock types in LOCK_TYPES order, a table variant's machine patched in. */
  readonly types: readonly LockType[];
  /** By type value, as lockType. */
  readonly byValue: readonly LockType[];
}

function compile(rules: readonly RuleId[]): Compiled {
  const machines = new Map<string, StateMachine>();
  for (const id of rules) {
    const c = RULE_VARIANTS.find((v) => v.id === id)!.change;
    if (c.kind !== 'table') continue;
    const sm = machines.get(c.machine) ?? LOCK_TYPES.find((lt) => lt.sm.name === c.machine)!.sm;
    machines.set(c.machine, patchMachine(sm, c.state, c.column, c.was));
  }
  const types = LOCK_TYPES.map((lt) => (machines.has(lt.sm.name) ? withMachine(lt, machines.get(lt.sm.name)!) : lt));
  const byValue: LockType[] = [];
  for (const lt of types) byValue[lt.type] = lt;
  return { ids: new Set(rules), types: Object.freeze(types), byValue };
}

const MAIN = compile([]);
const cache = new Map<string, Compiled>([['', MAIN]]);
let current = MAIN;

function compiled(rules: readonly RuleId[]): Compiled {
  if (rules.length === 0) return MAIN;
  const key = rules.join(',');
  let c = cache.get(key);
  if (!c) cache.set(key, (c = compile(rules)));
  return c;
}

/** Run `fn` under `rules` (a cluster's), then go back to what ran before. */
export function withRules<T>(rules: readonly RuleId[], fn: () => T): T {
  const prev = current;
  current = compiled(rules);
  try {
    return fn();
  } finally {
    current = prev;
  }
}

/** Whether the historical rule `id` is selected: the switch a Locker function reads where the old code differed. */
export const rule = (id: RuleId): boolean => current.ids.has(id);

/** The lock type a new lock object takes under the rules in force. */
export const activeLockType = (type: number): LockType => (current === MAIN ? lockType(type) : current.byValue[type] ?? lockType(type));

/** The lock types under `rules`, in LOCK_TYPES order (what a state encoding names by reference). */
export const lockTypesFor = (rules: readonly RuleId[]): readonly LockType[] => compiled(rules).types;
