// Printed names of endpoints and requests.
export const rankName = (r: number) => `mds.${r}`;

/** `mds.3` -> 3; undefined if not of that form. */
export function parseRank(s: string): number | undefined {
  const m = /^mds\.(\d+)$/.exec(s);
  return m ? Number(m[1]) : undefined;
}

/** A request id `client.<id>:<tid>` -> its client id; undefined if malformed. */
export function parseReqid(s: string): { client: number; tid: number } | undefined {
  const m = /^client\.(\d+):(\d+)$/.exec(s);
  return m ? { client: Number(m[1]), tid: Number(m[2]) } : undefined;
}
