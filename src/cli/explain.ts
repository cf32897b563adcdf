// `mdslock explain <lock print>` / `mdslock explain caps <cap print>`: decode what an MDS log
// shows, from the tables and the lock classes. One variadic argument rather than a `caps`
// subcommand, so that a bare print (`ifile sync`) needs no quoting and the first word picks the
// form. Exit 0; 2 on input that cannot be read, with one line on stderr.
import { Command } from 'commander';
import { capsText, explainCaps, explainLock, lockText } from '../inspect/explain.js';
import { exitWith, outStyle, type Cli } from './context.js';

const HELP = `
Forms:
  mdslock explain "<lock print>"       a lock as the MDS prints it:
      (<type> <state>[ g=r1,r2][ l][ r=N][ w=N][ x=N[ by request(<reqid>)]][ dirty][ flushing][ flushed][ scatter_wanted][ last_client=N])
      or just '<type> <state>'. Shows the lock type, the state's row in words (who may read,
      rdlock, wrlock, lease, xlock; the caps allowed), what each part of the print means, and
      the transitions out of the state.
  mdslock explain caps "<cap print>"   an inode's caps as the MDS prints them:
      caps={<client>=<pending>[/<issued>]/<wanted>@<seq>,...}[,l=<loner>[(<want_loner>)]]

Quote the print: the shell reads '>' in 'mix->sync' as a redirection.

Examples:
  mdslock explain "(ifile mix->sync w=1 dirty)"
  mdslock explain 'iauth lock' --json
  mdslock explain caps "caps={4101=pAsLsXsFrw/pAsLsXsFsxcrwb/Fwb@2},l=4101"
`;

export function explainCommand(cli: Cli): Command {
  return new Command('explain')
    .description('decode a lock print or (explain caps ...) a cap print copied from an MDS log')
    .argument('<print...>', "a lock print, or the word caps and a cap print")
    .option('--json', 'one JSON object with the same content (schema: docs/schemas/explain.schema.json)')
    .addHelpText('after', HELP)
    .action((words: string[], opts: { json?: boolean }, cmd: Command) => {
      const text = words.join(' ');
      const caps = words[0] === 'caps' || /^\s*caps=\{/.test(text);
      if (caps && words[0] === 'caps' && words.slice(1).join('').trim() === '') {
        cli.err('mdslock explain: explain caps needs a cap print, e.g. caps={4101=pAsLsXsFscr/-@1}\n');
        exitWith(cli, 2);
        return;
      }
      const st = outStyle(cli, cmd);
      const r = caps ? explainCaps(words[0] === 'caps' ? words.slice(1).join(' ') : text) : explainLock(text);
      if (!r.ok) {
        cli.err(`mdslock explain: ${r.error}\n`);
        exitWith(cli, 2);
        return;
      }
      if (opts.json) cli.out.write(JSON.stringify(r.value, null, 2) + '\n');
      else cli.out.write(r.value.kind === 'caps' ? capsText(r.value, st) : lockText(r.value, st));
    });
}
