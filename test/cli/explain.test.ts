// `mdslock explain`: through commander in-process (explainCommand on a bare `mdslock` program,
// so it does not depend on main.ts), and as a spawned process once main.ts wires it in.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { explainCommand } from '../../src/cli/explain.js';
import { StringSink } from '../../src/cli/output.js';
import type { Cli } from '../../src/cli/context.js';
import { explainLock, lockText } from '../../src/inspect/explain.js';

const EXAMPLE = '(ifile mix->sync w=1 dirty)';
const CAPS = 'caps={4101=pAsLsXsFrw/pAsLsXsFsxcrwb/Fwb@2},l=4101';

/** Parse argv as main.ts does: global colour options, exit overrides, output to the Cli. */
function run(args: string[], env: NodeJS.ProcessEnv = { NO_COLOR: '1' }, tty = false) {
  const out = new StringSink();
  let err = '';
  const cli: Cli = { out, err: (s) => { err += s; }, stdoutTTY: tty, stderrTTY: tty, env, status: 0 };
  const output = { writeOut: (s: string) => out.write(s), writeErr: (s: string) => { err += s; } };
  const program = new Command('mdslock').option('--color').option('--no-color').exitOverride().configureOutput(output);
  program.addCommand(explainCommand(cli).exitOverride().configureOutput(output));
  let code: number;
  try {
    program.parse(args, { from: 'user' });
    code = cli.status;
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    code = e.exitCode === 0 ? 0 : 2;
  }
  return { out: out.text, err, code };
}

describe('mdslock explain (in-process)', () => {
  it('prints the text explanation, plain, exit 0', () => {
    const r = run(['explain', EXAMPLE]);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(lockText((explainLock(EXAMPLE) as { value: Parameters<typeof lockText>[0] }).value));
    expect(r.out).toMatch(/^\(ifile mix->sync w=1 dirty\)\n/);
    expect(r.out).toContain('transitional, next sync');
    expect(r.out).not.toMatch(/\x1b\[/);
  });

  it('takes a bare print split over words, and colours only when asked', () => {
    expect(run(['explain', 'ifile', 'mix->sync']).out).toMatch(/^\(ifile mix->sync\)\n/);
    expect(run(['explain', 'ifile', 'sync'], {}, true).out).toMatch(/\x1b\[/);
    expect(run(['--no-color', 'explain', 'ifile', 'sync'], {}, true).out).not.toMatch(/\x1b\[/);
  });

  it('--json: one object with the same content', () => {
    const r = run(['explain', '--json', EXAMPLE]);
    const j = JSON.parse(r.out);
    expect(j).toEqual(JSON.parse(JSON.stringify((explainLock(EXAMPLE) as { value: object }).value)));
    expect(j).toMatchObject({ kind: 'lock', print: EXAMPLE, state: { name: 'mix->sync', next: 'sync', stable: false } });
    expect(j.warnings).toHaveLength(1);
  });

  it('caps: the first word selects cap decoding; a caps= print is recognised too', () => {
    const r = run(['explain', 'caps', CAPS]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('client.4101 (the loner)');
    expect(r.out).toMatch(/revoking +Fsxcb +file: shared, excl, cache, buffer/);
    expect(run(['explain', CAPS]).out).toBe(r.out);
    expect(JSON.parse(run(['explain', 'caps', '--json', CAPS]).out).clients[0].revoking.word).toBe('Fsxcb');
  });

  it('bad input: one line on stderr, exit 2, control characters escaped', () => {
    for (const [args, msg] of [
      [['explain', '(ifle sync)'], "unknown lock type 'ifle'"],
      [['explain', '(ifile mix->syn)'], "unknown state 'mix->syn'"],
      [['explain', '(iauth mix)'], "state 'mix' is not in sm_simplelock"],
      [['explain', '(ifile sync'], 'unreadable lock print'],
      [['explain', 'caps', 'caps={4101}'], 'unreadable cap print'],
      [['explain', 'caps'], 'explain caps needs a cap print'],
      [['explain', '(\u001b[2Jifile sync)'], "unknown lock type '\\u001b[2Jifile'"],
    ] as const) {
      const r = run([...args]);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain(`mdslock explain: ${msg}`);
      expect(r.err.split('\n')).toHaveLength(2); // one line and its newline
      expect(r.err).not.toMatch(/[\u0000-\u0009\u000b-\u001f]|\n {4}at /);
    }
  });

  it('--help shows both forms and examples', () => {
    const r = run(['explain', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('mdslock explain "<lock print>"');
    expect(r.out).toContain('mdslock explain caps "<cap print>"');
    expect(r.out).toContain(`mdslock explain "${EXAMPLE}"`);
    expect(r.out).toContain(`mdslock explain caps "${CAPS}"`);
  });
});

// The real binary, once src/cli/main.ts adds explainCommand (the lead engineer wires it).
const wired = readFileSync('src/cli/main.ts', 'utf8').includes('explainCommand');
const bin = (...args: string[]) => spawnSync('node', ['bin/mdslock.js', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe.skipIf(!wired)('mdslock explain (spawned)', () => {
  it('prints the same as in-process', () => {
    expect(execFileSync('node', ['bin/mdslock.js', 'explain', EXAMPLE], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }))
      .toBe(run(['explain', EXAMPLE]).out);
    expect(bin('explain', 'caps', CAPS).stdout).toBe(run(['explain', 'caps', CAPS]).out);
  });

  it('exits 2 with one line on stderr for bad input', () => {
    const r = bin('explain', '(ifle sync)');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^mdslock explain: unknown lock type 'ifle' [^\n]*\n$/);
  });
});
