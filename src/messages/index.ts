// Everything that travels between endpoints. The journal is modelled as a loopback link on
// each rank: a journaled write completes when its JournalCommit is delivered.
import { lockType } from '../../statemachines/index.js';
import { lockActionName, type MLock } from './MLock.js';
import { peerOpName, type MMDSPeerRequest } from './MMDSPeerRequest.js';
import { CEPH_CAP_OP_GRANT, CEPH_CAP_OP_REVOKE, CEPH_MDS_LEASE_REVOKE, type MClientCaps, type MClientLease, type MInodeFileCaps } from './MClientCaps.js';
import { ccap_string } from '../clients/capString.js';

export * from './MLock.js';
export * from './MMDSPeerRequest.js';
export * from './MClientCaps.js';

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

export type Message = MLock | MMDSPeerRequest | JournalCommit | MClientCaps | MClientLease | MInodeFileCaps;

/** Ceph-style print: `lock(a=reqrdlock iauth /f)`, `peer_request(client.4102:9 authpin)`. */
export function printMessage(m: Message): string {
  switch (m.kind) {
    case 'lock': return `lock(a=${lockActionName(m.action)} ${lockType(m.lockType).name} ${m.path})`;
    case 'peer': {
      const what = m.path !== undefined && m.lockType !== undefined ? ` ${lockType(m.lockType).name} ${m.path}`
        : m.objects ? ` ${m.objects.join(',')}` : '';
      return `peer_request(${m.reqid} ${peerOpName(m.op)}${what})`;
    }
    case 'journal': return `journal(commit ${m.what} ${lockType(m.lockType).name} ${m.path})`;
    case 'caps': {
      const op = m.op === CEPH_CAP_OP_GRANT ? 'grant' : m.op === CEPH_CAP_OP_REVOKE ? 'revoke' : 'update';
      return `client_caps(${op} ${m.path} seq ${m.seq} caps=${ccap_string(m.caps)} wanted=${ccap_string(m.wanted)})`;
    }
    case 'lease': return `client_lease(a=${m.action === CEPH_MDS_LEASE_REVOKE ? 'revoke' : 'release'} ${m.path})`;
    case 'filecaps': return `inode_file_caps(${m.path} wanted=${ccap_string(m.wanted)})`;
  }
}
