// Reading a parsed YAML document node by node, with every failure a ScenarioError at the
// offending node (line:col from its source range), so bad input never ends in a stack trace.
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { ScenarioError, type Loc } from './types.js';
import { allowedKeys, requiredKeys } from './schema.js';

export type Entry = { key: Scalar; keyText: string; value: Node };

export class NodeReader {
  constructor(readonly file: string, private readonly doc: Document, private readonly lines: LineCounter) {}

  loc(node: Node | null | undefined): Loc {
    const { line, col } = this.lines.linePos(node?.range?.[0] ?? 0);
    return { file: this.file, line, col };
  }

  fail(node: Node | null | undefined, message: string): never {
    throw new ScenarioError(this.loc(node), message);
  }

  /** Follow an alias (`*anchor`) to the node it names. */
  resolve(node: unknown): Node | null {
    if (isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? null;
    return (node as Node | null) ?? null;
  }

  map(node: Node | null, what: string): YAMLMap {
    if (!isMap(node)) this.fail(node, `${what} must be a mapping`);
    return node;
  }

  seq(node: Node | null, what: string): Node[] {
    if (!isSeq(node)) this.fail(node, `${what} must be a list`);
    return (node as YAMLSeq).items.map((i) => this.resolve(i)!).filter((i) => i !== null);
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

  /** The entries of a mapping, keys as strings. */
  entries(m: YAMLMap): Entry[] {
    return m.items.map((p: Pair) => {
      const key = this.resolve(p.key);
      if (!isScalar(key) || (typeof key.value !== 'string' && typeof key.value !== 'number')) this.fail(key ?? m, 'keys must be plain names');
      const value = this.resolve(p.value);
      if (value === null) this.fail(key, `${String(key.value)} has no value`);
      return { key, keyText: String(key.value), value };
    });
  }

  /** Entries of a mapping whose keys the schema's `def` lists; missing required keys fail at the mapping. */
  fields(m: YAMLMap, def: string, what: string): Map<string, Entry> {
    const allowed = allowedKeys(def);
    const out = new Map<string, Entry>();
    for (const e of this.entries(m)) {
      if (!allowed.includes(e.keyText)) this.fail(e.key, `unknown key '${e.keyText}' in ${what} (expected ${allowed.join(', ')})`);
      out.set(e.keyText, e);
    }
    for (const k of requiredKeys(def)) if (!out.has(k)) this.fail(m, `${what} is missing '${k}'`);
    return out;
  }
}
