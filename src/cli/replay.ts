// `mdslock replay <paths...>`: run scenario files (directories and globs expand to the files
// under them), print each trace and a verdict line naming every problem, and with several
// files a totals line. Invariants are checked after every step unless --no-check. Output
// streams as the run goes (text, --json as one document, --jsonl one event per line); a closed
// pipe ends the command quietly. Exit 0 all pass, 1 a file failed (an expectation, a
// violation, an unexpected MDS abort or livelock), 2 bad input anywhere (a file that does not
// load, a step the simulator refuses, a bad option).
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadScenario, parseScenario } from '../scenario/load.js';
import { runEvents, runRules, type RunEvent, type RunOptions, type RunSummary } from '../scenario/run.js';
import { rulesOption } from './options.js';
import { CephLogWriter } from '../logs/cephLog.js';
import { MermaidWriter } from '../trace/mermaid.js';
import { writeSequenceHtml } from '../pictures/sequenceHtml.js';
import { oneLine, quote } from '../trace/quote.js';
import type { TraceEvent } from '../locker/context.js';
import type { RuleId } from '../rules/variants.js';
import { exitCode, printRunEvent, traceHeader, verdict } from '../scenario/report.js';
import { endJson, eventJson, fileJson, writeFinalLines, writeFinalState } from '../scenario/json.js';
import { applyEdits, planUpdate, type Change } from '../scenario/update.js';
import { loadErrors, type Scenario } from '../scenario/types.js';
import type { StateMode } from '../scenario/state.js';
import { waits, whyJson, whyLines } from '../inspect/why.js';
import type { Style } from '../trace/style.js';
import { expandPaths } from './paths.js';
import { designName, isDesignFile } from '../models/designs/file.js';
import { clusterOnly, replayDesign } from './replayDesign.js';
import { exitWith, outStyle, type Cli } from './context.js';
import type { Sink } from './output.js';

export interface ReplayOptions {
  seed?: number;
  rules?: readonly RuleId[];
  json?: boolean;
  jsonl?: boolean;
  quiet?: boolean;
  check?: boolean;
  state?: StateMode | true;
  why?: boolean;
  update?: boolean;
  filter?: RegExp;
  cephLog?: boolean;
  mermaid?: boolean;
  /** Write each run as an HTML viewer: this file (one scenario), or a directory (a file per scenario). */
  html?: string;
}

export interface ReplayIO {
  out: Sink;
  err(s: string): void;
  style: Style;
}

type Format = 'text' | 'json' | 'jsonl' | 'ceph-log' | 'mermaid' | 'html';

/** Replay every path; returns the exit code (the worst over the files). */
export async function replay(paths: readonly string[], opts: ReplayOptions, io: ReplayIO): Promise<number> {
  const format: Format = opts.html !== undefined ? 'html' : opts.mermaid ? 'mermaid' : opts.cephLog ? 'ceph-log' : opts.jsonl ? 'jsonl' : opts.json ? 'json' : 'text';
  // a walk takes design files too, unless an option only cluster scenarios have says otherwise
  const { files, errors } = expandPaths(paths, { designs: clusterOnly(opts).length === 0 });
  for (const e of errors) io.err(`${e}\n`);
  const htmlDir = opts.html !== undefined && (opts.html.endsWith('/') || isDirectory(opts.html));
  if (opts.html !== undefined && !htmlDir && files.length > 1) {
    io.err(`--html ${opts.html}: ${files.length} scenarios would write one file; give a directory\n`);
    return 2;
  }
  let code = errors.length ? 2 : 0;
  const totals = { passed: 0, failed: 0, errors: errors.length };
  let first = true;
  if (format === 'json') io.out.write('{"files":[');
  for (const file of files) {
    if (isDesignFile(file)) {
      const used = clusterOnly(opts);
      if (used.length) { io.err(`${file}: ${used.join(', ')}: only for cluster scenarios, not design files\n`); totals.errors++; code = 2; continue; }
      if (opts.filter && !opts.filter.test(file) && !opts.filter.test(designName(file))) continue;
      if (format === 'json') { io.out.write(first ? '\n' : ',\n'); first = false; }
      const c = await replayDesign(file, format === 'json' || format === 'jsonl' ? format : 'text', opts, io);
      code = Math.max(code, c);
      if (c === 0) totals.passed++; else if (c === 1) totals.failed++; else totals.errors++;
      continue;
    }
    let scenario: Scenario;
    try {
      scenario = loadScenario(file);
    } catch (e) {
      const errs = loadErrors(e);
      for (const x of errs) io.err(x.line + '\n');
      totals.errors++;
      code = 2;
      const doc = { file, verdict: 'error', problems: errs.map((x) => ({ kind: 'load', at: `${x.loc.file}:${x.loc.line}:${x.loc.col}`, text: x.message })) };
      if (format === 'json') { io.out.write(`${first ? '' : ','}\n${JSON.stringify(doc)}`); first = false; }
      if (format === 'jsonl') io.out.write(JSON.stringify({ type: 'file', ...doc }) + '\n');
      continue;
    }
    if (opts.filter && !opts.filter.test(scenario.name) && !opts.filter.test(file)) continue;
    if (format === 'json') { io.out.write(first ? '\n' : ',\n'); first = false; }
    const c = format === 'html' ? await replayHtml(scenario, opts, htmlDir ? join(opts.html!, `${basename(file).replace(/\.ya?ml$/, '')}.html`) : opts.html!, io) : await replayOne(scenario, opts, format, io);
    code = Math.max(code, c);
    if (c === 0) totals.passed++; else if (c === 1) totals.failed++; else totals.errors++;
  }
  const ran = totals.passed + totals.failed + totals.errors;
  if (format === 'json') io.out.write(`\n],"totals":${JSON.stringify(totals)}}\n`);
  if (format === 'jsonl') io.out.write(JSON.stringify({ type: 'totals', ...totals }) + '\n');
  if ((format === 'text' || format === 'html') && ran > 1) {
    io.out.write(`${totals.passed} passed, ${totals.failed} failed, ${totals.errors} error${totals.errors === 1 ? '' : 's'}\n`);
  }
  if (ran === 0 && files.length > 0 && opts.filter) io.err(`no scenario matches -t ${opts.filter.source}\n`);
  await io.out.flush(true);
  return code;
}

