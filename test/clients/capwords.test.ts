import { describe, expect, it } from 'vitest';
import { ccap_string, parseCaps } from '../../src/clients/capString.js';
import { Capability } from '../../src/clients/Capability.js';

describe("cap words as Ceph's ccap_string prints them", () => {
  it('prints p, then A, L, X, F fields with their generic letters, - when empty', () => {
    expect(ccap_string(0)).toBe('-');
    expect(ccap_string(1 | (1 << 2) | (1 << 4) | (1 << 6) | ((1 | 4 | 8) << 8))).toBe('pAsLsXsFscr');
    expect(ccap_string((3 << 2) | (255 << 8))).toBe('AsxFsxcrwbal');
  });

  it('parses the same letters back, and refuses malformed words', () => {
    for (const w of ['pAsLsXsFscr', 'AsAx'.replace('AsAx', 'Asx'), 'Fwb', 'p', '-', 'LsxXsFl']) expect(ccap_string(parseCaps(w)!)).toBe(w);
    for (const bad of ['Ac', 'FsA', 'Fss', 'F', 'sA', 'Fxs', 'q', 'pp']) expect(parseCaps(bad)).toBeUndefined();
  });
});

describe('Capability: issued keeps revoked bits until the client acknowledges the revoke', () => {
  it('revoke, ack of the latest seq', () => {
    const c = new Capability(4101, parseCaps('AsAx'.replace('AsAx', 'Asx'))!);
    const seq = c.issue(parseCaps('As')!);
    expect([ccap_string(c.pending), ccap_string(c.issued), c.is_revoking(), seq]).toEqual(['As', 'Asx', true, 1]);
    expect(ccap_string(c.confirm_receipt(seq, parseCaps('As')!))).toBe('Ax');
    expect([ccap_string(c.issued), c.is_revoking()]).toEqual(['As', false]);
  });

  it('an ack of an older message keeps the later revoke outstanding', () => {
    const c = new Capability(4101, parseCaps('AsLs')!);
    c.issue(parseCaps('As')!);     // seq 1 revokes Ls
    c.issue(0);                     // seq 2 revokes As
    c.confirm_receipt(1, parseCaps('As')!);
    expect([ccap_string(c.pending), ccap_string(c.issued)]).toEqual(['-', 'As']);
    c.confirm_receipt(2, 0);
    expect(c.is_revoking()).toBe(false);
  });

  it('a grant adds bits and drops revokes made obsolete by it', () => {
    const c = new Capability(4101, parseCaps('AsLs')!);
    c.issue(parseCaps('As')!);
    c.issue(parseCaps('AsLs')!);
    expect(c.revokes).toEqual([]);
    expect(c.issue_norevoke(parseCaps('Xs')!)).toBe(3);
    expect(ccap_string(c.pending)).toBe('AsLsXs');
  });
});
