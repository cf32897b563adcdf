// `mdslock replay` on a design file (a `model:` other than the cluster): load it, run its
// steps on the design's model, print the trace (each action, then the view values it changed,
// violations, expectations) and the verdict. Exit 0 pass, 1 a failure, 2 bad input.
import { loadErrors } from '../scenario/types.js';
import { loadDesignFile, type DesignFile } from '../models/designs/file.js';
import { designExit, designHeader, designVerdict, printDesignEvent, runDesign } from '../models/designs/replay.js';
import type { ReplayIO } from './replay.js';

/** Options of replay that only cluster scenarios have. */
export const CLUSTER_ONLY = ['json', 'jsonl', 'html', 'mermaid', 'cephLog', 'update', 'why', 'state', 'seed', 'rules'] as const;

export async function replayDesign(file: string, o: { quiet?: boolean }, io: ReplayIO): Promise<number> {
  let f: DesignFile;
  try {
    f = loadDesignFile(file);
  } catch (e) {
    for (const x of loadErrors(e)) io.err(x.line + '\n');
    return 2;
  }
  if (f.steps === null) {
    io.err(`${file}:1:1: a design check file (no steps:): run \`mdslock check ${file}\` or \`mdslock fuzz ${file}\` on it\n`);
    return 2;
  }
  const run = runDesign(f);
  if (!o.quiet) {
    io.out.write(designHeader(f) + '\n');
    for (const e of run.events) for (const l of printDesignEvent(e, io.style)) io.out.write(l + '\n');
    await io.out.flush();
  }
  if (run.error) io.err(run.error.line + '\n');
  io.out.write(designVerdict(f, run, io.style));
  return designExit(run);
}
