// The command line's habits: quiet on a closed pipe, colour decided as chalk's ecosystem does,
// every problem of a file in its verdict with a documented exit code. What only the real process
// shows (a closed pipe, the environment read by the bin, its exit code) runs the bin; the rest
// runs in-process (inProcess.ts) with the environment given.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { wantColor } from '../../src/trace/style.js';
import { pos, scenario, tempFile } from '../scenario/files.js';
import { mdslock } from './inProcess.js';

const ANSI = /\x1b\[/;
const env = (extra: Record<string, string | undefined>) => {
  const e: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...extra };
  for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
  return e as NodeJS.ProcessEnv;
};
const cli = (args: string[], extra: Record<string, string | undefined> = {}) =>
  spawnSync('node', ['bin/mdslock.js', ...args], { encoding: 'utf8', env: env(extra) });

describe('a closed pipe', () => {
  // the reader stops after 3 lines while a 100 kB trace is still being written
  it.each([['replay', 'scenarios/walkthroughs/'], ['coverage', 'scenarios/walkthroughs/']])('ends `%s | head -3` quietly, exit 0', (cmd, arg) => {
    const r = spawnSync('bash', ['-c', `node bin/mdslock.js ${cmd} ${arg} | head -3; echo "status=\${PIPESTATUS[0]}" >&2`], { encoding: 'utf8', env: env({}) });
    expect(r.stdout.split('\n')).toHaveLength(4);
    expect(r.stderr).toBe('status=0\n');
  }, 30_000);
});

describe('colour', () => {
  it('follows --color / --no-color, then FORCE_COLOR, then NO_COLOR, then the terminal', () => {
    expect(wantColor({ isTTY: false }, {})).toBe(false);
    expect(wantColor({ isTTY: true }, {})).toBe(true);
    expect(wantColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(wantColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(wantColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantColor({ isTTY: false }, { FORCE_COLOR: '' })).toBe(true);
    expect(wantColor({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(wantColor({ isTTY: true }, { FORCE_COLOR: 'false' })).toBe(false);
    expect(wantColor({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
    expect(wantColor({ isTTY: false }, { FORCE_COLOR: '0' }, true)).toBe(true);
    expect(wantColor({ isTTY: true }, { FORCE_COLOR: '1' }, false)).toBe(false);
  });

  it('the bin reads FORCE_COLOR=1 and NO_COLOR from its environment: a pipe coloured, or not', () => {
    expect(cli(['tables'], { FORCE_COLOR: '1' }).stdout).toMatch(ANSI);
    expect(cli(['tables'], { NO_COLOR: '1' }).stdout).not.toMatch(ANSI);
  }, 30_000);

  it('FORCE_COLOR=1 colours a pipe, FORCE_COLOR=0 and NO_COLOR do not', async () => {
    expect((await mdslock(['tables'], { FORCE_COLOR: '1' })).stdout).toMatch(ANSI);
    expect((await mdslock(['tables'], { FORCE_COLOR: '0' })).stdout).not.toMatch(ANSI);
    expect((await mdslock(['tables'], { NO_COLOR: '1' })).stdout).not.toMatch(ANSI);
    expect((await mdslock(['tables'], {})).stdout).not.toMatch(ANSI);
  });

  it('--color and --no-color win over the environment, before or after the subcommand', async () => {
    expect((await mdslock(['--color', 'tables'], {})).stdout).toMatch(ANSI);
    expect((await mdslock(['tables', '--color'], { NO_COLOR: '1' })).stdout).toMatch(ANSI);
    expect((await mdslock(['tables', '--no-color'], { FORCE_COLOR: '3' })).stdout).not.toMatch(ANSI);
    const w2 = ['replay', '--color', 'scenarios/walkthroughs/w2-replica-rdlock.yaml'];
    const r = await mdslock(w2, {});
    expect(r.stdout).toMatch(ANSI);
    expect(r.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toBe((await mdslock(w2.filter((a) => a !== '--color'), {})).stdout);
  });
});

describe('every problem of a file', () => {
  it('a failed expectation, then a step that cannot run: both named, the FAILED check kept, exit 2', async () => {
    const text = scenario(`  - request: client.4101:12
    on: mds.0
    xlock: [iauth /f]
  - expect: { mds.0: { iauth /f: "(iauth sync)" } }
  - early_reply: client.4101:12
`);
    const f = tempFile(text);
    const r = await mdslock(['replay', f]);
    expect(r.status).toBe(2);
    const exp = `${f}:${pos(text, 'iauth /f: "')}`;
    const step = `${f}:${pos(text, 'early_reply')}`;
    expect(r.stdout).toContain(`FAILED mds.0 iauth /f at ${exp}\n  expected (iauth sync)\n  got      (iauth sync->lock g=1,2)\n`);
    expect(r.stderr).toBe(`${step}: client.4101:12 cannot reply early: it does not hold its locks yet\n`);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe(`ERROR ${f}: 2 problems: step at ${exp}: mds.0 iauth /f: expected (iauth sync), got (iauth sync->lock g=1,2); ` +
      `step at ${step}: client.4101:12 cannot reply early: it does not hold its locks yet`);
  });
});

describe('usage errors a command finds itself', () => {
  it('are one line on stderr, exit 2', async () => {
    const r = await mdslock(['replay', 'scenarios/walkthroughs/w2-replica-rdlock.yaml', '--json', '--jsonl']);
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', 'error: --json, --jsonl, --ceph-log, --mermaid and --html: choose one\n']);
  });
});
