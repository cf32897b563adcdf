// An inode or dentry as Ceph's operator<< prints it in the MDS log, cut to what mdslock models:
// `[inode 0x10000000000 [2,head] /f auth (iauth sync->lock g=1) (ifile excl) (iversion lock)
// caps={4101=pAsLsXsFsxcrwb/-@2},l=4101]`, `[dentry #0x1/d/x [2,head] rep@0.1 (dn xlock x=1 ...)
// (dversion lock)]`. A lock shows when it is not sync and unlocked, in CInode's order; the
// versions, stats and pins Ceph also prints are not modelled and left out.
import type { CInode } from '../cache/CInode.js';
import type { CDentry } from '../cache/CDentry.js';
import type { SimpleLock } from '../locks/index.js';
import { LOCK_SYNC } from '../../statemachines/index.js';
import { printLock } from './printLock.js';
import { printInodeCaps } from './printCaps.js';

const shown = (l: SimpleLock) => !(l.state === LOCK_SYNC && l.num_rdlock === 0 && l.num_wrlock === 0 && l.num_xlock === 0 && !l.is_leased());
const locks = (ls: readonly SimpleLock[]) => ls.filter(shown).map((l) => ` ${printLock(l)}`).join('');
const where = (auth: boolean, authority: number) => (auth ? 'auth' : `rep@${authority}.1`);

/** CInode's operator<<: its locks in Ceph's order (the dir-only ones for directories, iflock for files), then its caps. */
export function printInode(i: CInode): string {
  const order = [i.authlock, i.linklock, ...(i.is_dir ? [i.dirfragtreelock, i.snaplock, i.nestlock, i.policylock] : [i.flocklock]), i.filelock, i.xattrlock, i.versionlock];
  const caps = Object.keys(i.caps).length ? ` ${printInodeCaps(i)}` : '';
  return `[inode 0x${i.ino.toString(16)} [2,head] ${i.path} ${where(i.is_auth(), i.authority)}${locks(order)}${caps}]`;
}

/** CDentry's operator<<: the path from the root's inode (#0x1), then its two locks. */
export function printDentry(d: CDentry): string {
  return `[dentry #${d.path.startsWith('/') ? `0x1${d.path}` : d.path} [2,head] ${where(d.is_auth(), d.authority)}${locks([d.lock, d.versionlock])}]`;
}
