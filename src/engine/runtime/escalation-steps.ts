/**
 * The escalation of one alert group (oncall-engine.md §3): a snapshot of the chain frozen at start,
 * then one step at a time on the engine clock: the first step 1 s after the group starts, the next
 * 5 s after each non-wait step, a wait's own delay after a wait, 10 s after a restart.
 */
import { formatSeconds } from '../../api/durations.js';
import { nextSegment, NEXT_ON_CALL_LOOKAHEAD, timeGateOpen } from '../escalation/chain-on-call.js';
import { policiesInChain } from '../escalation/escalation-policies.js';
import { nextInRoundRobin, roundRobinQueue } from '../escalation/round-robin.js';
import { activeMaintenance } from '../alerting/integration-types.js';
import { startPersonalChain } from './personal-notifications.js';
import { scheduleOnCallAt } from '../schedules/schedule-resolver.js';
import type { AlertGroupRecord, EscalationRun, PolicyRecord, SnapshotStep, State } from '../core/state.js';
import { humanList, record, username } from '../alerting/timeline.js';

export const FIRST_STEP_DELAY = 1;
export const RESTART_DELAY = 10;
const STEP_GAP = 5;
const DEFAULT_WAIT = 300;
const MAX_REPEATS = 5;
const DAY = 86_400_000;

/** What a webhook step needs done outside the engine (an HTTP request), reported back later. */
export type WebhookTrigger = (group: AlertGroupRecord, webhookId: string, at: number) => void;

function snapshotStep(policy: PolicyRecord): SnapshotStep {
  const { id, chainId, order, ...settings } = policy; // the snapshot keeps the settings, not the placement
  return { ...settings, userIds: [...policy.userIds], policyId: id, repeatCount: 0 };
}

/** The chain an alert group escalates through: its route's. */
export function chainOf(state: State, group: AlertGroupRecord): string | null {
  return group.routeId ? (state.routes.get(group.routeId)?.chainId ?? null) : null;
}

/**
 * Freeze the chain and schedule its first step. Without a chain, or while the integration is in
 * maintenance, the escalation finishes at once.
 */
export function startEscalation(
  state: State,
  group: AlertGroupRecord,
  now: number,
  delaySeconds: number,
  opts: { chainId?: string | null; forceImportant?: boolean } = {},
): void {
  const chainId = opts.chainId !== undefined ? opts.chainId : chainOf(state, group);
  const integration = state.integrations.get(group.integrationId);
  const run: EscalationRun = {
    token: (group.escalation?.token ?? 0) + 1,
    chainId,
    steps: chainId ? policiesInChain(state, chainId).map(snapshotStep) : [],
    nextIndex: 0,
    nextAt: now + delaySeconds * 1000,
    paused: false,
    finished: false,
    forceImportant: opts.forceImportant ?? group.escalation?.forceImportant ?? false,
  };
  group.escalation = run;
  const maintenance = integration && activeMaintenance(integration, now);
  if (!chainId || maintenance) {
    run.nextAt = null;
    run.finished = true;
    const why = maintenance ? `integration in ${maintenance.mode} mode` : 'the route has no escalation chain';
    record(group, { at: now, event: 'escalation_finished', text: `No escalation: ${why}` });
  }
}

/**
 * Restart after un-acknowledge, un-resolve, unsilence: a fresh snapshot (counters reset, round
 * robin re-read from the policies), unless the alert-count gate holds it, which is reused.
 */
export function restartEscalation(state: State, group: AlertGroupRecord, now: number, delaySeconds: number): void {
  const run = group.escalation;
  if (run?.paused) {
    // Still paused until the gate lets it through, so the gate does not log its pause again.
    run.nextAt = now + delaySeconds * 1000;
    return;
  }
  startEscalation(state, group, now, delaySeconds);
}

/** Escalation stops (acknowledge, resolve, silence forever). */
export function stopEscalation(group: AlertGroupRecord): void {
  if (!group.escalation) return;
  group.escalation.nextAt = null;
  group.escalation.finished = true;
}

