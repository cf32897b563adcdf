// Driving a design model by hand: take the enabled action whose describe() text is given, read
// the view, list the properties a state breaks; and replay a design file's steps.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ModelAssertion } from '../../../src/models/Model.js';
import type { Design, DesignModel } from '../../../src/models/designs/design.js';

/** The state after the enabled action described as `text`; throws, listing what is enabled, when none is. */
export function step<S, A>(m: DesignModel<S, A>, s: S, text: string): S {
  const acts = m.actions(s);
  const texts = acts.map((a) => m.describe(s, a));
  const i = texts.indexOf(text);
  if (i < 0) throw new Error(`"${text}" is not enabled; enabled: ${texts.map((t) => `"${t}"`).join(', ') || '(nothing)'}`);
  if (texts.indexOf(text, i + 1) >= 0) throw new Error(`"${text}" names two enabled actions`);
  return m.nextState(s, acts[i]);
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

export interface DesignFile {
  readonly name: string;
  readonly model: string;
  readonly config: unknown;
  readonly steps: readonly Record<string, unknown>[];
}

export function loadDesignFile(path: string): DesignFile {
  const f = parse(readFileSync(path, 'utf8')) as DesignFile;
  if (typeof f?.name !== 'string' || typeof f.model !== 'string' || !Array.isArray(f.steps)) throw new Error(`${path}: needs name, model, steps`);
  return f;
}

/**
 * Replay a design file: each `do:` takes the action of that text, each `expect:` compares view
 * values, `violation: p` asserts property p is broken now (and `violation: none` that none is).
 * Unless a step expects it, every state must keep every property. Returns the final state.
 */
export function replay(designs: readonly Design[], f: DesignFile): unknown {
  const d = designs.find((x) => x.id === f.model);
  if (!d) throw new Error(`no design ${f.model}`);
  const m = d.model(f.config);
  let s = m.initStates()[0];
  let allowed = false;
  f.steps.forEach((st, i) => {
    const where = `${f.name} step ${i + 1}`;
    if (typeof st.do === 'string') {
      try { s = step(m, s, st.do); } catch (e) {
        if (e instanceof ModelAssertion) throw new Error(`${where}: assertion ${e.property}: ${e.message}`);
        throw new Error(`${where}: ${(e as Error).message}`);
      }
      const b = broken(m, s);
      if (b.length && !allowed && !f.steps.slice(i + 1).some((x) => (x.expect as Record<string, unknown> | undefined)?.violation === b[0])) throw new Error(`${where}: breaks ${b.join(', ')} unexpectedly`);
    } else if (st.expect && typeof st.expect === 'object') {
      const v = view(m, s);
      for (const [k, want] of Object.entries(st.expect as Record<string, unknown>)) {
        if (k === 'violation') {
          const b = broken(m, s);
          if (want === 'none') { if (b.length) throw new Error(`${where}: expected no violation, got ${b.join(', ')}`); continue; }
          if (want === 'stuck') {
            const moving = m.actions(s).some((a) => !m.isFault?.(a));
            const why = m.stuck?.(s) ?? null;
            if (moving || why === null) throw new Error(`${where}: expected a stuck state`);
            continue;
          }
          if (!b.includes(String(want))) throw new Error(`${where}: expected ${String(want)} broken, got ${b.join(', ') || 'none'}`);
          allowed = true;
          continue;
        }
        if (!(k in v)) throw new Error(`${where}: no view value "${k}" (have: ${Object.keys(v).join(', ')})`);
        if (v[k] !== String(want)) throw new Error(`${where}: "${k}" is "${v[k]}", expected "${String(want)}"`);
      }
    } else throw new Error(`${where}: a step is do: or expect:`);
  });
  return s;
}
