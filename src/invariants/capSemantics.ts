// I10 cap semantics: what two clients may hold at once on one inode, stated from what the caps
// mean (include/ceph_fs.h, the Locker's and CInode's use of them), not from the state tables:
// I6 checks caps against the current row, so a wrong row cannot violate it; these do not read
// a row. A client holds a cap bit from the moment an MDS issues it until the client
// acknowledges its revoke (the MDS's `issued`), from whichever rank's copy it came.
//
// (a) Exclusive: a client holding Gx of a field (CEPH_CAP_GEXCL: "client can read and update",
//     changing the value without asking the MDS and flushing it later) excludes other clients'
//     Gx and Gs of that field: their cached copies would go stale. For the file field, Fx also
//     excludes others' Fr and Fw (the Fx holder caches size and mtime). Others may keep bare Fc
//     and Fb: LOCK and the xlock states let every client keep them (Locker::simple_lock).
// (b) Writers: a client holding Fw changes size and mtime itself and flushes them later
//     (Client::_write_success marks Fw dirty), so no other client holds Fs or Fx of the file.
// (c) Loner states: EXCL and XSYN exist for one client, the loner (Locker::file_excl and
//     Locker::file_xsyn require a loner; CInode::choose_ideal_loner picks it). While the auth's
//     lock is in them, or goes from one to the other (excl->xsyn, xsyn->excl), a client other
//     than the loner holds no cap of the field that is not being revoked. A lock entering them
//     from a shared state (sync->excl, ...) may let others keep caps until its gather revokes
//     them, so those transitions are not covered.
import { STATE_ACTIVE } from '../cluster/mdsmap.js';
import type { Cluster } from '../cluster/Cluster.js';
import type { CInode } from '../cache/CInode.js';
import {
  CEPH_CAP_GEXCL as X, CEPH_CAP_GSHARED as S, CEPH_CAP_GRD as R, CEPH_CAP_GWR as W,
  LOCK_EXCL, LOCK_XSYN, LOCK_EXCL_XSYN, LOCK_XSYN_EXCL, LOCK_TYPES, CEPH_LOCK_IFILE, capMask, stateName,
} from '../../statemachines/index.js';
import { ccap_string } from '../clients/capString.js';
import type { SimpleLock } from '../locks/index.js';
import { violation, type Violation } from './violation.js';

/** The cap fields (A, L, X, F: the cap-bearing lock types' shift and width, get_cap_shift / get_cap_mask), in bit order. */
const FIELDS = LOCK_TYPES.filter((l) => l.capShift > 0).sort((a, b) => a.capShift - b.capShift)
  .map((l) => ({ name: l.name.slice(1), shift: l.capShift, mask: capMask(l.type), file: l.type === CEPH_LOCK_IFILE }));
type Field = (typeof FIELDS)[number];
const LONER_STATES = [LOCK_EXCL, LOCK_XSYN, LOCK_EXCL_XSYN, LOCK_XSYN_EXCL];

interface Held { client: number; issued: number; pending: number }

/** Every client's caps on an inode, over all copies: [issued, pending] unions. */
function heldOn(copies: readonly CInode[]): Held[] {
  const by = new Map<number, Held>();
  for (const inode of copies) {
    for (const cap of Object.values(inode.caps)) {
      const h = by.get(cap.client) ?? { client: cap.client, issued: 0, pending: 0 };
      h.issued |= cap.issued;
      h.pending |= cap.pending;
      by.set(cap.client, h);
    }
  }
  return [...by.values()].sort((a, b) => a.client - b.client);
}

const field = (caps: number, f: Field) => (caps >>> f.shift) & f.mask;
const bits = (g: number, shift: number) => ccap_string(g << shift);

function pairs(path: string, held: readonly Held[], refs: Violation['locks'], out: Violation[]): void {
  for (const a of held) {
    for (const b of held) {
      if (a.client === b.client) continue;
      for (const f of FIELDS) {
        const { name, shift } = f;
        const ga = field(a.issued, f), gb = field(b.issued, f);
        const excluded = (ga & X ? X | S | (f.file ? R | W : 0) : 0) | (f.file && ga & W ? S | X : 0);
        if ((gb & excluded) === 0) continue;
        const why = ga & X ? `holds ${bits(X, shift)}, exclusive` : `writes (${bits(W, shift)}) and flushes size and mtime itself`;
        out.push(violation('I10', refs, `${path}: client.${a.client} ${why}, while client.${b.client} holds ${bits(gb & excluded, shift)} of the ${name} field`));
      }
    }
  }
}

function lonerStates(path: string, auth: CInode, held: readonly Held[], out: Violation[]): void {
  for (const lock of auth.locks() as SimpleLock[]) {
    const shift = lock.lt.capShift;
    if (shift === 0 || !LONER_STATES.includes(lock.state)) continue;
    const f = FIELDS.find((x) => x.shift === shift)!;
    for (const h of held) {
      const kept = field(h.pending, f);
      if (h.client === auth.loner_cap || kept === 0) continue;
      out.push(violation('I10', [{ path, type: lock.type }], `${path}: ${lock.lt.name} is ${stateName(lock.state)}, a state for the loner${auth.loner_cap >= 0 ? ` client.${auth.loner_cap}` : ''} alone, yet client.${h.client} holds ${bits(kept, shift)}, not being revoked`));
    }
  }
}

export function checkCapSemantics(c: Cluster): Violation[] {
  const out: Violation[] = [];
  const paths = new Set<string>();
  // a rank on its way back is judged once active, as for I6: its states are chosen from the
  // reconnected caps in rejoin and the caps fitted to them when it is active
  const active = c.ranks.filter((m) => c.mdsmap.state[m.id] === STATE_ACTIVE);
  for (const mds of active) for (const inode of Object.values(mds.inodes)) if (Object.keys(inode.caps).length) paths.add(inode.path);
  for (const path of [...paths].sort()) {
    const copies = active.map((m) => m.inodes[path]).filter((x): x is CInode => x !== undefined);
    const held = heldOn(copies);
    const auth = copies.find((x) => x.is_auth());
    const refs = auth ? auth.locks().filter((l) => l.lt.capShift !== 0).map((l) => ({ path, type: l.type })) : [];
    if (held.length > 1) pairs(path, held, refs, out);
    if (auth) lonerStates(path, auth, held, out);
  }
  return out;
}
