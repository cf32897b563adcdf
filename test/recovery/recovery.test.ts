// MDS failure and recovery (src/recovery/): what a failure loses, what survivors do, the
// rejoin exchange's effect on gathers, the Locker's guards against a peer that is not back,
// the I7 drain taking a failed rank over, and bad steps as one-line errors. The scenarios in
// scenarios/failure/ show each gather kind end to end (test/scenario/examples.test.ts).
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import { checkQuiescence, checkState } from '../../src/invariants/index.js';
import { deliverAll, deliverOne, recover } from '../../src/cluster/sim.js';
import { parseCaps } from '../../src/clients/capString.js';
import { printEvent } from '../../src/trace/printEvent.js';
import { lockTypeByName, stateName } from '../../statemachines/index.js';
import type { TraceEvent } from '../../src/locker/context.js';
import { replayIn } from '../scenario/replayIO.js';
import { pos, scenario, tempFile } from '../scenario/files.js';

// /f as in every scenario test; /d a delegation point with its ifile scattered (mixed gathers)
const HEAD = scenario('', `objects:
  - inode: /f
    type: file
    auth: mds.0
    replicas: [mds.1, mds.2]
  - inode: /d
    type: dir
    auth: mds.0
    replicas: [mds.1, mds.2]
    delegation: true
    locks: { ifile: mix }
`);
const run = (steps: string) => runScenario(parseScenario(HEAD + steps, 't.yaml'));
const lines = (r: ReturnType<typeof run>) => r.events.filter((e) => e.kind !== 'step' && e.kind !== 'check' && e.kind !== 'state' && e.kind !== 'violation' && e.kind !== 'waits').map((e) => printEvent(e as TraceEvent));
const lockOn = (r: ReturnType<typeof run>, rank: number, type: 'iauth' | 'ifile', path: string) =>
  r.cluster.ranks[rank].lock({ path, type: lockTypeByName(type)!.type })!;

describe('a rank fails', () => {
  it('loses every message in flight to or from it, and what is sent to it later is dropped', () => {
    const r = run(`  - request: client.4101:1
    on: mds.0
    xlock: [iauth /f]
  - fail: mds.1
  - finish: client.4101:1
`);
    expect(r.violations).toEqual([]);
    expect(lines(r)).toContain('mds.1 failed: 1 message in flight to or from it lost, 0 requests gone with it');
    // the LOCK to mds.2 is still in flight; mds.1's is gone
    expect(r.cluster.net.all().map((m) => `${m.from}->${m.to}`)).not.toContain('0->1');
    expect(r.cluster.mdsmap.state).toEqual([13, 0, 13]);
  });

  it('leaves the survivors\' gathers waiting on it until its successor\'s weak rejoin', () => {
    const base = `  - request: client.4101:1
    on: mds.0
    xlock: [iauth /f]
  - deliver: { from: mds.0, to: mds.2 }
  - deliver: { from: mds.2, to: mds.0 }
  - fail: mds.1
`;
    const failed = run(base);
    expect(lockOn(failed, 0, 'iauth', '/f').gather_ranks()).toEqual([1]);
    const rejoined = run(`${base}  - recover: mds.1
  - deliver: { from: mds.1, to: mds.0 }
`);
    // the weak rejoin took mds.1 out: the gather ended and the xlock went on
    const l = lockOn(rejoined, 0, 'iauth', '/f');
    expect([l.gather_ranks(), l.num_xlock]).toEqual([[], 1]);
  });

  it('keeps a recovering replica in a mixed gather, and its ack ends it (ScatterLock::remove_replica on rejoin)', () => {
    const base = `  - request: client.4101:1
    on: mds.0
    rdlock: [ifile /d]
  - fail: mds.1
  - recover: mds.1
  - deliver: { from: mds.1, to: mds.0 }
`;
    const kept = run(base);
    expect(lockOn(kept, 0, 'ifile', '/d').gather_ranks()).toEqual([1, 2]);
    const done = run(`${base}  - deliver: all
`);
    expect(lockOn(done, 0, 'ifile', '/d').gather_ranks()).toEqual([]);
    expect(done.violations).toEqual([]);
  });

  it('finishes the peer requests of a dead leader, releasing their locks there', () => {
    const r = run(`  - request: client.4102:1
    on: mds.1
    xlock: [iauth /f]
  - deliver: all
  - expect: { mds.0: { iauth /f: "(iauth xlock x=1 by request(client.4102:1))" } }
  - fail: mds.1
`);
    expect(r.results.every((x) => x.pass)).toBe(true);
    expect(lines(r)).toContain('mds.0 request client.4102:1 finished: its leader mds.1 failed');
    expect(lockOn(r, 0, 'iauth', '/f').num_xlock).toBe(0);
  });

  it('is taken over in the I7 drain: a run that ends with a rank failed is not stuck for that', () => {
    const r = run(`  - fail: mds.2
`);
    expect(r.violations).toEqual([]);
    const d = checkQuiescence(r.cluster);
    expect(d.violation).toBeNull();
    expect(d.steps).toContainEqual({ kind: 'recover', rank: 2, to: 11 });
    expect(d.drained.mdsmap.state).toEqual([13, 13, 13]);
  });
});

