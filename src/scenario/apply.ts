// One scenario step (anything but `expect`) run on the cluster: the trace it produced, or an
// ImpossibleStep when the protocol forbids it (bad input, reported at the step).
import type { Cluster } from '../cluster/Cluster.js';
import {
  ImpossibleStep, clientLease, clientOpen, deliverAll, deliverMany, deliverOne, duplicateOne, earlyReply, finishRequest, forceWrlock, nudge,
  releaseLease, scatterUpdate, submitOp, submitRequest, tick, fail, recover,
} from '../cluster/sim.js';
import { endpointName } from '../cluster/network.js';
import { exportStep } from '../migration/step.js';
import type { TraceEvent } from '../locker/context.js';
import { linkText, type Step } from './types.js';

export function runStep(c: Cluster, step: Exclude<Step, { kind: 'expect' }>): TraceEvent[] {
  switch (step.kind) {
    case 'request': return submitRequest(c, step.rank, step.reqid, step.ops);
    case 'op': return submitOp(c, step.rank, step.reqid, step.op);
    case 'deliver': {
      if (step.count === 'all') return deliverAll(c);
      const count = step.count;
      let i = 0;
      return deliverMany(() => {
        if (i === count) return null;
        const t = deliverOne(c);
        if (!t) throw new ImpossibleStep(`deliver ${count}: only ${i} message(s) could be delivered (${c.net.inFlight()} in flight on held links)`);
        i++;
        return t;
      });
    }
    case 'deliver_link': {
      const l = c.net.link(step.link.from, step.link.to);
      if (c.net.held[l]) throw new ImpossibleStep(`link ${linkText(step.link)} is held; release it first`);
      if (c.net.queues[l].length === 0) throw new ImpossibleStep(`no message in flight from ${endpointName(step.link.from)} to ${endpointName(step.link.to)}`);
      return deliverOne(c, step.link)!;
    }
    case 'early_reply': return earlyReply(c, step.reqid);
    case 'finish': return finishRequest(c, step.reqid);
    case 'kill': return finishRequest(c, step.reqid, 'killed');
    case 'duplicate': return duplicateOne(c, step.link);
    case 'wrlock_force': return forceWrlock(c, step.reqid, step.lock);
    case 'update': return scatterUpdate(c, step.reqid, step.lock);
    case 'lease_release': return releaseLease(c, step.rank, step.path);
    case 'nudge': return nudge(c, step.rank, step.lock);
    case 'tick': return tick(c, step.rank);
    case 'fail': return fail(c, step.rank);
    case 'recover': return recover(c, step.rank, step.to);
    case 'export': return exportStep(c, step.dir, step.to);
    case 'open': return clientOpen(c, step.client, step.path, step.wanted);
    case 'lease': return clientLease(c, step.client, step.path);
    case 'hold': case 'release': {
      const l = c.net.link(step.link.from, step.link.to);
      const hold = step.kind === 'hold';
      if (c.net.held[l] === hold) throw new ImpossibleStep(`link ${linkText(step.link)} is ${hold ? 'already held' : 'not held'}`);
      c.net.held[l] = hold;
      return [];
    }
  }
}
