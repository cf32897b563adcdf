// The published JSON Schema is also the loader's list of keys: which keys a mapping may have
// and which it must have come from schema.json, so the two cannot drift apart.
import { readFileSync } from 'node:fs';

interface Shape {
  properties?: Record<string, unknown>;
  required?: string[];
  oneOf?: { $ref: string }[];
}

const SCHEMA = JSON.parse(readFileSync(new URL('./schema.json', import.meta.url), 'utf8')) as Shape & { $defs: Record<string, Shape> };

/** `scenario` is the document root; any other name is a `$defs` entry (`checkFile` the root of a check file). */
function shape(def: string): Shape {
  const s = def === 'scenario' ? SCHEMA : SCHEMA.$defs[def];
  if (!s) throw new Error(`schema.json has no $defs/${def}`);
  return s;
}

export const allowedKeys = (def: string): string[] => Object.keys(shape(def).properties ?? {});
export const requiredKeys = (def: string): string[] => shape(def).required ?? [];

/** The step kinds, in the schema's order: each is a mapping keyed by its own name. */
export const STEP_KINDS: readonly string[] = (shape('step').oneOf ?? []).map((r) => r.$ref.replace('#/$defs/', ''));
