// `npm run bench`: how fast the simulator runs, against the bare table-driven limit measured
// in the same process. Prints a table; with --save (`npm run bench -- --save`) also writes
// bench/results.json, which is tracked, so a casual run leaves the tree clean. Timings are
// medians of five runs after a warm-up; every workload is seeded, so each run does the same work.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Workload, workloadCluster, type WorkloadOptions } from './workload.js';
import { OpWorkload, opWorkloadCluster } from './opWorkload.js';
import { bareLoop } from './bare.js';
import { immerLoop, xstateLoop } from './reference.js';
import { propertyRun, PROPERTY_STEPS } from './property.js';
import { machine, measure, type Rate } from './timing.js';
import { CLUSTER_FILE, clusterBench, simplelockBench, spinBench } from './check.js';

const REQUESTS = 20000; // per replay run: ~380,000 lock events at 3 ranks
const SEED = 1;
const BARE_EVENTS = 5_000_000;

// checked before the ~90 s of work, so a mistyped option fails at once instead of after it
const args = process.argv.slice(2);
const unknown = args.find((a) => a !== '--save');
if (unknown !== undefined) {
  console.error(`bench: unknown argument ${unknown}\nusage: npm run bench [-- --save]`);
  process.exit(2);
}
const save = args.includes('--save');

/** Replay the workload untraced; lock events/s, and messages/s from the same runs. */
function replay(ranks: number, inodes: number) {
  const opts: WorkloadOptions = { ranks, inodes, requests: REQUESTS, seed: SEED };
  let messages = 0;
  const events = measure(() => workloadCluster(opts), (c) => {
    new Workload(c, opts).run();
    messages = c.net.delivered;
    return c.stats.lock_events;
  });
  return { ranks, inodes, events, messagesPerSec: (messages / events.ms) * 1000, messages };
}

const rows: [string, string, string][] = [];
const fmt = (r: Rate, unit: string) => `${(r.perSec / 1e6).toFixed(3)} M ${unit}/s`;
const row = (what: string, value: string, note = '') => { rows.push([what, value, note]); console.error(`  ${what}: ${value} ${note}`); };

console.error('mdslock bench (medians of 5 after a warm-up)');
const main = replay(3, 1000);
const bare = measure(() => undefined, () => { bareLoop(3, 1000, BARE_EVENTS, SEED); return BARE_EVENTS; });
const ratio = main.events.perSec / bare.perSec;
row('replay 3 ranks x 1,000 inodes', fmt(main.events, 'lock events'), `${main.events.work} events in ${main.events.ms.toFixed(0)} ms`);
row('replay messages', `${(main.messagesPerSec / 1e6).toFixed(3)} M msgs/s`, `${main.messages} messages`);
row('bare table loop (limit)', fmt(bare, 'events'), `${BARE_EVENTS} events`);
row('simulator / limit', `${(ratio * 100).toFixed(2)} %`, `1/${(1 / ratio).toFixed(0)}`);

const xs = measure(() => undefined, () => xstateLoop(100_000, SEED));
row('xstate v5 actor (sm_filelock)', fmt(xs, 'events'), `limit is ${(bare.perSec / xs.perSec).toFixed(0)}x faster`);
const im = measure(() => undefined, () => immerLoop(1000, 1000, SEED), { warmup: 1, runs: 3 });
row('immer produce per step (1,000 inodes)', `${im.perSec.toFixed(0)} steps/s`, `limit is ${(bare.perSec / im.perSec).toFixed(0)}x faster (median of 3)`);

// client operations as Server.cc runs them: an mdtest-like mix over directories spread on 3 ranks
const OPS = 3000;
let opKilled = 0;
let opMsgs = 0;
let opEvents = 0;
const opsRate = measure(() => { const o = { ranks: 3, dirs: 12, names: 16, ops: OPS, seed: SEED }; return { o, c: opWorkloadCluster(o) }; }, ({ o, c }) => {
  const w = new OpWorkload(c, o).run();
  opKilled = w.killed;
  opMsgs = c.net.delivered;
  opEvents = c.stats.lock_events;
  return w.completed;
});
const opEventsPerSec = (opEvents / opsRate.ms) * 1000;
row('op workload 3 ranks (create, stat, open, rename, unlink)', `${opsRate.perSec.toFixed(0)} ops/s`, `${opsRate.work} ops answered, ${opKilled} killed out of a deadlock, in ${opsRate.ms.toFixed(0)} ms`);
row('op workload lock events', fmt({ ...opsRate, perSec: opEventsPerSec }, 'lock events'), `${opEvents} events, ${opMsgs} messages; ${(opEventsPerSec / main.events.perSec * 100).toFixed(0)} % of the lock-list replay's rate`);

const prop = measure(() => undefined, () => { for (let s = 0; s < 100; s++) propertyRun(SEED + s); return 100; });
row(`property run (${PROPERTY_STEPS} steps, src/invariants checks)`, `${prop.perSec.toFixed(0)} runs/s`, `${(prop.ms / 100).toFixed(2)} ms/run`);

const byInodes = [100, 1000, 10000].map((n) => (n === 1000 ? main : replay(3, n)));
for (const r of byInodes) row(`scaling: 3 ranks x ${r.inodes} inodes`, fmt(r.events, 'lock events'), `${((r.events.ms * 1e6) / r.events.work).toFixed(0)} ns/event`);
const byRanks = [2, 4, 8].map((k) => replay(k, 1000));
for (const r of byRanks) row(`scaling: ${r.ranks} ranks x 1,000 inodes`, fmt(r.events, 'lock events'), `${((r.events.ms * 1e6) / r.events.work).toFixed(0)} ns/event, ${r.events.work} events`);

