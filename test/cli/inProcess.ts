// `mdslock ...` run in this process through the same entry the bin calls (src/cli/main.ts
// main), for tests of a command's output and exit code: no Node start and no tsx compile per
// call. What only the real process shows (the bin's exit code, a closed pipe, NO_COLOR read from
// the environment) keeps its own spawned test (habits.test.ts).
import { main } from '../../src/cli/main.js';
import { StringSink } from '../../src/cli/output.js';

export interface CliRun { status: number; stdout: string; stderr: string }

/** Runs the command line `args`; stdout and stderr are not terminals, the environment is `env`. */
export async function mdslock(args: readonly string[], env: NodeJS.ProcessEnv = { NO_COLOR: '1' }): Promise<CliRun> {
  const out = new StringSink();
  let stderr = '';
  const status = await main([...args], { out, err: (s) => { stderr += s; }, stdoutTTY: false, stderrTTY: false, env, status: 0 });
  return { status, stdout: out.text, stderr };
}
