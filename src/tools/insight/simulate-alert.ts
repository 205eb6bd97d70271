/**
 * `simulate_alert`: what an alert with this payload would do if it arrived now (or at `at`): the
 * route that takes it and why, its chain, whether it joins an open alert group, and the escalation
 * it would run — the engine's routing function and runtime, with nothing stored, sent or notified.
 */
import * as z from 'zod';
import { AlertSimulation, type RouteCheck } from '../../api/types.js';
import { defineTool, READ_ONLY } from '../define.js';
import { formatInstant } from '../format.js';
import type { NameBook } from '../names.js';
import { IntegrationId, ZonedDateTime } from '../params.js';
import { formatSimulationSummary } from '../summaries.js';

function routeLabel(check: RouteCheck): string {
  if (check.position === null) return `the default route (${check.route_id})`;
  return `route [${check.position}] ${check.routing_type} ${JSON.stringify(check.routing_regex)} (${check.route_id})`;
}

function chainLabel(id: string | null, names: NameBook): string {
  if (id === null) return 'no escalation chain';
  const name = names.chains.get(id);
  return name ? `chain "${name}" (${id})` : `chain ${id}`;
}

export const simulateAlert = defineTool({
  name: 'simulate_alert',
  toolset: 'integrations',
  title: 'Simulate an alert (which route, which chain, who is notified)',
  description: 'Which route an alert payload would take and why, its chain, and who would be notified how and when. Sends nothing.',
  input: z.object({
    integration: IntegrationId,
    // Any JSON object: `additionalProperties: true` keeps every schema node typed for single-type dialects.
    payload: z.record(z.string(), z.unknown()).meta({ additionalProperties: true }).describe('The alert as its source sends it (JSON object).'),
    at: ZonedDateTime.optional().describe('Arrival, ISO with zone (default now).'),
  }),
  output: AlertSimulation,
  annotations: READ_ONLY,
  async run({ integration, payload, at }, { backend, progress }) {
    progress('routing the alert and simulating its escalation');
    return backend.integrations.simulateAlert(integration, { payload, at });
  },
  async text(out, { names }) {
    const book = await names.book('users', 'chains', 'integrations');
    const integration = book.integrations.get(out.integration_id);
    const label = integration ? `"${integration}" (${out.integration_id})` : out.integration_id;
    const lines = [`Simulated alert to ${label} at ${formatInstant(out.at, null, { seconds: true })}. Nothing was stored or sent.`];
    const skipped = out.checked.filter((c) => !c.matched);
    lines.push(`Taken by ${routeLabel(out.route)}: ${out.route.saw} → ${chainLabel(out.route.escalation_chain_id, book)}.`);
    for (const c of skipped) lines.push(`  not ${routeLabel(c)}: ${c.saw}`);
    lines.push(`Grouping key: ${JSON.stringify(out.grouping_key)}${out.joins_alert_group ? ` (joins open alert group ${out.joins_alert_group})` : ''}.`);
    lines.push(...out.notes);
    if (out.escalation) {
      lines.push('', formatSimulationSummary(out.escalation, book));
      if (out.escalation.computed) lines.push(out.escalation.computed);
    } else lines.push('No escalation would start: nobody would be notified by this alert.');
    return lines.join('\n');
  },
});
