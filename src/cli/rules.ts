// `mdslock rules [id] [--json]`: the historical rule variants (src/rules/variants.ts), each
// with the Ceph fix it reverts (or, proposed, applies), what it changes and the scenario that shows its bug.
import { Command, InvalidArgumentError } from 'commander';
import { stateName } from '../../statemachines/index.js';
import { RULE_VARIANTS, isRuleId, unknownRuleMessage, type RuleVariant } from '../rules/variants.js';
import { outStyle, type Cli } from './context.js';
import type { Style } from '../trace/style.js';

const changeText = (v: RuleVariant): string => (v.change.kind === 'rule'
  ? `a rule switch in ${v.change.at}`
  : `a table cell: ${v.change.machine} ${stateName(v.change.state)} column ${v.change.column} = ${v.change.was} (Ceph main: ${!v.change.was})`);

export const ruleJson = (v: RuleVariant) => ({
  id: v.id, status: v.status, source: v.source, summary: v.summary, description: v.description,
  change: v.change.kind === 'rule' ? { kind: 'rule', at: v.change.at } : { kind: 'table', machine: v.change.machine, state: stateName(v.change.state), column: v.change.column, was: v.change.was },
  scenario: v.scenario,
});

function ruleText(v: RuleVariant, st: Style, full: boolean): string {
  return [
    `${st.ok(v.id)}  ${changeText(v)}`,
    `  ${v.summary}`,
    ...(full ? ['', ...wrap(v.description, 96).map((l) => `  ${l}`), ''] : []),
    ...v.source.map((s) => `  ${st.dim(v.status === 'fixed' ? 'reverts' : 'applies the fix proposed in')} ${s}`),
    `  ${st.dim('scenario')} ${v.scenario}`,
  ].join('\n') + '\n';
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line && line.length + 1 + w.length > width) { out.push(line); line = w; } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out;
}

export function rulesCommand(cli: Cli): Command {
  return new Command('rules')
    .description("list the historical rule variants: each puts back a rule Ceph once had and later fixed, or applies a fix proposed for a bug Ceph main has (select them with a file's rules: or --rules on replay, fuzz and check)")
    .argument('[id]', 'one variant, with its full description')
    .option('--json', 'one JSON object: the variants (schema: docs/schemas/rules.schema.json)')
    .action((id: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      if (id !== undefined && !isRuleId(id)) throw new InvalidArgumentError(unknownRuleMessage(id));
      const list = id === undefined ? RULE_VARIANTS : RULE_VARIANTS.filter((v) => v.id === id);
      const st = outStyle(cli, cmd);
      cli.out.write(opts.json ? JSON.stringify({ rules: list.map(ruleJson) }, null, 2) + '\n'
        : list.map((v) => ruleText(v, st, id !== undefined)).join('\n'));
    });
}
