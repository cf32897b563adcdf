import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { RDLOCK, REMOTE_WRLOCK, WRLOCK } from '../../src/request/LockOp.js';
import { ref } from '../helpers.js';
import { HEAD, OBJECTS, expectErrorAt, pos, scenario } from './files.js';

describe('loading a scenario', () => {
  it('turns a valid file into a typed scenario', () => {
    const text = scenario(`  - request: client.4102:9
    on: mds.1
    rdlock: [iauth /f]
    wrlock: [inest /d]
  - request: client.4102:10
    on: mds.1
    remote_wrlock: [ifile /d]
  - deliver: 2
  - deliver: all
  - deliver: { from: mds.1, to: mds.0 }
  - hold: { from: mds.0, to: mds.2 }
  - release: { from: mds.0, to: mds.2 }
  - update: { request: client.4102:9, lock: inest /d }
  - nudge: { on: mds.1, lock: inest /d }
  - tick: mds.1
  - lease_release: { on: mds.1, dentry: /d/x }
  - early_reply: client.4102:9
  - finish: client.4102:9
  - expect:
      mds.1: { iauth /f: "(iauth sync r=1)", dn /d/x: "(dn sync l)" }
      granted: [client.4102:10]
      waiting: client.4102:9
      in_flight: 0
      messages: []
`, OBJECTS.replace('    type: file\n', '    type: file\n    ino: 0x10000000001\n    locks: { iauth: excl, ifile: mix }\n    caps: { client.4101: pAsxLsXsFscrwbl }\n    loner: client.4101\n')
      .replace('    type: dir\n', '    type: dir\n    delegation: true\n'));
    const s = parseScenario(text, 't.yaml');
    expect(s.name).toBe('test scenario');
    expect(s.seed).toBe(1);
    expect(s.clients).toEqual({ 'client.4101': 0, 'client.4102': 1 });
    expect(s.topology.clients).toEqual([{ id: 4101, session: 0 }, { id: 4102, session: 1 }]);
    expect(s.topology.objects).toEqual([
      { kind: 'inode', path: '/f', is_dir: false, auth: 0, replicas: [1, 2], ino: 0x10000000001, locks: { iauth: 'excl', ifile: 'mix' }, caps: { 4101: 0xbd5d }, loner: 4101 },
      { kind: 'inode', path: '/d', is_dir: true, auth: 0, replicas: [1], delegation: true },
      { kind: 'dentry', path: '/d/x', auth: 0, replicas: [1], leased: [1] },
      // completed (tree.ts): the root, then the primary dentries of the declared inodes
      { kind: 'inode', path: '/', is_dir: true, auth: 0, replicas: [1, 2], ino: 1 },
      { kind: 'dentry', path: '/f', auth: 0, replicas: [1, 2] },
      { kind: 'dentry', path: '/d', auth: 0, replicas: [1] },
    ]);
    const [req, remote] = s.steps;
    const [line, col] = pos(text, 'request: client.4102:9').split(':').map(Number);
    expect(req).toMatchObject({ kind: 'request', reqid: 'client.4102:9', rank: 1, loc: { file: 't.yaml', line, col } });
    expect(req.kind === 'request' && req.ops).toEqual([
      { lock: ref('iauth /f'), flags: RDLOCK, wrlock_target: -1 },
      { lock: ref('inest /d'), flags: WRLOCK, wrlock_target: -1 },
    ]);
    expect(remote.kind === 'request' && remote.ops).toEqual([{ lock: ref('ifile /d'), flags: REMOTE_WRLOCK, wrlock_target: 0 }]);
    expect(s.steps.map((x) => x.kind)).toEqual(['request', 'request', 'deliver', 'deliver', 'deliver_link', 'hold', 'release',
      'update', 'nudge', 'tick', 'lease_release', 'early_reply', 'finish', 'expect']);
    const last = s.steps[s.steps.length - 1];
    expect(last.kind === 'expect' && last.checks.map((c) => c.what)).toEqual([
      'mds.1 iauth /f', 'mds.1 dn /d/x', 'request client.4102:10', 'request client.4102:9', 'messages in flight', 'messages in flight']);
  });

  it('takes the seed from the file', () => {
    expect(parseScenario(scenario('  - tick: mds.0\n', OBJECTS, HEAD + 'seed: 42\n'), 't.yaml').seed).toBe(42);
  });
});

