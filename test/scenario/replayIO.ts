// Running `replay` in-process for tests: exit code and what went to stdout and stderr.
import { replay, type ReplayOptions } from '../../src/cli/replay.js';
import { StringSink } from '../../src/cli/output.js';
import { PLAIN } from '../../src/trace/style.js';

export async function replayIn(files: string[], opts: ReplayOptions = {}): Promise<{ code: number; out: string; err: string }> {
  const out = new StringSink();
  let err = '';
  const code = await replay(files, opts, { out, err: (s) => { err += s; }, style: PLAIN });
  return { code, out: out.text, err };
}
