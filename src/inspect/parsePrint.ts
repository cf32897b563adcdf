// Parsers for what an MDS log shows: a lock print, as SimpleLock::print / ScatterLock::print /
// LocalLockC::print write it (src/trace/printLock.ts), and an inode's cap print
// (src/trace/printCaps.ts). Strict about the printers' grammar and order, so that a print they
// cannot produce is reported rather than half-read. Pure: no I/O.
import {
  LOCK_TYPES, lockTypeByName, lockerEdges, stateByName, stateName, type LockState, type LockType,
} from '../../statemachines/index.js';
import { parseCaps } from '../clients/capString.js';
import { quote as quoteAll } from '../trace/quote.js';

/** An echoed value, cut at 80 characters (a pasted log line can be long). */
const quote = (s: string) => quoteAll(s, 80);

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** The scattered-data flags ScatterLock::print appends, in its order. */
export const SCATTER_FLAGS = ['dirty', 'flushing', 'flushed', 'scatter_wanted'] as const;
export type ScatterFlag = (typeof SCATTER_FLAGS)[number];

export interface LockPrint {
  readonly type: LockType;
  readonly state: LockState;
  /** Ranks in the gather set (`g=1,2`). */
  readonly gather: readonly number[];
  readonly leased: boolean;
  readonly rd: number;
  readonly wr: number;
  readonly x: number;
  /** What follows ` by ` inside `request(...)`: the xlocking request. */
  readonly by: string | null;
  readonly flags: readonly ScatterFlag[];
  /** LocalLock's last_wrlock_client. */
  readonly lastClient: number | null;
}

/** Trim, then drop one pair of matching quotes left over from a copy-paste. */
function unwrap(text: string): string {
  let t = text.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0]) t = t.slice(1, -1).trim();
  return t;
}

const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });
const count = (s: string) => (/^[1-9]\d{0,8}$/.test(s) ? Number(s) : undefined);

/** States a machine's copies can be in: rows, plus the replica-only parking states its edges use (Q3). */
export function machineStates(lt: LockType): readonly LockState[] {
  const s = new Set<LockState>(lt.sm.defined);
  for (const e of lockerEdges(lt.sm)) { s.add(e.from); s.add(e.to); }
  return [...s];
}

/**
 * Parse `(<type> <state>[ g=r1,r2][ l][ r=N][ w=N][ x=N[ by request(<reqid>)]][ dirty][ flushing]
 * [ flushed][ scatter_wanted][ last_client=N])`; the parentheses may be left off. Surrounding
 * whitespace and quotes are ignored.
 */
export function parseLockPrint(text: string): Parsed<LockPrint> {
  let t = unwrap(text);
  const shown = quote(t);
  if (t.startsWith('(')) {
    // the '(' must close at the very end (states such as mix->sync(2) hold parentheses too)
    let depth = 0, close = -1;
    for (let j = 0; j < t.length && close < 0; j++) {
      if (t[j] === '(') depth++;
      else if (t[j] === ')' && --depth === 0) close = j;
    }
    if (close !== t.length - 1) return fail(`unreadable lock print ${shown}: ${close < 0 ? "'(' without a closing ')'" : "text after the closing ')'"}`);
    t = t.slice(1, -1).trim();
  }
  if (t === '') return fail('unreadable lock print: empty (expected "(<type> <state> ...)")');
  const words = t.split(/\s+/);
  const [typeName, stateWord] = words;
  const type = lockTypeByName(typeName);
  if (!type) return fail(`unknown lock type ${quote(typeName)} (known: ${LOCK_TYPES.map((l) => l.name).join(', ')})`);
  if (stateWord === undefined) return fail(`unreadable lock print ${shown}: no state after the lock type`);
  const state = stateByName(stateWord);
  const known = () => machineStates(type).map(stateName).join(', ');
  if (state === undefined) return fail(`unknown state ${quote(stateWord)} (${type.name}'s states: ${known()})`);
  if (!machineStates(type).includes(state)) {
    return fail(`state ${quote(stateWord)} is not in ${type.sm.name}, the machine of ${type.name} (its states: ${known()})`);
  }

  let gather: number[] = [];
  let leased = false;
  let rd = 0, wr = 0, x = 0;
  let by: string | null = null;
  const flags: ScatterFlag[] = [];
  let lastClient: number | null = null;
  // each suffix has a rank in the printer's order; a suffix may follow only higher-ranked ones
  const ORDER = ['g', 'l', 'r', 'w', 'x', 'by', ...SCATTER_FLAGS, 'last_client'];
  let at = -1;
  const bad = (w: string, why: string) => fail(`unreadable lock print ${shown}: ${quote(w)} ${why}`);
  for (let i = 2; i < words.length; i++) {
    const w = words[i];
    const eq = w.indexOf('=');
    const key = w === 'by' ? 'by' : eq > 0 ? w.slice(0, eq) : w;
    const rank = ORDER.indexOf(key);
    if (rank < 0 || (eq > 0) !== ['g', 'r', 'w', 'x', 'last_client'].includes(key)) {
      return bad(w, 'is not part of a lock print (g=, l, r=, w=, x= [by ...], dirty, flushing, flushed, scatter_wanted, last_client=)');
    }
    if (rank <= at) return bad(w, `is out of the printer's order (g= l r= w= x= by ${SCATTER_FLAGS.join(' ')} last_client=) or repeated`);
    at = rank;
    const v = w.slice(eq + 1);
    switch (key) {
      case 'g':
        if (!/^\d{1,4}(,\d{1,4})*$/.test(v)) return bad(w, 'is not a gather set of ranks (g=1,2)');
        gather = v.split(',').map(Number);
        break;
      case 'l': leased = true; break;
      case 'r': case 'w': case 'x': {
        const n = count(v);
        if (n === undefined) return bad(w, 'needs a positive count (Ceph prints it only when held)');
        if (key === 'r') rd = n; else if (key === 'w') wr = n; else x = n;
        break;
      }
      case 'by': {
        if (x === 0) return bad(w, 'can only follow x=N');
        // mdslock prints request(<reqid>), whose text may hold spaces: take words until its
        // parentheses balance; a daemon may show the MutationRef as a bare pointer (0x...)
        const next = words[i + 1] ?? '';
        if (/^0x[0-9a-f]{1,16}$/i.test(next)) { by = next; i++; break; }
        let s = words.slice(i + 1).join(' ');
        if (!s.startsWith('request(')) return bad(w, 'must be followed by request(<reqid>)');
        let depth = 0, end = -1;
        for (let j = 0; j < s.length && end < 0; j++) {
          if (s[j] === '(') depth++;
          else if (s[j] === ')' && --depth === 0) end = j;
        }
        if (end < 0 || (end + 1 < s.length && s[end + 1] !== ' ')) return bad(s, 'is not request(<reqid>) followed by a space or the end');
        by = s.slice('request('.length, end).trim();
        if (by === '') return bad(s, 'names no request');
        s = s.slice(0, end + 1);
        i += s.split(' ').length;
        break;
      }
      case 'last_client': {
        if (!/^\d{1,12}$/.test(v)) return bad(w, 'needs a client number');
        lastClient = Number(v);
        break;
      }
      default: flags.push(key as ScatterFlag);
    }
  }
  if (flags.length > 0 && type.cls !== 'ScatterLock') {
    return fail(`unreadable lock print ${shown}: ${quote(flags[0])} is printed only for ScatterLocks (ifile, inest, idft), not ${type.cls} ${type.name}`);
  }
  if (lastClient !== null && type.cls !== 'LocalLock') {
    return fail(`unreadable lock print ${shown}: last_client= is printed only for LocalLocks (iversion, dversion), not ${type.cls} ${type.name}`);
  }
  return { ok: true, value: { type, state, gather, leased, rd, wr, x, by, flags, lastClient } };
}