// Each broken file: [what is wrong, text, where the error must point (line:col, or a needle in the
// text, `needle@N` for its Nth occurrence), message].
const step = (s: string) => scenario(s);
const req = (on: string, lists: string, id = 'client.4102:9') => `  - request: ${id}\n    on: ${on}\n${lists}`;
const obj = (from: string, to: string) => scenario('  - tick: mds.0\n', OBJECTS.replace(from, to));
const BROKEN: [string, string, string, RegExp][] = [
  ['malformed YAML', 'name: x\nranks: [1\n', '3:1', /^malformed YAML: /],
  ['a duplicate key', 'name: x\nname: y\n', '2:1', /malformed YAML: Map keys must be unique/],
  ['not a mapping', '- 1\n- 2\n', '1:1', /a scenario file must be a mapping/],
  ['an empty file', '', '1:1', /a scenario file must be a mapping/],
  ['a missing key', `${HEAD}${OBJECTS}`, '1:1', /the scenario is missing 'steps'/],
  ['an unknown top-level key', step('  - tick: mds.0\n').replace('ranks: 3', 'ranks: 3\nrnaks: 3'), 'rnaks', /unknown key 'rnaks' in the scenario \(expected name, seed, ranks, clients, rules, objects, steps\)/],
  ['too many ranks', step('  - tick: mds.0\n').replace('ranks: 3', 'ranks: 17'), '17', /ranks must be 1\.\.16, not 17/],
  ['a name that is not a rank', obj('auth: mds.0\n    replicas: [mds.1, mds.2]', 'auth: mds0\n    replicas: [mds.1, mds.2]'), 'mds0', /auth 'mds0' is not a rank \(want mds\.N\)/],
  ['a rank out of range', step(req('mds.5', '    rdlock: [iauth /f]\n')), 'mds.5', /on mds\.5 is out of range: the cluster has mds\.0 \.\. mds\.2/],
  ['an unknown object key', obj('    type: dir\n', '    type: dir\n    owner: mds.1\n'), 'owner', /unknown key 'owner' in an inode/],
  ['an object that is neither inode nor dentry', obj('  - dentry: /d/x', '  - dentri: /d/x'), 'dentri', /an object needs 'inode: <path>' or 'dentry: <path>'/],
  ['a bad object type', obj('type: dir', 'type: folder'), 'folder', /type must be file or dir, not 'folder'/],
  ['a relative path', obj('inode: /d\n', 'inode: d\n'), 'd\n    type: dir', /inode 'd' is not an absolute path/],
  ['a replica that is the auth', obj('replicas: [mds.1, mds.2]', 'replicas: [mds.1, mds.0]'), 'mds.0]', /mds\.0 is the auth; it cannot also be one of the replicas/],
  ['a duplicate replica', obj('replicas: [mds.1, mds.2]', 'replicas: [mds.2, mds.2]'), 'mds.2]', /mds\.2 is listed twice in replicas/],
  ['a duplicate object', obj('  - dentry: /d/x', '  - inode: /d\n    type: file\n    auth: mds.0\n  - dentry: /d/x'), 'inode: /d@2', /inode \/d is already declared at line 9/],
  ['a duplicate ino', obj('    type: dir\n', '    type: dir\n    ino: 7\n').replace('    type: file\n', '    type: file\n    ino: 7\n'), '7\n@2', /ino 0x7 of \/d is already used by \/f/],
  ['an initial state of an unknown lock type', obj('    type: file\n', '    type: file\n    locks: { iquiesce: lock }\n'), 'iquiesce', /unknown lock type 'iquiesce'/],
  ['an initial state on a lock the object lacks', obj('    type: file\n', '    type: file\n    locks: { inest: mix }\n'), 'inest', /file \/f carries no inest lock/],
  ['an unknown initial state', obj('    type: file\n', '    type: file\n    locks: { iauth: open }\n'), 'open', /unknown lock state 'open'/],
  ['an unstable initial state', obj('    type: file\n', '    type: file\n    locks: { iauth: sync->lock }\n'), 'sync->lock', /iauth state sync->lock is unstable; start in a stable state \(sync, lock, excl\)/],
  ['a state not in the lock\'s machine', obj('    type: file\n', '    type: file\n    locks: { iauth: mix }\n'), 'mix', /iauth \(sm_simplelock\) has no state mix; it has sync, lock, excl/],
  ['an initial state on a local lock', obj('    type: file\n', '    type: file\n    locks: { iversion: lock }\n'), 'lock }', /iversion is a local lock: it is always lock and takes no initial state/],
  ['a dentry in an unstable state', obj('    leased: [mds.1]\n', '    leased: [mds.1]\n    lock: xlock\n'), 'xlock', /dn state xlock is unstable/],
  ['a lease on a rank without a copy', obj('leased: [mds.1]', 'leased: [mds.2]'), 'mds.2]@2', /mds\.2 holds no copy of \/d\/x to lease/],
  ['delegation on a file', obj('    type: file\n', '    type: file\n    delegation: true\n'), 'delegation', /delegation applies to directories only; \/f is a file/],
  ['bad caps letters', obj('    type: file\n', '    type: file\n    caps: { client.4101: AsFz }\n'), 'AsFz', /bad caps 'AsFz' for client\.4101/],
  ['caps out of Ceph\'s order', obj('    type: file\n', '    type: file\n    caps: { client.4101: FsAs }\n'), 'FsAs', /bad caps 'FsAs'/],
  ['caps of an undeclared client', obj('    type: file\n', '    type: file\n    caps: { client.9: As }\n'), 'client.9', /caps holder client\.9 is not declared under clients/],
  ['an undeclared loner', obj('    type: file\n', '    type: file\n    loner: client.7\n'), 'client.7', /loner client\.7 is not declared under clients/],
  ['a bad client name', step('  - tick: mds.0\n').replace('client.4101: mds.0', 'alice: mds.0'), 'alice', /client 'alice' is not a client \(want client\.N\)/],
  ['an unknown step', step('  - frobnicate: mds.0\n'), 'frobnicate', /unknown step 'frobnicate' \(expected one of request, op, deliver, early_reply, finish, kill, duplicate, wrlock_force, update, lease_release, nudge, tick, hold, release, fail, recover, export, open, lease, expect\)/],
  ['two steps in one', step('  - tick: mds.0\n    deliver: all\n'), 'deliver', /a step does one thing: found both 'tick' and 'deliver'/],
  ['an unknown key in a step', step(req('mds.1', '    readlock: [iauth /f]\n')), 'readlock', /unknown key 'readlock' in a request step \(expected request, on, rdlock, wrlock, xlock, remote_wrlock, locks\)/],
  ['a request without a rank', step('  - request: client.4102:9\n    rdlock: [iauth /f]\n'), '18:5', /a request step is missing 'on'/],
  ['an unknown lock type', step(req('mds.1', '    rdlock: [iauthority /f]\n')), 'iauthority', /unknown lock type 'iauthority' \(known: dn, dversion, isnap/],
  ['a lock name without a path', step(req('mds.1', '    rdlock: [iauth]\n')), 'iauth]', /rdlock 'iauth' is not a lock name/],
  ['an unknown object', step(req('mds.1', '    rdlock: [iauth /g]\n')), 'iauth /g', /unknown object '\/g' in rdlock/],
  ['a dir-only lock on a file', step(req('mds.1', '    rdlock: [inest /f]\n')), 'inest /f', /file \/f carries no inest lock/],
  ['a file-only lock on a dir', step(req('mds.1', '    rdlock: [iflock /d]\n')), 'iflock /d', /directory \/d carries no iflock lock/],
  ['an inode lock on a dentry', step(req('mds.1', '    rdlock: [iauth /d/x]\n')), 'iauth /d/x', /dentry \/d\/x carries no iauth lock/],
  ['a lock on a rank without a copy', step(req('mds.2', '    rdlock: [iauth /d]\n')), 'iauth /d', /mds\.2 holds no copy of \/d \(auth mds\.0, replicas mds\.1\)/],
  ['a bad request id', step('  - request: client.x:9\n    on: mds.1\n    rdlock: [iauth /f]\n'), 'client.x:9', /bad request id 'client\.x:9' \(want client\.<id>:<tid>\)/],
  ['a duplicate request id', step(req('mds.1', '    rdlock: [iauth /f]\n') + req('mds.0', '    rdlock: [iauth /f]\n')), 'client.4102:9@2', /duplicate request id client\.4102:9 \(first submitted at line 18\)/],
  ['a request taking no locks', step('  - request: client.4102:9\n    on: mds.1\n'), 'client.4102:9', /request client\.4102:9 takes no locks/],
  ['a wrlock on a simplelock', step(req('mds.0', '    wrlock: [iauth /f]\n')), 'iauth /f', /wrlock on iauth \/f: a simplelock is only ever force-wrlocked/],
  ['an xlock on a filelock from a replica', step(req('mds.1', '    xlock: [ifile /d]\n')), 'ifile /d', /xlock on ifile \/d from mds\.1: sm_filelock cannot be xlocked remotely/],
  ['an xlock on a scatterlock', step(req('mds.0', '    xlock: [inest /d]\n')), 'inest /d', /xlock on inest \/d: sm_scatterlock has no xlock states/],
  ['a remote wrlock on a simplelock', step(req('mds.1', '    remote_wrlock: [ilink /f]\n')), 'ilink /f', /remote_wrlock on ilink \/f: only scatterlocks/],
  ['a remote wrlock from the auth', step(req('mds.0', '    remote_wrlock: [inest /d]\n')), 'inest /d', /remote_wrlock on inest \/d from its auth mds\.0: take a wrlock instead/],
  ['finishing an unknown request', step('  - finish: client.4102:9\n'), 'client.4102:9', /unknown request client\.4102:9: no earlier request step submits it/],
  ['an early reply for an unknown request', step('  - early_reply: client.1:1\n'), 'client.1:1', /unknown request client\.1:1/],
  ['finishing twice', step(req('mds.1', '    rdlock: [iauth /f]\n') + '  - finish: client.4102:9\n  - finish: client.4102:9\n'), 'client.4102:9@3', /request client\.4102:9 already finished at line 21/],
  ['an update of an unknown request', step('  - update: { request: client.4102:3, lock: inest /d }\n'), 'client.4102:3', /unknown request client\.4102:3/],
  ['an update of a lock without scattered data', step(req('mds.1', '    rdlock: [iauth /f]\n') + '  - update: { request: client.4102:9, lock: iauth /f }\n'), 'iauth /f }', /iauth \/f carries no scattered data/],
  ['a nudge of a simplelock', step('  - nudge: { on: mds.0, lock: ilink /d }\n'), 'ilink /d', /ilink \/d is not a scatterlock/],
  ['a lease release of an unknown dentry', step('  - lease_release: { on: mds.1, dentry: /d/y }\n'), '/d/y', /unknown dentry '\/d\/y'/],
  ['a deliver count of 0', step('  - deliver: 0\n'), '18:14', /deliver takes a count of at least 1, 'all', or \{ from: mds\.N, to: mds\.M \}; not '0'/],
  ['a deliver word', step('  - deliver: everything\n'), 'everything', /deliver takes a count .*not 'everything'/],
  ['a deliver link without to', step('  - deliver: { from: mds.1 }\n'), '{ from', /deliver link is missing 'to'/],
  ['a bad expect key', step('  - expect: { grantd: client.4102:9 }\n'), 'grantd', /unknown expect key 'grantd' \(expected mds\.N, client\.N, client\.N:TID, granted, waiting, finished, in_flight, messages, violation, abort, replies, mdsmap, quiet\)/],
  ['an empty expect', step('  - expect: {}\n'), '{}', /expect checks nothing/],
  ['an expected print of another lock', step('  - expect: { mds.1: { iauth /f: "(ifile sync)" } }\n'), '"(ifile', /expected print of iauth \/f must look like \(iauth <state> \.\.\.\), not '\(ifile sync\)'/],
  ['an expected status of an unknown request', step('  - expect: { waiting: client.4102:1 }\n'), 'client.4102:1', /unknown request client\.4102:1/],
  ['a negative in_flight', step('  - expect: { in_flight: -1 }\n'), '-1', /in_flight cannot be negative/],
  ['a non-integer seed', step('  - tick: mds.0\n').replace('ranks: 3', 'ranks: 3\nseed: one'), 'one', /seed must be an integer/],
];

describe('a broken scenario file gives one line naming file:line:col', () => {
  it.each(BROKEN)('%s', (_what, text, where, message) => expectErrorAt(text, where, message));

  it('has more than twenty kinds', () => {
    expect(BROKEN.length).toBeGreaterThan(20);
  });
});
