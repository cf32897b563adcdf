// Every `--json` output of the command line against its published schema (docs/schemas):
// `why`, `explain` (lock and caps), `coverage` and `tables`, run in-process through the real
// program (main.ts) on real inputs. The schemas' fixed vocabularies are checked against the
// code they come from, and each schema must reject a deliberately broken document, so that a
// change of shape on either side fails here rather than in a consumer.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { main } from '../../src/cli/main.js';
import { StringSink } from '../../src/cli/output.js';
import type { Cli } from '../../src/cli/context.js';
import { loadScenario } from '../../src/scenario/load.js';
import { at } from '../../src/scenario/types.js';
import { machineStates } from '../../src/inspect/parsePrint.js';
import {
  COLUMNS, GENERIC_CAPS, LOCK_TYPES, MACHINES, PERM_NAMES, STATE_CONSTANTS, STATE_NAMES, lockerEdges, stateName,
} from '../../statemachines/index.js';
import { tempFile } from '../scenario/files.js';

type Doc = Record<string, any>;

const ajv = new Ajv2020({ allErrors: true, strict: true });
const schemas: Record<string, Doc> = {};
function load(name: string) {
  const schema = JSON.parse(readFileSync(`docs/schemas/${name}.schema.json`, 'utf8'));
  schemas[name] = schema;
  ajv.addSchema(schema);
  return ajv.getSchema(schema.$id)!;
}
const validate = { why: load('why'), explain: load('explain'), coverage: load('coverage'), tables: load('tables') };
type Name = keyof typeof validate;

/** Valid against the schema, with Ajv's errors as the failure message. */
function expectValid(name: Name, doc: unknown, what: string = name): void {
  const v = validate[name];
  expect(v(doc), `${what}: ${JSON.stringify(v.errors, null, 1)}`).toBe(true);
}
const isValid = (name: Name, doc: unknown) => validate[name](doc) as boolean;

/** `mdslock <args>` in-process, as bin/mdslock.js runs it, with stdout and stderr captured. */
async function mdslock(...args: string[]) {
  const out = new StringSink();
  let err = '';
  const cli: Cli = { out, err: (s) => { err += s; }, stdoutTTY: false, stderrTTY: false, env: { NO_COLOR: '1' }, status: 0 };
  const code = await main(args, cli);
  return { code, out: out.text, err };
}

/** The document a `--json` command writes: exactly one JSON value and a newline, nothing on stderr. */
async function json(...args: string[]): Promise<{ code: number; doc: Doc }> {
  const r = await mdslock(...args);
  expect(r.err, args.join(' ')).toBe('');
  expect(r.out.endsWith('}\n'), args.join(' ')).toBe(true);
  return { code: r.code, doc: JSON.parse(r.out) };
}

const clone = <T>(x: T): T => structuredClone(x);
const enumOf = (s: Doc) => s.enum as unknown[];
const printedStates = STATE_NAMES.filter((n, i) => n !== null && i > 0);

