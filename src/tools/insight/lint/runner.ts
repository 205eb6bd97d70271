/**
 * Runs every rule family over one read of the organisation and orders the findings: errors first,
 * then warnings, then notes, each in the order the organisation lists its objects.
 */
import type { OnCallBackend } from '../../../api/backend.js';
import type { DirectoryIndex } from '../../lookup/directory-index.js';
import { isoZ } from '../../oncall/schedule-answer.js';
import { integrationRules } from './integrations.js';
import { loadOrg } from './org.js';
import { peopleRules } from './people.js';
import { routingRules } from './routing.js';
import { scheduleRules } from './schedules.js';
import { scopeOf } from './scope.js';
import { stepRules } from './steps.js';
import { type LintReport, SEVERITIES } from './types.js';
import { webhookRules } from './webhooks.js';

export interface LintOptions {
  scope?: string | undefined;
  days?: number | undefined;
  signal?: AbortSignal | undefined;
}

export const DEFAULT_DAYS = 7;

export async function lintOrganisation(
  backend: OnCallBackend,
  index: DirectoryIndex,
  options: LintOptions = {},
): Promise<LintReport> {
  const org = await loadOrg(backend, index, options.days ?? DEFAULT_DAYS, options.signal);
  const scope = await scopeOf(org, index, options.scope);
  const [schedules, people, webhooks] = await Promise.all([
    scheduleRules(org, scope),
    peopleRules(org, scope),
    webhookRules(org, scope),
  ]);
  const all = [
    ...routingRules(org, scope),
    ...stepRules(org, scope),
    ...schedules,
    ...people.findings,
    ...webhooks,
    ...integrationRules(org, scope),
  ];
  const findings = SEVERITIES.flatMap((s) => all.filter((f) => f.severity === s));
  const count = (s: (typeof SEVERITIES)[number]) => findings.filter((f) => f.severity === s).length;
  return {
    scope: scope.ref,
    window: { from: isoZ(org.window.from), to: isoZ(org.window.to) },
    counts: { error: count('error'), warning: count('warning'), info: count('info') },
    checked: {
      integrations: scope.integrations.length,
      routes: scope.routes.length,
      escalation_chains: scope.chains.length,
      schedules: scope.schedules.length,
      people: people.checked,
      webhooks: scope.webhooks.length,
    },
    findings,
    unchecked: [...org.unchecked],
  };
}
