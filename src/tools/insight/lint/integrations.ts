/**
 * Integrations left in maintenance: maintenance mode collects alerts without escalating, debug mode
 * escalates without notifying, so past a few hours it is usually forgotten, not intended.
 */
import { formatInstant } from '../../format.js';
import { call } from './fix.js';
import { span } from './describe.js';
import type { Org } from './org.js';
import type { Scope } from './scope.js';
import type { Finding } from './types.js';

/** Longer than this in maintenance is worth a finding. */
export const MAINTENANCE_HOURS = 12;

export function integrationRules(org: Org, scope: Scope): Finding[] {
  const findings: Finding[] = [];
  for (const i of scope.integrations) {
    if (!i.maintenance_mode || !i.maintenance_started_at) continue;
    const since = Math.round((org.now - Date.parse(i.maintenance_started_at)) / 1000);
    if (since < MAINTENANCE_HOURS * 3600) continue;
    const until = i.maintenance_end_at ? ` until ${formatInstant(i.maintenance_end_at, null)}` : '';
    findings.push({
      rule: 'integration-long-maintenance',
      severity: 'warning',
      object: { kind: 'integration', id: i.id, name: i.name },
      problem: `in ${i.maintenance_mode} mode for ${span(Math.floor(since / 3600) * 3600)}${until}`,
      why: i.maintenance_mode === 'maintenance'
        ? 'its alerts are collected and escalate to nobody'
        : 'its alerts escalate silently: nobody is notified',
      fix: [call('set_integration_maintenance', { integration_id: i.id, mode: 'off' })],
    });
  }
  return findings;
}
