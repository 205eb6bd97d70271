/**
 * Steps that look configured and do nothing, or do harm: a notify step whose people, schedule,
 * group or team is gone or empty (OnCall records the step as failed and goes on, so nobody is paged
 * by it); a webhook step whose webhook is gone or off; a `repeat_escalation` with no wait before
 * it (the chain runs again at once, up to five times, so everyone is paged several times within
 * seconds and the chain is spent before anyone can answer); a time gate that never opens, or one
 * that stands before every step that pages anyone (outside its hours nobody hears of the alert
 * until it opens, docs/semantics.md §4.3).
 */
import { facts, knownStepType } from '../../../api/step-types.js';
import type { EscalationPolicy } from '../../../api/types.js';
import { call } from './fix.js';
import { namesSomeone, notifiable, span, stepObject, teamMembers, userName } from './describe.js';
import type { Org } from './org.js';
import type { Scope } from './scope.js';
import type { Finding, FixCall } from './types.js';

const DAY_S = 86_400;

/** Seconds after midnight UTC of `HH:MM:SS` (a trailing Z or offset-free). */
function secondsOf(t: string | null | undefined): number | undefined {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(t ?? '');
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0) : undefined;
}

/** Fix for a step that names nobody: point it at people who can be paged, or remove it. */
function retarget(org: Org, p: EscalationPolicy, field: string): FixCall {
  const teamId = org.chains.find((c) => c.id === p.escalation_chain_id)?.team_id;
  const kind = knownStepType(p.type) ? facts(knownStepType(p.type)!).target?.kind : undefined;
  if (kind === 'user') {
    const listed = (p[field as 'persons_to_notify'] ?? []).filter((id) => notifiable(org.users.get(id)));
    const people = listed.length ? listed : teamId ? teamMembers(org, teamId).map((u) => u.id).slice(0, 1) : [];
    if (people.length) return call('update_escalation_policy', { escalation_policy_id: p.id, [field]: people });
  }
  if (kind === 'schedule') {
    const schedule = [...org.schedules.values()].find((s) => !teamId || s.teamIds?.includes(teamId));
    if (schedule) return call('update_escalation_policy', { escalation_policy_id: p.id, [field]: schedule.id });
  }
  return call('delete_escalation_policy', { escalation_policy_id: p.id });
}

function targetFinding(org: Org, p: EscalationPolicy): Finding | undefined {
  const type = knownStepType(p.type);
  if (!type) return undefined;
  const f = facts(type);
  if (!f.target) return undefined;
  const field = f.target.field;
  const value = p[field];
  const base = { object: stepObject(org, p), severity: 'error' as const };
  if (f.target.kind === 'webhook') {
    const hook = typeof value === 'string' ? org.webhooks.find((w) => w.id === value) : undefined;
    if (typeof value !== 'string' || !value || (!hook && !org.unchecked.size)) {
      return {
        ...base,
        rule: 'step-target-missing',
        severity: 'warning',
        problem: typeof value === 'string' && value ? `triggers webhook ${value}, which no longer exists` : 'names no webhook',
        why: 'whatever the webhook was for (an incident channel, a status page) does not happen',
        fix: [call('delete_escalation_policy', { escalation_policy_id: p.id })],
        fix_note: 'or point it at a webhook (update_escalation_policy action_to_trigger=…)',
      };
    }
    if (hook && !hook.is_webhook_enabled) {
      return {
        ...base,
        rule: 'step-webhook-disabled',
        severity: 'warning',
        problem: `triggers webhook "${hook.name}" (${hook.id}), which is disabled`,
        why: 'the step sends nothing while the webhook is off',
        fix: [call('update_webhook', { webhook_id: hook.id, is_webhook_enabled: true })],
      };
    }
    return undefined;
  }
  if (namesSomeone(org, p)) {
    // Some of the listed people are gone or cannot be notified: the rest still are.
    if (f.target.many && Array.isArray(value) && org.loaded.users) {
      const lost = value.filter((id) => !notifiable(org.users.get(id)));
      if (lost.length) {
        return {
          ...base,
          rule: 'step-target-missing',
          severity: 'warning',
          problem: `names ${lost.map((id) => (org.users.has(id) ? `${userName(org, id)} (${id}, cannot be notified: ${org.users.get(id)?.role})` : `${id} (no such user)`)).join(', ')}`,
          why: 'the step pages fewer people than it says',
          fix: [retarget(org, p, field)],
        };
      }
    }
    return undefined;
  }
  if (!f.notifies) return undefined;
  let problem: string;
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) problem = `names nobody (${field} is empty)`;
  else if (f.target.kind === 'user') problem = `names only people who cannot be notified or no longer exist (${(value as string[]).join(', ')})`;
  else if (f.target.kind === 'team') problem = `notifies team ${org.teams.get(value as string)?.name ?? value} (${String(value)}), which has no members who can be notified`;
  else problem = `names ${f.target.kind === 'userGroup' ? 'user group' : f.target.kind} ${String(value)}, which no longer exists`;
  return {
    ...base,
    rule: 'step-target-missing',
    problem,
    why: 'OnCall records the step as failed and goes on: nobody is paged by it',
    fix: [retarget(org, p, field)],
  };
}