/** What the options ask of a run (the viewer asks for its listings itself). */
const runOptions = (opts: ReplayOptions): RunOptions => ({
  ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  ...(opts.rules ? { rules: opts.rules } : {}),
  check: opts.check ?? true,
  ...(opts.state ? { state: opts.state === true ? 'nondefault' : opts.state } : {}),
});

/** One run written as the HTML viewer; prints the verdict line. */
async function replayHtml(s: Scenario, opts: ReplayOptions, path: string, io: ReplayIO): Promise<number> {
  let summary: RunSummary;
  try {
    summary = writeSequenceHtml(s, runOptions(opts), path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (!err.code) throw e;
    io.err(`--html ${quote(path)}: ${err.code === 'ENOENT' ? 'no such directory' : err.code === 'EACCES' ? 'permission denied' : err.message}\n`);
    return 2;
  }
  if (summary.outcome.kind === 'error') io.err(summary.outcome.error.line + '\n');
  io.out.write(verdict(s, summary, io.style));
  io.err(`wrote ${oneLine(path)}\n`);
  return exitCode(summary);
}

async function replayOne(s: Scenario, opts: ReplayOptions, format: Format, io: ReplayIO): Promise<number> {
  const runOpts = runOptions(opts);
  const seed = opts.seed ?? s.seed;
  const rules = runRules(s, runOpts);
  const events = !opts.quiet;
  if (format === 'text' && events) io.out.write(traceHeader(s, seed, rules, io.style) + '\n');
  if (format === 'json') io.out.write(`${JSON.stringify(fileJson(s, seed, rules)).slice(0, -1)}${events ? ',"events":[' : ''}`);
  if (format === 'jsonl') io.out.write(JSON.stringify({ type: 'file', ...fileJson(s, seed, rules) }) + '\n');
  const ceph = format === 'ceph-log' ? new CephLogWriter() : null;
  const mermaid = format === 'mermaid' ? new MermaidWriter([...Array.from({ length: s.topology.ranks }, (_, r) => r), ...(s.topology.clients ?? []).map((c) => -c.id)]) : null;
  if (mermaid) io.out.write(mermaid.header(s.name).join('\n') + '\n');
  const gen = runEvents(s, runOpts);
  let n = 0;
  let summary: RunSummary;
  for (;;) {
    const next = gen.next();
    if (next.done) { summary = next.value; break; }
    if (ceph) { const l = ceph.line(next.value as TraceEvent, n++); if (l) io.out.write(l + '\n'); }
    else if (mermaid) { for (const l of mermaid.lines(next.value)) io.out.write(l + '\n'); }
    else if (events) writeEvent(next.value, format, n++, io);
    await io.out.flush();
  }
  if (format === 'json' && events) io.out.write(']');
  if (summary.outcome.kind === 'error') io.err(summary.outcome.error.line + '\n');
  if (format === 'ceph-log' || format === 'mermaid') return exitCode(summary);

  const changes = opts.update ? update(s, summary) : [];
  if (changes.some((ch) => ch.done)) summary = withUpdated(summary, changes);
  const ws = opts.why ? waits(summary.cluster) : null;
  const code = exitCode(summary);

  if (format === 'text') {
    for (const ch of changes) io.out.write(`${ch.done ? io.style.ok('updated') : io.style.bad('not updated')} ${ch.at} ${ch.what}: ${ch.text}\n`);
    if (ws) io.out.write(whyLines(ws).map((l) => `${io.style.dim('why')} ${l}\n`).join(''));
    io.out.write(verdict(s, summary, io.style));
    return code;
  }
  const end = { ...endJson(summary), ...(opts.update ? { updated: changes } : {}), ...(ws ? whyJson(ws) : {}) };
  if (format === 'json') {
    io.out.write(`,${JSON.stringify(end).slice(1, -1)}`);
    await writeFinalState(io.out, summary.cluster);
    io.out.write('}');
  } else {
    io.out.write(JSON.stringify({ type: 'end', file: s.file, ...end }) + '\n');
    await writeFinalLines(io.out, summary.cluster);
  }
  return code;
}

function writeEvent(e: RunEvent, format: Format, n: number, io: ReplayIO): void {
  if (format === 'text') io.out.write(printRunEvent(e, io.style) + '\n');
  else if (format === 'json') io.out.write(`${n ? ',' : ''}\n${JSON.stringify(eventJson(e))}`);
  else io.out.write(JSON.stringify(eventJson(e)) + '\n');
}

/** Write the actual values of failed expectations into the file; returns what was (and was not) changed. */
function update(s: Scenario, run: RunSummary): Change[] {
  const text = readFileSync(s.file, 'utf8');
  const { edits, changes } = planUpdate(text, run.results);
  if (edits.length === 0) return changes;
  const next = applyEdits(text, edits);
  try {
    parseScenario(next, s.file); // never leave a file that no longer loads
  } catch (e) {
    const why = loadErrors(e)[0]?.line ?? String(e);
    return changes.map((ch) => ({ ...ch, done: false, text: `left unchanged: the updated file would not load (${why})` }));
  }
  writeFileSync(s.file, next);
  return changes;
}

/** The run with the updated expectations counted as passing (as vitest -u does). */
function withUpdated(run: RunSummary, changes: readonly Change[]): RunSummary {
  const done = new Set(changes.filter((c) => c.done).map((c) => `${c.at} ${c.what}`));
  const results = run.results.map((r) => (done.has(`${r.loc.file}:${r.loc.line}:${r.loc.col} ${r.what}`) ? { ...r, pass: true, expected: r.actual } : r));
  // an updated abort or violation expectation now accepts what happened
  const accepted = results.some((r) => r.check.kind === 'abort' && r.pass);
  const outcome = accepted && run.outcome.kind === 'abort' ? { ...run.outcome, expected: true } : run.outcome;
  return { ...run, results, outcome };
}

const isDirectory = (p: string): boolean => { try { return statSync(p).isDirectory(); } catch { return false; } };

const int = (what: string) => (s: string): number => {
  if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw new InvalidArgumentError(`${what} is an integer`);
  return Number(s);
};

function pattern(s: string): RegExp {
  try { return new RegExp(s); } catch { throw new InvalidArgumentError(`'${s}' is not a regular expression`); }
}

export function replayCommand(cli: Cli): Command {
  return new Command('replay')
    .description('run scenario files: print each trace and a PASS/FAIL verdict naming every problem; invariants are checked after every step (exit 0 pass, 1 a failure, 2 bad input)')
    .argument('<paths...>', 'scenario files, directories (every .yaml/.yml under them) or quoted globs')
    .option('--seed <n>', "scheduler seed, overriding each file's seed", int('the seed'))
    .option('--rules <ids>', "historical rule variants (comma-separated; `main` for none), overriding each file's rules (mdslock rules lists them)", rulesOption)
    .option('--json', 'one JSON document (schema: docs/schemas/replay.schema.json), written as the run goes')
    .option('--jsonl', 'one JSON object per line: file, each event, end, the final state, totals')
    .option('--mermaid', 'the run as a Mermaid sequenceDiagram: a lane per rank and client, an arrow per message delivered, Locker lines as notes (to paste into docs and tickets)')
    .option('--html <file>', 'write the run as a self-contained HTML sequence-chart viewer (offline; step through it in a browser); a directory takes one file per scenario; prints the verdict')
    .option('--ceph-log', "only the Locker's lines, as Ceph's MDS debug log prints them (mdslock log reads them back); the exit code as usual")
    .option('--quiet', 'only the verdict lines (with --json: no events)')
    .option('--no-check', 'do not check the invariants (for very large runs: checking costs a walk over the cluster per step)')
    .addOption(new Option('--state [mode]', 'after each step, print lock states: nondefault (without a mode: the locks not in their initial print), changed (what the step changed), all').choices(['nondefault', 'changed', 'all']))
    .option('--why', 'after each file, the wait-for graph: every waiting request, what it waits on, deadlocks')
    .option('-u, --update', 'write the actual values into failed or unfilled expectations (keeps comments and layout)')
    .option('-t, --filter <pattern>', 'run only scenarios whose name or path matches this regular expression', pattern)
    .action(async (paths: string[], opts: ReplayOptions, cmd: Command) => {
      if ([opts.json, opts.jsonl, opts.cephLog, opts.mermaid, opts.html !== undefined].filter(Boolean).length > 1) throw new InvalidArgumentError('--json, --jsonl, --ceph-log, --mermaid and --html: choose one');
      exitWith(cli, await replay(paths, opts, { out: cli.out, err: cli.err, style: outStyle(cli, cmd) }));
    });
}
