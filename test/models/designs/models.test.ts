// `mdslock models`: the list against its schema, and docs/models.md as the generator prints it
// (the check results are compared for one cheap check file; `npm run models-doc` runs them all).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { checkFile, checkJson } from '../../../src/models/designs/catalog.js';
import { DESIGNS } from '../../../src/models/designs/index.js';
import { modelsDoc, withoutResults } from '../../../src/models/designs/modelsDoc.js';
import { mdslock } from './cli.js';

const validate = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync('docs/schemas/models.schema.json', 'utf8')));
const page = readFileSync('docs/models.md', 'utf8');

describe('mdslock models', () => {
  it('--json lists every design, valid against docs/schemas/models.schema.json', async () => {
    const r = await mdslock('models', '--json');
    const doc = JSON.parse(r.out);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.designs.map((d: { id: string }) => d.id)).toEqual(DESIGNS.map((d) => d.id));
    expect(validate({ designs: [{ ...doc.designs[0], checks: [{ file: 'x' }] }]})).toBe(false);
  });

  it('docs/models.md is what the generator prints (check results aside)', () => {
    expect(withoutResults(page)).toBe(withoutResults(modelsDoc(null)));
  });

  it("docs/models.md's check results are real: one check file run again gives its row", () => {
    const r = checkFile('scenarios/models/minio-nslock/check-two-paths.yaml');
    const row = modelsDoc(new Map([['minio-nslock', [r]]])).split('\n').find((l) => l.includes('check-two-paths.yaml'))!;
    expect(row).toContain('| 215 | yes | holds | holds | holds | holds |');
    expect(page).toContain(row);
    const unsorted = checkFile('scenarios/models/minio-nslock/check-unsorted.yaml');
    expect(unsorted.properties.find((p) => p.property === 'stuck')).toEqual({ property: 'stuck', verdict: 'violated', actions: 4 });
    const d = DESIGNS[0];
    expect(validate({ designs: [{ id: d.id, title: d.title, summary: d.summary, sources: d.sources, properties: d.properties, simplifications: d.simplifications, checks: [checkJson(r), checkJson(unsorted)] }] }), JSON.stringify(validate.errors)).toBe(true);
  });
});