describe('a replica whose auth is not back', () => {
  it('completes a gather silently while the auth is before rejoin: no ack, the table\'s next state', () => {
    const r = run(`  - request: client.4102:1
    on: mds.1
    rdlock: [iauth /f]
  - request: client.4101:1
    on: mds.0
    xlock: [iauth /f]
  - deliver: { from: mds.0, to: mds.1 }
  - fail: mds.0
  - finish: client.4102:1
`);
    expect(stateName(lockOn(r, 1, 'iauth', '/f').state)).toBe('lock');
    expect(lines(r).filter((l) => l.includes('lockack'))).toEqual([]);
    expect(lines(r)).toContain('mds.1.locker eval_gather (iauth lock) on /f');
  });

  it('sends no REQSCATTER to an auth in rejoin: the retry the rejoin ack wakes parks on the lock alone', () => {
    const r = run(`  - request: client.4102:1
    on: mds.1
    wrlock: [ifile /f]
  - deliver: { from: mds.1, to: mds.0 }
  - deliver: { from: mds.0, to: mds.1 }
  - fail: mds.0
  - recover: mds.0
  - deliver: all
`);
    // the first REQSCATTER died with mds.0; the ack's wake-up found mds.0 in rejoin: none sent
    expect(lines(r).filter((l) => l.startsWith('mds.1 -> mds.0 lock(a=reqscatter'))).toEqual(['mds.1 -> mds.0 lock(a=reqscatter ifile /f)']);
    // the ack woke it (a stable state): it ran again and waited again
    const ack = lines(r).indexOf('mds.1 <- mds.0 cache_rejoin(ack /f /d[ifile=mix] / dentry /f dentry /d)');
    expect(ack).toBeGreaterThan(0);
    expect(lines(r).slice(ack).some((l) => l.startsWith('mds.1 request client.4102:1 waiting'))).toBe(true);
    expect(r.cluster.mdsmap.state).toEqual([13, 13, 13]);
    expect(r.cluster.ranks[1].requests['client.4102:1'].status).toBe('waiting');
    // Ceph main's bug (PR #71408): nothing is left to move it, and I7 says so
    expect(r.violations.map((v) => v.invariant)).toEqual(['I7']);
  });
});

