// Clients in scenario files: caps, wanted caps, the loner and leases on objects; open and lease
// steps; links with client ends; expectations on cap prints and on what a client holds.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import { replayIn } from './replayIO.js';
import { parseCaps } from '../../src/clients/capString.js';
import { HEAD, OBJECTS, expectErrorAt, pos, scenario, tempFile } from './files.js';

/** HEAD plus client.4103, whose session rank mds.2 holds /f only. */
const HEAD3 = HEAD.replace('client.4102: mds.1 }', 'client.4102: mds.1, client.4103: mds.2 }');
const caps = (s: string) => parseCaps(s)!;

const OBJECTS_WITH_CLIENTS = OBJECTS
  .replace('    replicas: [mds.1, mds.2]\n', '    replicas: [mds.1, mds.2]\n    caps: { client.4101: pAsLsXsFscr, client.4102: As }\n    wanted: { client.4101: Fwb }\n    loner: client.4101\n')
  .replace('    leased: [mds.1]\n', '    leased: [mds.1]\n    leases: [client.4101, client.4102]\n');

describe('clients in a scenario file', () => {
  it('reads caps, wanted, loner, leases, open and lease steps, client links and client expectations', () => {
    const text = scenario(`  - open: { client: client.4102, inode: /f, caps: Fr }
  - lease: { client: client.4101, dentry: /d/x }
  - hold: { from: client.4101, to: mds.0 }
  - release: { from: client.4101, to: mds.0 }
  - deliver: { from: mds.0, to: client.4101 }
  - hold: { from: client.4101, to: client.4102 }
  - expect:
      mds.0: { caps /f: "caps={4101=pAsLsXsFscr/Fwb@0},l=4101", iauth /f: "(iauth sync)" }
      client.4101: { /f: pAsLsXsFscr, leases: [/d/x] }
      client.4102: { /f: "-", leases: [] }
`, OBJECTS_WITH_CLIENTS);
    const s = parseScenario(text, 't.yaml');
    expect(s.topology.clients).toEqual([{ id: 4101, session: 0 }, { id: 4102, session: 1 }]);
    expect(s.topology.objects[0]).toMatchObject({ caps: { 4101: caps('pAsLsXsFscr'), 4102: caps('As') }, wanted: { 4101: caps('Fwb') }, loner: 4101 });
    expect(s.topology.objects[2]).toMatchObject({ leased: [1], leases: [4101, 4102] });
    expect(s.steps.map((x) => x.text)).toEqual([
      'open /f by client.4102 wanting Fr', 'lease /d/x by client.4101', 'hold client.4101 -> mds.0', 'release client.4101 -> mds.0',
      'deliver mds.0 -> client.4101', 'hold client.4101 -> client.4102', 'expect']);
    expect(s.steps[0]).toMatchObject({ kind: 'open', client: 4102, path: '/f', wanted: caps('Fr') });
    expect(s.steps[1]).toMatchObject({ kind: 'lease', client: 4101, path: '/d/x' });
    expect(s.steps[2]).toMatchObject({ kind: 'hold', link: { from: -4101, to: 0 } });
    const last = s.steps[6];
    expect(last.kind === 'expect' && last.checks.map((c) => c.what)).toEqual([
      'mds.0 caps /f', 'mds.0 iauth /f', 'client.4101 caps on /f', 'client.4101 leases', 'client.4102 caps on /f', 'client.4102 leases']);
  });
});

