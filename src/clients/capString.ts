// Client cap words (include/ceph_fs.h): PIN, then the generic bits of IAUTH (shift 2), ILINK (4),
// IXATTR (6) and IFILE (8). Printed as Ceph's ccap_string (`pAsLsXsFscr`, `-` when empty) and
// parsed back from the same letters for scenario input.
import { GENERIC_CAPS } from '../../statemachines/index.js';

export const CEPH_CAP_PIN = 1;
export const CEPH_CAP_SAUTH = 2;
export const CEPH_CAP_SLINK = 4;
export const CEPH_CAP_SXATTR = 6;
export const CEPH_CAP_SFILE = 8;

const FIELDS: readonly { letter: string; shift: number; mask: number }[] = [
  { letter: 'A', shift: CEPH_CAP_SAUTH, mask: 3 },
  { letter: 'L', shift: CEPH_CAP_SLINK, mask: 3 },
  { letter: 'X', shift: CEPH_CAP_SXATTR, mask: 3 },
  { letter: 'F', shift: CEPH_CAP_SFILE, mask: 255 },
];

const gcapLetters = (g: number) => GENERIC_CAPS.filter((c) => g & c.bit).map((c) => c.letter).join('');

/** Ceph's ccap_string. */
export function ccap_string(caps: number): string {
  let s = caps & CEPH_CAP_PIN ? 'p' : '';
  for (const f of FIELDS) {
    const g = (caps >> f.shift) & f.mask;
    if (g) s += f.letter + gcapLetters(g);
  }
  return s === '' ? '-' : s;
}

/**
 * Parse a ccap_string back into a cap word; undefined if malformed. Letters must follow
 * Ceph's order (p, A, L, X, F; within a field s x c r w b a l) and fit the field (A, L, X
 * take only s and x).
 */
export function parseCaps(text: string): number | undefined {
  if (text === '-') return 0;
  let i = 0;
  let caps = 0;
  if (text[i] === 'p') { caps |= CEPH_CAP_PIN; i++; }
  let lastField = -1;
  while (i < text.length) {
    const fi = FIELDS.findIndex((f) => f.letter === text[i]);
    if (fi <= lastField) return undefined;
    lastField = fi;
    i++;
    const f = FIELDS[fi];
    let g = 0;
    let lastBit = -1;
    while (i < text.length && !FIELDS.some((x) => x.letter === text[i])) {
      const bi = GENERIC_CAPS.findIndex((c) => c.letter === text[i]);
      if (bi <= lastBit || !(GENERIC_CAPS[bi].bit & f.mask)) return undefined;
      lastBit = bi;
      g |= GENERIC_CAPS[bi].bit;
      i++;
    }
    if (g === 0) return undefined;
    caps |= g << f.shift;
  }
  return caps;
}

/** ceph_caps_for_mode: the caps a file mode wants. */
export function caps_for_mode(mode: 'rdonly' | 'wronly' | 'rdwr' | 'pin'): number {
  let caps = parseCaps('p')!;
  if (mode === 'rdonly' || mode === 'rdwr') caps |= parseCaps('Fscr')!;
  if (mode === 'wronly' || mode === 'rdwr') caps |= parseCaps('AsxXsxFxwb')!;
  return caps;
}
