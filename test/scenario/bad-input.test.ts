// Bad input that used to get through (found by mutating scenario files): each is now one
// escaped line at file:line:col, and a file with several problems reports them all.
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH } from '../../src/scenario/yamlCheck.js';
import { errorsOf, expectErrorAt, pos, scenario, HEAD, OBJECTS } from './files.js';

const req = (id: string, lock = 'iauth /f') => `  - request: ${id}\n    on: mds.0\n    rdlock: [${lock}]\n`;

describe('names are canonical', () => {
  it('client.0 is not a client (it would be the endpoint mds.0)', () => {
    expectErrorAt(scenario(req('client.4101:1'), OBJECTS, 'name: t\nranks: 3\nclients: { client.0: mds.0 }\n'), 'client.0',
      /^client 'client\.0' is not a client \(want client\.N: client ids start at 1 \(client\.0 would name the same endpoint as mds\.0\)\)$/);
  });

  it('client.07 and client.7 cannot both be declared: leading zeros are refused', () => {
    expectErrorAt(scenario(req('client.4101:1'), OBJECTS, 'name: t\nranks: 3\nclients: { client.7: mds.0, client.07: mds.1 }\n'), 'client.07',
      /^client 'client\.07' is not a client \(want client\.N: numbers are written without leading zeros\)$/);
  });

  it('mds.01 and client.07:1 are refused too', () => {
    expectErrorAt(scenario(req('client.4101:1'), 'objects:\n  - inode: /f\n    type: file\n    auth: mds.01\n'), 'mds.01', /^auth 'mds\.01' is not a rank \(want mds\.N: numbers are written without leading zeros\)$/);
    expectErrorAt(scenario(req('client.04101:1')), 'client.04101:1', /^bad request id 'client\.04101:1' \(want client\.<id>:<tid>: numbers are written without leading zeros\)$/);
  });
});

describe('YAML the library accepts quietly', () => {
  it('an alias naming no anchor, inside a list, is an error at the alias', () => {
    expectErrorAt(scenario('  - request: client.4101:1\n    on: mds.0\n    rdlock: [iauth /f, *nosuch]\n'), '*nosuch', /^alias \*nosuch names no anchor defined before it$/);
    expectErrorAt(scenario(`${req('client.4101:1')}  - expect: { granted: [client.4101:1, *typo] }\n`), '*typo', /^alias \*typo names no anchor defined before it$/);
  });

  it('a tag that contradicts its value is an error', () => {
    expectErrorAt(scenario(req('client.4101:1'), 'objects:\n  - inode: !!seq "/f"\n    type: file\n    auth: mds.0\n'), '!!seq', /^bad YAML: Unresolved tag: tag:yaml\.org,2002:seq$/);
  });

  it('nesting deeper than the limit is refused at the same place however deep it goes', () => {
    const deep = (n: number) => `${HEAD}objects: ${'['.repeat(n)}${']'.repeat(n)}\nsteps: []\n`;
    // the top-level mapping is the first level: the 64th bracket is the 65th collection
    const where = `1:${'objects: '.length + MAX_DEPTH}`;
    for (const n of [MAX_DEPTH + 1, 2000, 5000]) {
      const errs = errorsOf(deep(n));
      expect(errs).toHaveLength(1);
      expect(errs[0]).toBe(`t.yaml:${where.replace('1:', `${HEAD.split('\n').length}:`)}: collections nest more than ${MAX_DEPTH} deep here; a scenario never needs that`);
    }
  });

  it('an over-indented key is reported on its own line', () => {
    const text = scenario(req('client.4101:1'), 'objects:\n  - inode: /f\n    type: file\n      auth: mds.0\n');
    expectErrorAt(text, 'auth: mds.0', /^malformed YAML: key 'auth' is indented more than the key above it$/);
  });
});

describe('expectations that check nothing', () => {
  it.each(['granted', 'waiting', 'finished'])('%s: [] is refused', (key) => {
    expectErrorAt(scenario(`${req('client.4101:1')}  - expect: { ${key}: [] }\n`), '[] }', new RegExp(`^${key}: \\[\\] checks nothing`));
  });
});

describe('values echoed in messages', () => {
  it.each([
    ['a newline', 'fi\\nle', "'fi\\nle'"],
    ['an escape', 'fi\\u001b[31mle', "'fi\\u001b[31mle'"],
    ['a carriage return', 'fi\\rle', "'fi\\rle'"],
    ['a NUL', 'fi\\u0000le', "'fi\\u0000le'"],
    ['a line separator', 'fi\\u2028le', "'fi\\u2028le'"],
    ['a right-to-left override', 'fi\\u202ele', "'fi\\u202ele'"],
  ])('%s is escaped and the message stays one line', (_what, value, shown) => {
    const text = scenario(req('client.4101:1'), `objects:\n  - inode: /f\n    type: "${value}"\n    auth: mds.0\n`);
    const [line] = errorsOf(text);
    expect(line).toBe(`t.yaml:${pos(text, `"${value}"`)}: type must be file or dir, not ${shown}`);
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202e]/);
  });
});

describe('every problem of a file in one run', () => {
  it('reports each mistake at its place, in file order, with no cascade from a broken declaration', () => {
    const text = `name: t
ranks: 3
colour: blue
clients: { client.4101: mds.0, client.0: mds.1 }
objects:
  - inode: /f
    type: fiel
    auth: mds.0
  - inode: /g
    type: file
    auth: mds.9
steps:
  - request: client.4101:1
    on: mds.0
    rdlock: [iauth /f, iauht /g]
  - request: client.4101:2
    on: mds.0
    xlock: [iauth /g]
  - finish: client.4101:1
  - expect: { grantd: client.4101:2 }
`;
    expect(errorsOf(text)).toEqual([
      `t.yaml:${pos(text, 'colour')}: unknown key 'colour' in the scenario (expected name, seed, ranks, clients, rules, objects, steps)`,
      `t.yaml:${pos(text, 'client.0')}: client 'client.0' is not a client (want client.N: client ids start at 1 (client.0 would name the same endpoint as mds.0))`,
      `t.yaml:${pos(text, 'fiel')}: type must be file or dir, not 'fiel'`,
      `t.yaml:${pos(text, 'mds.9')}: auth mds.9 is out of range: the cluster has mds.0 .. mds.2`,
      // /f and /g failed to declare: naming them later is not a new error; an unknown lock type still is
      `t.yaml:${pos(text, 'iauht /g')}: unknown lock type 'iauht' (known: dn, dversion, isnap, ipolicy, ifile, inest, idft, iauth, ilink, ixattr, iflock, iversion)`,
      `t.yaml:${pos(text, 'grantd')}: unknown expect key 'grantd' (expected mds.N, client.N, client.N:TID, granted, waiting, finished, in_flight, messages, violation, abort, replies, mdsmap, quiet)`,
    ]);
  });
});