describe('the schemas', () => {
  it('compile in strict mode and are named after their files', () => {
    for (const [name, s] of Object.entries(schemas)) {
      expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(s.$id).toBe(`https://mdslock.dev/schema/${name}.json`);
      expect(typeof s.description).toBe('string');
    }
  });

  it("spell out the code's fixed vocabularies: states, lock types, machines, permissions, caps, Locker functions", () => {
    const { explain, tables, coverage, why } = schemas;
    expect(enumOf(explain.$defs.stateName)).toEqual(printedStates);
    expect(enumOf(tables.$defs.stateName)).toEqual(printedStates);
    const constants = STATE_CONSTANTS.filter((_, i) => i > 0 && STATE_NAMES[i] !== null);
    expect(enumOf(explain.$defs.lockExplanation.properties.state.properties.constant)).toEqual(constants);
    expect(enumOf(tables.$defs.row.properties.constant)).toEqual(constants);
    expect(enumOf(explain.$defs.lockType)).toEqual(LOCK_TYPES.map((l) => l.name));
    const lock = explain.$defs.lockExplanation.properties.lock.properties;
    expect(enumOf(lock.value)).toEqual(LOCK_TYPES.map((l) => l.type));
    expect(enumOf(lock.machine)).toEqual(Object.values(MACHINES).map((m) => m.name));
    expect(enumOf(coverage.$defs.machine.properties.machine)).toEqual(enumOf(lock.machine));
    expect(enumOf(lock.member)).toEqual([...new Set(LOCK_TYPES.map((l) => l.member))]);
    const perms = COLUMNS.filter((c) => c.startsWith('can_'));
    expect(enumOf(explain.$defs.permission.properties.column)).toEqual(perms);
    expect(enumOf(explain.$defs.permission.properties.code)).toEqual(['0', ...Object.values(PERM_NAMES)]);
    expect(enumOf(tables.$defs.row.properties.can_rdlock)).toEqual([...Object.values(PERM_NAMES), null]);
    expect(tables.$defs.row.required).toEqual(['value', 'constant', ...COLUMNS]);
    expect(enumOf(tables.$defs.gcaps.items)).toEqual(GENERIC_CAPS.map((c) => c.name));
    expect(new Set(enumOf(explain.$defs.transition.properties.via)))
      .toEqual(new Set(Object.values(MACHINES).flatMap((sm) => lockerEdges(sm).map((e) => e.via))));
    for (const [key, sm] of Object.entries(MACHINES)) {
      expect(tables.properties[key]).toEqual({ $ref: `#/$defs/${key}` });
      expect(tables.$defs[key].properties.name).toEqual({ const: sm.name });
      expect(Object.keys(tables.$defs[key].properties.states.properties)).toEqual(sm.defined.map(stateName));
      expect(tables.$defs[key].properties.states.required).toEqual(sm.defined.map(stateName));
    }
    expect(why.$defs.request.pattern).toContain('writebehind');
  });
});

describe('why --json', () => {
  const findings = readdirSync('scenarios/findings').filter((f) => /\.ya?ml$/.test(f)).map((f) => join('scenarios/findings', f));

  it('is valid on every file in scenarios/findings/, exiting 1 exactly when there is a deadlock', async () => {
    expect(findings.length).toBeGreaterThan(0);
    let deadlocked = 0, peers = 0;
    for (const file of findings) {
      const { code, doc } = await json('why', '--json', file);
      expectValid('why', doc, file);
      expect(doc.file).toBe(file);
      expect(code, file).toBe(doc.deadlocks.length > 0 ? 1 : 0);
      const s = loadScenario(file);
      expect(doc.step).toBeGreaterThan(0);
      expect(doc.step).toBeLessThanOrEqual(s.steps.length);
      expect(doc.at).toBe(at(s.steps[doc.step - 1].loc));
      // the graph's edges and cycles name waiting requests
      const nodes = new Set(doc.waits.map((w: Doc) => w.request));
      for (const c of doc.deadlocks) for (const n of c) expect(nodes.has(n), `${file}: ${n}`).toBe(true);
      if (doc.deadlocks.length > 0) deadlocked++;
      peers += doc.waits.filter((w: Doc) => w.peer).length;
    }
    expect(deadlocked, 'some finding is a deadlock').toBeGreaterThan(0);
    expect(peers, 'some finding has a waiting peer request').toBeGreaterThan(0);
  });

  it('is valid on w2-replica-rdlock at every --at step', async () => {
    const file = 'scenarios/walkthroughs/w2-replica-rdlock.yaml';
    const s = loadScenario(file);
    expect(s.steps.length).toBeGreaterThan(3);
    let waiting = 0;
    for (let n = 1; n <= s.steps.length; n++) {
      const { code, doc } = await json('why', '--json', file, '--at', String(n));
      expectValid('why', doc, `${file} --at ${n}`);
      expect(doc).toMatchObject({ file, step: n, at: at(s.steps[n - 1].loc) });
      expect(code).toBe(doc.deadlocks.length > 0 ? 1 : 0);
      if (doc.waits.length > 0) waiting++;
    }
    expect(waiting, 'some step of w2 leaves a request waiting').toBeGreaterThan(0);
  });

  it('is valid while a write-behind waits for its journal commit (w4, every step)', async () => {
    const file = 'scenarios/walkthroughs/w4-mix-to-sync-writebehind.yaml';
    const writebehinds: Doc[] = [];
    for (let n = 1; n <= loadScenario(file).steps.length; n++) {
      const { doc } = await json('why', '--json', file, '--at', String(n));
      expectValid('why', doc, `${file} --at ${n}`);
      writebehinds.push(...doc.waits.filter((w: Doc) => w.request.includes(':writebehind.')));
    }
    expect(writebehinds.length).toBeGreaterThan(0);
    expect(writebehinds[0]).toMatchObject({ peer: false, on: 'its journal commit' });
  });

  it('is valid on a scenario without steps: step 0, at null', async () => {
    const file = tempFile('name: no steps\nranks: 2\nobjects:\n  - inode: /f\n    type: file\n    auth: mds.0\n    replicas: [mds.1]\nsteps: []\n');
    const { code, doc } = await json('why', '--json', file);
    expect(code).toBe(0);
    expectValid('why', doc);
    expect(doc).toEqual({ file, step: 0, at: null, waits: [], deadlocks: [] });
  });
});

