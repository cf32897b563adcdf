// `mdslock explain`: decode a lock print or a cap print copied from an MDS log into what the
// tables (statemachines/) and the lock classes (src/locks) say about it. Every meaning is read
// off those sources: the row of the state, SimpleLock's reading of the permission codes,
// gcaps_allowed, eval_gather's rule for holds that stay across a transition, lockerEdges.
// Pure: builds a structured result (the --json form) that the text renderer only lays out.
import {
  ANY, AUTH, XCL, REQ, PERM_NAMES, LOCK_XLOCK, LOCK_XLOCKDONE, LOCK_XLOCKSNAP, LOCK_LOCK, COLUMNS, STARTERS,
  STATE_CONSTANTS, UNREACHABLE, UNREACHABLE_EDGES, gcapString, lockerEdges, stateName,
  type LockerEdge, type LockState, type Side, type StateRow,
} from '../../statemachines/index.js';
import { ccap_string } from '../clients/capString.js';
import { HEADERS } from './tablesText.js';
import { PLAIN, type Style } from '../trace/style.js';
import { parseLockPrint, type LockPrint, type Parsed } from './parsePrint.js';
import { CAP_FIELDS, capsText, explainCaps, type CapsExplanation } from './explainCaps.js';

export { explainCaps, capsText, type CapsExplanation };

type Perm = 'can_read' | 'can_read_projected' | 'can_rdlock' | 'can_wrlock' | 'can_force_wrlock' | 'can_lease' | 'can_xlock';
const PERMS = COLUMNS.filter((c): c is Perm => c.startsWith('can_'));

export interface Permission { column: Perm; means: string; code: string; who: string }
export interface CapsAllowed { who: string; column: string; generic: string; word: string }
export interface PrintPart { token: string; meaning: string; warning: string | null }
export interface Edge { to: string; via: string; side: Side; how: string; unreachable: string | null }

export interface LockExplanation {
  kind: 'lock';
  print: string;
  parsed: { type: string; state: string; gather: string[]; leased: boolean; rd: number; wr: number; x: number;
    by: string | null; flags: string[]; lastClient: string | null };
  lock: { name: string; value: number; machine: string; class: string; owner: string; member: string;
    capField: { letter: string; name: string; shift: number } | null };
  state: { name: string; value: number; constant: string; stable: boolean; next: string | null;
    replica_state: string | null; loner: boolean; notes: string[] };
  permissions: Permission[];
  caps: CapsAllowed[];
  parts: PrintPart[];
  transitions: Edge[];
  warnings: string[];
}

const codeName = (c: number) => (c === 0 ? '0' : PERM_NAMES[c]);
const sn = (s: LockState) => (s === 0 ? null : stateName(s));

/** SimpleLock::allows / allowsWr, in words. */
function who(col: Perm, code: number): string {
  const wr = col === 'can_wrlock' || col === 'can_force_wrlock';
  switch (code) {
    case ANY: return 'any copy, auth or replica';
    case AUTH: return 'the auth copy only';
    case XCL: return wr
      ? 'only the xlocking client (xlock_by_client) or the loner (excl_client); never an MDS-internal request'
      : 'only the xlocking client (xlock_by_client); never an MDS-internal request';
    case REQ: return col === 'can_rdlock'
      ? 'nobody here, auth included (SimpleLock admits no one for REQ): a replica must ask the auth, ' +
        'rdlock_start sending LOCK_AC_REQRDLOCK (the auth then syncs the lock, handle_reqrdlock)'
      : 'nobody here (SimpleLock admits no one for REQ)';
    default: return 'nobody';
  }
}

/** The exceptions LocalLock makes to its table. */
const LOCAL_WHO: Partial<Record<Perm, string>> = {
  can_wrlock: 'the table says 0, but LocalLock::can_wrlock ignores it: any request, unless the lock is xlocked',
  can_xlock: 'the table says AUTH, but local_xlock_start asks can_xlock_local instead: only while no wrlock and no xlock is held',
};

/** eval_gather's `stays`: a hold the next state allows on this copy is kept across the transition. */
function carried(noun: string, col: Perm, next: LockState, nrow: StateRow): string {
  const c = nrow[col];
  const head = `a ${noun} taken before the transition began is kept until released`;
  if (c === ANY) return `${head}, and eval_gather lets it stay into ${stateName(next)}, whose ${col} is ANY`;
  if (c === AUTH) return `${head}; on the auth copy eval_gather lets it stay into ${stateName(next)} (${col} AUTH there), on a replica it waits for the release`;
  return `${head}, and eval_gather enters ${stateName(next)} only after its release (${col} is ${codeName(c)} there)`;
}

