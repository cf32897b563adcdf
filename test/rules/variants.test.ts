// The rule variants as a mechanism: a table variant changes one cell and nothing else, selection
// is scoped to a cluster, the default is Ceph main, and bad selections are one-line errors.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { LOCK_TYPES, LOCK_EXCL_XSYN, CEPH_LOCK_IFILE, COLUMNS } from '../../statemachines/index.js';
import { RULE_VARIANTS, RULE_IDS, parseRules } from '../../src/rules/variants.js';
import { lockTypesFor, rule, withRules } from '../../src/rules/active.js';
import { createCluster } from '../../src/cluster/topology.js';
import { errorsOf, pos, scenario } from '../scenario/files.js';

const cli = (...args: string[]) => spawnSync('node', ['bin/mdslock.js', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('rule variants', () => {
  it('each names the Ceph fix it reverts, what it changes, and a scenario that exists', () => {
    expect(new Set(RULE_IDS).size).toBe(RULE_VARIANTS.length);
    for (const v of RULE_VARIANTS) {
      expect(v.source.length, v.id).toBeGreaterThan(0);
      for (const s of v.source) expect(s, v.id).toMatch(/ceph commit [0-9a-f]{40}|github\.com\/ceph\/ceph\/pull\/\d+|tracker\.ceph\.com\/issues\/\d+/);
      expect(existsSync(v.scenario), v.scenario).toBe(true);
      // a rule switch is read where Ceph's function is mirrored (among other places, for one that spans several), by its id
      if (v.change.kind === 'rule') {
        const fn = v.change.at.replace(/^\w+::/, '');
        const hits = execFileSync('grep', ['-rln', `rule('${v.id}')`, 'src'], { encoding: 'utf8' }).trim().split('\n');
        expect(hits.some((h) => readFileSync(h, 'utf8').includes(`function ${fn}`)), v.id).toBe(true);
      }
    }
  });

  it('a table variant changes exactly its one cell; Ceph main is the shared tables themselves', () => {
    expect(lockTypesFor([])).toBe(lockTypesFor([])); // compiled once
    expect(lockTypesFor([]).every((lt, i) => lt === LOCK_TYPES[i])).toBe(true);
    const patched = lockTypesFor(['excl-xsyn-not-loner']);
    for (let i = 0; i < LOCK_TYPES.length; i++) {
      const a = LOCK_TYPES[i], b = patched[i];
      if (a.type !== CEPH_LOCK_IFILE) { expect(b).toBe(a); continue; }
      expect(b.sm).not.toBe(a.sm);
      a.sm.states.forEach((row, s) => {
        for (const col of COLUMNS) {
          const differs = row[col as keyof typeof row] !== b.sm.states[s][col as keyof typeof row];
          expect(differs, `${s} ${col}`).toBe(s === LOCK_EXCL_XSYN && col === 'loner');
        }
      });
      expect(a.sm.states[LOCK_EXCL_XSYN].loner).toBe(true);
      expect(b.sm.states[LOCK_EXCL_XSYN].loner).toBe(false);
    }
  });

  it("a cluster's locks follow its rules; switches read only inside its steps", () => {
    const t = { ranks: 1, seed: 1, objects: [{ kind: 'inode' as const, path: '/f', is_dir: false, auth: 0, replicas: [] }] };
    const main = createCluster(t);
    const old = createCluster({ ...t, rules: ['excl-xsyn-not-loner', 'xlock-unbracketed'] });
    expect(main.rules).toEqual([]);
    expect(main.ranks[0].inodes['/f'].filelock.sm.states[LOCK_EXCL_XSYN].loner).toBe(true);
    expect(old.ranks[0].inodes['/f'].filelock.sm.states[LOCK_EXCL_XSYN].loner).toBe(false);
    expect(rule('xlock-unbracketed')).toBe(false);
    expect(withRules(old.rules, () => rule('xlock-unbracketed'))).toBe(true);
    expect(rule('xlock-unbracketed')).toBe(false);
    expect(parseRules(['xlock-unbracketed', 'xlock-unbracketed'])).toEqual({ rules: ['xlock-unbracketed'] });
    expect(parseRules(['nope'])).toEqual({ unknown: 'nope' });
  });

  it('rules: in a file is read with its place; an unknown id is one line', () => {
    const text = scenario('  - tick: mds.0\n').replace('ranks: 3', 'ranks: 3\nrules: [xlock-unbracketed, nope]');
    expect(errorsOf(text)).toEqual([`t.yaml:${pos(text, 'nope')}: unknown rule variant "nope" (mdslock rules lists them: ${RULE_IDS.join(', ')})`]);
  });

  it('`mdslock rules` lists every variant; --json matches its schema; an unknown id exits 2 with one line', () => {
    const text = cli('rules');
    expect(text.status).toBe(0);
    for (const v of RULE_VARIANTS) expect(text.stdout).toContain(v.id);
    const j = JSON.parse(cli('rules', '--json').stdout);
    const validate = new Ajv2020({ strict: true }).compile(JSON.parse(readFileSync('docs/schemas/rules.schema.json', 'utf8')));
    expect(validate(j), JSON.stringify(validate.errors)).toBe(true);
    expect(j.rules.map((r: { id: string }) => r.id)).toEqual(RULE_IDS);
    expect(j.rules.find((r: { id: string }) => r.id === 'excl-xsyn-not-loner').change).toEqual({ kind: 'table', machine: 'sm_filelock', state: 'excl->xsyn', column: 'loner', was: false });
    const one = cli('rules', 'xlock-unbracketed');
    expect(one.stdout).toContain('cancel_locking');
    const bad = cli('rules', 'nope');
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    for (const cmd of [['replay', 'scenarios/bugs/xlock-unbracketed.yaml'], ['check', 'scenarios/bugs/xlock-unbracketed-find.yaml'], ['fuzz', '--runs', '1']]) {
      const r = cli(...cmd, '--rules', 'nope');
      expect(r.status, cmd.join(' ')).toBe(2);
      expect(r.stderr, cmd.join(' ')).toMatch(/^error: .*unknown rule variant "nope"[^\n]*\n$/);
    }
  }, 30_000);

  it('check --json names the rules and faults it ran with, valid against its schema', () => {
    const r = cli('check', '--json', '--out', mkdtempSync(join(tmpdir(), 'mdslock-rules-')), 'scenarios/bugs/xlock-unbracketed-find.yaml');
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout);
    const validate = new Ajv2020({ strict: true }).compile(JSON.parse(readFileSync('docs/schemas/check.schema.json', 'utf8')));
    expect(validate(j), JSON.stringify(validate.errors)).toBe(true);
    expect(j).toMatchObject({ rules: ['xlock-unbracketed'], faults: ['kill'], violation: { property: 'stuck' } });
    const main = JSON.parse(cli('check', '--json', '--rules', 'main', '--faults', 'none', 'scenarios/bugs/xlock-unbracketed-find.yaml').stdout);
    expect(main).toMatchObject({ rules: [], faults: [], exhausted: true, violation: null });
  }, 30_000);

  it('replay --rules overrides the file: main replays the bug file without the bug', () => {
    const bug = cli('replay', 'scenarios/bugs/xlock-unbracketed.yaml');
    expect(bug.status).toBe(0);
    expect(bug.stdout).toMatch(/^# .*historical rules: xlock-unbracketed\)$/m);
    const main = cli('replay', '--rules', 'main', 'scenarios/bugs/xlock-unbracketed.yaml');
    expect(main.status).toBe(1);
    expect(main.stdout).not.toMatch(/historical rules/);
    expect(main.stdout).toMatch(/cancel_locking \(ifile xlockdone w=1\)/);
  }, 30_000);
});
