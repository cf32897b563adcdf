// Everything that travels between endpoints. The journal is modelled as a loopback link on
// each rank: a journaled write completes when its JournalCommit is delivered.
import { LOCK_SYNC, lockType, stateName } from '../../statemachines/index.js';
import { LOCK_ACTION_NAMES, lockActionName, type MLock } from './MLock.js';
import { PEER_OP_NAMES, peerOpName, type MMDSPeerRequest } from './MMDSPeerRequest.js';
import { CAP_OP_LIST, capOpName, CEPH_MDS_LEASE_REVOKE, type MClientCaps, type MClientLease, type MInodeFileCaps } from './MClientCaps.js';
import { ccap_string } from '../clients/capString.js';
import { errnoName, type MClientReply, type MClientRequest, type MClientRequestForward } from './MClientRequest.js';
import type { MDentryLink, MDentryUnlink } from './MDentryLink.js';
import type { JournalEvent } from './JournalEvent.js';
import type { MDiscover, MDiscoverReply } from './MDiscover.js';
import type { MMDSCacheRejoin, RejoinObject } from './MMDSCacheRejoin.js';
import { EXPORT_OPS, type MExportDir } from './MExportDir.js';
import { fullPath } from '../server/parseOp.js';

export * from './MLock.js';
export * from './MMDSPeerRequest.js';
export * from './MClientCaps.js';
export * from './MClientRequest.js';
export * from './MDentryLink.js';
export * from './JournalEvent.js';
export * from './MDiscover.js';
export * from './MMDSCacheRejoin.js';
export * from './MExportDir.js';

export interface JournalCommit {
  readonly kind: 'journal';
  readonly from: number;
  readonly to: number;
  /** What was journaled: a scatter write-behind of a lock. */
  readonly what: 'scatter_writebehind';
  /** The scattered updates folded into the inode by this write. */
  readonly amount: number;
  readonly lockType: number;
  readonly path: string;
  /** The internal mutation holding the forced wrlock. */
  readonly mutid: string;
}

export type Message = MLock | MMDSPeerRequest | JournalCommit | MClientCaps | MClientLease | MInodeFileCaps
  | MClientRequest | MClientReply | MClientRequestForward | MDentryLink | MDentryUnlink | JournalEvent
  | MDiscover | MDiscoverReply | MMDSCacheRejoin | MExportDir;