const HOLDS = {
  r: { col: 'can_rdlock', noun: 'rdlock' },
  w: { col: 'can_wrlock', noun: 'wrlock' },
  x: { col: 'can_xlock', noun: 'xlock' },
  l: { col: 'can_lease', noun: 'lease' },
} as const;

/** A hold the row does not allow: how it can be there all the same, or why it is unexpected. */
function holdWarning(kind: keyof typeof HOLDS, p: LockPrint): string | null {
  const { col, noun } = HOLDS[kind];
  const sm = p.type.sm;
  const row = sm.states[p.state];
  if (p.type.cls === 'LocalLock' || (row[col] !== 0 && row[col] !== REQ)) return null;
  if (kind === 'x' && [LOCK_XLOCK, LOCK_XLOCKDONE, LOCK_XLOCKSNAP].includes(p.state)) return null;
  if (kind === 'x' && p.state === LOCK_LOCK && sm.can_remote_xlock) return null;
  const s = stateName(p.state);
  const head = `${col} is ${codeName(row[col])} in ${s}: no ${noun} is granted here.`;
  const forced = kind === 'w'
    ? ` Or it is a forced wrlock: wrlock_force (journaled cap updates)${p.type.cls === 'ScatterLock' ? ' or scatter_writebehind (writing back dirty scattered data; flushing shows then)' : ''} takes one whatever the table says.`
    : '';
  if (row.next !== 0) return `${head} Legal mid-transition: ${carried(noun, col, row.next, sm.states[row.next])}.${forced}`;
  if (kind === 'w') return `${head} In a stable state only a forced wrlock explains it:${forced.slice(' Or it is a forced wrlock:'.length)}`;
  return `${head} Unexpected: the Locker grants a ${noun} only where ${col} allows it, and eval_gather enters ${s} only after the ${noun}s it forbids are released.`;
}

function holdMeaning(kind: keyof typeof HOLDS, n: number, p: LockPrint): string {
  const { col, noun } = HOLDS[kind];
  const row = p.type.sm.states[p.state];
  const s = stateName(p.state);
  const held = kind === 'l' ? 'clients hold a lease on it (the LEASED flag)' : `${n} ${noun}${n > 1 ? 's' : ''} held on this copy`;
  if (p.type.cls === 'LocalLock' && LOCAL_WHO[col]) return `${held}; ${LOCAL_WHO[col]}`;
  let m = `${held}; ${col} in ${s} is ${codeName(row[col])}: ${who(col, row[col])}`;
  if (kind === 'x' && p.state === LOCK_XLOCK) m += '. xlock_start grants an xlock by entering xlock (can_xlock is checked in the state it leaves)';
  if (kind === 'x' && (p.state === LOCK_XLOCKDONE || p.state === LOCK_XLOCKSNAP)) m += '. The xlock was granted on entering xlock and kept (set_xlocks_done moves xlock to xlockdone)';
  if (kind === 'x' && p.state === LOCK_LOCK && p.type.sm.can_remote_xlock && row[col] === 0) {
    m += ". In lock this is a replica copy's record of a remote xlock (SimpleLock::get_xlock accepts lock for it): the auth holds the xlock in xlock, whose replica_state is lock";
  }
  return m;
}

const FLAG_MEANING: Record<string, string> = {
  dirty: 'this copy holds scattered updates not yet folded into the inode (DIRTY): the auth writes them back with scatter_writebehind before eval_gather completes, a replica hands them to the auth with its ack',
  flushing: 'the dirty data is on its way (FLUSHING): a scatter_writebehind is journaling it (auth) or it left with an ack to the auth (replica)',
  flushed: 'the write-back finished (FLUSHED, finish_flush); eval_gather clears it when it completes, LOCK_AC_LOCKFLUSHED does on a replica',
  scatter_wanted: 'a replica asked for mix (LOCK_AC_REQSCATTER) while this auth copy was unstable: once stable, try_eval / scatter_eval moves it to mix, which clears the flag; wrlock_start on the auth waits for mix meanwhile',
};

