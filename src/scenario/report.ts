// What `mdslock replay` prints for one run: the trace (step headers, trace events, checks)
// and the verdict line.
import { printEvent } from '../trace/printEvent.js';
import type { Style } from '../trace/style.js';
import type { CheckResult, RunEvent, RunResult } from './run.js';
import { at, type Scenario } from './types.js';

export function printRunEvent(e: RunEvent, st: Style): string {
  switch (e.kind) {
    case 'step': return st.dim(`# ${at(e.loc)} ${e.text}`);
    case 'check': return printCheck(e.result, st);
    default: return printEvent(e, st);
  }
}

function printCheck(r: CheckResult, st: Style): string {
  if (r.pass) return `${st.ok("ok")} ${r.what}: ${r.actual}`;
  return `${st.bad('FAILED')} ${r.what} at ${at(r.loc)}\n  expected ${r.expected}\n  got      ${r.actual}`;
}

/** The trace of a run, one line per event, headed by the scenario's name and seed. */
export function printTrace(s: Scenario, run: RunResult, st: Style): string {
  const lines = [st.dim(`# ${s.file}: ${s.name} (seed ${run.seed})`), ...run.events.map((e) => printRunEvent(e, st))];
  return lines.join('\n') + '\n';
}

/** `PASS file (N expectations)` or `FAIL file: step at file:line:col: ...`; empty for bad input. */
export function verdict(s: Scenario, run: RunResult, st: Style): string {
  if (run.outcome.kind === 'error') return '';
  if (run.outcome.kind === 'abort') return `${st.bad('FAIL')} ${s.file}: step at ${at(run.outcome.loc)}: ${run.outcome.message}\n`;
  const failed = run.results.filter((r) => !r.pass);
  if (failed.length === 0) return `${st.ok('PASS')} ${s.file} (${run.results.length} expectation${run.results.length === 1 ? '' : 's'})\n`;
  const f = failed[0];
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more failed expectation${failed.length > 2 ? 's' : ''})` : '';
  return `${st.bad('FAIL')} ${s.file}: step at ${at(f.loc)}: ${f.what}: expected ${f.expected}, got ${f.actual}${more}\n`;
}

/** 0 pass, 1 an expectation failed or an MDS would abort, 2 bad input. */
export function exitCode(run: RunResult): number {
  if (run.outcome.kind === 'error') return 2;
  if (run.outcome.kind === 'abort') return 1;
  return run.results.every((r) => r.pass) ? 0 : 1;
}