function repeatFinding(org: Org, steps: readonly EscalationPolicy[], i: number): Finding | undefined {
  const before = steps.slice(0, i);
  if (before.some((p) => p.type === 'wait' && (p.duration ?? 300) > 0)) return undefined;
  const p = steps[i]!;
  return {
    rule: 'repeat-without-wait',
    severity: 'error',
    object: stepObject(org, p),
    problem: 'repeats the chain with no wait before it',
    why: 'the chain runs again at once, up to 5 times: everyone is paged repeatedly within seconds and the chain is spent before anyone can answer',
    fix: [call('create_escalation_policy', { escalation_chain_id: p.escalation_chain_id, type: 'wait', duration: 300, position: p.position })],
  };
}

function gateFindings(org: Org, steps: readonly EscalationPolicy[], i: number): Finding[] {
  const p = steps[i]!;
  const from = secondsOf(p.notify_if_time_from);
  const to = secondsOf(p.notify_if_time_to);
  if (from === undefined || to === undefined) return [];
  const base = { object: stepObject(org, p) };
  if (from === to) {
    return [{
      ...base,
      rule: 'time-gate-never-open',
      severity: 'error',
      problem: `its window ${p.notify_if_time_from}–${p.notify_if_time_to} is empty`,
      why: 'every escalation stops here for up to a day before the steps after it run',
      fix: [call('delete_escalation_policy', { escalation_policy_id: p.id })],
      fix_note: 'or give it a real window (update_escalation_policy notify_if_time_to=…)',
    }];
  }
  const pagesBefore = steps.slice(0, i).some((s) => namesSomeone(org, s));
  const pagesAfter = steps.slice(i + 1).some((s) => namesSomeone(org, s));
  if (pagesBefore || !pagesAfter) return [];
  const closed = (from < to ? DAY_S - (to - from) : from - to);
  const pager = steps.slice(i + 1).find((s) => namesSomeone(org, s))!;
  return [{
    ...base,
    rule: 'time-gate-closes-paging',
    severity: 'warning',
    problem: `every step that pages anyone comes after this gate (open ${p.notify_if_time_from}–${p.notify_if_time_to})`,
    why: `for ${span(closed)} a day an alert pages nobody until the window opens`,
    fix: [call('update_escalation_policy', { escalation_policy_id: p.id, position: pager.position })],
    fix_note: 'moves the gate after the first step that pages, so someone hears at all hours and only the widening waits for the window',
  }];
}

export function stepRules(org: Org, scope: Scope): Finding[] {
  const findings: Finding[] = [];
  for (const c of scope.chains) {
    const steps = org.steps.get(c.id) ?? [];
    steps.forEach((p, i) => {
      const target = targetFinding(org, p);
      if (target) findings.push(target);
      if (p.type === 'repeat_escalation') {
        const repeat = repeatFinding(org, steps, i);
        if (repeat) findings.push(repeat);
      }
      if (p.type === 'notify_if_time_from_to') findings.push(...gateFindings(org, steps, i));
    });
  }
  return findings;
}
