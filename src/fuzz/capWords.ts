// The cap words a fuzz client asks for (`open`, and initial `wanted`): the meaningful ones, as
// Ceph clients want them. Files: shared attributes (As, Ls, Xs), exclusive auth (Asx), and the
// file caps of reading (Fr, Fc, Fscr), writing (Fw, Fb, Fwb) and the whole exclusive set
// (Fsxcrwb), plus the usual open-for-read and open-for-write words. Directories: no Fw/Fb
// (a directory is never opened for write); Fs/Fsx for readdir, Fc/Fr for async dir ops.
// A wanted word is one or two of these OR'ed.
import { parseCaps } from '../clients/capString.js';

const words = (list: readonly string[]) => list.map((w) => {
  const c = parseCaps(w);
  if (c === undefined) throw new Error(`bad cap word ${w}`);
  return c;
});

export const FILE_WANTED = words(['As', 'Asx', 'Ls', 'Xs', 'Fr', 'Fc', 'Fw', 'Fb', 'Fwb', 'Fsxcrwb', 'Fscr', 'AsLsXsFscr', 'AsxLsXsFsxcrwb']);
export const DIR_WANTED = words(['As', 'Asx', 'Ls', 'Xs', 'Fs', 'Fsx', 'Fc', 'Fr', 'AsLsXsFs']);

/** The wanted word picked by raw indices (one or two words, OR'ed). */
export function wantedWord(is_dir: boolean, raw: readonly number[]): number {
  const list = is_dir ? DIR_WANTED : FILE_WANTED;
  return raw.reduce((w, i) => w | list[i % list.length], 0);
}
