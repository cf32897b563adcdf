// `mdslock explain`, the pure part: parsing lock and cap prints, and decoding them against the
// tables (every expected value here is read from statemachines/ or is a Ceph table fact).
import { describe, expect, it } from 'vitest';
import {
  CEPH_LOCK_IFILE, CEPH_LOCK_INEST, CEPH_LOCK_IVERSION, COLUMNS, LOCK_TYPES, MACHINES, PERM_NAMES,
  LOCK_MIX_SYNC, LOCK_SYNC_LOCK, LOCK_LOCK, gcapString, lockerEdges, stateName,
} from '../../statemachines/index.js';
import { createLock, LEASED, LocalLock, ScatterLock } from '../../src/locks/index.js';
import { printLock } from '../../src/trace/printLock.js';
import { ccap_string } from '../../src/clients/capString.js';
import { machineStates, parseCapPrint, parseLockPrint } from '../../src/inspect/parsePrint.js';
import { quote } from '../../src/trace/quote.js';
import { capsText, explainCaps, explainLock, formatLockPrint, lockText, type LockExplanation } from '../../src/inspect/explain.js';

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const err = (r: { ok: boolean; error?: string }): string => {
  expect(r.ok).toBe(false);
  return r.error!;
};
const lock = (text: string): LockExplanation => ok(explainLock(text));
const part = (e: LockExplanation, token: string) => e.parts.find((p) => p.token === token)!;

