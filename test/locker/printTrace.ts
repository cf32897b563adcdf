// A minimal event printer for tests (the CLI has its own, richer one).
import type { TraceEvent } from '../../src/locker/context.js';
import { printMessage } from '../../src/messages/index.js';

export function printEvent(e: TraceEvent): string {
  switch (e.kind) {
    case 'locker': return `mds.${e.rank} ${e.fn} ${e.lock} ${e.path}`;
    case 'send': return `send ${e.msg.from}->${e.msg.to} ${printMessage(e.msg)}`;
    case 'deliver': return `deliver ${e.msg.from}->${e.msg.to} ${printMessage(e.msg)}`;
    case 'request': return `mds.${e.rank} ${e.reqid} ${e.what}`;
  }
}
