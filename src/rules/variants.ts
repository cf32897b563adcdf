// Historical rules as data: each variant puts back one rule Ceph once had and later fixed, so a
// scenario, the fuzz or the checker can show the bug it caused (scenarios/bugs/). Ceph main is
// the default; a variant changes nothing unless selected (`rules:` in a file, `--rules`). A
// `proposed` variant is the other way round: Ceph main has the bug, and the variant is the fix
// a pull request proposes, not merged yet.
// A `rule` variant is read by the Locker at the one place the old code differed (grep for its
// id under src/locker/); a `table` variant puts back one cell of a state table.
import { LOCK_EXCL_XSYN } from '../../statemachines/index.js';

export type RuleId =
  | 'replica-honours-flushing'
  | 'replica-rejects-sync-in-mix-sync'
  | 'xlock-unbracketed'
  | 'wrlock-force-keeps-record-flags'
  | 'excl-xsyn-not-loner'
  | 'rejoin-ignores-peer-state'
  | 'replica-wrlock-waits-for-active-auth'
  | 'export-without-scatter-wrlocks';

export type RuleChange =
  | { readonly kind: 'rule'; readonly at: string }
  | { readonly kind: 'table'; readonly machine: 'sm_filelock'; readonly state: number; readonly column: 'loner'; readonly was: boolean };

export interface RuleVariant {
  readonly id: RuleId;
  /** `fixed`: the variant reverts a fix Ceph merged. `proposed`: Ceph main has the bug; the variant applies a fix not merged yet. */
  readonly status: 'fixed' | 'proposed';
  /** The Ceph commit, PR or tracker issue of the fix the variant reverts (or, proposed, applies). */
  readonly source: readonly string[];
  readonly summary: string;
  readonly description: string;
  readonly change: RuleChange;
  /** The scenario that reproduces the bug (scenarios/bugs/): with the variant, or for a proposed one with Ceph main's rules. */
  readonly scenario: string;
}

