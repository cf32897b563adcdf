// Driving a design model by hand in unit tests: take the enabled action of a describe() text (as
// a design file's `do:` names it, through replay's own lookup), read the view, list the
// properties a state breaks.
import type { DesignModel } from '../../../src/models/designs/design.js';
import { actionNamed } from '../../../src/models/designs/replay.js';

/** The state after the enabled action described as `text`; throws, listing what is enabled, when none is. */
export function step<S, A>(m: DesignModel<S, A>, s: S, text: string): S {
  const { action, enabled } = actionNamed(m, s, text);
  if (action === undefined) throw new Error(`"${text}" is not enabled; enabled: ${enabled.map((t) => `"${t}"`).join(', ') || '(nothing)'}`);
  return m.nextState(s, action);
}

/** Take several actions in order from `s` (the model's first initial state by default). */
export function run<S, A>(m: DesignModel<S, A>, texts: readonly string[], s: S = m.initStates()[0]): S {
  for (const t of texts) s = step(m, s, t);
  return s;
}

/** The enabled actions' texts. */
export const enabled = <S, A>(m: DesignModel<S, A>, s: S): string[] => m.actions(s).map((a) => m.describe(s, a));

/** The names of the properties `s` breaks. */
export const broken = <S, A>(m: DesignModel<S, A>, s: S): string[] => m.properties.filter((p) => p.check(s) !== null).map((p) => p.name);

export const view = <S, A>(m: DesignModel<S, A>, s: S): Record<string, string> => Object.fromEntries(m.view(s));
