// `replay --update` (as vitest -u): each failed or unfilled expectation gets the actual value,
// written into the file's text at the value's own source range, so comments, layout and every
// other line stay as they were. A status listed under `granted:` / `waiting:` is updated by
// renaming the key when every request under it moved the same way; other moves are left for
// a hand edit and said so.
import { fillText, type CheckResult, type Fill } from './check.js';
import { at, type Edit } from './types.js';

export interface Change {
  /** `file:line:col` of the expectation. */
  readonly at: string;
  readonly what: string;
  /** What was written, or why nothing was. */
  readonly text: string;
  readonly done: boolean;
}

interface TextEdit { start: number; end: number; text: string }

/** A string as a YAML scalar: plain when nothing in it could be read otherwise, else double-quoted. */
export function yamlScalar(v: string | number, style: Edit['style'] = 'plain'): string {
  if (typeof v === 'number') return String(v);
  if (style === 'single' && !/[\u0000-\u001f']/.test(v)) return `'${v}'`;
  const plain = style !== 'double' && /^[A-Za-z0-9_./-]+(:[A-Za-z0-9_./-]+)*$/.test(v) &&
    !/^(true|false|null|yes|no|on|off|~|[-+.]?\d.*)$/i.test(v);
  return plain ? v : JSON.stringify(v);
}

const flowList = (items: readonly string[], quote: boolean) =>
  `[${items.map((i) => (quote ? JSON.stringify(i) : yamlScalar(i))).join(', ')}]`;

/** Values written quoted: lock and cap prints, messages, abort messages (cap words, ids and paths go plain). */
const quoted = (key: string) => key.includes(' ') || key === 'messages' || key === 'abort';

/** A fill as a flow value (one line). */
function flow(f: Fill, quote: boolean): string {
  switch (f.kind) {
    case 'scalar': return yamlScalar(f.value, quote ? 'double' : 'plain');
    case 'status': return f.status;
    case 'list': return flowList(f.items, quote);
    case 'map': return f.entries.length === 0 ? '{}' : `{ ${f.entries.map(([k, v]) => `${k}: ${flow(v, quoted(k))}`).join(', ')} }`;
  }
}

/** A fill as block lines under a key at column `indent` (the value starts on the next line). */
function block(f: Fill, indent: number, quote: boolean): string {
  const pad = ' '.repeat(indent + 2);
  if (f.kind === 'list') return f.items.length === 0 ? ' []' : f.items.map((i) => `\n${pad}- ${quote ? JSON.stringify(i) : yamlScalar(i)}`).join('');
  if (f.kind !== 'map') return ` ${flow(f, quote)}`;
  if (f.entries.length === 0) return ' {}';
  return f.entries.map(([k, v]) => {
    const q = quoted(k);
    const one = flow(v, q);
    // one line when it fits the page (the style of hand-written files), else a block under the key
    return `\n${pad}${k}:${(v.kind === 'map' || v.kind === 'list') && pad.length + k.length + 2 + one.length > 100 ? block(v, indent + 2, q) : ` ${one}`}`;
  }).join('');
}

/** Whether `offset` sits inside a flow collection opened earlier on its line. */
function inFlow(text: string, offset: number): boolean {
  const line = text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
  let depth = 0;
  for (const ch of line.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '')) depth += ch === '{' || ch === '[' ? 1 : ch === '}' || ch === ']' ? -1 : 0;
  return depth > 0;
}

/** The edit writing `f` over a value written as `e` (prints are quoted; cap words, ids and counts plain). */
function valueEdit(text: string, e: Edit, f: Fill, quote: boolean): TextEdit {
  const flowCtx = inFlow(text, e.start);
  if (f.kind === 'map' || (f.kind === 'list' && e.style === 'block')) {
    if (!flowCtx && (e.style === 'null' || e.style === 'plain' || e.style === 'block')) {
      // a block value replaces from the end of the key's `:` so the new lines start under it
      const colon = text.lastIndexOf(':', e.style === 'block' ? text.lastIndexOf('\n', e.start) : e.start);
      return { start: colon + 1, end: e.end, text: block(f, e.indent, quote) };
    }
  }
  const value = f.kind === 'scalar' && e.style !== 'null' ? yamlScalar(f.value, quote ? (e.style === 'single' ? 'single' : 'double') : e.style) : flow(f, quote);
  if (e.style !== 'null') return { start: e.start, end: e.end, text: value };
  // an empty value: one space after the `:`, and one before a closing `}` / `]` as the file had it
  const spaced = /\s/.test(text[e.start - 1] ?? '');
  return { start: e.start, end: e.end, text: `${spaced ? '' : ' '}${value}${spaced && /[}\]]/.test(text[e.end] ?? '') ? ' ' : ''}` };
}

/** The text edits for the failed results of one file, and what each did. */
export function planUpdate(text: string, results: readonly CheckResult[]): { edits: TextEdit[]; changes: Change[] } {
  const edits: TextEdit[] = [];
  const changes: Change[] = [];
  const failed = results.filter((r) => !r.pass && r.check.edit);
  const byListKey = new Map<number, CheckResult[]>();
  for (const r of failed) {
    const k = r.check;
    const e = k.edit!;
    if (k.kind === 'status' && k.listed) {
      byListKey.set(e.start, [...(byListKey.get(e.start) ?? []), r]);
      continue;
    }
    if (k.kind === 'quiet') continue; // nothing to write: quiet is what the file asserts
    if (k.kind === 'violation' && r.fill.kind === 'list' && r.fill.items.length === 0) {
      changes.push({ at: at(r.loc), what: r.what, text: 'no invariant is violated here: remove the key by hand', done: false });
      continue;
    }
    const quote = k.kind === 'lock' || k.kind === 'caps' || k.kind === 'messages' || k.kind === 'abort';
    let fill = r.fill;
    if (k.kind === 'violation' && fill.kind === 'list' && fill.items.length === 1 && e.style !== 'flow' && e.style !== 'block') fill = { kind: 'scalar', value: fill.items[0] };
    const edit = valueEdit(text, e, fill, quote);
    edits.push(edit);
    changes.push({ at: at(r.loc), what: r.what, text: edit.text.includes('\n') ? fillText(fill) : edit.text.trim(), done: true });
  }
  // statuses listed under granted/waiting/finished: rename the key when all moved alike
  for (const rs of byListKey.values()) {
    const e = rs[0].check.edit!;
    const key = text.slice(e.start, e.end);
    const listed = results.filter((r) => r.check.kind === 'status' && r.check.listed && r.check.edit?.start === e.start);
    const to = new Set(rs.map((r) => (r.fill.kind === 'status' ? r.fill.status : '')));
    const moveAll = rs.length === listed.length && to.size === 1;
    const target = [...to][0];
    const clash = moveAll && new RegExp(`^\\s*${target}:|[{,]\\s*${target}:`, 'm').test(siblingText(text, e.start));
    for (const r of rs) {
      if (moveAll && !clash) changes.push({ at: at(r.loc), what: r.what, text: `${key} -> ${target}`, done: true });
      else changes.push({ at: at(r.loc), what: r.what, text: `now ${r.actual}: move it by hand (the others under ${key}: stay)`, done: false });
    }
    if (moveAll && !clash) edits.push({ start: e.start, end: e.end, text: target });
  }
  return { edits, changes };
}

/** The text of the mapping a key at `offset` belongs to (its line and the lines at its indentation around it). */
function siblingText(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const indent = offset - lineStart;
  const lines = text.split('\n');
  const n = text.slice(0, lineStart).split('\n').length - 1;
  const out = [lines[n]];
  for (const dir of [-1, 1]) {
    for (let i = n + dir; i >= 0 && i < lines.length; i += dir) {
      const l = lines[i];
      const ind = l.length - l.trimStart().length;
      if (l.trim() === '' || l.trimStart().startsWith('#')) continue;
      if (ind < indent || l.trimStart().startsWith('- ')) break;
      if (ind === indent) out.push(l);
    }
  }
  return out.join('\n');
}

/** Apply edits (non-overlapping) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
