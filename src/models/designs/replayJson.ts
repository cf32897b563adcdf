// A design file's replay as JSON (docs/schemas/replay.schema.json: $defs/designFile for --json,
// the design lines of $defs/jsonLine for --jsonl): the file, each event, and the end, named as
// the trace prints them.
import type { DesignFile } from './file.js';
import { designExit, type DesignEvent, type DesignRun } from './replay.js';

export function designFileJson(f: DesignFile): { file: string; name: string; model: string } {
  return { file: f.file, name: f.name, model: f.design.id };
}

export function designEventJson(e: DesignEvent): object {
  switch (e.type) {
    case 'initial': return { type: 'initial', view: Object.fromEntries(e.view) };
    case 'action': return { type: 'action', index: e.n, at: e.at, text: e.text, changed: Object.fromEntries(e.changed.map(([k, from, to]) => [k, { from, to }])) };
    case 'violation': return { type: 'property', property: e.property, message: e.message };
    case 'expect': return { type: 'expect', at: e.at, what: e.key, expected: e.expected, actual: e.actual, pass: e.pass };
  }
}

/** What a run ends with: verdict, problems, expectations, violations (accepted or not). */
export function designEndJson(f: DesignFile, r: DesignRun): object {
  const seen = r.events.flatMap((e) => (e.type === 'violation' ? [{ property: e.property, message: e.message }] : []));
  const code = designExit(r);
  return {
    model: f.design.id,
    verdict: code === 0 ? 'pass' : code === 1 ? 'fail' : 'error',
    problems: [
      ...r.problems.map((p) => ({ kind: /^expected |: expected '/.test(p.text) ? 'expectation' : 'violation', at: p.at, text: p.text })),
      ...(r.error ? [{ kind: 'error', at: `${r.error.loc.file}:${r.error.loc.line}:${r.error.loc.col}`, text: r.error.message }] : []),
    ],
    results: r.events.flatMap((e) => (e.type === 'expect' ? [{ at: e.at, what: e.key, expected: e.expected, actual: e.actual, pass: e.pass }] : [])),
    violations: seen.filter((v) => !r.accepted.includes(v.property)),
    accepted: seen.filter((v) => r.accepted.includes(v.property)),
  };
}
