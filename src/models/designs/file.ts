// Design files: YAML naming a design (`model:`), its `config:`, and for replay `steps:` (`do:`
// an action by the text describe() gives it, `expect:` values of the state's view or the
// property it breaks). Every problem is a ScenarioError at file:line:col, as scenario files'
// are: YAML errors, unknown keys, an unknown model, a config the design refuses (located at the
// key its DesignConfigError names).
import { isCollection, isMap, isScalar, isSeq, type Node } from 'yaml';
import { NodeReader } from '../../scenario/yamlNodes.js';
import { readSource, readYaml } from '../../scenario/yamlCheck.js';
import type { Loc } from '../../scenario/types.js';
import { DesignConfigError, type Design, type DesignModel } from './design.js';
import { DESIGNS, designById } from './index.js';

export type DesignStep =
  | { readonly kind: 'do'; readonly text: string; readonly loc: Loc }
  | { readonly kind: 'expect'; readonly loc: Loc; readonly entries: readonly { readonly key: string; readonly value: string; readonly loc: Loc }[] };

export interface DesignFile {
  readonly file: string;
  readonly name: string;
  readonly design: Design;
  readonly model: DesignModel<unknown, unknown>;
  /** The `config:` key and mapping as written, for counterexample files. */
  readonly configYaml: string;
  /** Null in a check file (no `steps:`). */
  readonly steps: readonly DesignStep[] | null;
}

const TOP = ['name', 'model', 'config', 'steps'];

/** A file whose top level names a `model:` is a design file (the cluster's scenarios have none). */
export function isDesignText(text: string): boolean { return /^model:/m.test(text); }

export function isDesignFile(path: string): boolean {
  try { return isDesignText(readSource(path)); } catch { return false; }
}

/** A design file's name, for `replay -t` ('' when it does not load: the replay then says why). */
export function designName(file: string): string {
  try { return loadDesignFile(file).name; } catch { return ''; }
}

export function loadDesignFile(file: string): DesignFile {
  return parseDesignFile(readSource(file), file);
}

export function parseDesignFile(text: string, file: string): DesignFile {
  const { doc, r, lines } = readYaml(text, file);
  const top = r.map(r.resolve(doc.contents), 'a design file');
  const fields = new Map(r.entries(top).map((e) => {
    if (!TOP.includes(e.keyText)) r.fail(e.key, `unknown key '${e.keyText}' in a design file (expected ${TOP.join(', ')})`);
    return [e.keyText, e] as const;
  }));
  for (const k of ['name', 'model', 'config']) if (!fields.has(k)) r.fail(top, `a design file is missing '${k}'`);
  const name = r.str(fields.get('name')!.value, 'name');
  if (name.trim() === '') r.fail(fields.get('name')!.value, 'name is empty');
  const modelNode = fields.get('model')!.value;
  const id = r.str(modelNode, 'model');
  const design = designById(id) ?? r.fail(modelNode, `unknown model '${id}' (designs: ${DESIGNS.map((d) => d.id).join(', ')}; a cluster scenario has no model: key)`);
  const configNode = fields.get('config')!.value;
  let model: DesignModel<unknown, unknown>;
  try {
    model = design.model(configNode.toJSON());
  } catch (e) {
    if (!(e instanceof DesignConfigError)) throw e;
    r.fail(deepest(configNode, e.path), `config: ${e.message}`);
  }
  const [start, , end] = configNode.range ?? [0, 0, 0];
  const written = text.slice(start, end).trimEnd();
  const configYaml = isCollection(configNode) && !configNode.flow ? `config:\n${' '.repeat(lines.linePos(start).col - 1)}${written}` : `config: ${written}`;
  const stepsNode = fields.get('steps')?.value ?? null;
  const steps = stepsNode === null ? null : r.seq(stepsNode, 'steps').map((n) => step(r, n));
  return { file, name, design, model: model!, configYaml, steps };
}

function step(r: NodeReader, n: Node): DesignStep {
  const m = r.map(n, 'a step');
  const [e, ...more] = r.entries(m);
  if (!e || more.length) r.fail(n, 'a step is one of do: or expect:');
  if (e.keyText === 'do') return { kind: 'do', text: r.str(e.value, 'do'), loc: r.loc(e.value) };
  if (e.keyText !== 'expect') r.fail(e.key, `unknown step '${e.keyText}' (do: an action, expect: view values or violation)`);
  const entries = r.entries(r.map(e.value, 'expect')).map((x) => {
    if (!isScalar(x.value) || x.value.value === null || typeof x.value.value === 'object') r.fail(x.value, `expect '${x.keyText}' must be a plain value`);
    return { key: x.keyText, value: String(x.value.value), loc: r.loc(x.value) };
  });
  return { kind: 'expect', loc: r.loc(e.key), entries };
}

/** The node a config error's key path leads to, as far as it exists. */
function deepest(config: Node, path: readonly (string | number)[]): Node {
  let n: Node = config;
  for (const k of path) {
    const next = isMap(n) || isSeq(n) ? (n.get(k, true) as Node | undefined) : undefined;
    if (!next) break;
    n = next;
  }
  return n;
}
