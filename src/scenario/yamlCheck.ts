// What is wrong with a scenario file as YAML, before its meaning is read: nesting past
// MAX_DEPTH (refused before the YAML library recurses, so the answer never depends on the
// stack), the library's errors and warnings (a tag that contradicts its value is bad input,
// not a hint), each at its line:col. An over-indented key makes YAML complain about the line
// above it; the message then points at the over-indented line itself. And reading a file into
// that document, the one way scenario, check and design files are read.
import { readFileSync } from 'node:fs';
import { LineCounter, Parser, parseDocument, type Document } from 'yaml';
import { ScenarioError, ScenarioErrors } from './types.js';
import { NodeReader } from './yamlNodes.js';
import { quote as q } from '../trace/quote.js';

/** Collections may nest this deep; a scenario needs about 6. */
export const MAX_DEPTH = 64;

interface CstNode { type?: string; offset?: number; value?: unknown; items?: { key?: unknown; value?: unknown; start?: unknown }[] }

/** The first collection nested past MAX_DEPTH (its offset), walking the concrete syntax tree without recursion. */
function tooDeep(text: string): number | null {
  const stack: [CstNode, number][] = [];
  for (const tok of new Parser().parse(text)) stack.push([tok as CstNode, 0]);
  while (stack.length) {
    const [n, depth] = stack.pop()!;
    if (!n || typeof n !== 'object') continue;
    const collection = Array.isArray(n.items);
    const d = collection && n.type !== 'document' ? depth + 1 : depth;
    if (d > MAX_DEPTH) return n.offset ?? 0;
    if (n.value) stack.push([n.value as CstNode, d]);
    for (const it of n.items ?? []) {
      if (it.key) stack.push([it.key as CstNode, d]);
      if (it.value) stack.push([it.value as CstNode, d]);
    }
  }
  return null;
}

/** Checked before parsing (the parse would recurse), so the position is counted from the text. */
export function nestingError(text: string, file: string): ScenarioError | null {
  const at = tooDeep(text);
  if (at === null) return null;
  const before = text.slice(0, at).split('\n');
  return new ScenarioError({ file, line: before.length, col: before[before.length - 1].length + 1 }, `collections nest more than ${MAX_DEPTH} deep here; a scenario never needs that`);
}

/** The line (1-based) after `line` that is indented past `line`'s first key while being a `key:` line itself. */
function overIndented(text: string, line: number): { line: number; col: number; key: string } | null {
  const ls = text.split('\n');
  const indentOf = (l: string) => l.length - l.trimStart().length;
  const base = ls[line - 1];
  if (base === undefined) return null;
  const keyCol = indentOf(base.replace(/^(\s*)- /, '$1  '));
  for (let i = line; i < ls.length; i++) {
    const l = ls[i];
    if (l.trim() === '' || l.trimStart().startsWith('#')) continue;
    const m = /^(\s*)([^\s#:][^:#]*):(\s|$)/.exec(l);
    if (m && indentOf(l) > keyCol) return { line: i + 1, col: indentOf(l) + 1, key: m[2] };
    return null;
  }
  return null;
}

/** Every YAML error and warning of the document, as one-line ScenarioErrors in file order. */
export function yamlErrors(doc: Document, text: string, file: string, lines: LineCounter): ScenarioError[] {
  const out: ScenarioError[] = [];
  const seen = new Set<string>();
  for (const e of [...doc.errors, ...doc.warnings]) {
    let { line, col } = lines.linePos(e.pos[0]);
    let message = `${doc.errors.includes(e as never) ? 'malformed YAML' : 'bad YAML'}: ${e.message.split('\n')[0]}`;
    if (e.code === 'BLOCK_AS_IMPLICIT_KEY' || e.code === 'MULTILINE_IMPLICIT_KEY' || e.code === 'BAD_INDENT') {
      const o = overIndented(text, e.code === 'BAD_INDENT' ? line - 1 : line);
      if (o) {
        ({ line, col } = o);
        message = `malformed YAML: key ${q(o.key)} is indented more than the key above it`;
      }
    }
    const key = `${line}:${col}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(new ScenarioError({ file, line, col }, message));
  }
  return out.sort((a, b) => a.loc.line - b.loc.line || a.loc.col - b.loc.col);
}

/** A file's text, or one line at file:1:1 saying why it cannot be read. */
export function readSource(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ScenarioError({ file, line: 1, col: 1 }, `cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** The YAML document of a scenario, check or design file, with a reader locating its nodes; too deep or malformed YAML throws its one-line errors. */
export function readYaml(text: string, file: string): { doc: Document; r: NodeReader; lines: LineCounter } {
  const deep = nestingError(text, file);
  if (deep) throw new ScenarioErrors([deep]);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const bad = yamlErrors(doc, text, file, lines);
  if (bad.length) throw new ScenarioErrors(bad);
  return { doc, r: new NodeReader(file, doc, lines, text), lines };
}