export interface ClientCapPrint {
  readonly client: number;
  readonly pending: number;
  readonly issued: number;
  readonly wanted: number;
  readonly seq: number;
  /** The print showed issued separately (it differed from pending). */
  readonly issuedShown: boolean;
}

export interface CapPrint {
  readonly clients: readonly ClientCapPrint[];
  /** -1: none (also when `,l=` is absent). */
  readonly loner: number;
  readonly wantLoner: number;
}

/** Parse `caps={<client>=<pending>[/<issued>]/<wanted>@<seq>,...}[,l=<loner>[(<want_loner>)]]`; `caps=` may be left off. */
export function parseCapPrint(text: string): Parsed<CapPrint> {
  const t = unwrap(text);
  const shown = quote(t);
  const m = /^(?:caps=)?\{([^{}]*)\}(?:,l=(-?\d{1,12})(?:\((-?\d{1,12})\))?)?$/.exec(t);
  if (!m) return fail(`unreadable cap print ${shown}: expected caps={<client>=<pending>[/<issued>]/<wanted>@<seq>,...}[,l=<loner>[(<want_loner>)]]`);
  const clients: ClientCapPrint[] = [];
  for (const entry of m[1] === '' ? [] : m[1].split(',')) {
    const e = /^(\d{1,12})=([^@=]+)@(\d{1,12})$/.exec(entry);
    if (!e) return fail(`unreadable cap print ${shown}: ${quote(entry)} is not <client>=<pending>[/<issued>]/<wanted>@<seq>`);
    const parts = e[2].split('/');
    if (parts.length < 2 || parts.length > 3) return fail(`unreadable cap print ${shown}: ${quote(entry)} needs <pending>[/<issued>]/<wanted>`);
    const words = parts.map((p) => parseCaps(p));
    const badAt = words.indexOf(undefined);
    if (badAt >= 0) return fail(`unreadable cap print ${shown}: ${quote(parts[badAt])} is not a cap word (ccap_string: p, then A L X F fields with s x c r w b a l)`);
    const client = Number(e[1]);
    if (clients.some((c) => c.client === client)) return fail(`unreadable cap print ${shown}: client ${client} appears twice`);
    const [pending, issued, wanted] = parts.length === 3 ? words : [words[0], words[0], words[1]];
    clients.push({ client, pending: pending!, issued: issued!, wanted: wanted!, seq: Number(e[3]), issuedShown: parts.length === 3 });
  }
  const loner = m[2] === undefined ? -1 : Number(m[2]);
  const wantLoner = m[3] === undefined ? loner : Number(m[3]);
  return { ok: true, value: { clients, loner, wantLoner } };
}
