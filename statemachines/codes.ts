// Permission codes (src/mds/locks.h) and generic cap bits (include/ceph_fs.h).

/** Permission code of a `can_*` column. FW (4) is commented out in Ceph and unused. */
export const ANY = 1;  // auth or replica
export const AUTH = 2; // auth only
export const XCL = 3;  // auth or exclusive client (xlocker; for wrlocks also the loner)
export const REQ = 5;  // replica must request a state change from the auth
export type Perm = 0 | typeof ANY | typeof AUTH | typeof XCL | typeof REQ;

export const PERM_NAMES: Readonly<Record<number, string>> = { [ANY]: 'ANY', [AUTH]: 'AUTH', [XCL]: 'XCL', [REQ]: 'REQ' };

export const CEPH_CAP_GSHARED = 1;
export const CEPH_CAP_GEXCL = 2;
export const CEPH_CAP_GCACHE = 4;
export const CEPH_CAP_GRD = 8;
export const CEPH_CAP_GWR = 16;
export const CEPH_CAP_GBUFFER = 32;
export const CEPH_CAP_GWREXTEND = 64;
export const CEPH_CAP_GLAZYIO = 128;

/** Generic cap bits in ascending bit order, with Ceph's names and gcap_string letters. */
export const GENERIC_CAPS: readonly { name: string; bit: number; letter: string }[] = [
  { name: 'GSHARED', bit: CEPH_CAP_GSHARED, letter: 's' },
  { name: 'GEXCL', bit: CEPH_CAP_GEXCL, letter: 'x' },
  { name: 'GCACHE', bit: CEPH_CAP_GCACHE, letter: 'c' },
  { name: 'GRD', bit: CEPH_CAP_GRD, letter: 'r' },
  { name: 'GWR', bit: CEPH_CAP_GWR, letter: 'w' },
  { name: 'GBUFFER', bit: CEPH_CAP_GBUFFER, letter: 'b' },
  { name: 'GWREXTEND', bit: CEPH_CAP_GWREXTEND, letter: 'a' },
  { name: 'GLAZYIO', bit: CEPH_CAP_GLAZYIO, letter: 'l' },
];

/** Names of the generic cap bits set in `caps`, e.g. 13 -> ['GSHARED','GCACHE','GRD']. */
export function gcapNames(caps: number): string[] {
  return GENERIC_CAPS.filter((c) => caps & c.bit).map((c) => c.name);
}

/** Ceph's gcap_string: the letters of the set bits, e.g. 13 -> 'scr'. */
export function gcapString(caps: number): string {
  return GENERIC_CAPS.filter((c) => caps & c.bit).map((c) => c.letter).join('');
}
