// A run as a Mermaid `sequenceDiagram` (`replay --mermaid`), to paste into docs and tickets: a
// lane per rank and per client, an arrow per message where it is delivered, the Locker's lines
// and request events as notes on their rank's lane, each step (but expectations) as a note
// across every lane.
import type { RunEvent } from '../scenario/run.js';
import { endpointName } from '../cluster/network.js';
import { printMessage } from '../messages/index.js';

/** Mermaid reads `;` and `#` itself: written as its entity codes. */
const text = (s: string) => s.replace(/#/g, '#35;').replace(/;/g, '#59;').replace(/\n/g, ' ');
const id = (endpoint: number) => (endpoint < 0 ? `C${-endpoint}` : `M${endpoint}`);

export class MermaidWriter {
  private readonly span: string;

  /** `endpoints`: the ranks (0, 1, ...) and clients (negated ids), in lane order. */
  constructor(private readonly endpoints: readonly number[]) {
    this.span = endpoints.length > 1 ? `${id(endpoints[0])},${id(endpoints[endpoints.length - 1])}` : id(endpoints[0]);
  }

  header(title: string): string[] {
    return ['sequenceDiagram', `  title ${text(title)}`, ...this.endpoints.map((e) => `  participant ${id(e)} as ${endpointName(e)}`)];
  }

  /** The lines an event draws (none for what the chart leaves out: checks, state listings, sends). */
  lines(e: RunEvent): string[] {
    switch (e.kind) {
      case 'step': return e.text === 'expect' ? [] : [`  Note over ${this.span}: [${e.index}] ${text(e.text)}`];
      case 'deliver': return [`  ${id(e.msg.from)}->>${id(e.msg.to)}: ${text(printMessage(e.msg))}${e.duplicate ? ' (duplicate)' : ''}`];
      case 'locker': return [`  Note over ${id(e.rank)}: ${text(`${e.fn} ${e.lock}`)}`];
      case 'request': return [`  Note over ${id(e.rank)}: ${text(`${e.peer ? 'peer' : 'request'} ${e.reqid} ${e.what}${e.why ? `: ${e.why}` : ''}`)}`];
      case 'lease': return [`  Note over ${id(e.rank)}: ${text(`lease ${e.path} ${e.what}`)}`];
      case 'mds': return [`  Note over ${id(e.rank)}: ${text(e.what)}`];
      case 'violation': return [`  Note over ${this.span}: ${text(`VIOLATION ${e.violation.message}`)}`];
      default: return [];
    }
  }
}
