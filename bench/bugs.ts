// `npm run bugs`: how mdslock finds each historical bug by itself (README, "Historical bugs").
// For every rule variant: its -find check file under scenarios/bugs/ (states and time to the
// violation, and the same search under Ceph main's rule), and the fuzz with the options the bug
// needs (runs and time to the first failure, and the same runs under Ceph main's rule).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULE_VARIANTS, type RuleId } from '../src/rules/variants.js';
import { loadScenario } from '../src/scenario/load.js';
import { check, clusterModel } from '../src/checker/check.js';
import { fuzz, type FuzzOptions } from '../src/fuzz/property.js';

/** What the fuzz needs to meet each bug, or why it cannot. */
const FUZZ: Record<RuleId, Partial<FuzzOptions> | string> = {
  'replica-honours-flushing': 'needs a replica left flushing, which only an export in mid-cycle leaves (no directory migration yet)',
  'replica-rejects-sync-in-mix-sync': { mode: 'ops', faults: ['duplicate'] },
  'xlock-unbracketed': { mode: 'ops', faults: ['kill'] },
  'wrlock-force-keeps-record-flags': { mode: 'locks', wrlockForce: true },
  'excl-xsyn-not-loner': { mode: 'ops' },
  'rejoin-ignores-peer-state': 'needs a rank to fail and come back, which the fuzz does not draw',
  'replica-wrlock-waits-for-active-auth': 'needs a rank to fail and come back, which the fuzz does not draw',
  'export-without-scatter-wrlocks': 'needs a subtree export, which the fuzz does not draw',
};
const RUNS = 3000;
const out = mkdtempSync(join(tmpdir(), 'mdslock-bugs-'));

const rows: string[] = [];
for (const v of RULE_VARIANTS) {
  const file = v.scenario.replace(/\.yaml$/, '-find.yaml');
  const s = loadScenario(file, 'check');
  // a proposed variant is the fix: the file runs Ceph main, which has the bug
  const clean = v.status === 'fixed' ? 'main' : 'the fix';
  const bug = check(clusterModel(s), { out, file }, () => '');
  const main = check(clusterModel(s, { rules: v.status === 'fixed' ? [] : [v.id] }), { out, file, maxStates: 1_000_000 }, () => '');
  const found = bug.violation ? `${bug.violation.property} in ${bug.result.distinct.toLocaleString('en-US')} states, ${(bug.result.ms / 1000).toFixed(2)} s` : 'not found';
  const without = main.violation ? `${clean}: ${main.violation.property} (${main.violation.message.split('\n')[0]})` : `${clean}: exhausted, ${main.result.distinct.toLocaleString('en-US')} states, no violation`;
  const f = FUZZ[v.id];
  let byFuzz: string;
  if (typeof f === 'string') byFuzz = `not by fuzz: ${f}`;
  else {
    const o: FuzzOptions = { runs: RUNS, seed: 1, steps: 50, ...f, rules: [v.id] };
    const r = fuzz(o);
    const m = fuzz({ ...o, rules: [] });
    byFuzz = r.failed ? `${r.failed.failure!.what} at run ${r.runs}, ${(r.ms / 1000).toFixed(1)} s` : `not found in ${RUNS} runs`;
    byFuzz += `; main: ${m.failed ? `${m.failed.failure!.what} at run ${m.runs}` : `${RUNS} runs pass`}`;
    byFuzz += ` (${[`--mode ${o.mode}`, ...(o.faults?.length ? [`--faults ${o.faults.join(',')}`] : []), ...(o.wrlockForce ? ['--wrlock-force'] : [])].join(' ')})`;
  }
  rows.push(`| ${v.id} | ${found}; ${without} | ${byFuzz} |`);
  console.log(rows[rows.length - 1]);
}
