// `mdslock log <files...>`: read Ceph MDS debug logs (several ranks' at once, gzip or plain,
// wrapped lines joined), put every lock print on its copy's timeline, judge each against the
// tables and the Locker's edges, and name what each lock last seen unstable waits for. Exit 0
// nothing impossible, 1 something is, 2 a file that cannot be read or holds no MDS log line.
import { createReadStream, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Command } from 'commander';
import { LineJoiner } from '../logs/logLine.js';
import { scenarioSkeleton } from '../logs/skeleton.js';
import { opensJson, readDump, type WaitingOp } from '../logs/dumps.js';
import { parseScenario } from '../scenario/load.js';
import { loadErrors } from '../scenario/types.js';
import { Timelines, blockers, lastUnstable, opLocks, type Entry, type Timeline } from '../logs/timeline.js';
import { exitWith, outStyle, type Cli } from './context.js';
import type { Style } from '../trace/style.js';
import { oneLine } from '../trace/quote.js';
import { stateName } from '../../statemachines/index.js';

interface LogOptions { json?: boolean; summary?: boolean; scenario?: string }

/** A file's lines, gunzipped when it starts with gzip's magic bytes. */
async function lines(file: string): Promise<AsyncIterable<string>> {
  const fh = await open(file, 'r');
  const head = Buffer.alloc(2);
  await fh.read(head, 0, 2, 0);
  await fh.close();
  let stream: Readable = createReadStream(file);
  if (head[0] === 0x1f && head[1] === 0x8b) stream = stream.pipe(createGunzip());
  return createInterface({ input: stream, crlfDelay: Infinity });
}