describe('parseLockPrint', () => {
  it('reads every suffix of a ScatterLock print', () => {
    const p = ok(parseLockPrint('(ifile sync->lock g=1,2 l r=3 w=2 x=1 by request(client.4101:7) dirty flushing flushed scatter_wanted)'));
    expect(p.type.name).toBe('ifile');
    expect(p.state).toBe(LOCK_SYNC_LOCK);
    expect({ ...p, type: undefined }).toEqual({ type: undefined, state: LOCK_SYNC_LOCK, gather: [1, 2], leased: true, rd: 3, wr: 2, x: 1,
      by: 'client.4101:7', flags: ['dirty', 'flushing', 'flushed', 'scatter_wanted'], lastClient: null });
  });

  it("reads a LocalLock's last_client and a bare print", () => {
    const p = ok(parseLockPrint('(iversion lock w=2 last_client=4101)'));
    expect([p.type.type, p.state, p.wr, p.lastClient]).toEqual([CEPH_LOCK_IVERSION, LOCK_LOCK, 2, 4101]);
    const b = ok(parseLockPrint('ifile mix->sync'));
    expect([b.type.type, b.state, b.rd, b.wr, b.x, b.gather, b.flags]).toEqual([CEPH_LOCK_IFILE, LOCK_MIX_SYNC, 0, 0, 0, [], []]);
  });

  it('ignores surrounding whitespace and quotes; takes states with parentheses', () => {
    for (const t of ['  (ifile mix->sync w=1 dirty)\n', '"(ifile mix->sync w=1 dirty)"', " '(ifile mix->sync w=1 dirty)' "]) {
      expect(formatLockPrint(ok(parseLockPrint(t)))).toBe('(ifile mix->sync w=1 dirty)');
    }
    expect(ok(parseLockPrint('(ifile mix->sync(2) r=1)')).state).toBe(22);
    expect(ok(parseLockPrint('inest sync->mix(2)')).state).toBe(18);
  });

  it('reads a request print with spaces, and a bare MutationRef pointer', () => {
    expect(ok(parseLockPrint('(dn xlock x=1 by request(client.4101:9 nref=3))')).by).toBe('client.4101:9 nref=3');
    expect(ok(parseLockPrint('(dn xlock x=1 by 0x55d0c2a4e800)')).by).toBe('0x55d0c2a4e800');
  });

  it('reads back what printLock prints, for every lock type', () => {
    for (const lt of LOCK_TYPES) {
      const l = createLock(lt.type, true, lt.sm.defined[0]);
      l.num_rdlock = 2; l.num_wrlock = 1;
      if (lt.cls !== 'LocalLock') { l.gather_set = 0b110; l.state_flags |= LEASED; l.num_xlock = 1; l.xlock_by = 'client.4101:5'; }
      if (l instanceof ScatterLock) { l.mark_dirty(); l.set_scatter_wanted(); }
      if (l instanceof LocalLock) l.last_wrlock_client = 4102;
      const text = printLock(l);
      const p = ok(parseLockPrint(text));
      expect(formatLockPrint(p)).toBe(text);
      expect([p.type, p.state, p.rd, p.wr, p.x]).toEqual([lt, l.state, 2, 1, l.num_xlock]);
    }
  });

  it('names what is wrong, in one line', () => {
    expect(err(parseLockPrint('(ifle sync)'))).toMatch(/^unknown lock type 'ifle' \(known: dn, dversion, /);
    expect(err(parseLockPrint('(ifile mix->syn)'))).toMatch(/^unknown state 'mix->syn' \(ifile's states: sync, lock->sync, /);
    expect(err(parseLockPrint('(iauth mix)'))).toMatch(/^state 'mix' is not in sm_simplelock, the machine of iauth/);
    expect(err(parseLockPrint('(iversion sync)'))).toMatch(/^state 'sync' is not in sm_locallock/);
    expect(err(parseLockPrint('(ifile sync'))).toMatch(/^unreadable lock print .*'\(' without a closing '\)'/);
    expect(err(parseLockPrint('(ifile sync) x'))).toMatch(/text after the closing/);
    expect(err(parseLockPrint('(ifile)'))).toMatch(/no state after the lock type/);
    expect(err(parseLockPrint('   '))).toMatch(/^unreadable lock print: empty/);
    expect(err(parseLockPrint('(ifile sync w=0)'))).toMatch(/'w=0' needs a positive count/);
    expect(err(parseLockPrint('(ifile sync w=1 r=1)'))).toMatch(/'r=1' is out of the printer's order/);
    expect(err(parseLockPrint('(ifile sync r=1 r=1)'))).toMatch(/'r=1' is out of the printer's order .* or repeated/);
    expect(err(parseLockPrint('(ifile sync q=1)'))).toMatch(/'q=1' is not part of a lock print/);
    expect(err(parseLockPrint('(ifile sync g=a)'))).toMatch(/not a gather set/);
    expect(err(parseLockPrint('(ifile sync by request(x))'))).toMatch(/'by' can only follow x=N/);
    expect(err(parseLockPrint('(dn xlock x=1 by request(x)'))).toMatch(/without a closing/);
    expect(err(parseLockPrint('(dn sync dirty)'))).toMatch(/'dirty' is printed only for ScatterLocks .* not SimpleLock dn/);
    expect(err(parseLockPrint('(ifile sync last_client=1)'))).toMatch(/last_client= is printed only for LocalLocks/);
  });

  it('escapes control characters in what it echoes', () => {
    const e = err(parseLockPrint('(\u001b[31mifile sync)'));
    expect(e).not.toMatch(/[\u0000-\u001f]/);
    expect(e).toContain("'\\u001b[31mifile'");
    expect(quote("a\nb'\\\u2028\u202e")).toBe("'a\\nb\\'\\\\\\u2028\\u202e'");
    expect(quote('x'.repeat(100), 80)).toMatch(/^'x{80}'\.\.\.$/);
    expect(err(parseLockPrint(`(${'x'.repeat(100)} sync)`))).toContain(`'${'x'.repeat(80)}'...`);
  });

  it("knows each machine's states, with the replica-only parking states (Q3)", () => {
    expect(machineStates(LOCK_TYPES.find((l) => l.type === CEPH_LOCK_INEST)!)).toContain(LOCK_MIX_SYNC + 1);
    expect(machineStates(LOCK_TYPES.find((l) => l.type === CEPH_LOCK_IVERSION)!)).toEqual([LOCK_LOCK]);
  });
});

describe('explain a lock print', () => {
  it('filelock mix->sync: transitional, next sync, its replica state, no permissions', () => {
    const e = lock('(ifile mix->sync w=1 dirty)');
    expect(e.lock).toEqual({ name: 'ifile', value: 64, machine: 'sm_filelock', class: 'ScatterLock', owner: 'CInode', member: 'filelock',
      capField: { letter: 'F', name: 'file', shift: 8 } });
    expect(e.state).toMatchObject({ name: 'mix->sync', constant: 'LOCK_MIX_SYNC', stable: false, next: 'sync', replica_state: 'mix->sync(2)', loner: false });
    expect(e.permissions.map((p) => p.code)).toEqual(['0', '0', '0', '0', '0', '0', '0']);
    expect(e.caps.map((c) => [c.who, c.word, c.generic])).toEqual([
      ['any client', 'Frl', 'rl'], ['the loner', 'Frl', 'rl'], ['the xlocker', 'Frl', 'rl'], ['a replica', 'Fr', 'r']]);
  });

  it('decodes every permission column of every row as the table has it', () => {
    for (const sm of Object.values(MACHINES)) {
      const lt = LOCK_TYPES.find((l) => l.sm === sm)!;
      for (const s of sm.defined) {
        const e = lock(`${lt.name} ${stateName(s)}`);
        const cols = COLUMNS.filter((c) => c.startsWith('can_'));
        expect(e.permissions.map((p) => p.column)).toEqual(cols);
        expect(e.permissions.map((p) => p.code)).toEqual(cols.map((c) => (sm.states[s][c] === 0 ? '0' : PERM_NAMES[sm.states[s][c] as number])));
        expect(e.state.next).toBe(sm.states[s].next === 0 ? null : stateName(sm.states[s].next));
        // gcaps_allowed on the auth: in a loner state any client gets caps, otherwise loner_caps|caps
        const row = sm.states[s];
        expect(e.caps[0].generic).toBe(gcapString(row.loner ? row.caps : row.loner_caps | row.caps) || '-');
        expect(e.caps[3].generic).toBe(gcapString(row.replica_caps) || '-');
      }
    }
  });

  it('sm_simplelock lock: can_rdlock is REQ, so nobody rdlocks there and a replica must ask the auth', () => {
    const p = lock('(iauth lock)').permissions.find((x) => x.column === 'can_rdlock')!;
    expect(p.code).toBe('REQ');
    expect(p.who).toMatch(/^nobody here, auth included/);
    expect(p.who).toContain('a replica must ask the auth');
    expect(p.who).toContain('LOCK_AC_REQRDLOCK');
  });

  it('XCL for wrlocks also admits the loner; AUTH is the auth copy only', () => {
    const e = lock('ifile excl');
    expect(e.permissions.find((x) => x.column === 'can_wrlock')).toMatchObject({ code: 'XCL', who: expect.stringContaining('the loner (excl_client)') });
    expect(e.permissions.find((x) => x.column === 'can_rdlock')!.who).not.toContain('loner');
    expect(lock('ifile lock').permissions.find((x) => x.column === 'can_wrlock')).toMatchObject({ code: 'AUTH', who: 'the auth copy only' });
  });

  it('caps as real cap words for the lock type, and none for a lock without a cap field', () => {
    const f = lock('(ifile sync)');
    expect(f.caps.map((c) => c.word)).toEqual(['Fscrl', 'Fscrl', 'Fscrl', 'Fscr']);
    expect(f.caps[0].word).toBe(ccap_string(MACHINES.filelock.states[1].caps << 8));
    const a = lock('(iauth excl)'); // a loner state: any client gets caps (0), the loner loner_caps|caps
    expect(a.caps.map((c) => [c.column, c.word])).toEqual([['caps', '-'], ['loner_caps|caps', 'Asx'], ['xlocker_caps|caps', '-'], ['replica_caps', '-']]);
    expect(lock('(ixattr sync)').caps[0].word).toBe('Xs');
    expect(lock('(ilink sync)').caps[0].word).toBe('Ls');
    const d = lock('(dn sync)');
    expect(d.lock.capField).toBeNull();
    expect(d.caps[0]).toEqual({ who: 'any client', column: 'loner_caps|caps', generic: 's', word: 'none (no cap field)' });
  });

  it('a counter the row forbids is explained, legal mid-transition, not called an error', () => {
    const mid = part(lock('(ifile mix->sync w=1 dirty)'), 'w=1').warning!;
    expect(mid).toMatch(/^can_wrlock is 0 in mix->sync: no wrlock is granted here\. Legal mid-transition: /);
    expect(mid).toContain('eval_gather enters sync only after its release (can_wrlock is 0 there)');
    expect(mid).toContain('forced wrlock');
    // kept across: sync->lock's next (lock) allows wrlocks on the auth
    expect(part(lock('(ifile sync->lock w=1)'), 'w=1').warning).toContain('on the auth copy eval_gather lets it stay into lock (can_wrlock AUTH there)');
    expect(part(lock('(ifile sync->lock r=1)'), 'r=1').warning).toContain('(can_rdlock is REQ there)');
    // stable: only a forced wrlock
    const stable = part(lock('(ilink sync w=1)'), 'w=1').warning!;
    expect(stable).toMatch(/In a stable state only a forced wrlock explains it/);
    expect(stable).not.toContain('scatter_writebehind'); // not a ScatterLock
    expect(part(lock('(ifile lock l)'), 'l').warning).toMatch(/^can_lease is 0 in lock: .* Unexpected: /);
    expect(lock('(ifile lock l)').warnings).toHaveLength(1);
  });

  it('no warning for holds the row allows, nor for xlocks held in xlock states or a remote xlock in lock', () => {
    expect(lock('(ifile sync l r=2)').warnings).toEqual([]);
    expect(lock('(ifile mix w=3 dirty)').warnings).toEqual([]);
    expect(lock('(dn xlockdone l r=1 x=1)').warnings).toEqual([]);
    const x = lock('(ifile xlock x=1 by request(client.4101:3))');
    expect(x.warnings).toEqual([]);
    expect(part(x, 'x=1').meaning).toContain('xlock_start grants an xlock by entering xlock');
    expect(part(x, 'by request(client.4101:3)').meaning).toContain('xlock_by');
    expect(part(lock('(dn lock x=1)'), 'x=1')).toMatchObject({ warning: null, meaning: expect.stringContaining('remote xlock') });
    expect(lock('(ifile lock x=1)').warnings).toHaveLength(1); // filelock: no remote xlocks
  });

  it('explains gather, leases and the scattered-data flags', () => {
    const e = lock('(inest sync->lock g=1,2 dirty flushing flushed scatter_wanted)');
    expect(part(e, 'g=1,2').meaning).toContain('waits for acks from mds.1, mds.2');
    expect(part(e, 'dirty').meaning).toContain('scatter_writebehind');
    expect(part(e, 'flushing').meaning).toContain('FLUSHING');
    expect(part(e, 'flushed').meaning).toContain('finish_flush');
    expect(part(e, 'scatter_wanted').meaning).toContain('LOCK_AC_REQSCATTER');
  });

  it('a LocalLock: the table exceptions, last_client, no transitions, and w with x is unexpected', () => {
    const e = lock('(iversion lock w=2 x=1 last_client=4101)');
    expect(e.permissions.find((p) => p.column === 'can_wrlock')!.who).toContain('LocalLock::can_wrlock ignores it');
    expect(part(e, 'last_client=4101').meaning).toContain('last_wrlock_client');
    expect(e.transitions).toEqual([]);
    expect(e.warnings).toEqual([expect.stringMatching(/^w=2 x=1: Unexpected: a LocalLock never holds both/)]);
  });

  it('transitions: the next, and every Locker edge from the state, sided, with unreachable ones marked', () => {
    const e = lock('ifile mix->sync');
    expect(e.transitions).toHaveLength(lockerEdges(MACHINES.filelock).filter((x) => x.from === LOCK_MIX_SYNC).length);
    expect(e.transitions).toEqual(expect.arrayContaining([
      expect.objectContaining({ side: 'auth', to: 'sync', via: 'eval_gather', unreachable: null }),
      expect.objectContaining({ side: 'replica', to: 'mix->sync(2)', via: 'eval_gather', unreachable: null }),
      expect.objectContaining({ side: 'replica', to: 'sync', via: 'AC_SYNC', unreachable: expect.stringContaining('SYNCACK') }),
    ]));
    const l = lock('iauth lock');
    expect(l.transitions.map((t) => `${t.side} ${t.via} ${t.to}`)).toEqual([
      'auth simple_sync lock->sync', 'auth simple_excl lock->excl', 'auth simple_xlock lock->xlock', 'replica AC_SYNC sync']);
    expect(l.transitions[0].how).toBe('Locker::simple_sync starts it');
    const t = lock('inest tsyn');
    expect(t.state.notes.join()).toContain('scatter_tempsync aborts');
    expect(t.transitions.every((x) => x.unreachable !== null)).toBe(true);
    const q3 = lock('inest mix->sync(2)');
    expect(q3.state.notes[0]).toContain('quirk Q3');
    expect(q3.transitions.map((x) => `${x.side} ${x.via} ${x.to}`)).toEqual(['replica AC_SYNC sync']);
  });

  it('the text shows everything the JSON holds', () => {
    for (const t of ['(ifile mix->sync w=1 dirty)', '(dn xlock x=1 by request(client.4101:3))', '(iversion lock w=2 x=1 last_client=4101)']) {
      const e = lock(t);
      const text = lockText(e);
      expect(text.startsWith(e.print + '\n')).toBe(true);
      for (const s of [...e.permissions.map((p) => p.who), ...e.caps.map((c) => c.word), ...e.parts.flatMap((p) => [p.meaning, p.warning ?? '']),
        ...e.transitions.map((x) => x.how), ...e.state.notes]) expect(text).toContain(s);
      expect(JSON.parse(JSON.stringify(e))).toEqual(e);
    }
  });
});

describe('explain a cap print', () => {
  it('decodes pending, issued, revoking, wanted, seq and the loner', () => {
    const e = ok(explainCaps('caps={4101=pAsLsXsFrw/pAsLsXsFsxcrwb/Fwb@2},l=4101'));
    const c = e.clients[0];
    expect([c.client, c.pending.word, c.issued.word, c.revoking.word, c.wanted.word, c.seq, c.loner])
      .toEqual(['client.4101', 'pAsLsXsFrw', 'pAsLsXsFsxcrwb', 'Fsxcb', 'Fwb', 2, true]);
    expect(c.wanted.spelled).toBe('file: write, buffer');
    expect(c.pending.spelled).toBe('pin; auth: shared; link: shared; xattr: shared; file: read, write');
    expect(c.revoking.fields).toEqual([{ field: 'F', name: 'file', caps: ['shared', 'excl', 'cache', 'buffer'] }]);
    expect([e.loner, e.wantLoner]).toEqual(['client.4101', 'client.4101']);
    const text = capsText(e);
    for (const s of ['client.4101 (the loner)', 'Fsxcb', 'being revoked', 'file: write, buffer']) expect(text).toContain(s);
  });

  it('issued left out means issued = pending; several clients; wanted loner; no caps', () => {
    const e = ok(explainCaps('  {4101=pAsLsXsFscr/-@1,4102=pAs/pAsx/pAs@3},l=-1(4102) '));
    expect(e.clients.map((c) => [c.client, c.issued.word, c.revoking.word, c.wanted.word, c.loner])).toEqual([
      ['client.4101', 'pAsLsXsFscr', '-', '-', false], ['client.4102', 'pAsx', 'Ax', 'pAs', false]]);
    expect(e.clients[0].wanted.spelled).toBe('none');
    expect([e.loner, e.wantLoner]).toEqual([null, 'client.4102']);
    expect(e.print).toBe('caps={4101=pAsLsXsFscr/-@1,4102=pAs/pAsx/pAs@3},l=-1(4102)');
    expect(ok(explainCaps('caps={}')).clients).toEqual([]);
    expect(ok(parseCapPrint('caps={4101=p/-@1}'))).toEqual({ clients: [{ client: 4101, pending: 1, issued: 1, wanted: 0, seq: 1, issuedShown: false }], loner: -1, wantLoner: -1 });
  });

  it('flags a pending cap that issued lacks', () => {
    expect(ok(explainCaps('caps={1=pFr/p/-@1}')).clients[0].notes[0]).toContain('issued always includes pending');
  });

  it('bad cap prints', () => {
    expect(err(explainCaps('caps={4101=pAsQ/-@1}'))).toMatch(/^unreadable cap print .*'pAsQ' is not a cap word/);
    expect(err(explainCaps('caps={4101}'))).toMatch(/'4101' is not <client>=/);
    expect(err(explainCaps('caps={4101=p@1}'))).toMatch(/needs <pending>\[\/<issued>\]\/<wanted>/);
    expect(err(explainCaps('caps=4101'))).toMatch(/^unreadable cap print 'caps=4101': expected caps=\{/);
    expect(err(explainCaps('caps={1=p/-@1,1=p/-@2}'))).toMatch(/client 1 appears twice/);
    expect(err(explainCaps('caps={1=\u0007/-@1}'))).not.toMatch(/\u0007/);
  });
});
