// The documentation tells the truth about the repository: its links resolve, it points at
// nothing outside the repo, docs/cli.md names every command and option the program defines,
// docs/ops.md's table of ops is the data's, and the README starts with the two commands a
// newcomer runs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/main.js';
import { StringSink } from '../src/cli/output.js';
import { opsTable } from './opsTable.js';

const docs = ['README.md', ...readdirSync('docs', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).sort().map((f) => join('docs', f))];
const scenarioFiles = readdirSync('scenarios', { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));

describe('docs', () => {
  it.each(docs)('%s: every relative link and #anchor resolves', (file) => {
    const text = readFileSync(file, 'utf8');
    const links = [...text.matchAll(/\]\(([^)#\s]*)(#[^)\s]*)?\)/g)].filter((m) => !/^https?:/.test(m[1]) && (m[1] || m[2]));
    for (const [, l, anchor] of links) {
      const target = l ? normalize(join(dirname(file), l)) : file;
      expect(existsSync(target), `${file} -> ${l}`).toBe(true);
      if (anchor && target.endsWith('.md')) expect(headingAnchors(target), `${file} -> ${l}${anchor}`).toContain(anchor.slice(1));
    }
  });

  it('nothing users read points outside the repository', () => {
    for (const f of [...docs, ...scenarioFiles]) expect(readFileSync(f, 'utf8'), f).not.toMatch(/\.\.\/shared|shared\/spec|spec\/\w+\.md/);
  });

  it('docs/cli.md names every command and every option', () => {
    const cli = readFileSync('docs/cli.md', 'utf8');
    const program = buildProgram({ out: new StringSink(), err: () => {}, stdoutTTY: false, stderrTTY: false, env: {}, status: 0 });
    for (const o of program.options) expect(cli, o.long).toContain(o.long!);
    for (const c of program.commands) {
      expect(cli, c.name()).toContain(`## ${c.name()}`);
      for (const o of c.options) expect(cli, `${c.name()} ${o.long}`).toContain(o.long!);
    }
  });

  it('docs/ops.md lists every op as ops/ops.ts defines it', () => {
    expect(readFileSync('docs/ops.md', 'utf8')).toContain(opsTable());
  });

  it('the README opens with the two commands: replay a scenario, run the tests', () => {
    const block = /```sh\n([\s\S]*?)```/.exec(readFileSync('README.md', 'utf8'))![1].trim().split('\n');
    expect(block[0]).toMatch(/^npm ci && npx mdslock replay (scenarios\/\S+\.yaml)\s+# replay a scenario$/);
    expect(existsSync(/replay (\S+)/.exec(block[0])![1])).toBe(true);
    expect(block[1]).toMatch(/^npm test\s+# run the tests$/);
  });
});

/** The anchors GitHub gives a Markdown file's headings (lower case, punctuation dropped, spaces to '-', repeats numbered). */
function headingAnchors(file: string): string[] {
  const seen = new Map<string, number>();
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return [...text.matchAll(/^#{1,6} +(.+)$/gm)].map((m) => {
    const base = m[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}-${n}`;
  });
}
