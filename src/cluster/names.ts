// Printed names of endpoints and requests.
export const rankName = (r: number) => `mds.${r}`;

// Numbers are written without leading zeros, and client ids start at 1 (client ids are
// negated to name network endpoints, so client.0 would be mds.0): one name per thing.
const NUM = '(0|[1-9]\\d*)';
const CLIENT = '([1-9]\\d*)';

/** `mds.3` -> 3; undefined if not of that form. */
export function parseRank(s: string): number | undefined {
  const m = new RegExp(`^mds\\.${NUM}$`).exec(s);
  return m ? Number(m[1]) : undefined;
}

/** `client.4101` -> 4101; undefined if not of that form. */
export function parseClient(s: string): number | undefined {
  const m = new RegExp(`^client\\.${CLIENT}$`).exec(s);
  return m && Number.isSafeInteger(Number(m[1])) ? Number(m[1]) : undefined;
}

/** A request id `client.<id>:<tid>` -> its client id; undefined if malformed. */
export function parseReqid(s: string): { client: number; tid: number } | undefined {
  const m = new RegExp(`^client\\.${CLIENT}:${NUM}$`).exec(s);
  return m ? { client: Number(m[1]), tid: Number(m[2]) } : undefined;
}

/** Why a name that looks numbered is not a canonical one (`mds.01`, `client.0`), or null. */
export function nameProblem(s: string): string | null {
  if (/^(mds|client)\.(\d+)(:\d+)?$/.test(s) && /[.:]0\d/.test(s)) return 'numbers are written without leading zeros';
  if (/^client\.0+(:\d+)?$/.test(s)) return 'client ids start at 1 (client.0 would name the same endpoint as mds.0)';
  return null;
}
