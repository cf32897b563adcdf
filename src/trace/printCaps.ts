// How CInode's print shows client caps: ` caps={4101=pAsLsXsFscr/-@1,4102=pAs/pAsAx/pAs@3},l=4101(-1)`
// — per client pending, issued when it differs (a revoke outstanding), wanted, @last seq sent;
// then the loner, and the wanted loner in parentheses when they differ.
import type { CInode } from '../cache/CInode.js';
import { ccap_string } from '../clients/capString.js';

export function printInodeCaps(inode: CInode): string {
  const caps = Object.values(inode.caps);
  if (caps.length === 0) return 'caps={}';
  const parts = caps.map((c) =>
    `${c.client}=${ccap_string(c.pending)}${c.issued !== c.pending ? `/${ccap_string(c.issued)}` : ''}/${ccap_string(c.wanted)}@${c.last_sent}`);
  let s = `caps={${parts.join(',')}}`;
  if (inode.loner_cap >= 0 || inode.want_loner_cap >= 0) {
    s += `,l=${inode.loner_cap}`;
    if (inode.loner_cap !== inode.want_loner_cap) s += `(${inode.want_loner_cap})`;
  }
  return s;
}
