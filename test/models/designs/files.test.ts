// Every design file under scenarios/models/<id>/ for this branch's designs replays: each `do:`
// names an enabled action by its describe() text, each `expect:` matches the view or the
// property broken, and check configs (no steps) build.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Design } from '../../../src/models/designs/design.js';
import { alluxioLocks } from '../../../src/models/designs/alluxio-locks/index.js';
import { juicefsGateway } from '../../../src/models/designs/juicefs-gateway/index.js';
import { rustfsFastlock } from '../../../src/models/designs/rustfs-fastlock/index.js';
import { loadDesignFile, replay } from './drive.js';

const DESIGNS: Design[] = [rustfsFastlock, juicefsGateway, alluxioLocks];
const ROOT = join(import.meta.dirname, '../../../scenarios/models');

for (const d of DESIGNS) {
  describe(`design files of ${d.id}`, () => {
    const dir = join(ROOT, d.id);
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort() : [];
    it('has a normal path and a check config', () => {
      expect(files).toContain('normal-path.yaml');
      expect(files).toContain('check.yaml');
    });
    it(`docs/models/${d.id}.md exists, its relative links resolve, and it links every design file`, () => {
      const doc = join(ROOT, '../../docs/models', `${d.id}.md`);
      const text = readFileSync(doc, 'utf8');
      const links = [...text.matchAll(/\]\(([^)#\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^https?:/.test(l));
      for (const l of links) expect(existsSync(normalize(join(dirname(doc), l))), l).toBe(true);
      for (const f of files) expect(links, f).toContain(`../../scenarios/models/${d.id}/${f}`);
    });
    for (const f of files) {
      it(`${f} replays`, () => {
        const file = loadDesignFile(join(dir, f));
        expect(file.model).toBe(d.id);
        replay(DESIGNS, file);
      });
    }
  });
}
