// Peak memory of `mdslock replay --json` on a large run, against the same run with --quiet
// (no output): streaming means the 100+ MB of JSON adds only a chunk or two. In a process of
// its own; `node --import tsx bench/jsonMemory.ts <file> <json|quiet>` prints one JSON line.
import { Writable } from 'node:stream';
import { replay } from '../src/cli/replay.js';
import { StreamSink } from '../src/cli/output.js';
import { PLAIN } from '../src/trace/style.js';

const [file, mode] = process.argv.slice(2);
let bytes = 0;
// a reader as slow as a pipe to another process: it takes a chunk per event-loop turn
const sink = new Writable({ highWaterMark: 1 << 16, write(chunk: Buffer, _enc, done) { bytes += chunk.length; setImmediate(done); } });
const code = await replay([file], { json: mode === 'json', quiet: mode !== 'json', check: false }, { out: new StreamSink(sink), err: () => {}, style: PLAIN });
console.log(JSON.stringify({ mode, code, bytes, max_rss_mb: process.resourceUsage().maxRSS / 1024 }));
