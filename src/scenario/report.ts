// What `mdslock replay` prints for one run: the trace (step headers with the comment written
// above each step, trace events, checks, violations, states) and the verdict line naming every
// problem, with the exit code they make.
import { printEvent } from '../trace/printEvent.js';
import { whyLines } from '../inspect/why.js';
import type { Style } from '../trace/style.js';
import type { RunEvent, RunSummary } from './run.js';
import type { CheckResult } from './check.js';
import { at, type Loc, type Scenario } from './types.js';

/** One problem of a run, as the verdict names it. */
export interface Problem {
  readonly kind: 'expectation' | 'violation' | 'abort' | 'livelock' | 'error';
  readonly at: Loc;
  readonly text: string;
}

export function printRunEvent(e: RunEvent, st: Style): string {
  switch (e.kind) {
    case 'step': {
      const head = st.dim(`# [${e.index}] ${at(e.loc)} ${e.text}`);
      return e.comment ? `${e.comment.split('\n').map((l) => st.dim(`#${l}`)).join('\n')}\n${head}` : head;
    }
    case 'check': return printCheck(e.result, st);
    case 'violation': {
      const v = e.violation;
      return `${st.bad('VIOLATION')} ${v.message} (after the step at ${at(v.loc)}${v.locks.length ? `; locks: ${v.locks.join(', ')}` : ''})`;
    }
    case 'state': {
      const head = st.dim(`# state ${e.index ? `after step ${e.index}` : 'at the start'}${e.mode === 'changed' ? ' (what it changed)' : e.mode === 'all' ? '' : ' (locks not in their initial print)'}:`);
      return [head, ...e.lines.map((l) => `  ${st.rank(`mds.${l.rank}`)} ${l.name} ${l.text}`)].join('\n');
    }
    case 'waits': return [st.dim(`# waits after step ${e.index}:`), ...whyLines(e.waits).map((l) => `  ${l}`)].join('\n');
    default: return printEvent(e, st);
  }
}

function printCheck(r: CheckResult, st: Style): string {
  if (r.pass) return `${st.ok('ok')} ${r.what}: ${r.actual}`;
  return `${st.bad('FAILED')} ${r.what} at ${at(r.loc)}\n  expected ${r.expected}\n  got      ${r.actual}`;
}

export const traceHeader = (s: Scenario, seed: number, rules: readonly string[], st: Style): string =>
  st.dim(`# ${s.file}: ${s.name} (seed ${seed}${rules.length ? `; historical rules: ${rules.join(', ')}` : ''})`);

/** Every problem of a run, in the order they happened. */
export function problems(run: RunSummary): Problem[] {
  const out: Problem[] = [];
  for (const r of run.results) {
    if (!r.pass) out.push({ kind: 'expectation', at: r.loc, text: `${r.what}: expected ${r.expected}, got ${r.actual}` });
  }
  for (const v of run.violations) out.push({ kind: 'violation', at: v.loc, text: v.message });
  const o = run.outcome;
  if ((o.kind === 'abort' || o.kind === 'livelock') && !o.expected) out.push({ kind: o.kind, at: o.loc, text: o.message });
  if (o.kind === 'error') out.push({ kind: 'error', at: o.error.loc, text: o.error.message });
  return out.sort((a, b) => a.at.line - b.at.line || a.at.col - b.at.col);
}

/** 0 pass; 1 a failed expectation, violation or unexpected abort; 2 a step the simulator refused (bad input). */
export function exitCode(run: RunSummary): number {
  if (run.outcome.kind === 'error') return 2;
  return problems(run).length === 0 ? 0 : 1;
}

export const VERDICTS = ['PASS', 'FAIL', 'ERROR'] as const;

/** `PASS file (N expectations)`, or `FAIL file: <problem>` / `FAIL file: N problems: <p1>; <p2>`. */
export function verdict(s: Scenario, run: RunSummary, st: Style): string {
  const ps = problems(run);
  const code = exitCode(run);
  if (code === 0) {
    const n = run.results.length;
    const accepted = run.accepted.length + (run.outcome.kind !== 'done' ? 1 : 0);
    return `${st.ok('PASS')} ${s.file} (${n} expectation${n === 1 ? '' : 's'}${accepted ? `; reproduces ${findings(run)}` : ''})\n`;
  }
  const word = code === 2 ? st.bad('ERROR') : st.bad('FAIL');
  const list = ps.map((p) => `step at ${at(p.at)}: ${p.text}`);
  return `${word} ${s.file}: ${ps.length === 1 ? list[0] : `${ps.length} problems: ${list.join('; ')}`}\n`;
}

/** The findings a passing file reproduces: `I7 quiescence`, `an MDS abort`. */
function findings(run: RunSummary): string {
  const ids = [...new Set(run.accepted.map((v) => v.message.slice(0, v.message.indexOf(':'))))];
  if (run.outcome.kind === 'abort') ids.push('an MDS abort');
  if (run.outcome.kind === 'livelock' && !ids.some((i) => i.startsWith('I7'))) ids.push('a livelock');
  return ids.join(', ');
}
