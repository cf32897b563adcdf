// Trace events as lines in the spirit of the MDS debug log:
//   mds.0.locker simple_lock (iauth sync->lock g=1,2) on /f
//   mds.0 -> mds.1 lock(a=lock iauth /f)        a message sent
//   mds.1 <- mds.0 lock(a=lock iauth /f)        the same message delivered
//   mds.1 request client.4102:9 granted
//   mds.1 is failed: 2 messages in flight to or from it lost
import { lockTypeByName, stateByName } from '../../statemachines/index.js';
import type { TraceEvent } from '../locker/context.js';
import { printMessage, type Message } from '../messages/index.js';
import { PLAIN, type Style } from './style.js';
import { endpointName } from '../cluster/network.js';

/** A message in flight as the sender sees it: `mds.0 -> mds.1 lock(a=lock iauth /f)`. */
export function printSend(m: Message, st: Style = PLAIN): string {
  return `${st.rank(endpointName(m.from))} -> ${st.rank(endpointName(m.to))} ${st.message(printMessage(m))}`;
}

export function printEvent(e: TraceEvent, st: Style = PLAIN): string {
  switch (e.kind) {
    case 'locker': return `${st.rank(`mds.${e.rank}`)}.locker ${e.fn} ${styleLockText(e.lock, st)} on ${e.path}${e.note ? `: ${st.dim(e.note)}` : ''}`;
    case 'send': return printSend(e.msg, st);
    case 'deliver': return `${st.rank(endpointName(e.msg.to))} <- ${st.rank(endpointName(e.msg.from))} ${st.message(printMessage(e.msg))}${e.duplicate ? ` ${st.dim('(a duplicate: the original stays queued)')}` : ''}`;
    case 'request': return `${st.rank(`mds.${e.rank}`)} ${e.peer ? 'peer' : 'request'} ${e.reqid} ${e.what}${e.why ? `: ${e.why}` : ''}`;
    case 'lease': return `${st.rank(`mds.${e.rank}`)} client lease on dentry ${e.path} ${e.what}`;
    case 'mds': return `${st.rank(`mds.${e.rank}`)} ${e.what}`;
  }
}

/**
 * A locker event carries the lock already printed (plain), as it was at that moment; colour
 * its type and state again here. Plain style returns it unchanged.
 */
function styleLockText(text: string, st: Style): string {
  const m = /^\((\S+) (\S+)(.*)\)$/.exec(text);
  const lt = m && lockTypeByName(m[1]);
  const state = m && stateByName(m[2]);
  if (!m || !lt || state == null) return text;
  const stable = lt.sm.states[state].next === 0;
  return `(${st.lockType(m[1])} ${stable ? st.stableState(m[2]) : st.unstableState(m[2])}${m[3]})`;
}
