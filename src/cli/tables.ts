// `mdslock tables [--json]`: the four state machines, from statemachines/.
import { Command } from 'commander';
import { tablesJson } from '../inspect/tablesJson.js';
import { tablesText } from '../inspect/tablesText.js';
import { styleFor } from '../trace/style.js';

export function tablesCommand(): Command {
  return new Command('tables')
    .description("print Ceph's four lock state machines (sm_simplelock, sm_scatterlock, sm_filelock, sm_locallock)")
    .option('--json', 'one JSON object: simplelock, scatterlock, filelock, locallock')
    .action((opts: { json?: boolean }) => {
      process.stdout.write(opts.json ? JSON.stringify(tablesJson(), null, 2) + '\n' : tablesText(styleFor(process.stdout)));
    });
}