function parts(p: LockPrint): PrintPart[] {
  const out: PrintPart[] = [];
  const add = (token: string, meaning: string, warning: string | null = null) => out.push({ token, meaning, warning });
  if (p.gather.length > 0) {
    add(`g=${p.gather.join(',')}`, `the auth is gathering: it waits for acks from ${p.gather.map((r) => `mds.${r}`).join(', ')} (gather_set). ` +
      'Only the auth copy gathers, and eval_gather completes a transition only once the set is empty');
  }
  if (p.leased) add('l', holdMeaning('l', 1, p), holdWarning('l', p));
  if (p.rd) add(`r=${p.rd}`, holdMeaning('r', p.rd, p), holdWarning('r', p));
  if (p.wr) add(`w=${p.wr}`, holdMeaning('w', p.wr, p), holdWarning('w', p));
  if (p.x) add(`x=${p.x}`, holdMeaning('x', p.x, p), holdWarning('x', p));
  if (p.by !== null) add(`by ${p.by.startsWith('0x') ? p.by : `request(${p.by})`}`, 'the request holding the xlock (xlock_by); set_xlock_done clears it, so xlockdone prints none');
  for (const f of p.flags) add(f, FLAG_MEANING[f]);
  if (p.lastClient !== null) add(`last_client=${p.lastClient}`, `client.${p.lastClient} took the latest wrlock (LocalLock::last_wrlock_client; cleared when the last wrlock goes)`);
  if (p.type.cls === 'LocalLock' && p.wr > 0 && p.x > 0) {
    out.push({ token: `w=${p.wr} x=${p.x}`, meaning: 'wrlocks and an xlock together',
      warning: 'Unexpected: a LocalLock never holds both: a local wrlock waits while it is xlocked (can_wrlock), a local xlock needs no wrlock held (can_xlock_local).' });
  }
  return out;
}

const HANDLER: Record<string, string> = { sm_simplelock: 'handle_simple_lock', sm_scatterlock: 'handle_file_lock', sm_filelock: 'handle_file_lock' };

function how(e: LockerEdge, sm: string, next: LockState): string {
  if (e.via in STARTERS) return `Locker::${e.via} starts it`;
  if (e.via.startsWith('AC_')) return `the auth's LOCK_${e.via}, in ${HANDLER[sm]}`;
  if (e.via === 'eval_gather') {
    if (e.side === 'replica') return e.to === LOCK_LOCK ? 'eval_gather, acking the auth (LOCKACK)' : 'eval_gather acks the auth and parks the replica until its final message';
    return e.to === next ? "eval_gather completes it (the row's next)" : 'eval_gather';
  }
  return `Locker::${e.via}`;
}

/** The canonical print of a parsed lock print (printLock's form). */
export function formatLockPrint(p: LockPrint): string {
  let s = `(${p.type.name} ${stateName(p.state)}`;
  if (p.gather.length) s += ` g=${p.gather.join(',')}`;
  if (p.leased) s += ' l';
  if (p.rd) s += ` r=${p.rd}`;
  if (p.wr) s += ` w=${p.wr}`;
  if (p.x) s += ` x=${p.x}${p.by === null ? '' : p.by.startsWith('0x') ? ` by ${p.by}` : ` by request(${p.by})`}`;
  for (const f of p.flags) s += ` ${f}`;
  if (p.lastClient !== null) s += ` last_client=${p.lastClient}`;
  return s + ')';
}

export function explainLockPrint(p: LockPrint): LockExplanation {
  const lt = p.type;
  const sm = lt.sm;
  const row = sm.states[p.state];
  const field = CAP_FIELDS.find((f) => f.shift === lt.capShift) ?? null;
  const notes: string[] = [];
  if (!sm.defined.includes(p.state)) {
    notes.push(`${sm.name} has no row for ${stateName(p.state)} (quirk Q3): a replica parked here reads the all-zero row, so it counts as stable, with no permissions and no caps, until the auth's next message`);
  }
  if (UNREACHABLE[p.state] !== undefined) notes.push(`the simulated Locker never enters it: ${UNREACHABLE[p.state]}`);
  if (lt.cls === 'LocalLock') notes.push('a LocalLock is never replicated and never changes state');

  const word = (g: number) => (field ? ccap_string(g << lt.capShift) : 'none (no cap field)');
  const capLine = (whoName: string, column: string, g: number): CapsAllowed => ({ who: whoName, column, generic: gcapString(g) || '-', word: word(g) });
  const anyCol = row.loner ? 'caps' : 'loner_caps|caps';
  const caps = [
    capLine('any client', anyCol, row.loner ? row.caps : row.loner_caps | row.caps),
    capLine('the loner', 'loner_caps|caps', row.loner_caps | row.caps),
    capLine('the xlocker', 'xlocker_caps|caps', row.xlocker_caps | row.caps),
    capLine('a replica', 'replica_caps', row.replica_caps),
  ];

  const edges = lockerEdges(sm).filter((e) => e.from === p.state).map((e): Edge => {
    const never = UNREACHABLE_EDGES.find((u) => u.machines.includes(sm.name) && u.from === e.from && u.to === e.to && u.side === e.side);
    const unreachable = never ? never.why
      : UNREACHABLE[e.from] !== undefined ? `${stateName(e.from)}: ${UNREACHABLE[e.from]}`
        : UNREACHABLE[e.to] !== undefined ? `${stateName(e.to)}: ${UNREACHABLE[e.to]}` : null;
    return { to: stateName(e.to), via: e.via, side: e.side, how: how(e, sm.name, row.next), unreachable };
  });

  const ps = parts(p);
  return {
    kind: 'lock',
    print: formatLockPrint(p),
    parsed: { type: lt.name, state: stateName(p.state), gather: p.gather.map((r) => `mds.${r}`), leased: p.leased, rd: p.rd, wr: p.wr, x: p.x,
      by: p.by, flags: [...p.flags], lastClient: p.lastClient === null ? null : `client.${p.lastClient}` },
    lock: { name: lt.name, value: lt.type, machine: sm.name, class: lt.cls, owner: lt.owner, member: lt.member,
      capField: field ? { letter: field.letter, name: field.name, shift: field.shift } : null },
    state: { name: stateName(p.state), value: p.state, constant: STATE_CONSTANTS[p.state], stable: row.next === 0,
      next: sn(row.next), replica_state: sn(row.replica_state), loner: row.loner, notes },
    permissions: PERMS.map((c) => ({ column: c, means: HEADERS[c].means.replace(/^who may /, ''), code: codeName(row[c]), who: lt.cls === 'LocalLock' && LOCAL_WHO[c] ? LOCAL_WHO[c] : who(c, row[c]) })),
    caps,
    parts: ps,
    transitions: edges,
    warnings: ps.flatMap((x) => (x.warning ? [`${x.token}: ${x.warning}`] : [])),
  };
}

