// Capability (src/mds/Capability.h/.cc): one client's caps on one inode copy, as that MDS sees
// them. `issued` keeps the bits of outstanding revokes until the client acknowledges them, so
// issued ⊇ pending; `revokes` records, per revoke, the pending set before it and the seq of the
// message that preceded it.
import { immerable } from 'immer';

export class Capability {
  [immerable] = true;
  readonly client: number;
  pending = 0;
  issued = 0;
  wanted = 0;
  /** Seq of the last grant/revoke sent. */
  last_sent = 0;
  /** Never issued yet (a cap being opened); its caps go out in the reply. */
  is_new = false;
  /** > 0 while grants must wait (issue_new_caps evaluating the inode for it). */
  suppress = 0;
  revokes: { before: number; seq: number }[] = [];

  constructor(client: number, caps = 0, wanted = 0) {
    this.client = client;
    this.pending = this.issued = caps;
    this.wanted = wanted;
  }

  revoking(): number { return this.issued & ~this.pending; }
  is_revoking(): boolean { return this.revoking() !== 0; }

  /** Capability::issue: a new pending set, carried by message seq (the return value). */
  issue(c: number): number {
    if (this.pending & ~c) {
      this.revokes.push({ before: this.pending, seq: this.last_sent });
      this.pending = c;
      this.issued |= c;
    } else if (c & ~this.pending) {
      this.pending |= c;
      this.issued |= c;
      // revokes whose bits are all granted again are obsolete
      while (this.revokes.length > 0 && (this.revokes[this.revokes.length - 1].before & ~this.pending) === 0) this.revokes.pop();
    }
    return ++this.last_sent;
  }

  /** Capability::issue_norevoke: add bits only (caps sent in a reply). */
  issue_norevoke(c: number): number {
    this.pending |= c;
    this.issued |= c;
    this.is_new = false;
    return ++this.last_sent;
  }

  /** Capability::confirm_receipt: the client acknowledged `seq`, holding `caps`. Returns the revoked bits. */
  confirm_receipt(seq: number, caps: number): number {
    const was = this.revoking();
    if (seq === this.last_sent) {
      this.revokes = [];
      this.issued = caps;
      this.pending &= caps; // a voluntary release shrinks pending too
      if (was && this.is_revoking()) this.revokes.push({ before: this.pending, seq: this.last_sent });
    } else {
      while (this.revokes.length > 0 && this.revokes[0].seq < seq) this.revokes.shift();
      if (this.revokes.length > 0) {
        if (this.revokes[0].seq === seq) this.revokes[0].before = caps;
        this.issued = this.revokes.reduce((acc, r) => acc | r.before, this.pending);
      } else {
        this.issued = caps | this.pending;
      }
    }
    return was & ~this.issued;
  }
}