export const RULE_VARIANTS: readonly RuleVariant[] = [
  {
    id: 'replica-honours-flushing',
    status: 'fixed',
    source: ['ceph commit 009968efa50f93da9c50cb48a74c4572769a101f "mds: don\'t wait for lock \'flushing\' flag on replicas"'],
    summary: 'eval_gather waits for the flushing flag on replicas too: a replica left flushing never acks a LOCK (gather hang)',
    description: 'On the auth, flushing means "my gathered scattered data is being journaled", which ends on its own. On a replica it means '
      + '"I handed my dirty data to the auth and wait for LOCK_AC_LOCKFLUSHED", which only the auth\'s lock cycle ends. The old '
      + 'gather test required the flag clear on every copy. A replica still flushing when a new LOCK_AC_LOCK arrives enters '
      + 'MIX_LOCK and never satisfies its own gather, so it never acks; the auth waits for it forever. Ceph main tests '
      + '"not (auth and flushing)".',
    change: { kind: 'rule', at: 'Locker::eval_gather' },
    scenario: 'scenarios/bugs/replica-honours-flushing.yaml',
  },
  {
    id: 'replica-rejects-sync-in-mix-sync',
    status: 'fixed',
    source: ['https://github.com/ceph/ceph/pull/54687', 'https://tracker.ceph.com/issues/54833'],
    summary: 'a filelock replica accepts LOCK_AC_SYNC only in LOCK, MIX or MIX_SYNC2: a SYNC sent again reaching it in MIX_SYNC aborts the MDS',
    description: 'In mix->sync the auth sends LOCK_AC_SYNC, each replica goes MIX_SYNC, acks once its wrlocks and Fw revokes are done, '
      + 'and waits in MIX_SYNC2 for the final LOCK_AC_SYNC. When the auth fails over while a replica is still in MIX_SYNC, the new '
      + 'auth sends LOCK_AC_SYNC again; the old handler asserted the state was LOCK, MIX or MIX_SYNC2, and the replica crashed. '
      + 'Ceph main also accepts MIX_SYNC and takes the message as the final sync.',
    change: { kind: 'rule', at: 'Locker::handle_file_lock' },
    scenario: 'scenarios/bugs/replica-rejects-sync-in-mix-sync.yaml',
  },
  {
    id: 'xlock-unbracketed',
    status: 'fixed',
    source: ['ceph commit 3444e484620a9ed1ab3f6e631b244ccd0892b81c "mds: bracket LOCK|AUTH -> PREXLOCK transition with start/finish_locking"', 'https://tracker.ceph.com/issues/1425'],
    summary: 'xlock_start moves a lock toward PREXLOCK without start_locking: a request killed meanwhile leaves the lock in PREXLOCK for ever',
    description: 'The xlock path moves a lock into unstable states (LOCK_XLOCK, then PREXLOCK) for one request, which is to come back and '
      + 'take the xlock. Without the request recording that it is in the middle of locking, cancelling it (killed, forwarded, '
      + 'retried in another order) undoes nothing: PREXLOCK allows no rdlock or wrlock, eval ignores unstable locks, and nothing '
      + 'is left to gather. Ceph main brackets the transition with start_locking / finish_locking, and cancel_locking undoes it.',
    change: { kind: 'rule', at: 'Locker::xlock_start' },
    scenario: 'scenarios/bugs/xlock-unbracketed.yaml',
  },
  {
    id: 'wrlock-force-keeps-record-flags',
    status: 'fixed',
    source: ['https://github.com/ceph/ceph/pull/57085', 'https://tracker.ceph.com/issues/65630'],
    summary: 'wrlock_force on a lock the request already remote-wrlocks adds no WRLOCK flag: the local wrlock is never released',
    description: 'A request keeps one record per lock with flags for how it holds it. When it holds a remote wrlock on a lock and the '
      + 'leader then forces a local wrlock on its own copy (predirty_journal_parents journaling parent stats), the old '
      + 'wrlock_force counted the wrlock but emplaced the record, which exists, so the WRLOCK flag was never set. Cleanup drops '
      + 'the remote wrlock and the record, and the copy\'s wrlock count never returns to zero: any later gather that needs '
      + 'wrlocks drained waits for ever. Ceph main sets the flag on the record it finds.',
    change: { kind: 'rule', at: 'Locker::wrlock_force' },
    scenario: 'scenarios/bugs/wrlock-force-keeps-record-flags.yaml',
  },
  {
    id: 'excl-xsyn-not-loner',
    status: 'fixed',
    source: ['https://github.com/ceph/ceph/pull/54669', 'https://tracker.ceph.com/issues/63646'],
    summary: 'sm_filelock\'s EXCL_XSYN row has loner=false: during excl->xsyn any client may be issued the loner\'s Fc and Fb',
    description: 'A state\'s non-loner clients get only its caps column when the row is a loner state, loner_caps|caps otherwise. '
      + 'EXCL_XSYN\'s loner_caps hold Fc and Fb, and its row was not marked loner, so while the loner still buffered writes '
      + 'another client opening the file could be granted Fc (and Fb): two clients caching and buffering at once. Ceph main '
      + 'marks the row a loner state.',
    change: { kind: 'table', machine: 'sm_filelock', state: LOCK_EXCL_XSYN, column: 'loner', was: false },
    scenario: 'scenarios/bugs/excl-xsyn-not-loner.yaml',
  },
  {
    id: 'rejoin-ignores-peer-state',
    status: 'fixed',
    source: ['ceph commit a4ed7ea8b8e384ea3c18da06c1be6eab6f5f9966 "mds: send lock action message when auth MDS is in proper state"'],
    summary: 'a replica sends its gather acks and its REQRDLOCK / REQSCATTER / NUDGE whatever state its auth is in: an ack reaches a restarted auth that never asked for it (abort), a request reaches a dead one (lost)',
    description: 'After an auth fails, the survivors mark their replicas of its objects rejoining, and the new auth rebuilds its locks '
      + 'from its journal and their rejoins: it gathers from nobody. The old replica-side eval_gather sent LOCKACK / SYNCACK / '
      + 'MIXACK as soon as a gather it had started before the failure finished (an rdlock dropped, a cap released), so the ack '
      + 'reached an auth whose lock is not gathering from it, and handle_simple_lock / handle_file_lock asserted. Replica '
      + 'requests went to an auth not active and were lost. Ceph main sends an ack only when the auth is back in rejoin and '
      + 'the object is no longer rejoining (the rejoin ack settles its state otherwise), and a request only to an active auth.',
    change: { kind: 'rule', at: 'Locker::eval_gather' },
    scenario: 'scenarios/bugs/rejoin-ignores-peer-state.yaml',
  },
  {
    id: 'replica-wrlock-waits-for-active-auth',
    status: 'proposed',
    source: ['https://github.com/ceph/ceph/pull/71408 (open: "retry wrlock on a replica when the scatter auth is down")'],
    summary: 'Ceph main parks a replica\'s wrlock on the lock alone when its auth is down (no REQSCATTER, nothing to wake it); the proposed fix waits for the auth to be active and retries',
    description: 'A replica that cannot wrlock a scatterlock asks its auth to scatter (REQSCATTER) and waits for the lock to change. '
      + 'With the auth not active, Ceph main sends nothing and still waits on the lock; when the auth is back no one asks it to '
      + 'scatter, so the request and every later one on the lock wait for ever (a regression of an earlier change to the '
      + 'peer-state checks). PR #71408 makes the request wait_for_active_peer and run again once the auth is active, as the '
      + 'remote wrlock and remote auth pin paths do. Selecting this variant applies that fix.',
    change: { kind: 'rule', at: 'Locker::wrlock_start' },
    scenario: 'scenarios/bugs/replica-wrlock-parks-after-auth-failover.yaml',
  },
  {
    id: 'export-without-scatter-wrlocks',
    status: 'fixed',
    source: ['ceph commit 15a5d37a90daca11d9dc0a581417d2a07b9d14ad "mds: fix race between scatter gather and dirfrag export"'],
    summary: 'an export holds no wrlock on the dir inode\'s ifile and inest: a gather of its stats finishes mid-export, and the moving dirfrag is reported twice or not at all',
    description: 'While a dirfrag moves, its exporter and its importer may both believe they are its auth, or neither, when the '
      + 'dir inode\'s auth gathers the scattered stats (LOCK_AC_LOCK, each replica acking with its dirfrags\' share). The 2013 '
      + 'fix numbered each dirfrag\'s migrations and kept the newest report; Ceph main instead has both the exporter and the '
      + 'importer hold a wrlock on the dir inode\'s ifile and inest from the frozen tree until the export is done, so no '
      + 'replica acks a mix->lock or mix->sync gather while the dirfrag\'s auth is in doubt, and exactly one reports it. '
      + 'The variant takes those wrlocks out (wrlock_force in export_try_grab_locks and handle_export_prep).',
    change: { kind: 'rule', at: 'Migrator::export_frozen' },
    scenario: 'scenarios/bugs/export-without-scatter-wrlocks.yaml',
  },
];

export const RULE_IDS: readonly RuleId[] = RULE_VARIANTS.map((v) => v.id);

export const isRuleId = (s: string): s is RuleId => (RULE_IDS as readonly string[]).includes(s);

/** A list of rule ids as a sorted set, or the first unknown id. */
export function parseRules(ids: readonly string[]): { rules: readonly RuleId[] } | { unknown: string } {
  for (const id of ids) if (!isRuleId(id)) return { unknown: id };
  return { rules: [...new Set(ids as RuleId[])].sort() };
}

export const unknownRuleMessage = (id: string): string => `unknown rule variant ${JSON.stringify(id)} (mdslock rules lists them: ${RULE_IDS.join(', ')})`;