/** A message's kind for coverage: its print's name, with the lock action, peer op or cap op. */
export function messageKind(m: Message): string {
  switch (m.kind) {
    case 'lock': return `lock ${lockActionName(m.action)}`;
    case 'peer': return `peer_request ${peerOpName(m.op)}`;
    case 'caps': return `client_caps ${/^client_caps\((\w+)/.exec(printMessage(m))![1]}`;
    case 'journal': return 'journal commit';
    case 'event': return `journal ${m.event}`;
    case 'rejoin': return `cache_rejoin ${m.op}`;
    case 'export': return `export ${m.op}`;
    default: return /^(\w+)\(/.exec(printMessage(m))![1];
  }
}

/** Every kind messageKind can name. */
export const MESSAGE_KINDS: readonly string[] = [
  ...LOCK_ACTION_NAMES.map((a) => `lock ${a}`), ...PEER_OP_NAMES.map((o) => `peer_request ${o}`),
  ...CAP_OP_LIST.map((o) => `client_caps ${o}`), 'client_lease', 'inode_file_caps', 'journal commit',
  'journal EUpdate', 'journal EPeerUpdate', 'client_request', 'client_reply', 'client_request_forward', 'dentry_link', 'dentry_unlink',
  'discover', 'discover_reply', 'cache_rejoin weak', 'cache_rejoin strong', 'cache_rejoin ack', ...EXPORT_OPS.map((o) => `export ${o}`),
];

/** Ceph-style print: `lock(a=reqrdlock iauth /f)`, `peer_request(client.4102:9 authpin)`. */
export function printMessage(m: Message): string {
  switch (m.kind) {
    case 'lock': return `lock(a=${lockActionName(m.action)} ${lockType(m.lockType).name} ${m.path})`;
    case 'peer': {
      const what = m.path !== undefined && m.lockType !== undefined ? ` ${lockType(m.lockType).name} ${m.path}`
        : m.objects ? ` ${m.objects.join(',')}`
        : m.srcdn !== undefined ? ` ${m.srcdn}${m.destdn !== undefined ? ` -> ${m.destdn}` : ''}`
        : m.path !== undefined ? ` ${m.path}` : '';
      const extra = (m.authpin_freeze ? ` freeze ${m.authpin_freeze}` : '') + (m.blocked ? ' blocked' : '')
        + (m.witnesses?.length ? ` witnesses=${m.witnesses.map((r) => `mds.${r}`).join(',')}` : '')
        + (m.journaled === false ? ' not journaled' : '') + (m.inode_export ? ` export ${m.inode_export.key}` : '');
      return `peer_request(${m.reqid} ${peerOpName(m.op)}${what}${extra})`;
    }
    case 'journal': return `journal(commit ${m.what} ${lockType(m.lockType).name} ${m.path})`;
    case 'caps': {
      return `client_caps(${capOpName(m.op)} ${m.path} seq ${m.seq} caps=${ccap_string(m.caps)} wanted=${ccap_string(m.wanted)})`;
    }
    case 'lease': return `client_lease(a=${m.action === CEPH_MDS_LEASE_REVOKE ? 'revoke' : 'release'} ${m.path})`;
    case 'filecaps': return `inode_file_caps(${m.path} wanted=${ccap_string(m.wanted)})`;
    case 'client_request': return `client_request(${m.reqid} ${m.op.name} ${fullPath(m.op.path)}${m.op.path2 ? ` ${fullPath(m.op.path2)}` : ''}${m.num_fwd ? ` fwd=${m.num_fwd}` : ''})`;
    case 'client_reply': return `client_reply(${m.reqid} ${m.safe ? 'safe' : 'unsafe'} r=${errnoName(m.result)}${m.caps ? ` caps ${m.caps.path} ${ccap_string(m.caps.caps)}` : ''})`;
    case 'client_forward': return `client_request_forward(${m.reqid} to mds.${m.dest} fwd=${m.num_fwd})`;
    case 'dentry_link': return `dentry_link(${m.path} ${m.remote ? `remote ${m.inode}` : 'primary'})`;
    case 'dentry_unlink': return `dentry_unlink(${m.path}${m.straydn ? ` stray ${m.straydn}` : ''})`;
    case 'event': return `journal(${m.event}${m.phase ? ` ${m.phase}` : ''} ${m.op} ${m.reqid})`;
    case 'discover': return `discover(${m.ino ? `ino ${m.base}` : m.name === null ? `dirfrag ${m.base}` : `${m.base === '/' ? '' : m.base}/${m.name}`}${m.path_locked ? ' path_locked' : ''})`;
    case 'discover_reply': return `discover_reply(${m.ino ? `ino ${m.base}` : m.name === null ? `dirfrag ${m.base}` : `${m.base === '/' ? '' : m.base}/${m.name}`}${m.error_dn ? ' error_dn' : ''})`;
    case 'rejoin': return `cache_rejoin(${[m.op, ...m.objects.map(rejoinObject), ...(m.authpins ?? []).map((p) => `authpin ${p.reqid} ${p.key}`),
      ...(m.xlocks ?? []).map((x) => `xlock ${x.reqid} ${lockType(x.lock.type).name} ${x.lock.path}`),
      ...(m.wrlocks ?? []).map((x) => `wrlock ${x.reqid} ${lockType(x.lock.type).name} ${x.lock.path}`)].join(' ')})`;
    case 'export': return printExport(m);
  }
}

/** `/d/f` with the lock states it carries that are not sync: `/d/f[ifile=mix]`. */
function rejoinObject(o: RejoinObject): string {
  const states = o.locks.filter(([, st]) => st !== LOCK_SYNC).map(([t, st]) => `${lockType(t).name}=${stateName(st)}`);
  return states.length ? `${o.key}[${states.join(' ')}]` : o.key;
}

/** Ceph's names for the Migrator's messages: `export_prep(/d bystanders=mds.1)`, `export(/d 3 objects)`. */
function printExport(m: MExportDir): string {
  const name = m.op === 'dir' ? 'export' : m.op === 'dir_ack' ? 'export_ack' : `export_${m.op}`;
  const extra = [
    m.ok === false ? 'fail' : '',
    m.phase ?? '',
    m.bystanders?.length ? `bystanders=${m.bystanders.map((r) => `mds.${r}`).join(',')}` : '',
    m.objects ? `${m.objects.length} objects` : '',
    m.last !== undefined ? (m.last ? 'last' : 'not last') : '',
  ].filter(Boolean);
  return `${name}(${[m.dir, ...extra].join(' ')})`;
}
