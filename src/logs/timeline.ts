// Every lock print of a log, one timeline per lock copy (rank, object, lock type) in log order,
// each entry judged against the model: the print reads and its state is in the lock type's
// machine; each change from the copy's previous print is an edge of Ceph's Locker
// (statemachines/transitions.ts), or a gap (the log left out the states between: a path of
// edges joins them), or impossible (no path does). A copy last seen unstable gets the
// conditions eval_gather still waits for, read from its print: the likely blocker.
import { setsStateOutsideEdges } from '../trace/stateSetters.js';
import { ANY, AUTH, XCL, capMask, lockerEdges, stateName, type LockState, type LockType, type Side } from '../../statemachines/index.js';
import { parseCapPrint, parseLockPrint, type LockPrint } from '../inspect/parsePrint.js';
import { SimpleLock } from '../locks/SimpleLock.js';
import { ScatterLock } from '../locks/ScatterLock.js';
import { CAP_ANY, CAP_LONER, DIRTY, FLUSHING, FLUSHED, LEASED } from '../locks/flags.js';
import {
  gather_pending, PENDING_AUTH, PENDING_CAPS, PENDING_FLUSH, PENDING_LEASES, PENDING_RDLOCKS, PENDING_REPLICAS, PENDING_WRLOCKS, PENDING_XLOCKS,
} from '../locker/eval_gather.js';
import { ccap_string } from '../clients/capString.js';
import { UNMODELLED_LOCK_TYPES, extractPrints } from './extract.js';
import type { LogLine } from './logLine.js';

export type Verdict = 'ok' | 'gap' | 'unusual' | 'not-modelled' | 'unreadable' | 'impossible';

export interface Entry {
  readonly file: string;
  readonly line: number;
  readonly time: string | null;
  readonly fn: string | null;
  readonly print: string;
  readonly verdict: Verdict;
  /** Why, in words: the edge taken, the states a gap skipped, what is impossible. */
  readonly why: string;
  readonly state: string | null;
  /** Read from inside its object's print, not the lock the line is about. */
  readonly inObject: boolean;
}

export interface Timeline {
  /** null: the line named no rank (a daemon's own line). */
  readonly rank: number | null;
  readonly object: string;
  readonly lock: string;
  /** true auth, false replica, null not shown. */
  auth: boolean | null;
  /** The object's states in its last print (`recovering`, `FROZEN`, ...). */
  flags: readonly string[];
  readonly entries: Entry[];
  /** The last readable print and the caps print that came with it (for the blocker). */
  last: { print: LockPrint; caps: string | null } | null;
}

/** Shortest list of states from `from` to `to` over the machine's edges (on `side`, or both), or null. */
function path(lt: LockType, side: Side | null, from: LockState, to: LockState): { states: LockState[]; via: string[] } | null {
  const edges = lockerEdges(lt.sm).filter((e) => side === null || e.side === side);
  const prev = new Map<LockState, { s: LockState; via: string }>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length) {
    const s = queue.shift()!;
    if (s === to) break;
    for (const e of edges) {
      if (e.from !== s || seen.has(e.to)) continue;
      seen.add(e.to);
      prev.set(e.to, { s, via: e.via });
      queue.push(e.to);
    }
  }
  if (!seen.has(to)) return null;
  const states: LockState[] = [to];
  const via: string[] = [];
  for (let s = to; s !== from;) { const p = prev.get(s)!; via.unshift(p.via); states.unshift(p.s); s = p.s; }
  return { states, via };
}

/** What the prints say of one object, over every rank: where its auth is, who replicates it, its first caps print on the auth. */
export interface ObjectSeen {
  ino: string | null;
  authRank: number | null;
  readonly replicas: Set<number>;
  caps: string | null;
}

export class Timelines {
  /** `keepOk` false: entries judged ok are counted, not kept (a long log's summary in little memory). */
  constructor(private readonly keepOk = true) {}
  readonly byKey = new Map<string, Timeline>();
  readonly objects = new Map<string, ObjectSeen>();
  readonly counts = { lines: 0, prints: 0, impossible: 0, gaps: 0, unusual: 0, unreadable: 0, notModelled: 0 };

