// `mdslock why <file> [--at STEP]`: run a scenario (quietly) to its end or to step STEP, then
// print the wait-for graph: every waiting request, the lock or peer it waits on, what that
// waits on in turn, and any cycle as a deadlock. Exit 0; 1 when a deadlock is found (as a
// model checker reports one); 2 on bad input.
import { Command, InvalidArgumentError } from 'commander';
import { loadScenario } from '../scenario/load.js';
import { runScenario } from '../scenario/run.js';
import { loadErrors } from '../scenario/types.js';
import { deadlocks, waits } from '../inspect/why.js';
import { at } from '../scenario/types.js';
import { whyJson, whyLines } from '../inspect/why.js';
import { exitWith, outStyle, type Cli } from './context.js';

interface WhyOptions { at?: number; seed?: number; json?: boolean }

const positive = (s: string): number => {
  if (!/^\d+$/.test(s) || Number(s) < 1 || !Number.isSafeInteger(Number(s))) throw new InvalidArgumentError('a step number (1 is the first step)');
  return Number(s);
};

export function whyCommand(cli: Cli): Command {
  return new Command('why')
    .description('run a scenario and show why each request waits: the wait-for graph, deadlocks as cycles (exit 1 on a deadlock)')
    .argument('<file>', 'a scenario file')
    .option('--at <step>', 'stop after this step (numbered as in the trace, [1] first); default: the last', positive)
    .option('--seed <n>', "scheduler seed, overriding the file's", (s) => {
      if (!/^-?\d+$/.test(s)) throw new InvalidArgumentError('the seed is an integer');
      return Number(s);
    })
    .option('--json', 'one JSON object: the step, the waits, the deadlocks (schema: docs/schemas/why.schema.json)')
    .action((file: string, opts: WhyOptions, cmd: Command) => {
      let s;
      try {
        s = loadScenario(file);
      } catch (e) {
        for (const x of loadErrors(e)) cli.err(x.line + '\n');
        exitWith(cli, 2);
        return;
      }
      if (opts.at !== undefined && opts.at > s.steps.length) {
        cli.err(`${file}: --at ${opts.at}: the scenario has ${s.steps.length} steps\n`);
        exitWith(cli, 2);
        return;
      }
      const run = runScenario(s, { check: false, ...(opts.seed !== undefined ? { seed: opts.seed } : {}), ...(opts.at ? { until: opts.at } : {}) });
      if (run.outcome.kind === 'error') { cli.err(run.outcome.error.line + '\n'); exitWith(cli, 2); return; }
      const ws = waits(run.cluster);
      const step = s.steps[run.steps - 1];
      const where = step ? `after step [${run.steps}] at ${at(step.loc)} ${step.text}` : 'before any step';
      const o = run.outcome;
      const stopped = o.kind === 'abort' || o.kind === 'livelock' ? { kind: o.kind, message: o.message } : null;
      if (opts.json) {
        cli.out.write(JSON.stringify({ file, step: run.steps, at: step ? at(step.loc) : null, ...(stopped ? { stopped } : {}), ...whyJson(ws) }, null, 2) + '\n');
      } else {
        const st = outStyle(cli, cmd);
        cli.out.write(`${st.dim(`# ${file} ${where}${stopped ? ` (stopped: ${stopped.message})` : ''}`)}\n${whyLines(ws).join('\n')}\n`);
      }
      if (deadlocks(ws).length > 0) exitWith(cli, 1);
    });
}
