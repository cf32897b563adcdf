// `mdslock tables [--json]`: the four state machines, from statemachines/.
import { Command } from 'commander';
import { tablesJson } from '../inspect/tablesJson.js';
import { tablesText } from '../inspect/tablesText.js';
import { outStyle, type Cli } from './context.js';

export function tablesCommand(cli: Cli): Command {
  return new Command('tables')
    .description("print Ceph's four lock state machines (sm_simplelock, sm_scatterlock, sm_filelock, sm_locallock)")
    .option('--json', 'one JSON object: simplelock, scatterlock, filelock, locallock (schema: docs/schemas/tables.schema.json)')
    .action((opts: { json?: boolean }, cmd: Command) => {
      cli.out.write(opts.json ? JSON.stringify(tablesJson(), null, 2) + '\n' : tablesText(outStyle(cli, cmd)));
    });
}
