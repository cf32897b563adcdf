// What a simulated client does with what the MDS sends it: take granted caps, drop revoked
// ones and acknowledge at once, give a revoked lease back. (To make a client hang on to a cap
// or lease, a scenario holds the link from the client to the MDS.)
import { CEPH_CAP_OP_EXPORT, CEPH_CAP_OP_IMPORT, CEPH_CAP_OP_REVOKE, CEPH_CAP_OP_UPDATE, CEPH_MDS_LEASE_RELEASE, CEPH_MDS_LEASE_REVOKE, errnoName, type Message } from '../messages/index.js';
import type { ClientState } from './ClientState.js';
import { caps_for_mode } from './capString.js';

/** Handle one message; returns the messages the client sends in answer. */
export function client_dispatch(client: ClientState, m: Message): Message[] {
  const me = -client.id;
  if (m.kind === 'caps') {
    if (m.op === CEPH_CAP_OP_IMPORT && m.peer !== undefined) delete client.caps[m.path]?.[m.peer];
    // the old auth's export: its cap is gone (the import, whichever comes first, brings the new one)
    if (m.op === CEPH_CAP_OP_EXPORT) { delete client.caps[m.path]?.[m.from]; return []; }
    client.set_caps(m.path, m.from, m.caps);
    if (m.op !== CEPH_CAP_OP_REVOKE) return [];
    return [{ kind: 'caps', from: me, to: m.from, op: CEPH_CAP_OP_UPDATE, client: client.id, path: m.path, seq: m.seq, caps: m.caps, wanted: client.wanted[m.path] ?? 0 }];
  }
  if (m.kind === 'lease' && m.action === CEPH_MDS_LEASE_REVOKE) {
    client.leases = client.leases.filter((p) => p !== m.path);
    return [{ kind: 'lease', from: me, to: m.from, action: CEPH_MDS_LEASE_RELEASE, client: client.id, path: m.path }];
  }
  if (m.kind === 'client_forward') {
    // resend to the rank the MDS named (MClientRequestForward, client_must_resend)
    const op = client.requests[m.reqid];
    return op ? [{ kind: 'client_request', from: me, to: m.dest, reqid: m.reqid, op, num_fwd: m.num_fwd }] : [];
  }
  if (m.kind === 'client_reply') {
    client.replies[m.reqid] = m.result < 0 ? errnoName(m.result) : m.safe ? 'safe' : 'unsafe';
    if (m.caps) {
      client.set_caps(m.caps.path, m.from, m.caps.caps);
      // an open file wants the caps of its mode from now on (the client's caps_wanted, which
      // it reports in cap messages and reconnects with)
      const op = client.requests[m.reqid];
      if (op && (op.name === 'open' || op.name === 'create')) client.wanted[m.caps.path] = (client.wanted[m.caps.path] ?? 0) | caps_for_mode(op.mode);
    }
    if (m.safe) delete client.requests[m.reqid];
  }
  return [];
}
