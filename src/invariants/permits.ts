// The table's permission codes read independently of SimpleLock's predicates, so that the
// checkers do not trust the code they check: ANY lets every copy, AUTH only the auth copy,
// XCL the auth plus the exclusive client (the xlocker; for wrlocks also the loner).
import { ANY, AUTH, XCL } from '../../statemachines/index.js';

export interface Holder {
  /** The copy is the auth's. */
  readonly auth: boolean;
  /** The client of the request (-1 for MDS-internal mutations). */
  readonly client: number;
}

/** Does `code` let `who` take the hold, given the lock's xlocking client and (wrlocks) excl client? */
export function permits(code: number, who: Holder, xlockClient: number, exclClient = -1): boolean {
  if (code === ANY) return true;
  if (code === AUTH) return who.auth;
  if (code === XCL) return who.client >= 0 && (who.client === xlockClient || who.client === exclClient);
  return false;
}