  add(file: string, l: LogLine): void {
    this.counts.lines++;
    const { objects, locks } = extractPrints(l.text);
    for (const o of objects) {
      let seen = this.objects.get(o.key);
      if (!seen) this.objects.set(o.key, (seen = { ino: o.ino, authRank: null, replicas: new Set(), caps: null }));
      seen.ino ??= o.ino;
      if (o.auth === true && l.rank !== null) seen.authRank = l.rank;
      if (o.auth === false && o.authRank !== null) seen.authRank ??= o.authRank;
      if (o.auth === false && l.rank !== null) seen.replicas.add(l.rank);
      if (o.auth === true && o.caps && seen.caps === null) seen.caps = o.caps;
    }
    const seen = new Set<string>();
    for (const p of locks) {
      const object = p.object?.key ?? '(no object on the line)';
      const key = `${l.rank}\u0000${object}\u0000${p.typeName}`;
      // `simple_lock on (iauth sync) on [inode ... (iauth sync)]`: one moment, printed twice
      if (seen.has(`${key}\u0000${p.text}`)) continue;
      seen.add(`${key}\u0000${p.text}`);
      this.counts.prints++;
      let t = this.byKey.get(key);
      if (!t) this.byKey.set(key, (t = { rank: l.rank, object, lock: p.typeName, auth: null, flags: [], entries: [], last: null }));
      if (p.object) t.flags = p.object.flags;
      const side = p.object?.auth ?? null;
      const base = { file, line: l.line, time: l.time, fn: l.fn, print: p.text, inObject: p.inObject };
      if (UNMODELLED_LOCK_TYPES.includes(p.typeName)) {
        this.counts.notModelled++;
        t.entries.push({ ...base, verdict: 'not-modelled', why: `${p.typeName} is a Ceph lock type mdslock does not model`, state: null });
        continue;
      }
      const parsed = parseLockPrint(p.text);
      if (!parsed.ok) {
        const impossible = /is not in sm_/.test(parsed.error);
        if (impossible) this.counts.impossible++; else this.counts.unreadable++;
        t.entries.push({ ...base, verdict: impossible ? 'impossible' : 'unreadable', why: parsed.error, state: null });
        continue;
      }
      const print = parsed.value;
      // migration and recovery set lock states directly, outside the Locker's edges
      const moving = l.fn !== null && setsStateOutsideEdges(l.fn);
      const judged = moving ? { verdict: 'ok' as Verdict, why: `set by ${l.fn} (migration and recovery set lock states outside the Locker's edges)` } : this.judge(t, print, side);
      const odd = judged.verdict === 'ok' && !moving ? holdsOutsideRow(print, side ?? t.auth) : null;
      if (odd) { judged.verdict = 'unusual'; judged.why += `; ${odd}`; this.counts.unusual++; }
      if (judged.verdict === 'impossible') this.counts.impossible++;
      if (judged.verdict === 'gap') this.counts.gaps++;
      if (this.keepOk || judged.verdict !== 'ok') t.entries.push({ ...base, ...judged, state: stateName(print.state) });
      if (side !== null) t.auth = side;
      t.last = { print, caps: p.object?.caps ?? null };
    }
  }

  private judge(t: Timeline, print: LockPrint, side: boolean | null): { verdict: Verdict; why: string } {
    const prev = t.last?.print;
    if (!prev) return { verdict: 'ok', why: 'first print of this copy' };
    if (side !== null && t.auth !== null && side !== t.auth) return { verdict: 'ok', why: `the copy became ${side ? 'the auth' : 'a replica'} (the object's auth moved)` };
    if (prev.state === print.state) return { verdict: 'ok', why: 'same state' };
    const s = side ?? t.auth;
    const sideOf: Side | null = s === null ? null : s ? 'auth' : 'replica';
    const p = path(print.type, sideOf, prev.state, print.state);
    const names = (xs: LockState[]) => xs.map(stateName).join(' -> ');
    if (p && p.states.length === 2) return { verdict: 'ok', why: `${names(p.states)} by ${p.via[0]}` };
    if (p) return { verdict: 'gap', why: `the log leaves out states between: ${names(p.states)} (${p.via.join(', ')})` };
    return { verdict: 'impossible', why: `no Locker edge${sideOf ? ` on ${sideOf === 'auth' ? 'the auth' : 'a replica'}` : ''} leads from ${stateName(prev.state)} to ${stateName(print.state)} in ${print.type.sm.name}` };
  }
}

/**
 * Holds a stable state's row does not allow on the copy's side (rdlocks, an xlock on the auth, a lease):
 * a stable state is reached only once what it forbids has drained, so such a print is worth a
 * look. Wrlocks are never judged: wrlock_force (journaling, a write-back) takes one in any state.
 */
