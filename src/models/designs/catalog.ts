// What check finds on a design's check files (scenarios/models/<id>/, the design files with no
// steps): each property searched for apart, so that one broken property does not hide whether
// the others hold. For `mdslock models --run` and docs/models.md.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { explore } from '../../checker/explore.js';
import { loadDesignFile, type DesignFile } from './file.js';
import { onlyProperties, propertyNames } from './only.js';

export interface PropertyFinding {
  readonly property: string;
  /** holds: every reachable state searched; violated: a state breaks it; unknown: a bound stopped the search first. */
  readonly verdict: 'holds' | 'violated' | 'unknown';
  /** Violated: the shortest trace's length in actions. */
  readonly actions: number | null;
}

export interface CheckFileFindings {
  readonly file: string;
  readonly name: string;
  /** Distinct states of the largest search (the whole space when one was exhausted). */
  readonly states: number;
  readonly exhausted: boolean;
  readonly properties: readonly PropertyFinding[];
}

/** Where a design's files are. */
export const modelsDir = (id: string, root = 'scenarios/models') => join(root, id);

/** A design's files under its directory, sorted by name. */
export function designFiles(id: string, root?: string): DesignFile[] {
  const dir = modelsDir(id, root);
  let names: string[];
  try { names = readdirSync(dir).sort(); } catch { return []; }
  return names.filter((n) => /\.ya?ml$/.test(n)).map((n) => loadDesignFile(join(dir, n)));
}

/** The check files of a design: its design files without steps. */
export function checkFiles(id: string, root?: string): string[] {
  return designFiles(id, root).filter((f) => f.steps === null).map((f) => f.file);
}

export function checkFile(file: string, maxStates = 2_000_000): CheckFileFindings {
  const f = loadDesignFile(file);
  let states = 0, exhausted = false;
  const properties = propertyNames(f.model).map((p): PropertyFinding => {
    const r = explore(onlyProperties(f.model, [p]), { maxStates });
    states = Math.max(states, r.distinct);
    exhausted ||= r.exhausted;
    if (r.violation) return { property: p, verdict: 'violated', actions: r.violation.path.length - 1 + (r.violation.failedAction === null ? 0 : 1) };
    return { property: p, verdict: r.exhausted ? 'holds' : 'unknown', actions: null };
  });
  return { file, name: f.name, states, exhausted, properties };
}

export function findingText(p: PropertyFinding): string {
  return p.verdict === 'violated' ? `violated (${p.actions} action${p.actions === 1 ? '' : 's'})` : p.verdict === 'holds' ? 'holds' : 'not settled (bound)';
}

/** A check file's findings as `models --json` lists them (docs/schemas/models.schema.json). */
export function checkJson(r: CheckFileFindings): object {
  return { file: r.file, name: r.name, states: r.states, exhausted: r.exhausted, properties: r.properties.map((p) => ({ property: p.property, verdict: p.verdict, actions: p.actions })) };
}