/** The next window start of a UTC time-of-day gate (§3.4). */
function nextWindowStart(timeFrom: string, now: number): number {
  const [h, m, s] = timeFrom.split(':').map(Number) as [number, number, number];
  const dayStart = now - (now % DAY);
  const today = dayStart + ((h * 60 + m) * 60 + s) * 1000;
  return today > now ? today : today + DAY;
}

function alertsInWindow(state: State, group: AlertGroupRecord, minutes: number): number {
  const times = group.alertIds.map((id) => state.alerts.get(id)?.createdAt ?? 0);
  const latest = Math.max(...times);
  return times.filter((t) => t >= latest - minutes * 60_000).length;
}

/** Run the escalation's next step at `now`. */
export function runEscalationStep(state: State, group: AlertGroupRecord, now: number, webhooks: WebhookTrigger): void {
  const run = group.escalation;
  if (!run || run.nextAt === null) return;
  // Checks before every step (§3.1).
  if (group.acknowledged || group.resolved || (group.silenced && group.silencedUntil === null)) {
    stopEscalation(group);
    return;
  }
  if (group.silenced || group.wiped || group.rootAlertGroupId) {
    run.nextAt = null; // a timed silence restarts escalation when it ends
    return;
  }
  const step = run.steps[run.nextIndex];
  if (!step) {
    record(group, { at: now, event: 'escalation_finished', text: 'Escalation finished' });
    stopEscalation(group);
    return;
  }
  const base = { at: now, policyId: step.policyId, step: step.type ?? 'unset' };
  const advance = (seconds: number) => {
    run.nextIndex += 1;
    run.nextAt = now + seconds * 1000;
  };
  const fail = (text: string, seconds = STEP_GAP) => {
    record(group, { ...base, event: 'escalation_failed', text });
    advance(seconds);
  };
  const important = step.important || run.forceImportant;
  const notify = (userIds: readonly string[], why: string) => {
    const people = [...new Set(userIds)].filter((id) => state.users.has(id));
    if (!people.length) return fail(`${why}: nobody to notify`);
    record(group, {
      ...base,
      event: 'escalation_triggered',
      important,
      text: `${why}: notifying ${humanList(people.map((id) => username(state, id)))}${important ? ' (important)' : ''}`,
    });
    for (const id of people) startPersonalChain(group, id, now, { important });
    advance(STEP_GAP);
  };
  const schedule = step.scheduleId ? state.schedules.get(step.scheduleId) : undefined;

  switch (step.type) {
    case null:
      return fail('Unspecified step');
    case 'wait':
      if (step.duration === null) return fail('Wait step not configured: waiting the default 5m', DEFAULT_WAIT);
      record(group, { ...base, event: 'escalation_triggered', text: `Wait ${formatSeconds(step.duration)}` });
      return advance(step.duration);
    case 'notify_persons':
      return notify(step.userIds, 'Notify persons');
    case 'notify_person_next_each_time': {
      const queue = roundRobinQueue(state, step.userIds);
      const next = nextInRoundRobin(queue, step.roundRobinLastUserId);
      if (!next) return fail('Round robin: the queue is empty');
      // The pointer moves in this snapshot and on the policy itself (§3.3).
      step.roundRobinLastUserId = next.id;
      const policy = state.policies.get(step.policyId);
      if (policy) policy.roundRobinLastUserId = next.id;
      return notify([next.id], 'Round robin');
    }
    case 'notify_on_call_from_schedule': {
      if (!schedule) return fail('Schedule not selected');
      const users = scheduleOnCallAt(state, schedule, now);
      if (!users.length) return fail(`No valid users: nobody is on call in "${schedule.name}"`);
      return notify(users, `On call in "${schedule.name}"`);
    }
    case 'notify_next_on_call_from_schedule': {
      if (!schedule) return fail('Schedule not selected');
      const segment = nextSegment(state, schedule, now, NEXT_ON_CALL_LOOKAHEAD);
      if (!segment) return fail(`No valid users: no next shift in "${schedule.name}" within 14 days`);
      return notify(segment.users, `Next on call in "${schedule.name}"`);
    }
    case 'notify_user_group': {
      const userGroup = step.userGroupId ? state.userGroups.get(step.userGroupId) : undefined;
      if (!userGroup?.members.length) return fail('User group is empty');
      return notify(userGroup.members, `User group @${userGroup.slack.handle}`);
    }
    case 'notify_team_members': {
      const team = step.teamId ? state.teams.get(step.teamId) : undefined;
      if (!team) return fail('Team not configured');
      const members = [...state.users.values()].filter((u) => u.teams.includes(team.id)).map((u) => u.id);
      return notify(members, `Members of team ${team.name}`);
    }
    case 'notify_whole_channel': {
      const channel = group.routeId ? state.routes.get(group.routeId)?.slack.channel_id : null;
      if (!state.organization.slack_team_id || !channel) return fail('Notify whole channel: no Slack channel on the route');
      record(group, { ...base, event: 'escalation_triggered', text: `Notified everyone in Slack channel ${channel}` });
      return advance(STEP_GAP);
    }
    case 'trigger_webhook': {
      const hook = step.webhookId ? state.webhooks.get(step.webhookId) : undefined;
      if (!hook) return fail('Webhook not configured');
      if (!hook.is_webhook_enabled) return fail(`Webhook "${hook.name}" is disabled`);
      record(group, { ...base, event: 'webhook', text: `Triggered webhook "${hook.name}" (${hook.http_method} ${hook.url})` });
      webhooks(group, hook.id, now); // fire and forget: its result never stops the chain
      return advance(STEP_GAP);
    }
    case 'resolve':
      record(group, { ...base, event: 'resolved', text: 'Resolved by the escalation chain (final resolve step)' });
      group.resolved = true;
      group.resolvedAt = now;
      group.resolvedBy = null;
      group.silenced = false;
      stopEscalation(group);
      return;
    case 'notify_if_time_from_to': {
      if (!step.timeFrom || !step.timeTo) return fail('Time window not configured');
      if (timeGateOpen(step.timeFrom, step.timeTo, now)) {
        record(group, { ...base, event: 'escalation_triggered', text: 'Inside the time window: continuing' });
        return advance(STEP_GAP);
      }
      const resume = nextWindowStart(step.timeFrom, now);
      record(group, {
        ...base,
        event: 'escalation_triggered',
        text: `Outside ${step.timeFrom}–${step.timeTo} UTC: waiting until ${new Date(resume).toISOString()}`,
      });
      run.nextIndex += 1;
      run.nextAt = resume;
      return;
    }
    case 'notify_if_num_alerts_in_window': {
      if (step.numAlertsInWindow === null || step.numMinutesInWindow === null) {
        return fail('Alert-count condition not configured');
      }
      const count = alertsInWindow(state, group, step.numMinutesInWindow);
      if (count <= step.numAlertsInWindow) {
        if (!run.paused) {
          record(group, {
            ...base,
            event: 'escalation_triggered',
            text: `${count} alert(s) in ${step.numMinutesInWindow} min, not more than ${step.numAlertsInWindow}: paused until a new alert`,
          });
        }
        run.paused = true;
        run.nextAt = null;
        return;
      }
      run.paused = false;
      record(group, { ...base, event: 'escalation_triggered', text: `${count} alerts in ${step.numMinutesInWindow} min: continuing` });
      return advance(STEP_GAP);
    }
    case 'repeat_escalation':
      if (step.repeatCount < MAX_REPEATS) {
        step.repeatCount += 1;
        record(group, { ...base, event: 'escalation_triggered', text: `Repeat escalation (${step.repeatCount}/${MAX_REPEATS})` });
        run.nextIndex = 0;
        run.nextAt = now + STEP_GAP * 1000;
        return;
      }
      return advance(STEP_GAP);
    case 'declare_incident': {
      const route = group.routeId ? state.routes.get(group.routeId) : undefined;
      if (!state.organization.grafana_incident_enabled) return fail('Declare incident: Grafana Incident is not enabled');
      if (!route || route.isDefault) return fail('Declare incident: not possible on the default route');
      record(group, {
        ...base,
        event: 'incident_declared',
        text: `Incident declared${step.severity ? ` with severity ${step.severity}` : ''}`,
      });
      return advance(STEP_GAP);
    }
    default:
      // Only a hand-edited data file can hold a step type the engine does not know.
      return fail(`Unknown step type ${String(step.type)}`);
  }
}
