// Reading a parsed YAML document node by node, with every failure a ScenarioError at the
// offending node (line:col from its source range), so bad input never ends in a stack trace.
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { ScenarioError, type Edit, type Loc } from './types.js';
import { allowedKeys, requiredKeys } from './schema.js';
import { quote as q } from '../trace/quote.js';

export type Entry = { key: Scalar; keyText: string; value: Node };

/** An error that follows from one already reported (a name whose declaration failed): not repeated. */
export class Cascade extends ScenarioError {}

export class NodeReader {
  /** Problems found so far; reading goes on past each (attempt), so one run reports them all. */
  readonly errors: ScenarioError[] = [];

  constructor(readonly file: string, private readonly doc: Document, private readonly lines: LineCounter, private readonly text: string) {}

  /** Run one part of the reading; a ScenarioError is recorded (cascades dropped) and undefined returned. */
  attempt<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      if (!(e instanceof Cascade)) this.errors.push(e);
      return undefined;
    }
  }

  loc(node: Node | null | undefined): Loc {
    const { line, col } = this.lines.linePos(node?.range?.[0] ?? 0);
    return { file: this.file, line, col };
  }

  fail(node: Node | null | undefined, message: string): never {
    throw new ScenarioError(this.loc(node), message);
  }

  /** Follow an alias (`*anchor`) to the node it names; an alias naming no earlier anchor is an error. */
  resolve(node: unknown): Node | null {
    if (!isAlias(node)) return (node as Node | null) ?? null;
    const target = node.resolve(this.doc) as Node | undefined;
    if (!target) this.fail(node, `alias *${node.source} names no anchor defined before it`);
    return target;
  }

  map(node: Node | null, what: string): YAMLMap {
    if (!isMap(node)) this.fail(node, `${what} must be a mapping`);
    return node;
  }

  seq(node: Node | null, what: string): Node[] {
    if (!isSeq(node)) this.fail(node, `${what} must be a list`);
    return (node as YAMLSeq).items.map((i) => this.resolve(i) ?? this.fail(node, `${what} has an empty item`));
  }

  str(node: Node | null, what: string): string {
    if (!isScalar(node) || typeof node.value !== 'string') this.fail(node, `${what} must be a string`);
    return node.value as string;
  }

  int(node: Node | null, what: string): number {
    if (!isScalar(node) || typeof node.value !== 'number' || !Number.isSafeInteger(node.value)) this.fail(node, `${what} must be an integer`);
    return node.value as number;
  }

  bool(node: Node | null, what: string): boolean {
    if (!isScalar(node) || typeof node.value !== 'boolean') this.fail(node, `${what} must be true or false`);
    return node.value as boolean;
  }

  /** A null value (`key:` with nothing, or `~`): a placeholder where expectations allow one. */
  isNull(node: Node | null): boolean {
    return isScalar(node) && node.value === null;
  }

  /** Where a value is written, for `replay --update` (`key` owns it: block content goes under it). */
  edit(node: Node, key: Node): Edit {
    const [start, end] = node.range ?? [0, 0];
    const indent = this.loc(key).col - 1;
    if (isScalar(node)) {
      if (node.value === null && start === end) return { start, end, style: 'null', indent };
      const style = node.type === 'QUOTE_DOUBLE' ? 'double' : node.type === 'QUOTE_SINGLE' ? 'single' : 'plain';
      return { start, end, style, indent };
    }
    const flow = (node as YAMLMap | YAMLSeq).flow;
    // a block collection's range runs on through the line break after its last item: stop before it
    let e = end;
    if (!flow) while (e > start && /\s/.test(this.text[e - 1])) e--;
    return { start, end: e, style: flow ? 'flow' : 'block', indent };
  }

  /** The entries of a mapping, keys as strings. */
  entries(m: YAMLMap): Entry[] {
    return m.items.map((p: Pair) => {
      const key = this.resolve(p.key);
      if (!isScalar(key) || (typeof key.value !== 'string' && typeof key.value !== 'number')) this.fail(key ?? m, 'keys must be plain names');
      const value = this.resolve(p.value);
      if (value === null) this.fail(key, `${q(String(key.value))} has no value`);
      return { key, keyText: String(key.value), value };
    });
  }

  /**
   * Entries of a mapping whose keys the schema's `def` lists. A missing required key fails at
   * the mapping; with `lenient`, unknown and missing keys are recorded and reading goes on.
   */
  fields(m: YAMLMap, def: string, what: string, lenient = false): Map<string, Entry> {
    const allowed = allowedKeys(def);
    const out = new Map<string, Entry>();
    const problem = (node: Node, message: string) => (lenient ? this.attempt(() => this.fail(node, message)) : this.fail(node, message));
    for (const e of this.entries(m)) {
      if (!allowed.includes(e.keyText)) problem(e.key, `unknown key ${q(e.keyText)} in ${what} (expected ${allowed.join(', ')})`);
      else out.set(e.keyText, e);
    }
    for (const k of requiredKeys(def)) if (!out.has(k)) problem(m, `${what} is missing ${q(k)}`);
    return out;
  }
}