function holdsOutsideRow(p: LockPrint, auth: boolean | null): string | null {
  const row = p.type.sm.states[p.state];
  if (row.next !== 0) return null;
  const allows = (code: number) => code === ANY || (auth !== false && (code === AUTH || code === XCL));
  const odd: string[] = [];
  if (p.rd > 0 && !allows(row.can_rdlock)) odd.push(`r=${p.rd}`);
  // a replica's copy counts its leader's remote xlock (handle_peer_request_reply): only the auth's is judged
  if (p.x > 0 && auth === true && !allows(row.can_xlock)) odd.push(`x=${p.x}`);
  if (p.leased && !allows(row.can_lease)) odd.push('a client lease');
  return odd.length ? `${odd.join(', ')} in ${stateName(p.state)}, whose row allows none${auth === null ? '' : ` on ${auth ? 'the auth' : 'a replica'}`}: a stable state is entered only once they have drained` : null;
}

/** The copy's last print shows it in a transition (where blockers says what it waits for). */
export const lastUnstable = (t: Timeline): boolean => t.last !== null && t.last.print.type.sm.states[t.last.print.state].next !== 0;

/** What eval_gather still waits for, read from a copy's last print (and its object's caps print). */
export function blockers(t: Timeline): string[] {
  if (!t.last || !lastUnstable(t)) return [];
  const { print, caps } = t.last;
  const row = print.type.sm.states[print.state];
  const auth = t.auth ?? true;
  const lock = print.type.cls === 'ScatterLock' ? new ScatterLock(print.type.type, auth, print.state) : new SimpleLock(print.type.type, auth, print.state);
  lock.num_rdlock = print.rd;
  lock.num_wrlock = print.wr;
  lock.num_xlock = print.x;
  for (const r of print.gather) lock.gather_set |= 1 << r;
  if (print.leased) lock.state_flags |= LEASED;
  for (const f of print.flags) lock.state_flags |= f === 'dirty' ? DIRTY : f === 'flushing' ? FLUSHING : f === 'flushed' ? FLUSHED : 0;
  // caps: the caps print of the object, when the log shows one, against what the next state allows
  const excess: string[] = [];
  const cp = caps ? parseCapPrint(caps) : null;
  const shift = print.type.capShift;
  if (cp?.ok && shift > 0 && auth) {
    for (const c of cp.value.clients) {
      const allowed = lock.gcaps_allowed(c.client === cp.value.loner ? CAP_LONER : CAP_ANY, row.next);
      const over = ((c.issued >>> shift) & capMask(print.type.type)) & ~allowed;
      if (over) excess.push(`client.${c.client} to give back ${ccap_string(over << shift)}`);
    }
  }
  const p = gather_pending(lock, excess.length === 0);
  const out: string[] = [];
  const next = stateName(row.next);
  if (p & PENDING_REPLICAS) out.push(`acks from ${print.gather.map((r) => `mds.${r}`).join(', ')}`);
  if (p & PENDING_RDLOCKS) out.push(`${print.rd} rdlock(s) to drain (${next} allows none)`);
  if (p & PENDING_WRLOCKS) out.push(`${print.wr} wrlock(s) to drain (${next} allows none)`);
  if (p & PENDING_XLOCKS) out.push(`the xlock${print.by ? ` of ${print.by}` : ''} to go`);
  if (p & PENDING_LEASES) out.push('client leases to be revoked');
  if (p & PENDING_FLUSH) out.push('its scattered data to be journaled (flushing)');
  if (p & PENDING_CAPS) out.push(...excess);
  if (p & PENDING_AUTH) out.push("the auth's next message (a replica parked in a (2) state)");
  if (out.length === 0) out.push(`nothing the print shows: the log may end before eval_gather ran${!caps && print.type.capShift > 0 ? ', or client caps (no caps print seen) hold it' : ''}`);
  return out;
}

/** An op a dump shows waiting, joined to the locks of the inodes it names that were last seen unstable. */
export function opLocks(t: Timelines, inos: readonly string[]): { object: string; rank: number | null; lock: string; state: string; waits_for: string[] }[] {
  const objects = [...t.objects.entries()].filter(([, o]) => o.ino !== null && inos.includes(o.ino)).map(([k]) => k);
  return [...t.byKey.values()]
    .filter((x) => objects.includes(x.object) && lastUnstable(x))
    .map((x) => ({ object: x.object, rank: x.rank, lock: x.lock, state: stateName(x.last!.print.state), waits_for: blockers(x) }));
}
