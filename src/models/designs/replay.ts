// Replaying a design file: apply each `do:` step (an action enabled in the current state, named
// as describe() names it), check every property after every step (and stuck as check judges it:
// nothing but faults would change the state), and judge each `expect:` against the state's view.
// A violation is accepted when an `expect: { violation: P }` follows it before the next action;
// otherwise it is a problem. `expect: { violation: none }` says the state reached breaks nothing
// (a file's way to show that a recovery worked). The run is a list of events the text and JSON
// printers share.
import { ModelAssertion, type Model } from '../Model.js';
import { stuckNow } from '../../checker/stuck.js';
import { at, ScenarioError, type Loc } from '../../scenario/types.js';
import type { Style } from '../../trace/style.js';
import type { DesignFile } from './file.js';

export type DesignEvent =
  | { readonly type: 'initial'; readonly view: readonly (readonly [string, string])[] }
  | { readonly type: 'action'; readonly n: number; readonly at: string; readonly text: string; readonly changed: readonly (readonly [string, string, string])[] }
  | { readonly type: 'violation'; readonly property: string; readonly message: string }
  | { readonly type: 'expect'; readonly at: string; readonly key: string; readonly expected: string; readonly actual: string; readonly pass: boolean };

export interface DesignRun {
  readonly events: readonly DesignEvent[];
  /** Failed expectations and violations no expectation accepted. */
  readonly problems: readonly { readonly at: string; readonly text: string }[];
  /** The properties the file expects to be broken and are. */
  readonly accepted: readonly string[];
  /** A step that cannot be taken (bad input): the run stops there. */
  readonly error: ScenarioError | null;
}

/** The action enabled in `s` that describe() names `text`, and every enabled action's text (for the error when none is). */
export function actionNamed<S, A>(m: Model<S, A>, s: S, text: string): { action: A | undefined; enabled: string[] } {
  const acts = m.actions(s);
  const enabled = acts.map((x) => m.describe(s, x));
  return { action: acts[enabled.indexOf(text)], enabled };
}

