// `mdslock replay` on a design file (a `model:` other than the cluster): load it, run its
// steps on the design's model, print the trace (each action, then the view values it changed,
// violations, expectations) and the verdict, or the same as JSON (one entry of --json's files,
// or --jsonl's lines). Exit 0 pass, 1 a failure, 2 bad input.
import { at, loadErrors, ScenarioError } from '../scenario/types.js';
import { loadDesignFile, type DesignFile } from '../models/designs/file.js';
import { designExit, designHeader, designVerdict, printDesignEvent, runDesign } from '../models/designs/replay.js';
import { designEndJson, designEventJson, designFileJson } from '../models/designs/replayJson.js';
import type { ReplayIO } from './replay.js';

/** Options of replay that only cluster scenarios have. */
export const CLUSTER_ONLY = ['html', 'mermaid', 'cephLog', 'update', 'why', 'state', 'seed', 'rules'] as const;

/** The cluster-only options set, by their command-line names. */
export function clusterOnly(o: Partial<Record<(typeof CLUSTER_ONLY)[number], unknown>>): string[] {
  return CLUSTER_ONLY.filter((k) => o[k] !== undefined && o[k] !== false).map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
}

export async function replayDesign(file: string, format: 'text' | 'json' | 'jsonl', o: { quiet?: boolean }, io: ReplayIO): Promise<number> {
  let f: DesignFile;
  try {
    f = loadDesignFile(file);
    if (f.steps === null) throw new ScenarioError({ file, line: 1, col: 1 }, `a design check file (no steps:): run \`mdslock check ${file}\` or \`mdslock fuzz ${file}\` on it`);
  } catch (e) {
    const errs = loadErrors(e);
    for (const x of errs) io.err(x.line + '\n');
    const doc = { file, verdict: 'error', problems: errs.map((x) => ({ kind: 'load', at: at(x.loc), text: x.message })) };
    if (format === 'json') io.out.write(JSON.stringify(doc));
    if (format === 'jsonl') io.out.write(JSON.stringify({ type: 'file', ...doc }) + '\n');
    return 2;
  }
  const run = runDesign(f);
  if (run.error) io.err(run.error.line + '\n');
  const events = !o.quiet;
  if (format === 'json') {
    io.out.write(JSON.stringify({ ...designFileJson(f), ...(events ? { events: run.events.map(designEventJson) } : {}), ...designEndJson(f, run) }));
  } else if (format === 'jsonl') {
    io.out.write(JSON.stringify({ type: 'file', ...designFileJson(f) }) + '\n');
    if (events) for (const e of run.events) io.out.write(JSON.stringify(designEventJson(e)) + '\n');
    io.out.write(JSON.stringify({ type: 'end', file, ...designEndJson(f, run) }) + '\n');
  } else {
    if (events) {
      io.out.write(designHeader(f) + '\n');
      for (const e of run.events) for (const l of printDesignEvent(e, io.style)) io.out.write(l + '\n');
    }
    io.out.write(designVerdict(f, run, io.style));
  }
  await io.out.flush();
  return designExit(run);
}
