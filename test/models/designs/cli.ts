// `mdslock <args>` in-process for the design tests, stdout and stderr captured; and design file
// text written to a temporary file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { StringSink } from '../../../src/cli/output.js';
import type { Cli } from '../../../src/cli/context.js';

export async function mdslock(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new StringSink();
  let err = '';
  const cli: Cli = { out, err: (s) => { err += s; }, stdoutTTY: false, stderrTTY: false, env: { NO_COLOR: '1' }, status: 0 };
  const code = await main(args, cli);
  return { code, out: out.text, err };
}

export const tempDir = () => mkdtempSync(join(tmpdir(), 'mdslock-designs-'));

export function designFile(text: string, name = 'd.yaml'): string {
  const p = join(tempDir(), name);
  writeFileSync(p, text);
  return p;
}
