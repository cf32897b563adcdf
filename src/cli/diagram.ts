// `mdslock diagram <machine|lock type> [--format svg|dot] [--show COLUMN] [-o FILE]`: a state
// machine drawn from statemachines/ and transitions.ts; `--docs` redraws docs/diagrams/.
import { writeFileSync, mkdirSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { MACHINES, LOCK_TYPES } from '../../statemachines/index.js';
import { SHOWABLE, machineDot, machineFor, renderSvg, type Showable } from '../pictures/diagram.js';
import type { Cli } from './context.js';

interface DiagramOptions { format: 'svg' | 'dot'; show?: Showable; output?: string; docs?: boolean }

/** The project's own pictures: each machine, as docs/ shows it. */
export async function docDiagrams(): Promise<[file: string, svg: string][]> {
  const out: [string, string][] = [];
  for (const sm of Object.values(MACHINES)) out.push([`docs/diagrams/${sm.name}.svg`, await renderSvg(machineDot(sm))]);
  return out;
}

export function diagramCommand(cli: Cli): Command {
  return new Command('diagram')
    .description('draw a state machine from the tables: its states (stable boxed, transitional dashed) and the Locker\'s edges, each labelled with the functions and messages that take it, the auth\'s and a replica\'s told apart')
    .argument('[machine]', `a machine (${Object.keys(MACHINES).join(', ')}) or a lock type (${LOCK_TYPES.map((l) => l.name).join(', ')})`)
    .addOption(new Option('--format <f>', 'svg (drawn with Graphviz in WebAssembly) or dot').choices(['svg', 'dot']).default('svg'))
    .addOption(new Option('--show <column>', 'shade the states where this column of the table is not zero').choices([...SHOWABLE]))
    .option('-o, --output <file>', 'write here instead of standard output')
    .option('--docs', 'redraw the four machines in docs/diagrams/ (what `npm run diagrams` runs)')
    .action(async (name: string | undefined, opts: DiagramOptions) => {
      if (opts.docs) {
        if (name !== undefined) throw new InvalidArgumentError('--docs draws every machine: give no machine');
        mkdirSync('docs/diagrams', { recursive: true });
        for (const [file, svg] of await docDiagrams()) { writeFileSync(file, svg); cli.err(`wrote ${file}\n`); }
        return;
      }
      if (name === undefined) throw new InvalidArgumentError('give a machine or a lock type (or --docs)');
      const sm = machineFor(name);
      if (!sm) throw new InvalidArgumentError(`unknown machine or lock type '${name}' (machines: ${Object.keys(MACHINES).join(', ')}; lock types: ${LOCK_TYPES.map((l) => l.name).join(', ')})`);
      const dot = machineDot(sm, opts.show ?? null);
      const text = opts.format === 'dot' ? dot : await renderSvg(dot);
      if (opts.output) writeFileSync(opts.output, text);
      else cli.out.write(text);
    });
}