/** Lock prints as the MDS log shows them: every lock type and machine, stable and unstable states, counters, flags, xlockers, last_client. */
const LOCK_PRINTS = [
  '(dn sync l r=2)',
  '(dn xlock x=1 by request(client.4101:7))',
  '(dn lock->xlock g=1)',
  '(dversion lock x=1 by request(client.4102:3))',
  '(isnap lock->sync r=1)',
  '(ipolicy excl->lock)',
  '(ifile mix->sync g=1 r=1 w=1 dirty flushing)',
  '(ifile excl->xsyn)',
  '(ifile sync->mix(2) flushed)',
  '(ifile xlockdone x=1)',
  '(ifile *->scan)',
  '(inest mix w=2 dirty)',
  '(inest mix->sync(2))', // no row in sm_scatterlock (Q3)
  '(inest mix->lock w=1 dirty flushing scatter_wanted)',
  '(idft sync->mix g=1,2)',
  '(idft tsyn)', // unreachable (Q7)
  '(iauth sync->lock g=1 r=1)',
  '(iauth prexlock x=1 by 0x55d0c0ffee00)',
  '(ilink lock x=1 by request(client.4101:3))', // a replica's record of a remote xlock
  '(ixattr excl l)',
  '(iflock remote_xlock)',
  '(iversion lock w=2 last_client=4101)',
  '(iversion lock w=1 x=1)', // a LocalLock never holds both: a warning part
  'ifile lock->xlock', // bare, as typed
];

const CAP_PRINTS = [
  'caps={4101=pAsLsXsFrw/pAsLsXsFsxcrwb/Fwb@2},l=4101',
  'caps={}',
  'caps={4101=p/-@0,4102=pAsxLsxXsxFsxcrwbal/-@7},l=4102(4101)',
  '{4101=pAsLsXsFscr/pAsLsXsFscr/-@1}', // issued shown though equal to pending: a note
  'caps={4101=pFr/pAs/-@1},l=4102', // pending outside issued, a loner without a cap: notes
  'caps={4101=-/-@1},l=-1(4101)', // only a wanted loner
];