/** Parse and explain a lock print. */
export function explainLock(text: string): Parsed<LockExplanation> {
  const p = parseLockPrint(text);
  return p.ok ? { ok: true, value: explainLockPrint(p.value) } : p;
}

/** Lines of `label  text` with the labels padded to one width. */
export function table(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const r of rows) r.slice(0, -1).forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length); });
  return rows.map((r) => (indent + r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]) : c)).join('  ')).trimEnd());
}

export function lockText(e: LockExplanation, st: Style = PLAIN): string {
  const L: string[] = [];
  const stateStyled = e.state.stable ? st.stableState(e.state.name) : st.unstableState(e.state.name);
  L.push(e.print, '');
  L.push(`lock   ${st.lockType(e.lock.name)} (type ${e.lock.value}): ${e.lock.class} of a ${e.lock.owner} (${e.lock.member}), machine ${e.lock.machine}`);
  L.push(`  cap field: ${e.lock.capField ? `${e.lock.capField.letter} (${e.lock.capField.name} caps, generic bits at shift ${e.lock.capField.shift})` : 'none (governs no client caps)'}`);
  L.push(`state  ${stateStyled} (${e.state.constant} = ${e.state.value}): ` +
    (e.state.stable ? 'stable' : `transitional, next ${e.state.next}: eval_gather enters it once nothing incompatible with it remains`));
  L.push(`  replica_state: ${e.state.replica_state ?? '0 (none given)'}; loner mode: ${e.state.loner ? 'yes (clients other than the loner get only caps)' : 'no'}`);
  for (const n of e.state.notes) L.push(`  note: ${n}`);
  L.push('', st.dim(`who may, in ${e.state.name} (the row's permission codes, as SimpleLock reads them)`));
  L.push(...table(e.permissions.map((x) => [x.column, x.means, x.code, x.who])));
  L.push('', st.dim(`caps allowed in ${e.state.name} (gcaps_allowed: on the auth, any client gets caps in a loner state, loner_caps|caps otherwise; a replica copy allows replica_caps)`));
  L.push(...table(e.caps.map((c) => [c.who, c.column, c.word, `generic ${c.generic}`])));
  if (e.parts.length) {
    L.push('', st.dim('the print'));
    const w = Math.max(...e.parts.map((x) => x.token.length));
    for (const x of e.parts) {
      L.push(`  ${st.counts(x.token.padEnd(w))}  ${x.meaning}`);
      if (x.warning) L.push(`  ${' '.repeat(w)}  ${st.bad('warning:')} ${x.warning}`);
    }
  }
  L.push('', st.dim(`transitions out of ${e.state.name}`));
  if (e.state.next) L.push(`  next: ${e.state.next} (eval_gather completes the transition)`);
  if (e.transitions.length === 0) L.push(e.lock.class === 'LocalLock' ? '  none: a LocalLock stays in lock' : '  no Locker edge leaves it');
  L.push(...table(e.transitions.map((t) => [t.side, `-> ${t.to}`, t.via, t.how + (t.unreachable ? `; ${st.bad('unreachable')}: ${t.unreachable}` : '')])));
  return L.join('\n') + '\n';
}
