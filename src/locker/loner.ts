// The loner: the one client allowed the loner caps of EXCL-like states (CInode::calc_ideal_loner,
// choose_ideal_loner, try_set_loner, try_drop_loner, set_loner_cap, get_target_loner).
import type { CInode } from '../cache/CInode.js';
import { CAP_ANY } from '../locks/flags.js';
import { ANY_WR, FILE_RD, get_caps_allowed_by_type } from './caps.js';
import { assertMds, type Ctx } from './context.js';

/** CInode::get_target_loner: the loner only if it is also the wanted loner. */
export function get_target_loner(inode: CInode): number {
  return inode.loner_cap === inode.want_loner_cap ? inode.loner_cap : -1;
}

/** CInode::calc_ideal_loner: the single client wanting write or read caps (any client for a dir). */
export function calc_ideal_loner(inode: CInode): number {
  if (Object.keys(inode.mds_caps_wanted).length > 0) return -1; // a replica's clients want caps
  let loner = -1;
  let n = 0;
  for (const cap of Object.values(inode.caps)) {
    const candidate = inode.is_dir ? !inode.has_subtree_or_exporting_dirfrag : (cap.wanted & (ANY_WR | FILE_RD)) !== 0;
    if (candidate) { n++; loner = cap.client; }
  }
  return n === 1 ? loner : -1;
}

/** CInode::set_loner_cap: the loner is the excl_client of the four cap-bearing locks. */
export function set_loner_cap(inode: CInode, client: number): void {
  inode.loner_cap = client;
  for (const l of [inode.authlock, inode.filelock, inode.linklock, inode.xattrlock]) l.excl_client = client;
}

/** CInode::try_drop_loner: only once the loner holds nothing others may not hold. */
export function try_drop_loner(inode: CInode): boolean {
  if (inode.loner_cap < 0) return true;
  const cap = inode.caps[inode.loner_cap];
  if (!cap || (cap.issued & ~get_caps_allowed_by_type(inode, CAP_ANY)) === 0) {
    set_loner_cap(inode, -1);
    return true;
  }
  return false;
}

/** CInode::try_set_loner (its caller ensures a wanted loner: Ceph asserts want_loner_cap >= 0). */
export function try_set_loner(inode: CInode): boolean {
  if (inode.loner_cap >= 0 && inode.loner_cap !== inode.want_loner_cap) return false;
  set_loner_cap(inode, inode.want_loner_cap);
  return true;
}

/** CInode::choose_ideal_loner: true if the loner changed. */
export function choose_ideal_loner(ctx: Ctx, inode: CInode): boolean {
  inode.want_loner_cap = calc_ideal_loner(inode);
  let changed = false;
  if (inode.loner_cap >= 0 && inode.loner_cap !== inode.want_loner_cap) {
    if (!try_drop_loner(inode)) return false;
    changed = true;
  }
  if (inode.want_loner_cap >= 0) {
    if (inode.loner_cap < 0) {
      set_loner_cap(inode, inode.want_loner_cap);
      changed = true;
    } else {
      assertMds(ctx, inode.loner_cap === inode.want_loner_cap, `choose_ideal_loner ${inode.path}: loner client.${inode.loner_cap} is not the wanted client.${inode.want_loner_cap}`);
    }
  }
  return changed;
}
