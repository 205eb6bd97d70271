import * as z from 'zod';
import { defineTool, READ_ONLY } from '../../define.js';
import { formatInstant } from '../../format.js';
import { renderCall } from './fix.js';
import { DEFAULT_DAYS, lintOrganisation } from './runner.js';
import { type LintReport, LintReport as LintReportSchema } from './types.js';

const MARK = { error: 'ERROR', warning: 'WARN', info: 'INFO' } as const;

export function formatLint(r: LintReport): string {
  const where = r.scope ? `${r.scope.kind.replace('_', ' ')} "${r.scope.name}" (${r.scope.id})` : 'the whole organisation';
  const c = r.checked;
  const counted = `${r.counts.error} error${r.counts.error === 1 ? '' : 's'}, ${r.counts.warning} warning${r.counts.warning === 1 ? '' : 's'}, ${r.counts.info} note${r.counts.info === 1 ? '' : 's'}`;
  const lines = [
    `Lint of ${where}, on call ${formatInstant(r.window.from, null)} to ${formatInstant(r.window.to, null)}: ${r.findings.length ? counted : 'no findings'}.`,
    `Checked ${c.integrations} integrations, ${c.routes} routes, ${c.escalation_chains} chains, ${c.schedules} schedules, ${c.people} people, ${c.webhooks} webhooks.`,
  ];
  for (const f of r.findings) {
    lines.push(`${MARK[f.severity]} ${f.object.kind.replace('_', ' ')} ${f.object.name} (${f.object.id}): ${f.problem}. Why: ${f.why}. [${f.rule}]`);
    if (f.fix.length) lines.push(`  fix: ${f.fix.map(renderCall).join(' ; then ')}${f.fix_note ? ` (${f.fix_note})` : ''}`);
    else if (f.fix_note) lines.push(`  fix: ${f.fix_note}`);
  }
  for (const u of r.unchecked) lines.push(`Not checked: ${u}.`);
  return lines.join('\n');
}

export const lintOncall = defineTool({
  name: 'lint_oncall',
  toolset: 'oncall',
  title: 'Check the on-call setup for defects that page nobody',
  description:
    'Find what would keep a page from reaching a human (routes, chains, steps, schedules, people\'s rules, webhooks, maintenance), each with the tool call that fixes it.',
  input: z.object({
    scope: z
      .string()
      .optional()
      .describe('Team, integration, chain or schedule: name or id (default: the whole organisation).'),
    days: z.number().int().min(1).max(30).optional().describe(`Days ahead checked for who is on call and gaps (default ${DEFAULT_DAYS}).`),
  }),
  output: LintReportSchema,
  annotations: READ_ONLY,
  run: (args, { backend, index, signal }) =>
    lintOrganisation(backend, index, { scope: args.scope, days: args.days, signal }),
  text: (out) => formatLint(out),
});