// the checker: the reference model against SPIN in the same run, and the real Locker
const sl = simplelockBench();
row('check: simplelock N=3 L=2 (2,989,441 states)', `${(sl.statesPerSec / 1e3).toFixed(0)} k states/s`, `${sl.states} states in ${(sl.ms / 1000).toFixed(1)} s, ${sl.bytesPerState.toFixed(1)} bytes per stored state`);
const spin = spinBench();
row('check: SPIN on the same .pml', spin ? `${(spin.statesPerSec / 1e3).toFixed(0)} k states/s` : 'skipped', spin ? `${spin.states} states in ${spin.seconds.toFixed(1)} s; mdslock / SPIN: ${(sl.statesPerSec / spin.statesPerSec).toFixed(2)}` : 'spin or gcc not installed (Debian: apt-get install spin)');
const cl = clusterBench();
row(`check: real Locker, ${CLUSTER_FILE.replace('scenarios/check/', '')}`, `${cl.statesPerSec.toFixed(0)} states/s`, `first ${cl.states} states in ${(cl.ms / 1000).toFixed(1)} s, ${cl.bytesPerState.toFixed(1)} bytes per stored state, ${cl.encodedBytes} bytes per queued state`);

// --json of a large run streams: peak memory with 100+ MB of output vs the same run printing nothing
const big = join(mkdtempSync(join(tmpdir(), 'mdslock-bench-')), 'big.yaml');
writeFileSync(big, execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./bigScenario.ts', import.meta.url)), '10000', '16', '100000'], { encoding: 'utf8', maxBuffer: 1 << 26 }));
const jsonMem = ['quiet', 'json'].map((mode) => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./jsonMemory.ts', import.meta.url)), big, mode], { encoding: 'utf8' })));
row('replay --json, 10,000 inodes x 16 ranks, 100,000 steps', `${jsonMem[1].max_rss_mb.toFixed(0)} MB peak RSS`,
  `${(jsonMem[1].bytes / 1e6).toFixed(0)} MB of JSON; the same run with no output ${jsonMem[0].max_rss_mb.toFixed(0)} MB`);

const memScript = fileURLToPath(new URL('./memory.ts', import.meta.url));
const mem = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', memScript, '10000'], { encoding: 'utf8' }));
row('peak RSS, 10,000 inodes (own process)', `${mem.max_rss_mb.toFixed(0)} MB`, `after build ${mem.rss_built_mb.toFixed(0)} MB, start ${mem.rss_start_mb.toFixed(0)} MB`);

const w = Math.max(...rows.map((r) => r[0].length));
const v = Math.max(...rows.map((r) => r[1].length));
console.log(`\n${'benchmark'.padEnd(w)} | ${'result'.padEnd(v)} | note`);
console.log(`${'-'.repeat(w)}-|-${'-'.repeat(v)}-|-----`);
for (const [a, b, c] of rows) console.log(`${a.padEnd(w)} | ${b.padEnd(v)} | ${c}`);

if (save) {
  const results = {
    date: new Date().toISOString(),
    machine: machine(),
    seed: SEED,
    replay: { ranks: 3, inodes: 1000, requests: REQUESTS, lock_events: main.events.work, lock_events_per_sec: main.events.perSec, messages: main.messages, messages_per_sec: main.messagesPerSec, ms: main.events.ms },
    bare_limit: { events: BARE_EVENTS, events_per_sec: bare.perSec },
    simulator_over_limit: ratio,
    xstate: { events_per_sec: xs.perSec, limit_factor: bare.perSec / xs.perSec },
    immer: { steps_per_sec: im.perSec, limit_factor: bare.perSec / im.perSec },
    property: { steps: PROPERTY_STEPS, runs_per_sec: prop.perSec },
    ops: { ranks: 3, ops: OPS, answered: opsRate.work, killed: opKilled, ops_per_sec: opsRate.perSec, lock_events: opEvents, lock_events_per_sec: opEventsPerSec, messages: opMsgs, ms: opsRate.ms },
    scaling_inodes: byInodes.map((r) => ({ ranks: 3, inodes: r.inodes, lock_events: r.events.work, lock_events_per_sec: r.events.perSec, messages_per_sec: r.messagesPerSec })),
    scaling_ranks: byRanks.map((r) => ({ ranks: r.ranks, inodes: 1000, lock_events: r.events.work, lock_events_per_sec: r.events.perSec, messages_per_sec: r.messagesPerSec })),
    memory_10000_inodes: mem,
    check: {
      simplelock: { n: 3, l: 2, states: sl.states, generated: sl.generated, ms: sl.ms, states_per_sec: sl.statesPerSec, bytes_per_state: sl.bytesPerState },
      spin: spin && { states: spin.states, seconds: spin.seconds, states_per_sec: spin.statesPerSec, ratio: sl.statesPerSec / spin.statesPerSec },
      cluster: { file: CLUSTER_FILE, states: cl.states, generated: cl.generated, ms: cl.ms, states_per_sec: cl.statesPerSec, bytes_per_state: cl.bytesPerState, bytes_per_queued_state: cl.encodedBytes },
    },
  json_memory: { inodes: 10000, ranks: 16, steps: 100000, quiet: jsonMem[0], json: jsonMem[1] },
  };
  writeFileSync(new URL('./results.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
  console.log('\nresults saved to bench/results.json');
} else {
  console.log('\nresults not saved (npm run bench -- --save writes bench/results.json)');
}
