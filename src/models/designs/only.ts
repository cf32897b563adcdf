// A design model restricted to some of its properties (`check --property`, and the models page,
// which checks each property apart: a search stops at its first violation, and a page that says
// what holds must not let one broken property hide the others).
import type { DesignModel } from './design.js';

export function onlyProperties<S, A>(m: DesignModel<S, A>, names: readonly string[]): DesignModel<S, A> {
  const keep = new Set(names);
  const r = Object.create(m) as { -readonly [K in keyof DesignModel<S, A>]: DesignModel<S, A>[K] };
  r.properties = m.properties.filter((p) => keep.has(p.name));
  r.stuck = keep.has('stuck') ? m.stuck : undefined;
  return r;
}

/** Every property a design model checks, `stuck` included when it has a stuck test. */
export function propertyNames(m: DesignModel<unknown, unknown>): string[] {
  return [...m.properties.map((p) => p.name), ...(m.stuck ? ['stuck'] : [])];
}