// [what is wrong, text, where the error must point (a needle, `needle@N` for its Nth occurrence), message]
const obj = (from: string, to: string) => scenario('  - tick: mds.0\n', OBJECTS.replace(from, to), HEAD3);
const onF = (add: string) => obj('    replicas: [mds.1, mds.2]\n', `    replicas: [mds.1, mds.2]\n${add}`);
const onD = (add: string) => obj('    replicas: [mds.1]\n', `    replicas: [mds.1]\n${add}`);
const onDx = (add: string) => obj('    leased: [mds.1]\n', `    leased: [mds.1]\n${add}`);
const step = (s: string) => scenario(s, OBJECTS, HEAD3);
const BROKEN: [string, string, string, RegExp][] = [
  ['bad wanted letters', onF('    wanted: { client.4101: Fq }\n'), 'Fq', /bad caps 'Fq' for client\.4101/],
  ['X taking a file letter', onF('    caps: { client.4101: Xr }\n'), 'Xr', /bad caps 'Xr' for client\.4101/],
  ['wanted by an undeclared client', onF('    wanted: { client.9: As }\n'), 'client.9', /client wanting caps client\.9 is not declared under clients/],
  ['caps from a session rank without a copy', onD('    caps: { client.4103: As }\n'), 'client.4103: As', /client\.4103's session rank mds\.2 holds no copy of \/d \(auth mds\.0, replicas mds\.1\)/],
  ['wanted from a session rank without a copy', onD('    wanted: { client.4103: As }\n'), 'client.4103: As', /client\.4103's session rank mds\.2 holds no copy of \/d/],
  ['a lease of an undeclared client', onDx('    leases: [client.7]\n'), 'client.7', /lease holder client\.7 is not declared under clients/],
  ['a client leasing twice', onDx('    leases: [client.4101, client.4101]\n'), 'client.4101]', /client\.4101 is listed twice in leases/],
  ['a lease from a session rank without a copy', onDx('    leases: [client.4103]\n'), 'client.4103]', /client\.4103's session rank mds\.2 holds no copy of dentry \/d\/x \(auth mds\.0, replicas mds\.1\)/],
  ['leases on an inode', onF('    leases: [client.4101]\n'), 'leases', /unknown key 'leases' in an inode/],
  ['open by an undeclared client', step('  - open: { client: client.9, inode: /f, caps: Fr }\n'), 'client.9', /client client\.9 is not declared under clients/],
  ['open of a dentry', step('  - open: { client: client.4101, inode: /d/x, caps: Fr }\n'), '/d/x@2', /inode: \/d\/x is a dentry, not an inode/],
  ['open of an unknown inode', step('  - open: { client: client.4101, inode: /g, caps: Fr }\n'), '/g', /unknown inode '\/g'/],
  ['open on a session rank without a copy', step('  - open: { client: client.4103, inode: /d, caps: Fr }\n'), '/d,', /client\.4103's session rank mds\.2 holds no copy of \/d/],
  ['open with bad caps', step('  - open: { client: client.4101, inode: /f, caps: rw }\n'), 'rw', /bad caps 'rw' for open by client\.4101/],
  ['open without caps', step('  - open: { client: client.4101, inode: /f }\n'), '{ client@2', /open is missing 'caps'/],
  ['a lease on the root, which has no dentry', step('  - lease: { client: client.4101, dentry: / }\n'), '/ }', /dentry: \/ is an inode, not a dentry/],
  ['a lease on a session rank without a copy', step('  - lease: { client: client.4103, dentry: /d/x }\n'), '/d/x@2', /client\.4103's session rank mds\.2 holds no copy of dentry \/d\/x/],
  ['a link from an undeclared client', step('  - hold: { from: client.9, to: mds.0 }\n'), 'client.9', /from client\.9 is not declared under clients/],
  ['a delivery to an undeclared client', step('  - deliver: { from: mds.0, to: client.8 }\n'), 'client.8', /to client\.8 is not declared under clients/],
  ['a link end that is no endpoint', step('  - release: { from: mds.0, to: osd.1 }\n'), 'osd.1', /to 'osd\.1' is neither a rank nor a client \(want mds\.N or client\.N\)/],
  ['expected caps of an unknown inode', step('  - expect: { mds.0: { caps /g: "caps={}" } }\n'), 'caps /g', /unknown inode '\/g'/],
  ['expected caps of a dentry', step('  - expect: { mds.0: { caps /d/x: "caps={}" } }\n'), 'caps /d/x', /expect caps: \/d\/x is a dentry, not an inode/],
  ['expected caps on a rank without a copy', step('  - expect: { mds.2: { caps /d: "caps={}" } }\n'), 'caps /d', /mds\.2 holds no copy of \/d \(auth mds\.0, replicas mds\.1\)/],
  ['an expected caps print of another form', step('  - expect: { mds.0: { caps /f: "(iauth sync)" } }\n'), '"(iauth', /expected caps of \/f must look like caps=\{/],
  ['expectations of an undeclared client', step('  - expect: { client.9: { /f: As } }\n'), 'client.9', /expect client client\.9 is not declared under clients/],
  ['expected client caps with bad letters', step('  - expect: { client.4101: { /f: Az } }\n'), 'Az', /bad caps 'Az' for client\.4101 on \/f/],
  ['expected client caps on a dentry', step('  - expect: { client.4101: { /d/x: As } }\n'), '/d/x@2', /expect client\.4101: \/d\/x is a dentry, not an inode/],
  ['expected client caps from a session rank without a copy', step('  - expect: { client.4103: { /d: As } }\n'), '/d:', /client\.4103's session rank mds\.2 holds no copy of \/d/],
  ['an expected lease on the root, which has no dentry', step('  - expect: { client.4101: { leases: [/] } }\n'), '/]', /lease: \/ is an inode, not a dentry/],
];

describe('a broken client key gives one line naming file:line:col', () => {
  it.each(BROKEN)('%s', (_what, text, where, message) => expectErrorAt(text, where, message));
});

/** Run `text`; the plain trace and the outcome. */
function run(text: string) {
  const s = parseScenario(text, 't.yaml');
  return runScenario(s);
}

const failed = (r: ReturnType<typeof run>) => r.results.filter((x) => !x.pass).map((x) => `${x.what}: expected ${x.expected}, got ${x.actual}`);

describe('running client steps', () => {
  // W2's shape: the loner client.4101 holds Asx (wants only As) on /f, whose iauth is excl
  const LONER = OBJECTS.replace('    replicas: [mds.1, mds.2]\n',
    '    replicas: [mds.1, mds.2]\n    locks: { iauth: excl }\n    caps: { client.4101: Asx }\n    wanted: { client.4101: As }\n    loner: client.4101\n');

  it('keeps a transition open while the client\'s revoke ack is held, and completes it on delivery', () => {
    const r = run(scenario(`  - hold: { from: client.4101, to: mds.0 }
  - request: client.4102:9
    on: mds.1
    rdlock: [iauth /f]
  - deliver: all
  - expect:
      waiting: client.4102:9
      mds.0: { iauth /f: "(iauth excl->sync)", caps /f: "caps={4101=As/Asx/As@1},l=4101" }
      client.4101: { /f: As }
      messages: ["client.4101 -> mds.0 client_caps(update /f seq 1 caps=As wanted=As)"]
  - deliver: all
  - expect: { waiting: client.4102:9, mds.0: { iauth /f: "(iauth excl->sync)" }, in_flight: 1 }
  - release: { from: client.4101, to: mds.0 }
  - deliver: { from: client.4101, to: mds.0 }
  - expect:
      mds.0: { iauth /f: "(iauth sync)", caps /f: "caps={4101=As/As@1}" }
  - deliver: all
  - expect:
      granted: client.4102:9
      mds.1: { iauth /f: "(iauth sync r=1)" }
`, LONER));
    expect(r.outcome).toEqual({ kind: 'done' });
    expect(failed(r)).toEqual([]);
    expect(r.results).toHaveLength(12);
  });

  it('refuses to deliver on a held client link, naming the link', () => {
    const text = scenario(`  - hold: { from: client.4101, to: mds.0 }
  - deliver: all
  - deliver: { from: client.4101, to: mds.0 }
`, OBJECTS.replace('    replicas: [mds.1, mds.2]\n', '    replicas: [mds.1, mds.2]\n    caps: { client.4101: As }\n'));
    const r = run(text);
    expect(r.outcome.kind === 'error' && r.outcome.error.line).toBe(`t.yaml:${pos(text, 'deliver: { from')}: link client.4101 -> mds.0 is held; release it first`);
  });

  it('refuses to deliver on an empty client link, naming both ends', () => {
    const r = run(scenario('  - deliver: { from: client.4102, to: mds.1 }\n'));
    expect(r.outcome.kind === 'error' && r.outcome.error.line).toBe('t.yaml:18:5: no message in flight from client.4102 to mds.1');
  });

  it('opens a file for a client and grants a dentry lease', () => {
    const r = run(scenario(`  - open: { client: client.4101, inode: /f, caps: Fr }
  - lease: { client: client.4101, dentry: /d/x }
  - deliver: all
  - expect:
      mds.0: { dn /d/x: "(dn sync l)" }
      client.4101: { /f: pAsLsXsFscr, leases: [/d/x] }
`));
    expect(r.outcome).toEqual({ kind: 'done' });
    expect(failed(r)).toEqual([]);
    expect(r.events).toContainEqual({ kind: 'step', index: 1, loc: { file: 't.yaml', line: 18, col: 5 }, text: 'open /f by client.4101 wanting Fr' });
  });

  it('--json gives each rank\'s cap prints and what each client holds', async () => {
    const file = tempFile(scenario('  - deliver: all\n', OBJECTS_WITH_CLIENTS));
    const r = await replayIn([file], { json: true });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out).files[0];
    expect(j.caps).toEqual({
      'mds.0': { '/f': 'caps={4101=pAsLsXsFscr/Fwb@0},l=4101' }, 'mds.1': { '/f': 'caps={4102=As/-@0}' }, 'mds.2': {},
    });
    expect(j.clients).toEqual({
      'client.4101': { caps: { '/f': 'pAsLsXsFscr' }, leases: ['/d/x'] },
      'client.4102': { caps: { '/f': 'As' }, leases: ['/d/x'] },
    });
  });
});
