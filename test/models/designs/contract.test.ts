// The Design contract, checked on every reachable state of small configs of RustFS's, JuiceFS's and Alluxio's
// designs: describe() texts unique among the enabled actions (replay names actions by them),
// decode(encode(s)) = s and equal states encode equal, view() keys in one fixed order, every
// property the model checks (stuck included, as `mdslock models` and --property name it) listed
// by the Design, and nothing else.
import { describe, expect, it } from 'vitest';
import { Encoder } from '../../../src/models/Model.js';
import type { Design } from '../../../src/models/designs/design.js';
import { propertyNames } from '../../../src/models/designs/only.js';
import { alluxioLocks } from '../../../src/models/designs/alluxio-locks/index.js';
import { juicefsGateway } from '../../../src/models/designs/juicefs-gateway/index.js';
import { rustfsFastlock } from '../../../src/models/designs/rustfs-fastlock/index.js';

const CASES: [Design, unknown][] = [
  [rustfsFastlock, { clients: [{ ops: ['batch write /a, read /b'] }, { owner: 'client.1', ops: ['batch write /b, write /a', 'read /a@v1'] }, { ops: ['read /a'] }], readers_start: { '/a@v1': 254 } }],
  [juicefsGateway, { local: 'object', crashes: true, stalls: true, clients: [{ gateway: 1, ops: ['write /a', 'read /b'] }, { gateway: 2, ops: ['read /a'] }, { gateway: 1, ops: ['read /b'] }] }],
  [alluxioLocks, { inode_pool: { low: 0, high: 1 }, edge_pool: { low: 0, high: 1 }, crashes: true, block_locks: 1, clients: [{ ops: ['read /a/b', 'write block.1'] }, { ops: ['create /a/b', 'read block.1'] }] }],
];

const bytesOf = (m: { encode(s: unknown, e: Encoder, sym: boolean): void }, s: unknown): string => {
  const e = new Encoder().reset();
  m.encode(s, e, false);
  return Buffer.from(e.buf.subarray(0, e.len)).toString('hex');
};

for (const [d, config] of CASES) {
  describe(`${d.id} keeps the design contract`, () => {
    it('on every reachable state (up to 1000)', () => {
      const m = d.model(config);
      expect(d.properties.map((p) => p.name).sort()).toEqual(propertyNames(m).sort());
      const seen = new Map<string, unknown>();
      let frontier = m.initStates();
      let keys: string | null = null;
      while (frontier.length && seen.size < 1000) {
        const next: unknown[] = [];
        for (const s of frontier) {
          const b = bytesOf(m, s);
          if (seen.has(b)) continue;
          seen.set(b, s);
          // expect() only on a mismatch: vitest's deep equality on every state is the slow part
          const back = m.decode(Buffer.from(b, 'hex'));
          if (JSON.stringify(back) !== JSON.stringify(s)) expect(back).toEqual(s);
          const k = [...m.view(s).keys()].join('\n');
          if (keys === null) keys = k; else if (k !== keys) expect(k).toBe(keys);
          const acts = m.actions(s);
          const texts = acts.map((a) => m.describe(s, a));
          if (new Set(texts).size !== texts.length) expect(texts.join(' | ')).toBe('unique texts');
          for (const a of acts) {
            try { next.push(m.nextState(s, a)); } catch { /* an assertion ends that path */ }
          }
        }
        frontier = next;
      }
      expect(seen.size).toBeGreaterThan(100);
    });
  });
}
