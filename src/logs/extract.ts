// The prints in one MDS log line: object prints (`[inode 0x10000000000 [...2,head] /f auth v4
// (iauth excl) (ifile excl) caps={4101=...}|... 0x55...]`, `[dentry #0x1/d/x [2,head] auth
// (dn xlock x=1 by ...) ...]`) and lock prints (`(ifile mix->sync w=1)`), each lock print with
// the object it belongs to: the object print it sits in, else the one the line names after it
// (the Locker writes `<fn> on <lock> on <object>`), else the one before it. Pure: no I/O.
import { LOCK_TYPES } from '../../statemachines/index.js';

/** Lock types Ceph prints that mdslock does not model (Squid's quiesce lock). */
export const UNMODELLED_LOCK_TYPES: readonly string[] = ['iquiesce'];
const LOCK_NAMES = [...LOCK_TYPES.map((l) => l.name), ...UNMODELLED_LOCK_TYPES];
/** The states CInode's operator<< prints before its stats. */
const INODE_STATES = /^(AMBIGAUTH|needsrecover|recovering|dirtyparent|missingobjs|FREEZING=\d+|FROZEN|FROZEN_AUTHPIN|truncating\(.*)$/;

export interface ObjectPrint {
  readonly kind: 'inode' | 'dentry' | 'dir';
  /** `inode /a/f`, `dentry /a/f`, `dir /a`; an inode without a path is named by its number. */
  readonly key: string;
  readonly ino: string | null;
  /** true: `auth`; false: `rep@N.M`; null: neither shown. */
  readonly auth: boolean | null;
  /** The auth rank a replica's `rep@N.M` names, else null. */
  readonly authRank: number | null;
  /** The inode states CInode's print shows (`recovering`, `FROZEN`, `AMBIGAUTH`, ...), in its order. */
  readonly flags: readonly string[];
  /** The `caps={...}[,l=N]` text, if printed. */
  readonly caps: string | null;
  readonly start: number;
  readonly end: number;
}

export interface LockPrintAt {
  readonly text: string;
  readonly typeName: string;
  readonly object: ObjectPrint | null;
  /** The print is part of its object's print (not the lock a line is about). */
  readonly inObject: boolean;
}

/** The index just past the bracket that closes the one opened at `i`, or -1. */
function closing(s: string, i: number, open: string, close: string): number {
  let d = 0;
  for (let j = i; j < s.length; j++) {
    if (s[j] === open) d++;
    else if (s[j] === close && --d === 0) return j + 1;
  }
  return -1;
}

function objectPrint(s: string, start: number, end: number): ObjectPrint | null {
  const body = s.slice(start + 1, end - 1);
  const m = /^(inode|dentry|dir) (\S+)(?: \[[^\]]*\])?(?: (\S+))?/.exec(body);
  if (!m) return null;
  const kind = m[1] as ObjectPrint['kind'];
  // the first lock print or `|` ends the part that says auth or rep@
  const head = body.split(/ \(| \|/)[0];
  const rep = /\srep@(\d+)\.\d+/.exec(head);
  const auth = /\sauth(\{[^}]*\})?(\s|$)/.test(head) ? true : rep ? false : null;
  const caps = /\scaps=(\{[^}]*\}(?:,l=-?\d+(?:\(-?\d+\))?)?)/.exec(body)?.[1] ?? null;
  let key: string;
  let ino: string | null = null;
  if (kind === 'dentry') {
    // a path from the root (#0x1/d/x), or from another base inode (a stray: #0x100/stray0/...)
    key = `dentry ${m[2].replace(/^#0x1(?=\/|$)/, '').replace(/^#/, '') || '/'}`;
  } else {
    ino = /^0x[0-9a-f]+$/i.test(m[2]) ? m[2].toLowerCase() : null;
    // the path follows the snap range; a print without one goes by its number
    const path = m[3] !== undefined && !/^(auth|rep@)/.test(m[3]) ? m[3] : null;
    key = `${kind} ${path ?? m[2]}`;
  }
  const flags = head.split(/\s+/).filter((w) => INODE_STATES.test(w));
  return { kind, key, ino, auth, authRank: rep ? Number(rep[1]) : null, flags, caps: caps && `caps=${caps}`, start, end };
}

/** The object prints and lock prints of one line's message. */
export function extractPrints(s: string): { objects: ObjectPrint[]; locks: LockPrintAt[] } {
  const objects: ObjectPrint[] = [];
  for (let i = s.indexOf('['); i >= 0; i = s.indexOf('[', i + 1)) {
    if (!/^\[(inode|dentry|dir) /.test(s.slice(i, i + 8))) continue;
    const end = closing(s, i, '[', ']');
    if (end < 0) break; // cut off: what follows cannot be read
    const o = objectPrint(s, i, end);
    if (o) objects.push(o);
    i = end - 1;
  }
  const locks: LockPrintAt[] = [];
  for (let i = s.indexOf('('); i >= 0; i = s.indexOf('(', i + 1)) {
    const name = /^\(([a-z]+) /.exec(s.slice(i, i + 14))?.[1];
    if (!name || !LOCK_NAMES.includes(name)) continue;
    const end = closing(s, i, '(', ')');
    if (end < 0) break;
    const inside = objects.find((o) => o.start < i && end <= o.end);
    const after = objects.find((o) => o.start >= end);
    const before = [...objects].reverse().find((o) => o.end <= i);
    locks.push({ text: s.slice(i, end), typeName: name, object: inside ?? after ?? before ?? null, inObject: inside !== undefined });
    i = end - 1;
  }
  return { objects, locks };
}
