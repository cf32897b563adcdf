// A run as one self-contained HTML file (`replay --html`, and beside each `check`
// counterexample): a message sequence chart with a lane per rank and client, stepped through in
// the browser. The page carries the run as data (the events as `replay --jsonl` writes them, one
// per line, with the lock listing and the wait-for graph after every step) and the viewer's own
// CSS and JS inline: no network, no install. It is written as the run goes, so a long run never
// sits in memory here.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { endpointName } from '../cluster/network.js';
import { runEvents, runRules, type RunOptions, type RunSummary } from '../scenario/run.js';
import { endJson, eventJson, fileJson } from '../scenario/json.js';
import type { Scenario } from '../scenario/types.js';
import { loadScenario } from '../scenario/load.js';

const asset = (name: string) => readFileSync(new URL(`./viewer/${name}`, import.meta.url), 'utf8');

/** JSON that can sit inside a <script> element: no `<` to end it early. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The comment lines a scenario file opens with: what it is about. */
export function headerComment(text: string): string {
  const lines: string[] = [];
  for (const l of text.split('\n')) {
    if (!l.startsWith('#')) break;
    lines.push(l.replace(/^# ?/, ''));
  }
  return lines.join('\n');
}

/** The lanes, in the chart's order: ranks, then the declared clients. */
export const lanesOf = (s: Scenario): string[] => [
  ...Array.from({ length: s.topology.ranks }, (_, r) => `mds.${r}`),
  ...(s.topology.clients ?? []).map((c) => endpointName(-c.id)),
];

/**
 * Run `s` and write its viewer to `path`; returns the run's summary. The run asks for what the
 * viewer shows at every step (the locks each step changed, the wait-for graph); `opts` says
 * the rest (seed, rules).
 */
export function writeSequenceHtml(s: Scenario, opts: RunOptions, path: string): RunSummary {
  const seed = opts.seed ?? s.seed;
  const meta = { ...fileJson(s, seed, runRules(s, opts)), about: headerComment(readFileSync(s.file, 'utf8')), lanes: lanesOf(s) };
  const fd = openSync(path, 'w');
  try {
    const w = (text: string) => writeSync(fd, text);
    w(`<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n`);
    w(`<title>${escapeHtml(`${s.name} — mdslock`)}</title>\n<style>\n${asset('viewer.css')}</style>\n</head>\n<body>\n`);
    w(`<script type="application/json" id="meta">${scriptJson(meta)}</script>\n<script type="application/x-ndjson" id="events">\n`);
    const gen = runEvents(s, { ...opts, state: 'changed', waits: true });
    let summary: RunSummary;
    for (;;) {
      const n = gen.next();
      if (n.done) { summary = n.value; break; }
      w(scriptJson(eventJson(n.value)) + '\n');
    }
    w(`</script>\n<script type="application/json" id="end">${scriptJson(endJson(summary))}</script>\n`);
    w(`<script>\n${asset('viewer.js')}</script>\n</body>\n</html>\n`);
    return summary;
  } finally {
    closeSync(fd);
  }
}

/** The viewer of a counterexample scenario, written beside it (`x.yaml` -> `x.html`); returns its path. */
export function writeViewerBeside(scenarioFile: string): string {
  const path = scenarioFile.replace(/\.ya?ml$/, '') + '.html';
  writeSequenceHtml(loadScenario(scenarioFile), {}, path);
  return path;
}
