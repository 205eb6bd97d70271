/**
 * Where alerts go: a route with no chain escalates to nobody (OnCall accepts it and shows the alert
 * group, but pages no one); a chain whose steps name nobody before it ends or resolves does the same
 * with more steps.
 */
import type { Integration } from '../../../api/types.js';
import { call } from './fix.js';
import { chainObject, namesSomeone, routeObject, teamMembers } from './describe.js';
import type { Org } from './org.js';
import type { Scope } from './scope.js';
import type { Finding, FixCall } from './types.js';

export type ChainReach = 'reaches' | 'empty' | 'resolves-first' | 'names-nobody';

/** Whether a chain notifies anyone before it ends or resolves, read from its steps. */
export function chainReach(org: Org, chainId: string): ChainReach {
  const steps = org.steps.get(chainId) ?? [];
  if (!steps.length) return 'empty';
  for (const p of steps) {
    if (p.type === 'resolve') return 'resolves-first';
    if (namesSomeone(org, p)) return 'reaches';
  }
  return 'names-nobody';
}

/** A chain that pages someone, for a fix: the integration's default route's, then one of its team, then any. */
function chainFor(org: Org, integration: Integration | undefined): string | undefined {
  const good = (id: string | null | undefined): id is string => !!id && chainReach(org, id) === 'reaches';
  const fallback = integration?.default_route.escalation_chain_id;
  if (good(fallback)) return fallback;
  const team = org.chains.find((c) => c.team_id === integration?.team_id && good(c.id));
  return team?.id ?? org.chains.find((c) => good(c.id))?.id;
}

/** A first step that pages someone, for a chain that names nobody: its team's schedule, else its team. */
function firstStepFor(org: Org, chainId: string): FixCall | undefined {
  const teamId = org.chains.find((c) => c.id === chainId)?.team_id ?? null;
  const schedules = [...org.schedules.values()];
  const schedule = schedules.find((s) => teamId !== null && s.teamIds?.includes(teamId)) ?? schedules[0];
  if (schedule) {
    return call('create_escalation_policy', {
      escalation_chain_id: chainId,
      type: 'notify_on_call_from_schedule',
      notify_on_call_from_schedule: schedule.id,
      position: 0,
    });
  }
  if (teamId && teamMembers(org, teamId).length) {
    return call('create_escalation_policy', { escalation_chain_id: chainId, type: 'notify_team_members', team_to_notify: teamId, position: 0 });
  }
  return undefined;
}

const REACH_PROBLEM: Record<Exclude<ChainReach, 'reaches'>, string> = {
  'empty': 'has no steps',
  'resolves-first': 'resolves the alert group before any step notifies anyone',
  'names-nobody': 'has no step that names anyone to notify',
};

export function routingRules(org: Org, scope: Scope): Finding[] {
  const findings: Finding[] = [];
  for (const r of scope.routes) {
    if (r.escalation_chain_id !== null) continue;
    const integration = org.integrations.find((i) => i.id === r.integration_id);
    const chain = chainFor(org, integration);
    findings.push({
      rule: 'route-without-chain',
      severity: 'error',
      object: routeObject(org, r),
      problem: 'has no escalation chain',
      why: 'alerts it matches create an alert group and page nobody',
      fix: chain ? [call('update_route', { route_id: r.id, escalation_chain_id: chain })] : [],
      ...(chain ? {} : { fix_note: 'no chain here pages anyone yet: create one (create_escalation_chain) and give it to the route' }),
    });
  }
  for (const c of scope.chains) {
    const reach = chainReach(org, c.id);
    if (reach === 'reaches') continue;
    const routes = org.routes.filter((r) => r.escalation_chain_id === c.id).length;
    const fix = firstStepFor(org, c.id);
    findings.push({
      rule: 'chain-notifies-nobody',
      severity: scope.routed.has(c.id) ? 'error' : 'warning',
      object: chainObject(org, c.id),
      problem: REACH_PROBLEM[reach],
      why: routes
        ? `${routes} route${routes === 1 ? '' : 's'} send alerts here, and nobody is paged for them`
        : 'no route uses it now, but a route given this chain would page nobody',
      fix: fix ? [fix] : [],
      ...(fix ? {} : { fix_note: 'add a step that notifies someone (create_escalation_policy)' }),
    });
  }
  return findings;
}