export function runDesign(f: DesignFile): DesignRun {
  const m = f.model;
  const events: DesignEvent[] = [];
  const problems: { at: string; text: string }[] = [];
  const accepted: string[] = [];
  let s = m.initStates()[0];
  let view = m.view(s);
  events.push({ type: 'initial', view: [...view] });
  /** Violations seen and not yet accepted: property -> where it appeared and its message. */
  const open = new Map<string, { loc: Loc; message: string }>();
  const seen = new Set<string>();
  /** The properties the current state breaks, for `violation: none`. */
  let now: string[] = [];
  let stopped = false;
  const note = (property: string, message: string, loc: Loc) => {
    if (seen.has(property)) return;
    seen.add(property);
    open.set(property, { loc, message });
    events.push({ type: 'violation', property, message });
  };
  const judge = (loc: Loc) => {
    now = [];
    for (const p of m.properties) { const msg = p.check(s); if (msg !== null) { now.push(p.name); note(p.name, msg, loc); } }
    const why = stuckNow(m, s);
    if (why !== null) { now.push('stuck'); note('stuck', why, loc); }
  };
  judge({ file: f.file, line: 1, col: 1 });
  let n = 0;
  for (const st of f.steps ?? []) {
    if (st.kind === 'do') {
      if (stopped) return { events, problems, accepted, error: new ScenarioError(st.loc, 'no action can follow a failed assertion') };
      const { action: a, enabled } = actionNamed(m, s, st.text);
      if (a === undefined) {
        return { events, problems, accepted, error: new ScenarioError(st.loc, `'${st.text}' is not enabled here; enabled: ${enabled.length ? enabled.map((e) => `'${e}'`).join(', ') : 'nothing'}`) };
      }
      // violations not accepted by now are problems
      for (const [p, v] of open) problems.push({ at: at(v.loc), text: `${p} is violated: ${v.message}` });
      open.clear();
      n++;
      try {
        s = m.nextState(s, a);
      } catch (e) {
        if (!(e instanceof ModelAssertion)) throw e;
        events.push({ type: 'action', n, at: at(st.loc), text: st.text, changed: [] });
        now = [e.property];
        note(e.property, e.message, st.loc);
        stopped = true;
        continue;
      }
      const next = m.view(s);
      events.push({ type: 'action', n, at: at(st.loc), text: st.text, changed: [...next].filter(([k, v]) => view.get(k) !== v).map(([k, v]) => [k, view.get(k) ?? '', v] as const) });
      view = next;
      judge(st.loc);
    } else {
      for (const x of st.entries) {
        if (x.key === 'violation' && x.value === 'none') {
          const actual = now.join(', ') || 'none', pass = now.length === 0;
          events.push({ type: 'expect', at: at(x.loc), key: 'violation', expected: 'none', actual, pass });
          if (!pass) problems.push({ at: at(x.loc), text: `expected violation none, got ${actual}` });
          continue;
        }
        if (x.key === 'violation') {
          const pass = open.has(x.value) || accepted.includes(x.value);
          if (open.delete(x.value)) accepted.push(x.value);
          const actual = [...seen].join(', ') || 'none';
          events.push({ type: 'expect', at: at(x.loc), key: 'violation', expected: x.value, actual, pass });
          if (!pass) problems.push({ at: at(x.loc), text: `expected violation ${x.value}, got ${actual}` });
          continue;
        }
        const actual = view.get(x.key);
        if (actual === undefined) return { events, problems, accepted, error: new ScenarioError(x.loc, `no view value '${x.key}' (values: ${[...view.keys()].map((k) => `'${k}'`).join(', ')}, violation)`) };
        const pass = actual === x.value;
        events.push({ type: 'expect', at: at(x.loc), key: x.key, expected: x.value, actual, pass });
        if (!pass) problems.push({ at: at(x.loc), text: `${x.key}: expected '${x.value}', got '${actual}'` });
      }
    }
  }
  for (const [p, v] of open) problems.push({ at: at(v.loc), text: `${p} is violated: ${v.message}` });
  return { events, problems, accepted, error: null };
}

export function designExit(r: DesignRun): number { return r.error ? 2 : r.problems.length ? 1 : 0; }

export function designHeader(f: DesignFile): string { return `# ${f.file}: ${f.name} (model ${f.design.id})`; }

/** An event as trace lines. */
export function printDesignEvent(e: DesignEvent, st: Style): string[] {
  switch (e.type) {
    case 'initial': return e.view.map(([k, v]) => `${st.dim('initial')} ${k}: ${v}`);
    case 'action': return [`[${e.n}] ${e.text}`, ...e.changed.map(([k, a, b]) => `    ${k}: ${a} -> ${b}`)];
    case 'violation': return [`${st.bad('violation')} ${e.property}: ${e.message}`];
    case 'expect': return [`${e.pass ? st.ok('ok') : st.bad('FAIL')} ${e.key}: ${e.pass ? e.actual : `expected '${e.expected}', got '${e.actual}'`}`];
  }
}

export function designVerdict(f: DesignFile, r: DesignRun, st: Style): string {
  const code = designExit(r);
  const expects = r.events.filter((e) => e.type === 'expect').length;
  if (code === 0) return `${st.ok('PASS')} ${f.file} (${expects} expectation${expects === 1 ? '' : 's'}${r.accepted.length ? `; reproduces ${r.accepted.join(', ')}` : ''})\n`;
  const list = r.error ? [`step at ${r.error.line}`] : r.problems.map((p) => `step at ${p.at}: ${p.text}`);
  return `${code === 2 ? st.bad('ERROR') : st.bad('FAIL')} ${f.file}: ${list.length === 1 ? list[0] : `${list.length} problems: ${list.join('; ')}`}\n`;
}
