// `mdslock models [--run] [--json] [--doc]`: the other namespace-lock designs mdslock models,
// each with its title, sources, properties and simplifications; with --run, what check finds
// on each design's check files (scenarios/models/<id>/), each property searched for apart.
// --doc prints docs/models.md (`npm run models-doc`).
import { Command, InvalidArgumentError } from 'commander';
import { DESIGNS } from '../models/designs/index.js';
import { checkFile, checkFiles, checkJson, findingText } from '../models/designs/catalog.js';
import { modelsDoc } from '../models/designs/modelsDoc.js';
import { exitWith, type Cli } from './context.js';
import { progressLine } from './progress.js';
import { int } from './options.js';

interface ModelsOptions { run?: boolean; json?: boolean; doc?: boolean; maxStates: number }

const n = (x: number) => x.toLocaleString('en-US');

export function modelsCommand(cli: Cli): Command {
  return new Command('models')
    .description('list the other namespace-lock designs (design files: model: <id>) with their properties and simplifications; --run checks their check files')
    .option('--run', 'also check every check file under scenarios/models/<id>/, each property apart (seconds to a minute or two)')
    .option('--max-states <n>', 'with --run: stop a search after this many distinct states (the property is then not settled)', int('--max-states', 1, 2 ** 31 - 1), 2_000_000)
    .option('--json', 'one JSON object (schema: docs/schemas/models.schema.json)')
    .option('--doc', 'print docs/models.md (with --run, its check results too)')
    .action((o: ModelsOptions) => {
      if (o.json && o.doc) throw new InvalidArgumentError('--json and --doc: choose one');
      const progress = progressLine({ err: cli.err, tty: cli.stderrTTY, now: Date.now });
      const runs = o.run ? new Map(DESIGNS.map((d) => [d.id, checkFiles(d.id).map((f) => { progress.update(`models: checking ${f}`); return checkFile(f, o.maxStates); })])) : null;
      progress.clear();
      if (o.doc) cli.out.write(modelsDoc(runs));
      else if (o.json) cli.out.write(JSON.stringify({ designs: DESIGNS.map((d) => ({ id: d.id, title: d.title, summary: d.summary, sources: d.sources, properties: d.properties, simplifications: d.simplifications, ...(runs ? { checks: runs.get(d.id)!.map(checkJson) } : {}) })) }) + '\n');
      else {
        for (const d of DESIGNS) {
          const lines = [`${d.id}: ${d.title}`, `  ${d.summary}`, ...d.sources.map((s) => `  source: ${s}`), '  properties:', ...d.properties.map((p) => `    ${p.name}: ${p.description}`), '  simplifications:', ...d.simplifications.map((s) => `    - ${s}`)];
          const rs = runs?.get(d.id);
          if (rs) lines.push('  check files:', ...rs.map((r) => `    ${r.file}: ${n(r.states)} states${r.exhausted ? ', exhausted' : ''}; ${r.properties.map((p) => `${p.property} ${findingText(p)}`).join(', ')}`));
          cli.out.write(lines.join('\n') + '\n\n');
        }
      }
      exitWith(cli, 0);
    });
}
