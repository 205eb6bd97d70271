/** How findings name things: by name and id, the way the other tools' texts do. */
import { facts, knownStepType } from '../../../api/step-types.js';
import type { EscalationPolicy, Route } from '../../../api/types.js';
import type { Entry } from '../../lookup/directory-index.js';
import type { Org } from './org.js';
import type { LintObject } from './types.js';

export const integrationName = (org: Org, id: string) => org.integrations.find((i) => i.id === id)?.name ?? id;
export const chainName = (org: Org, id: string) => org.chains.find((c) => c.id === id)?.name ?? id;
export const userName = (org: Org, id: string) => org.users.get(id)?.name ?? id;
export const scheduleName = (org: Org, id: string) => org.schedules.get(id)?.name ?? id;

export function routeObject(org: Org, r: Route): LintObject {
  const where = r.is_the_last_route ? 'default route' : `route #${r.position} (${r.routing_regex ?? ''})`;
  return { kind: 'route', id: r.id, name: `${where} of "${integrationName(org, r.integration_id)}"` };
}

export const chainObject = (org: Org, id: string): LintObject => ({ kind: 'escalation_chain', id, name: chainName(org, id) });

/** `step 3 (wait) of "SRE critical"`: the step's place as people see it, 1-based. */
export function stepObject(org: Org, p: EscalationPolicy): LintObject {
  const steps = org.steps.get(p.escalation_chain_id) ?? [];
  const n = steps.findIndex((s) => s.id === p.id) + 1;
  return { kind: 'escalation_policy', id: p.id, name: `step ${n} (${p.type ?? 'no type'}) of "${chainName(org, p.escalation_chain_id)}"` };
}

export const userObject = (org: Org, id: string): LintObject => ({ kind: 'user', id, name: userName(org, id) });
export const scheduleObject = (org: Org, id: string): LintObject => ({ kind: 'schedule', id, name: scheduleName(org, id) });

/** Viewers and users without a role cannot be notified (OnCall skips them). */
export const notifiable = (u: Entry | undefined) => u !== undefined && u.role !== 'viewer' && u.role !== 'none';

export const teamMembers = (org: Org, teamId: string) =>
  org.userList.filter((u) => u.teamIds?.includes(teamId) && notifiable(u));

/**
 * Whether a step names anyone it could notify, from the configuration alone: listed people who
 * exist and can be notified, a schedule or user group that exists, a team with members, the
 * route's channel. Whether anyone is on call in the schedule is the schedule rules' question.
 */
export function namesSomeone(org: Org, p: EscalationPolicy): boolean {
  const type = knownStepType(p.type);
  if (!type) return false;
  const f = facts(type);
  if (!f.notifies) return false;
  if (!f.target) return true; // the whole channel
  const value = p[f.target.field];
  if (f.target.many) return Array.isArray(value) && value.some((id) => notifiable(org.users.get(id)) || (!org.loaded.users && typeof id === 'string'));
  if (typeof value !== 'string' || !value) return false;
  switch (f.target.kind) {
    case 'schedule':
      return org.schedules.has(value) || !org.loaded.schedules;
    case 'userGroup':
      return org.groups.has(value) || !org.loaded.groups;
    case 'team':
      return teamMembers(org, value).length > 0 || !org.loaded.users;
    default:
      return true;
  }
}

/** Minutes or hours, for durations in findings. */
export function span(seconds: number): string {
  if (seconds % 3600 === 0 && seconds >= 3600) return `${seconds / 3600} h`;
  if (seconds >= 60) return `${Math.round(seconds / 60)} min`;
  return `${seconds} s`;
}
