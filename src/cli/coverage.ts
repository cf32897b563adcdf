// `mdslock coverage [files...]`: replay scenario files and report which Locker transition
// edges they exercise, per machine and side. Defaults to every file under scenarios/.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { loadScenario } from '../scenario/load.js';
import { runScenario } from '../scenario/run.js';
import { createCluster } from '../cluster/topology.js';
import { ScenarioError } from '../scenario/types.js';
import { Coverage, edgeText } from '../inspect/coverage.js';
import { styleFor } from '../trace/style.js';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

export function coverageCommand(): Command {
  return new Command('coverage')
    .description('replay scenario files and report which Locker transition edges they exercise')
    .argument('[files...]', 'scenario files (default: every file under scenarios/)')
    .option('--json', 'one JSON document')
    .action((files: string[], opts: { json?: boolean }) => {
      const list = files.length > 0 ? files : yamlFiles('scenarios');
      const cov = new Coverage();
      for (const f of list) {
        try {
          const s = loadScenario(f);
          cov.addRun(createCluster({ ...s.topology, seed: s.seed }), runScenario(s).events);
        } catch (e) {
          if (e instanceof ScenarioError) { process.stderr.write(`${e.line}\n`); process.exitCode = 2; return; }
          throw e;
        }
      }
      const report = cov.report();
      if (opts.json) {
        process.stdout.write(JSON.stringify({ files: list, machines: report.map((m) => ({
          ...m, uncovered: m.uncovered.map(edgeText), undeclared: m.undeclared.map(edgeText), unreachable: m.unreachable.map(edgeText),
        })) }, null, 2) + '\n');
      } else {
        const st = styleFor(process.stdout);
        for (const m of report) {
          process.stdout.write(`${st.lockType(m.machine)}: ${m.covered}/${m.declared} reachable edges covered (${m.unreachable.length} unreachable, reasons in statemachines/transitions.ts)\n`);
          for (const e of m.uncovered) process.stdout.write(`  ${st.dim('not covered')} ${edgeText(e)}\n`);
          for (const e of m.undeclared) process.stdout.write(`  ${st.bad('undeclared')} ${edgeText(e)}\n`);
        }
        process.stdout.write(`${list.length} files\n`);
      }
      if (report.some((m) => m.undeclared.length > 0)) process.exitCode = 1;
    });
}
