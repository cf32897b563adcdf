import { describe, expect, it } from 'vitest';
import { printEvent, printSend } from '../../src/trace/printEvent.js';
import { colorStyle } from '../../src/trace/style.js';
import { LOCK_AC_LOCKACK } from '../../src/messages/index.js';
import type { TraceEvent } from '../../src/locker/context.js';
import { ref } from '../helpers.js';

const msg = { kind: 'lock' as const, from: 1, to: 0, action: LOCK_AC_LOCKACK, lockType: ref('iauth /f').type, path: '/f', data: null };
const EVENTS: [TraceEvent, string][] = [
  [{ kind: 'locker', rank: 0, fn: 'simple_lock', lock: '(iauth sync->lock g=1,2)', path: '/f', auth: true, object: '[inode 0x10000000000 [2,head] /f auth (iauth sync->lock g=1,2)]' }, 'mds.0.locker simple_lock (iauth sync->lock g=1,2) on /f'],
  [{ kind: 'send', msg }, 'mds.1 -> mds.0 lock(a=lockack iauth /f)'],
  [{ kind: 'deliver', msg }, 'mds.0 <- mds.1 lock(a=lockack iauth /f)'],
  [{ kind: 'request', rank: 1, reqid: 'client.4102:9', what: 'granted' }, 'mds.1 request client.4102:9 granted'],
];

const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('printEvent', () => {
  it.each(EVENTS)('prints %o plain, in the spirit of the MDS log', (e, line) => {
    expect(printEvent(e)).toBe(line);
  });

  it('colours the same text', () => {
    for (const [e, line] of EVENTS) {
      const coloured = printEvent(e, colorStyle());
      expect(coloured).not.toBe(line);
      expect(strip(coloured)).toBe(line);
    }
  });

  it('colours unstable and stable states differently', () => {
    const st = colorStyle();
    const lockLine = (lock: string) => printEvent({ kind: 'locker', rank: 0, fn: 'f', lock, path: '/f', auth: true, object: '[inode 0x1 [2,head] /f auth]' }, st);
    expect(lockLine('(iauth sync->lock g=1)')).toContain(st.unstableState('sync->lock'));
    expect(lockLine('(iauth sync r=1)')).toContain(st.stableState('sync'));
  });

  it('prints a message in flight as its sender sent it', () => {
    expect(printSend(msg)).toBe('mds.1 -> mds.0 lock(a=lockack iauth /f)');
  });
});