describe('bad fail and recover steps', () => {
  it.each([
    ['failing a failed rank', '  - fail: mds.1\n  - fail: mds.1\n', 'fail: mds.1\n  - fail', "mds.1 is already failed"],
    ['recovering an active rank', '  - recover: mds.1\n', 'recover', 'mds.1 is active: fail it first'],
    ['a request to a failed rank', '  - fail: mds.1\n  - request: client.4102:1\n    on: mds.1\n    rdlock: [iauth /f]\n', 'request: client.4102:1', 'mds.1 is failed: it takes requests, opens, leases and ticks once it is active again'],
    ['recovering backwards', '  - fail: mds.1\n  - recover: { rank: mds.1, to: resolve }\n  - recover: { rank: mds.1, to: replay }\n', 'recover: { rank: mds.1, to: replay', 'mds.1 is in resolve: it cannot recover to replay'],
  ])('%s: one line at the step, exit 2', async (_, steps, needle, message) => {
    const text = HEAD + steps;
    const f = tempFile(text);
    const r = await replayIn([f]);
    expect(r.code).toBe(2);
    const at = pos(text, needle.startsWith('fail: mds.1\n') ? '- fail: mds.1\n  - fail' : `- ${needle}`, 1);
    const [line, col] = at.split(':').map(Number);
    expect(r.err).toBe(`${f}:${needle.startsWith('fail: mds.1\n') ? line + 1 : line}:${col + 2}: ${message}\n`);
  });

  it.each([
    ['a state to recover to that is not one', '  - recover: { rank: mds.1, to: active }\n', "recover to 'active': give replay, resolve, reconnect or rejoin"],
    ['a rank the cluster does not have', '  - fail: mds.7\n', 'fail mds.7 is out of range: the cluster has mds.0 .. mds.2'],
    ['an mdsmap state that is not one', '  - expect: { mdsmap: { mds.1: sleeping } }\n', "rank state 'sleeping' is not one of failed, replay, resolve, reconnect, rejoin, clientreplay, active"],
  ])('%s: one line with file:line:col, exit 2', async (_, steps, message) => {
    const f = tempFile(HEAD + steps);
    const r = await replayIn([f]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n$`));
  });
});

describe('caps across a failure', () => {
  const text = scenario(`  - op: client.4101:1
    do: open /f wronly
  - deliver: all
  - fail: mds.0
`);
  it('a client reconnects with what its open wants, and the successor makes it loner again (EXCL, caps kept)', () => {
    const r = runScenario(parseScenario(text, 't.yaml'));
    const c = r.cluster;
    recover(c, 0);
    deliverAll(c);
    const inode = c.ranks[0].inodes['/f'];
    expect([stateName(inode.filelock.state), inode.loner_cap]).toEqual(['excl', 4101]);
    expect(checkState(c)).toEqual([]);
  });

  it('a recovering rank\'s caps are judged once it is active (I6, I10): EXCL chosen for caps nobody wants is fitted then', () => {
    const r = runScenario(parseScenario(text, 't.yaml'));
    const c = r.cluster;
    c.clients[4101].wanted = {}; // as if the file were closed with the caps still held
    recover(c, 0);
    for (const from of [1, 2]) deliverOne(c, { from, to: 0 }); // the strong rejoins: mds.0 chooses its states
    const inode = c.ranks[0].inodes['/f'];
    expect([c.mdsmap.state[0], stateName(inode.filelock.state), inode.loner_cap]).toEqual([11, 'excl', -1]);
    expect(checkState(c).filter((v) => v.invariant === 'I6' || v.invariant === 'I10')).toEqual([]);
    // judged as active, the same state breaks I10: in excl, a client other than the loner holds Fx
    const asActive = { ...c, mdsmap: { ...c.mdsmap, state: c.mdsmap.state.map(() => 13) } } as typeof c;
    expect(checkState(asActive).map((v) => v.invariant)).toContain('I10');
    deliverAll(c); // active: reissue_all_caps revokes what nobody wants
    expect(checkState(c)).toEqual([]);
    expect(c.clients[4101].held('/f') & ~parseCaps('pLs')!).toBe(0);
  });
});

describe('a recovering rank goes active', () => {
  it('only once what it sent before is delivered: a survivor rejoining cannot ack to an auth that is not gathering', () => {
    const text = `name: t
ranks: 2
clients: { client.4101: mds.0, client.4102: mds.1 }
objects:
  - inode: /f
    type: file
    auth: mds.0
    replicas: [mds.1]
steps:
  - request: client.4101:1
    on: mds.0
    xlock: [iauth /f]
  - request: client.4102:1
    on: mds.1
    rdlock: [iauth /f]
  - deliver: { from: mds.0, to: mds.1 }
  - fail: mds.0
  - recover: mds.0
  - deliver: { from: mds.0, to: mds.1 }
  - deliver: { from: mds.1, to: mds.0 }
  - deliver: { from: mds.1, to: mds.0 }
  - expect: { mdsmap: { mds.0: rejoin } }
  - finish: client.4102:1
  - deliver: all
  - expect: { mdsmap: { mds.0: active }, quiet: true }
`;
    const r = runScenario(parseScenario(text, 't.yaml'));
    expect(r.outcome.kind).toBe('done');
    expect(r.results.map((x) => [x.what, x.pass])).toEqual([['mds.0 state', true], ['mds.0 state', true], ['quiet', true]]);
    const l = lines(r);
    // its rejoin is done when mds.1's answer comes, but its own ack to mds.1 is still on the way
    expect(l.indexOf('mds.0 rejoin done: asks the monitor for active')).toBeLessThan(l.indexOf('mds.1 eval_gather: iauth /f finished its gather, but is still rejoining'));
    expect(l.filter((x) => x.includes('lockack'))).toEqual([]);
    expect(l.indexOf('mds.0 active')).toBeGreaterThan(l.indexOf('mds.1 handle_cache_rejoin_ack from mds.0: 3 replicas set'));
    expect(r.violations).toEqual([]);
  });
});
