import { loadScenario } from './src/scenario/load.js';
import { ClusterModel } from './src/models/cluster.js';
import { explore } from './src/checker/explore.js';
import { MODE_FLAGS } from './src/fuzz/steps.js';
import { expandPaths } from './src/cli/paths.js';
const MODES = Object.keys(MODE_FLAGS) as any[];
const files = expandPaths([process.argv[2] ?? 'scenarios/ops']).files;
const K = Number(process.argv[3] ?? 3);
for (const f of files) {
  const s = loadScenario(f);
  const wl: any[] = [];
  for (const st of s.steps) {
    if (st.kind === 'request') wl.push({ kind: 'request', rank: st.rank, reqid: st.reqid, locks: st.ops.map((o: any) => ({ mode: MODES.find((m) => o.flags & (MODE_FLAGS as any)[m]), ref: o.lock, target: o.wrlock_target })) });
    if (st.kind === 'op') wl.push({ kind: 'op', rank: st.rank, reqid: st.reqid, text: st.op.text });
    if (st.kind === 'open') wl.push({ kind: 'open', client: st.client, path: st.path, wanted: st.wanted });
    if (st.kind === 'lease') wl.push({ kind: 'lease', client: st.client, path: st.path });
  }
  for (let start = 0; start < wl.length; start += K) {
    const part = wl.slice(start, start + K);
    if (!part.length) continue;
    const m = new ClusterModel(s.topology, part, { finish: true, early_reply: false, tick: false, nudge: false, update: false }, f);
    let r;
    try { r = explore(m, { maxStates: 20000, timeMs: 40000 }); } catch (e) { console.log(`CRASH ${f} [${start}]: ${(e as Error).message.slice(0, 200)}`); continue; }
    const v = r.violation;
    console.log(`${v ? 'VIOLATION ' + v.property : 'ok'} ${f} [${start}..] ${r.distinct} ${r.exhausted ? 'exhausted' : r.bound} ${v ? v.message.slice(0, 300) : ''}`);
  }
}