/** Read every file (logs and admin-socket dumps) into the timelines, each in one pass; the ops the dumps show waiting; the files that could not be read. */
export async function readLogs(files: readonly string[], keepOk = true): Promise<{ timelines: Timelines; ops: WaitingOp[]; skipped: number; problems: string[] }> {
  const timelines = new Timelines(keepOk);
  const problems: string[] = [];
  const ops: WaitingOp[] = [];
  let skipped = 0;
  for (const file of files) {
    const joiner = new LineJoiner();
    let n = 0, found = 0;
    // the first line that is not a comment or blank tells a dump (JSON) from a log; the ones before wait
    let kind: 'log' | 'dump' | null = null;
    const before: string[] = [];
    let dump = '';
    const logLine = (raw: string) => { const l = joiner.push(raw, ++n); if (l) { timelines.add(file, l); found++; } };
    try {
      for await (const raw of await lines(file)) {
        if (kind === null) {
          if (/^\s*(#|$)/.test(raw)) { before.push(raw); continue; }
          kind = opensJson(raw) ? 'dump' : 'log';
          if (kind === 'log') before.forEach(logLine);
        }
        if (kind === 'dump') dump += `${raw}\n`;
        else logLine(raw);
      }
    } catch (e) {
      problems.push(`${file}:1:1: cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      continue;
    }
    if (kind === 'dump') {
      const d = readDump(dump);
      if ('error' in d) { problems.push(`${file}:1:1: ${d.error}`); continue; }
      ops.push(...d.ops);
      for (const p of d.inodePrints) timelines.add(file, { line: 1, time: null, level: 0, rank: null, subsys: 'dump', fn: 'dump', text: p });
      continue;
    }
    if (kind === null) before.forEach(logLine);
    const l = joiner.flush();
    if (l) { timelines.add(file, l); found++; }
    skipped += joiner.skipped;
    if (found === 0) problems.push(`${file}:1:1: no Ceph log line in ${n} line(s) (expected '<time> <thread> <level> mds.<rank>.<subsystem> ...')`);
  }
  return { timelines, ops, skipped, problems };
}

const n = (x: number) => x.toLocaleString('en-US');
const entryJson = (e: Entry) => ({ file: e.file, line: e.line, time: e.time, fn: e.fn, print: e.print, state: e.state, verdict: e.verdict, why: e.why });

export function timelineJson(t: Timeline) {
  const unstable = lastUnstable(t);
  return { rank: t.rank === null ? null : `mds.${t.rank}`, object: t.object, lock: t.lock, side: t.auth === null ? null : t.auth ? 'auth' : 'replica', flags: t.flags, entries: t.entries.map(entryJson), ...(unstable ? { waits_for: blockers(t) } : {}) };
}

function timelineText(t: Timeline, st: Style, summary: boolean): string[] {
  const unstable = lastUnstable(t);
  const notable = t.entries.filter((e) => e.verdict !== 'ok');
  if (summary && !unstable && notable.length === 0) return [];
  const about = [...(t.auth === null ? [] : [t.auth ? 'auth' : 'replica']), ...t.flags];
  const out = [`${st.rank(t.rank === null ? 'mds.?' : `mds.${t.rank}`)} ${t.object} ${st.lockType(t.lock)}${about.length ? ` (${about.join(', ')})` : ''}`];
  for (const e of summary ? notable : t.entries) {
    const mark = e.verdict === 'ok' ? st.ok('ok') : e.verdict === 'impossible' ? st.bad('IMPOSSIBLE') : st.dim(e.verdict);
    out.push(`  ${e.file}:${e.line}${e.time ? ` ${e.time}` : ''}${e.fn ? ` ${e.fn}` : ''} ${e.print}  ${mark}: ${e.why}`);
  }
  if (unstable) out.push(`  ${st.bad('last seen unstable')} in ${stateName(t.last!.print.state)}: waits for ${blockers(t).join('; ')}`);
  return out;
}

export function logCommand(cli: Cli): Command {
  return new Command('log')
    .description('read Ceph MDS debug logs and admin-socket dumps: every lock print on its lock\'s timeline, judged against the tables and the Locker\'s edges; what each lock left unstable waits for, and the locks each waiting op waits on (exit 0 nothing impossible, 1 something is, 2 unreadable input)')
    .argument('<files...>', 'MDS log files (several ranks\' at once; gzip or plain) and dump_ops_in_flight / dump inode / dump cache JSON')
    .option('--summary', 'only the counts, what is not ok, and the locks last seen unstable (with --json too); ok prints are counted, not kept')
    .option('--json', 'one JSON object (schema: docs/schemas/log.schema.json)')
    .option('--scenario <file>', 'also write a scenario skeleton: the ranks, inodes (auth, replicas, first stable lock states) and clients (caps) the prints show')
    .action(async (files: string[], opts: LogOptions, cmd: Command) => {
      const { timelines, ops, skipped, problems } = await readLogs(files, !opts.summary);
      for (const p of problems) cli.err(`${oneLine(p)}\n`);
      if (problems.length) { exitWith(cli, 2); return; }
      if (opts.scenario) {
        const text = scenarioSkeleton(timelines, files);
        try {
          parseScenario(text, opts.scenario);
        } catch (e) {
          for (const x of loadErrors(e)) cli.err(`mdslock log wrote a skeleton that does not load (a bug): ${x.line}\n`);
          exitWith(cli, 2);
          return;
        }
        writeFileSync(opts.scenario, text);
        cli.err(`scenario skeleton written to ${opts.scenario}\n`);
      }
      const all = [...timelines.byKey.values()].sort((a, b) => (a.rank ?? -1) - (b.rank ?? -1) || (a.object < b.object ? -1 : a.object > b.object ? 1 : a.lock < b.lock ? -1 : 1));
      const c = timelines.counts;
      if (opts.json) {
        const opsJson = ops.map((o) => ({ reqid: o.reqid, description: o.description, waiting: o.waiting, age: o.age, inodes: o.inos, locks: opLocks(timelines, o.inos).map((l) => ({ ...l, rank: l.rank === null ? null : `mds.${l.rank}` })) }));
        cli.out.write(JSON.stringify({ files, ops: opsJson, lines: c.lines, skipped_lines: skipped, prints: c.prints, impossible: c.impossible, gaps: c.gaps, unusual: c.unusual, unreadable: c.unreadable, not_modelled: c.notModelled, timelines: all.map(timelineJson) }) + '\n');
      } else {
        const st = outStyle(cli, cmd);
        cli.out.write(st.dim(`# ${files.length} file(s): ${n(c.lines)} Ceph log lines (${n(skipped)} other lines skipped), ${n(c.prints)} lock prints on ${n(all.length)} lock copies: ${n(c.impossible)} impossible, ${n(c.gaps)} gaps, ${n(c.unusual)} unusual, ${n(c.unreadable)} unreadable, ${n(c.notModelled)} of lock types not modelled`) + '\n');
        for (const t of all) {
          const text = timelineText(t, st, opts.summary ?? false);
          if (text.length) cli.out.write(text.join('\n') + '\n');
          await cli.out.flush();
        }
        for (const o of ops) {
          const locks = opLocks(timelines, o.inos);
          cli.out.write(`${st.bad('op waiting')} ${o.reqid}: ${o.waiting}${o.age !== null ? ` (${Math.round(o.age)} s old)` : ''}: ${o.description}\n`);
          cli.out.write(locks.length
            ? locks.map((l) => `  ${l.rank === null ? 'mds.?' : `mds.${l.rank}`} ${l.object} ${l.lock} last seen ${l.state}: waits for ${l.waits_for.join('; ')}\n`).join('')
            : `  no lock of ${o.inos.length ? o.inos.join(', ') : 'the inodes it names'} was seen unstable in these files: give the logs or a dump of the ranks that hold them\n`);
        }
      }
      if (timelines.counts.impossible > 0) exitWith(cli, 1);
    });
}
