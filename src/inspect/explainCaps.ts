// `mdslock explain caps`: decode an inode's cap print (src/trace/printCaps.ts, CInode's print):
// per client pending, issued (shown only when it differs: the difference is being revoked),
// wanted and the seq of the last cap message; then the loner and the wanted loner. Pure.
import { GENERIC_CAPS } from '../../statemachines/index.js';
import { CEPH_CAP_PIN, CEPH_CAP_SAUTH, CEPH_CAP_SFILE, CEPH_CAP_SLINK, CEPH_CAP_SXATTR, ccap_string } from '../clients/capString.js';
import { PLAIN, type Style } from '../trace/style.js';
import { parseCapPrint, type CapPrint, type Parsed } from './parsePrint.js';

/** The cap fields of include/ceph_fs.h, as ccap_string letters them. */
export const CAP_FIELDS: readonly { letter: string; name: string; shift: number; mask: number }[] = [
  { letter: 'A', name: 'auth', shift: CEPH_CAP_SAUTH, mask: 3 },
  { letter: 'L', name: 'link', shift: CEPH_CAP_SLINK, mask: 3 },
  { letter: 'X', name: 'xattr', shift: CEPH_CAP_SXATTR, mask: 3 },
  { letter: 'F', name: 'file', shift: CEPH_CAP_SFILE, mask: 255 },
];

/** Generic cap letters in words. */
const GENERIC_WORDS: Record<string, string> = {
  s: 'shared', x: 'excl', c: 'cache', r: 'read', w: 'write', b: 'buffer', a: 'append', l: 'lazyio',
};

export interface CapWord {
  word: string;
  value: number;
  /** `pin; file: read, write`, or `none`. */
  spelled: string;
  fields: { field: string; name: string; caps: string[] }[];
}

export interface ClientCaps {
  /** `client.4101` */
  client: string;
  pending: CapWord;
  issued: CapWord;
  revoking: CapWord;
  wanted: CapWord;
  seq: number;
  loner: boolean;
  notes: string[];
}

export interface CapsExplanation {
  kind: 'caps';
  print: string;
  clients: ClientCaps[];
  /** `client.4101`, or null for none */
  loner: string | null;
  wantLoner: string | null;
  notes: string[];
}

export function capWord(value: number): CapWord {
  const fields: CapWord['fields'] = [];
  if (value & CEPH_CAP_PIN) fields.push({ field: 'p', name: 'pin', caps: [] });
  for (const f of CAP_FIELDS) {
    const g = (value >> f.shift) & f.mask;
    if (g) fields.push({ field: f.letter, name: f.name, caps: GENERIC_CAPS.filter((c) => g & c.bit).map((c) => GENERIC_WORDS[c.letter]) });
  }
  const spelled = fields.length === 0 ? 'none' : fields.map((f) => (f.caps.length ? `${f.name}: ${f.caps.join(', ')}` : f.name)).join('; ');
  return { word: ccap_string(value), value, spelled, fields };
}

/** printInodeCaps' form of a parsed cap print. */
export function formatCapPrint(p: CapPrint): string {
  const parts = p.clients.map((c) => `${c.client}=${ccap_string(c.pending)}${c.issued !== c.pending ? `/${ccap_string(c.issued)}` : ''}/${ccap_string(c.wanted)}@${c.seq}`);
  let s = `caps={${parts.join(',')}}`;
  if (p.loner >= 0 || p.wantLoner >= 0) s += `,l=${p.loner}${p.loner !== p.wantLoner ? `(${p.wantLoner})` : ''}`;
  return s;
}

export function explainCapPrint(p: CapPrint): CapsExplanation {
  const clients = p.clients.map((c): ClientCaps => {
    const notes: string[] = [];
    if (c.pending & ~c.issued) {
      notes.push(`pending has ${ccap_string(c.pending & ~c.issued)} that issued lacks: Capability's issued always includes pending, so this print is inconsistent`);
    }
    if (c.issuedShown && c.issued === c.pending) notes.push('issued is shown although it equals pending: the printer leaves it out then');
    return {
      client: `client.${c.client}`, pending: capWord(c.pending), issued: capWord(c.issued), revoking: capWord(c.issued & ~c.pending),
      wanted: capWord(c.wanted), seq: c.seq, loner: p.loner >= 0 && c.client === p.loner, notes,
    };
  });
  const notes: string[] = [];
  if (p.loner >= 0 && !p.clients.some((c) => c.client === p.loner)) notes.push(`the loner client.${p.loner} has no cap in this print`);
  return {
    kind: 'caps', print: formatCapPrint(p), clients,
    loner: p.loner >= 0 ? `client.${p.loner}` : null, wantLoner: p.wantLoner >= 0 ? `client.${p.wantLoner}` : null, notes,
  };
}

export function explainCaps(text: string): Parsed<CapsExplanation> {
  const p = parseCapPrint(text);
  return p.ok ? { ok: true, value: explainCapPrint(p.value) } : p;
}

function lonerLine(e: CapsExplanation): string {
  const { loner, wantLoner } = e;
  if (loner === null && wantLoner === null) return 'none (the print shows ,l= only when there is a loner or a wanted one)';
  if (loner === wantLoner) return `${loner} (loner_cap; the wanted loner is the same)`;
  if (loner === null) return `none yet; the MDS wants ${wantLoner} as loner (want_loner_cap)`;
  if (wantLoner === null) return `${loner} (loner_cap), no longer wanted as loner (want_loner_cap -1): it is being dropped`;
  return `${loner} (loner_cap), the MDS wants ${wantLoner} instead (want_loner_cap)`;
}

export function capsText(e: CapsExplanation, st: Style = PLAIN): string {
  const L: string[] = [e.print];
  if (e.clients.length === 0) L.push('', 'no client holds caps on this inode');
  for (const c of e.clients) {
    const rows: [string, CapWord | string, string][] = [
      ['pending', c.pending, 'what the client may use now'],
      ['issued', c.issued, c.issued.value === c.pending.value ? 'the same as pending' : 'what the client may still hold until it acks the revoke'],
      ['revoking', c.revoking, c.revoking.value ? 'issued but no longer pending: being revoked' : 'nothing is being revoked'],
      ['wanted', c.wanted, 'what the client asked for'],
      ['seq', String(c.seq), 'seq of the last cap message sent to the client (last_sent)'],
    ];
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => (typeof r[1] === 'string' ? r[1] : r[1].word).length));
    L.push('', `${st.rank(c.client)}${c.loner ? ' (the loner)' : ''}`);
    for (const [label, v, about] of rows) {
      const word = typeof v === 'string' ? v : v.word;
      const spelled = typeof v === 'string' ? about : `${v.spelled} (${about})`;
      L.push(`  ${label.padEnd(w0)}  ${st.counts(word.padEnd(w1))}  ${spelled}`);
    }
    for (const n of c.notes) L.push(`  ${st.bad('warning:')} ${n}`);
  }
  L.push('', `loner: ${lonerLine(e)}`);
  for (const n of e.notes) L.push(`note: ${n}`);
  return L.join('\n') + '\n';
}
