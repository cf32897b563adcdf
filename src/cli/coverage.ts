// `mdslock coverage [paths...]`: replay scenario files and report which Locker transition
// edges they exercise, per machine and side, and per file. Paths are files, directories or
// globs (default: scenarios/). Exit 1 if a run takes an undeclared edge, 2 if a path names
// nothing, a file does not load or a step of it cannot run.
import { Command } from 'commander';
import { loadScenario } from '../scenario/load.js';
import { runScenario } from '../scenario/run.js';
import { createCluster } from '../cluster/topology.js';
import { loadErrors } from '../scenario/types.js';
import { Coverage, edgeText, type Edge, type MachineCoverage } from '../inspect/coverage.js';
import { stateName } from '../../statemachines/index.js';
import type { Style } from '../trace/style.js';
import { expandPaths } from './paths.js';
import { exitWith, outStyle, type Cli } from './context.js';

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function machineLines(m: MachineCoverage, st: Style): string[] {
  const out: string[] = [];
  // sm_locallock is kept (not omitted) so each machine of `mdslock tables` is accounted for;
  // it declares no edges since a LocalLock never changes state, only its counters.
  if (m.declared === 0 && m.unreachable.length === 0) out.push(`${st.lockType(m.machine)}: no Locker edges (local lock: counters only)`);
  else {
    out.push(`${st.lockType(m.machine)}: ${m.covered}/${count(m.declared, 'reachable edge')} covered ` +
      `(${m.unreachable.length} unreachable, reasons in statemachines/transitions.ts)`);
  }
  for (const e of m.uncovered) out.push(`  ${st.dim('not covered')} ${edgeText(e)}`);
  for (const e of m.undeclared) out.push(`  ${st.bad('undeclared')} ${edgeText(e)}`);
  return out;
}

export function coverageCommand(cli: Cli): Command {
  return new Command('coverage')
    .description('replay scenario files and report which Locker transition edges they exercise (exit 1 an undeclared edge, 2 bad input)')
    .argument('[paths...]', 'scenario files, directories or quoted globs (default: scenarios/)')
    .option('--json', 'one JSON document: per file the edges it takes, per machine what is covered (schema: docs/schemas/coverage.schema.json)')
    .action((paths: string[], opts: { json?: boolean }, cmd: Command) => {
      const { files, errors } = expandPaths(paths.length > 0 ? paths : ['scenarios']);
      for (const e of errors) cli.err(`${e}\n`);
      if (errors.length > 0) exitWith(cli, 2);
      const cov = new Coverage();
      let failed = 0;
      for (const f of files) {
        let s;
        try {
          s = loadScenario(f);
        } catch (e) {
          for (const x of loadErrors(e)) cli.err(`${x.line}\n`);
          failed++;
          continue;
        }
        const run = runScenario(s);
        cov.addRun(createCluster({ ...s.topology, seed: s.seed }), run.events, f);
        // a step the simulator refuses is bad input too; the edges up to it still count
        if (run.outcome.kind === 'error') { cli.err(`${run.outcome.error.line}\n`); exitWith(cli, 2); }
      }
      if (failed > 0) exitWith(cli, 2);
      const report = cov.report();
      const perFile = cov.files();
      if (opts.json) {
        // an edge as fields (machine, side, states by their printed names, the functions) and as its line
        const edgeJson = (e: Edge) => ({ machine: e.machine, side: e.side, from: stateName(e.from), to: stateName(e.to), by: e.by, text: edgeText(e) });
        cli.out.write(JSON.stringify({
          files: perFile.map((p) => ({ file: p.file, edges: p.edges.length, taken: p.edges.map(edgeJson) })),
          machines: report.map((m) => ({
            ...m, uncovered: m.uncovered.map(edgeJson), undeclared: m.undeclared.map(edgeJson), unreachable: m.unreachable.map(edgeJson),
          })),
        }, null, 2) + '\n');
      } else {
        const st = outStyle(cli, cmd);
        const lines = report.flatMap((m) => machineLines(m, st));
        lines.push('', st.dim('edges taken, per file:'));
        const width = Math.max(0, ...perFile.map((p) => p.file.length));
        for (const p of perFile) lines.push(`  ${p.file.padEnd(width)}  ${count(p.edges.length, 'edge')}`);
        lines.push(`${count(perFile.length, 'file')} replayed${failed > 0 ? `, ${failed} not loaded` : ''}`);
        cli.out.write(lines.join('\n') + '\n');
      }
      if (report.some((m) => m.undeclared.length > 0)) exitWith(cli, 1);
    });
}
