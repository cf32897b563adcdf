import { describe, expect, it } from 'vitest';
import { tablesJson } from '../../src/inspect/tablesJson.js';
import { HEADERS } from '../../src/inspect/tablesText.js';
import { COLUMNS, GENERIC_CAPS } from '../../statemachines/index.js';
import { mdslock } from './inProcess.js';

/** stdout of a command line run in-process, which must exit 0. */
async function run(...args: string[]): Promise<string> {
  const r = await mdslock(args);
  expect(r.status).toBe(0);
  return r.stdout;
}

describe('mdslock tables', () => {
  it('--json has the four machines with Ceph column names, printed state names, perm names and cap arrays', async () => {
    const j = JSON.parse(await run('tables', '--json'));
    expect(Object.keys(j)).toEqual(['simplelock', 'scatterlock', 'filelock', 'locallock']);
    expect(j).toEqual(tablesJson());
    const fsync = j.filelock.states.sync;
    expect(fsync).toMatchObject({ value: 1, next: null, loner: false, replica_state: 'sync', can_rdlock: 'ANY', can_wrlock: null,
      caps: ['GSHARED', 'GCACHE', 'GRD', 'GLAZYIO'], replica_caps: ['GSHARED', 'GCACHE', 'GRD'] });
    expect(j.filelock.states['excl->xsyn']).toMatchObject({ next: 'xsyn', loner: true, can_rdlock: 'XCL' });
    expect(j.scatterlock.states['sync->mix']).toMatchObject({ replica_state: 'sync->mix(2)' });
    expect(j.scatterlock.states['sync->mix(2)'].replica_state).toBeNull();
    expect(j.simplelock.states.lock.can_rdlock).toBe('REQ');
    expect(j.filelock.states['*->scan'].next).toBe('scan');
    expect(j.simplelock.can_remote_xlock).toBe(true);
    expect(j.filelock.allowed_ever_replica).toEqual(['GSHARED', 'GCACHE', 'GRD', 'GLAZYIO']);
    expect(Object.keys(j.filelock.states)).toHaveLength(32);
  });

  it('prints readable tables, plain when piped', async () => {
    const out = await run('tables');
    expect(out).toContain('sm_filelock');
    expect(out).toMatch(/^sync->mix\(2\)\s+mix\s+false\s+0\s/m);
    expect(out).not.toMatch(/\x1b\[/);
  });

  it('gives every column a distinct header, and one legend after the tables names each', async () => {
    const lines = (await run('tables')).split('\n');
    const machines = ['sm_simplelock', 'sm_scatterlock', 'sm_filelock', 'sm_locallock'];
    for (const m of machines) {
      const header = lines[lines.indexOf(m) + 1].split(/\s+/);
      expect(header).toEqual(['state', 'next', 'loner', 'rstate', 'read', 'readp', 'rdlock', 'wrlock', 'fwrlock', 'lease', 'xlock', 'caps', 'lcaps', 'xcaps', 'rcaps']);
      expect(new Set(header).size).toBe(header.length);
    }
    const legend = lines.filter((l) => l.startsWith('Columns ('));
    expect(legend).toHaveLength(1);
    const at = lines.indexOf(legend[0]);
    expect(at).toBeGreaterThan(lines.indexOf('sm_locallock'));
    const rest = lines.slice(at);
    for (const c of COLUMNS) expect(rest.filter((l) => new RegExp(`^  ${HEADERS[c].head} +${c} +\\S`).test(l)), c).toHaveLength(1);
    for (const p of ['ANY', 'AUTH', 'XCL', 'REQ', '0']) expect(rest.some((l) => new RegExp(`^  ${p} +\\S`).test(l)), p).toBe(true);
    for (const c of GENERIC_CAPS) expect(rest.join('\n')).toContain(`${c.letter}=${c.name}`);
  });

  it('--help works', async () => {
    expect(await run('--help')).toContain('tables');
  });
});