describe('explain --json', () => {
  it('is valid on lock prints of every lock type and machine: unstable states, counters, flags, by request(...), last_client=', async () => {
    const seen = { types: new Set<string>(), machines: new Set<string>(), stable: new Set<boolean>(), parts: new Set<string>() };
    for (const print of LOCK_PRINTS) {
      const { code, doc } = await json('explain', '--json', print);
      expect(code, print).toBe(0);
      expectValid('explain', doc, print);
      expect(doc.kind).toBe('lock');
      seen.types.add(doc.lock.name);
      seen.machines.add(doc.lock.machine);
      seen.stable.add(doc.state.stable);
      for (const p of doc.parts) seen.parts.add(p.token.replace(/[=( ].*/, ''));
    }
    expect([...seen.types].sort()).toEqual(LOCK_TYPES.map((l) => l.name).sort());
    expect([...seen.machines].sort()).toEqual(Object.values(MACHINES).map((m) => m.name).sort());
    expect(seen.stable).toEqual(new Set([true, false]));
    for (const t of ['g', 'l', 'r', 'w', 'x', 'by', 'dirty', 'flushing', 'flushed', 'scatter_wanted', 'last_client']) expect(seen.parts, t).toContain(t);
  });

  it('is valid on every state of every lock type', async () => {
    for (const lt of LOCK_TYPES) {
      for (const s of machineStates(lt)) {
        const print = `${lt.name} ${stateName(s)}`;
        const { code, doc } = await json('explain', '--json', print);
        expect(code, print).toBe(0);
        expectValid('explain', doc, print);
        expect(doc.state.name).toBe(stateName(s));
      }
    }
  });

  it('is valid on cap prints (explain caps, and a bare caps= print)', async () => {
    for (const print of CAP_PRINTS) {
      const { code, doc } = await json('explain', 'caps', '--json', print);
      expect(code, print).toBe(0);
      expectValid('explain', doc, print);
      expect(doc.kind).toBe('caps');
    }
    const { doc } = await json('explain', '--json', CAP_PRINTS[0]);
    expectValid('explain', doc);
    expect(doc.kind).toBe('caps');
  });
});

describe('coverage --json', () => {
  const check = (doc: Doc) => {
    expectValid('coverage', doc);
    for (const f of doc.files) expect(f.edges, f.file).toBe(f.taken.length);
    for (const m of doc.machines) expect(m.covered + m.uncovered.length, m.machine).toBe(m.declared);
  };

  it('is valid with no paths (every file under scenarios/)', async () => {
    const { code, doc } = await json('coverage', '--json');
    expect(code).toBe(0);
    check(doc);
    expect(doc.files.length).toBeGreaterThan(1);
  }, 30_000); // every scenario replayed: seconds on 2 busy cores

  it('is valid with one file', async () => {
    const file = 'scenarios/walkthroughs/w3-filelock-sync-to-mix.yaml';
    const { code, doc } = await json('coverage', '--json', file);
    expect(code).toBe(0);
    check(doc);
    expect(doc.files.map((f: Doc) => f.file)).toEqual([file]);
    expect(doc.machines.some((m: Doc) => m.uncovered.length > 0)).toBe(true);
  });
});

describe('tables --json', () => {
  it('is valid', async () => {
    const { code, doc } = await json('tables', '--json');
    expect(code).toBe(0);
    expectValid('tables', doc);
  });
});

describe('each schema rejects a broken document', () => {
  it('why', async () => {
    const { doc } = await json('why', '--json', 'scenarios/findings/remote-xlocks-deadlock-on-versionlock.yaml');
    expectValid('why', doc);
    expect(doc.waits.length).toBeGreaterThan(0);
    expect(doc.deadlocks.length).toBeGreaterThan(0);
    const broken: ((d: Doc) => void)[] = [
      (d) => { delete d.waits[0].blockers; },
      (d) => { d.waits[0].blockers = []; },
      (d) => { d.waits[0].request = 'client.4101:1'; }, // no rank
      (d) => { d.waits[0].rank = 0; }, // an internal number the output does not have
      (d) => { d.waits[0].on = 'xlock iflock /d0/f0 on mds.0'; }, // no lock print
      (d) => { d.deadlocks[0] = []; },
      (d) => { d.step = '5'; },
      (d) => { delete d.at; },
    ];
    for (const b of broken) {
      const d = clone(doc);
      b(d);
      expect(isValid('why', d), b.toString()).toBe(false);
    }
  });

  it('explain', async () => {
    const { doc: lock } = await json('explain', '--json', '(ifile mix->sync g=1 r=1 w=1 dirty flushing)');
    const { doc: caps } = await json('explain', 'caps', '--json', CAP_PRINTS[0]);
    const broken: [Doc, (d: Doc) => void][] = [
      [lock, (d) => { d.state.name = 'mix->snyc'; }], // an unknown state name
      [lock, (d) => { d.state.next = 21; }], // the internal number of a state
      [lock, (d) => { delete d.parsed.by; }],
      [lock, (d) => { d.lock.name = 'filelock'; }],
      [lock, (d) => { d.lock.machine = 'filelock'; }],
      [lock, (d) => { d.permissions[2].code = 'ALL'; }],
      [lock, (d) => { d.permissions.reverse(); }],
      [lock, (d) => { d.parsed.flags.push('dirty'); }],
      [lock, (d) => { d.kind = 'caps'; }],
      [lock, (d) => { d.transitions[0].via = 'simple_snyc'; }],
      [caps, (d) => { delete d.clients[0].seq; }],
      [caps, (d) => { d.clients[0].pending.word = 'Fpr'; }],
      [caps, (d) => { d.clients[0].pending.fields[1].caps.push('write'); }], // A takes only shared, excl
      [caps, (d) => { d.clients[0].client = 4101; }], // a name, not a number
      [caps, (d) => { d.extra = true; }],
    ];
    for (const [doc, b] of broken) {
      expectValid('explain', doc);
      const d = clone(doc);
      b(d);
      expect(isValid('explain', d), b.toString()).toBe(false);
    }
  });

  it('coverage', async () => {
    const { doc } = await json('coverage', '--json', 'scenarios/walkthroughs/w1-simplelock-xlock.yaml');
    expectValid('coverage', doc);
    const broken: ((d: Doc) => void)[] = [
      (d) => { delete d.files[0].edges; },
      (d) => { d.machines[0].machine = 'simplelock'; },
      (d) => { d.machines.reverse(); },
      (d) => { d.machines.pop(); },
      (d) => { d.files[0].taken[0] = 'sm_simplelock auth: lock -> lock->snyc (simple_sync)'; }, // an unknown state
      (d) => { d.files[0].taken[0] = 'sm_simplelock auth: 2 -> 9 (simple_sync)'; }, // states as numbers
      (d) => { d.machines[1].uncovered.push(d.machines[1].uncovered[0]); },
    ];
    for (const b of broken) {
      const d = clone(doc);
      b(d);
      expect(isValid('coverage', d), b.toString()).toBe(false);
    }
  });

  it('tables', async () => {
    const { doc } = await json('tables', '--json');
    const broken: ((d: Doc) => void)[] = [
      (d) => { d.filelock.states['mix->snyc'] = d.filelock.states.mix; }, // an unknown state
      (d) => { d.simplelock.states.mix = d.filelock.states.mix; }, // a state the machine has no row for
      (d) => { delete d.scatterlock.states.sync; },
      (d) => { delete d.simplelock.states.sync.constant; },
      (d) => { d.simplelock.states.sync.can_wrlock = 0; }, // the code, not its name
      (d) => { d.filelock.states.sync.next = 'UNDEF'; },
      (d) => { d.filelock.states.sync.caps.push('GRW'); },
      (d) => { d.locallock.name = 'sm_simplelock'; },
      (d) => { delete d.locallock; },
    ];
    for (const b of broken) {
      const d = clone(doc);
      b(d);
      expect(isValid('tables', d), b.toString()).toBe(false);
    }
  });
});
