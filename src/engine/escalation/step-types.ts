/**
 * The engine's table of step types: for each type, whether the organisation may use it, how its
 * snapshot step runs in an escalation, and what `current_oncall` gathers from it. Its fields, its
 * important variant and its target come from the API's table (`STEP_FACTS`), which the policies
 * resource reads for the output, update and clearing rules. `ENGINE_STEPS` is a
 * `Record<PolicyType, …>`, so a type added to `POLICY_TYPES` does not compile until it is here.
 *
 * A step runs on the engine clock: the next step 5 s after a step that acts, a wait's own delay
 * after a wait. Whatever fails (nothing configured, nobody to notify) is recorded and the
 * escalation goes on with the next step.
 */
import { formatSeconds } from '../../api/durations.js';
import type { PolicyType } from '../../api/types.js';
import type {
  AlertGroupRecord,
  EscalationRun,
  PolicyRecord,
  ScheduleRecord,
  SnapshotStep,
  State,
  TimelineEntry,
} from '../core/state.js';
import { scheduleOnCallAt, type Segment } from '../schedules/schedule-resolver.js';
import { nextSegment, segmentAt } from '../schedules/segments.js';
import { nextInRoundRobin, roundRobinQueue } from './round-robin.js';

const DAY = 86_400_000;
/** How far `notify_next_on_call_from_schedule` looks for the next people on call. */
export const NEXT_ON_CALL_LOOKAHEAD = 14 * DAY;
/** Seconds from a step that acts to the next step. */
export const STEP_GAP = 5;
/** What a wait without a duration waits. */
const DEFAULT_WAIT = 300;
/** How often `repeat_escalation` sends the escalation back to its first step. */
const MAX_REPEATS = 5;

/** A step's settings, as a policy holds them and as an escalation's snapshot froze them. */
export type StepSettings = Omit<PolicyRecord, 'id' | 'chainId' | 'order'>;

/** What a step may do while it runs; `runEscalationStep` provides it for the step that is due. */
export interface StepRun {
  readonly state: State;
  readonly group: AlertGroupRecord;
  readonly run: EscalationRun;
  readonly step: SnapshotStep;
  readonly now: number;
  /** Record what the step did on the group's timeline (an `escalation_triggered` entry by default). */
  log(text: string, event?: TimelineEntry['event']): void;
  /** On to the next step `seconds` from now (5 s by default). */
  advance(seconds?: number): void;
  /** On to the next step at an instant. */
  advanceTo(at: number): void;
  /** Record that the step could not act, and go on to the next step after `seconds` (5 s by default). */
  fail(text: string, seconds?: number): void;
  /** Start the personal notifications of whichever of `userIds` exist; nobody is a failure. */
  notify(userIds: readonly string[], why: string): void;
  /** Hand a webhook to the sender: fire and forget, its outcome never stops the escalation. */
  triggerWebhook(webhookId: string): void;
  /** The escalation ends here. */
  stop(): void;
}

/**
 * A step's part in `current_oncall`'s first batch (the steps an escalation fires together, before
 * it next waits): `pass` is gone through at once and adds nobody (an open time gate); `wait` ends
 * a batch that has begun and is skipped before one; `stop` is where an escalation would stop or
 * hold; otherwise the step belongs to the batch with the people it would notify.
 */
export type OnCallShare =
  | 'pass'
  | 'wait'
  | 'stop'
  | { users: readonly string[]; shift?: { schedule: ScheduleRecord; segment: Segment } };

export interface EngineStep {
  /** Why this organisation cannot use the type (the message of the BadRequest), if it cannot. */
  unavailable?(state: State): string | undefined;
  run(r: StepRun): void;
  onCall(step: StepSettings, state: State, at: number): OnCallShare;
}

/** The `notify_if_time_from_to` gate at an instant: a window of UTC time of day, `from` up to `to`. */
export function timeGateOpen(timeFrom: string | null, timeTo: string | null, at: number): boolean {
  if (!timeFrom || !timeTo) return true; // unset: the step fails and escalation goes on
  const seconds = (t: string) => {
    const [h, m, s] = t.split(':').map(Number) as [number, number, number];
    return h * 3600 + m * 60 + s;
  };
  const now = Math.floor((at % DAY) / 1000);
  const from = seconds(timeFrom);
  const to = seconds(timeTo);
  if (from < to) return from <= now && now < to;
  if (from > to) return now >= from || now < to; // a window across midnight
  return now === from;
}

/** The next start of a UTC time-of-day window after `now`. */
function nextWindowStart(timeFrom: string, now: number): number {
  const [h, m, s] = timeFrom.split(':').map(Number) as [number, number, number];
  const dayStart = now - (now % DAY);
  const today = dayStart + ((h * 60 + m) * 60 + s) * 1000;
  return today > now ? today : today + DAY;
}

/** The group's alerts within `minutes` before its latest one. */
function alertsInWindow(state: State, group: AlertGroupRecord, minutes: number): number {
  const times = group.alertIds.map((id) => state.alerts.get(id)?.createdAt ?? 0);
  const latest = Math.max(...times);
  return times.filter((t) => t >= latest - minutes * 60_000).length;
}

const scheduleOf = (state: State, step: StepSettings) =>
  step.scheduleId ? state.schedules.get(step.scheduleId) : undefined;
const teamMembers = (state: State, teamId: string) =>
  [...state.users.values()].filter((u) => u.teams.includes(teamId)).map((u) => u.id);
const nobody: OnCallShare = { users: [] };

export const ENGINE_STEPS: Record<PolicyType, EngineStep> = {
  wait: {
    run(r) {
      const { duration } = r.step;
      if (duration === null) return r.fail('Wait step not configured: waiting the default 5m', DEFAULT_WAIT);
      r.log(`Wait ${formatSeconds(duration)}`);
      r.advance(duration);
    },
    onCall: () => 'wait',
  },

  notify_persons: {
    run: (r) => r.notify(r.step.userIds, 'Notify persons'),
    onCall: (step) => ({ users: step.userIds }),
  },

  notify_person_next_each_time: {
    run(r) {
      const next = nextInRoundRobin(roundRobinQueue(r.state, r.step.userIds), r.step.roundRobinLastUserId);
      if (!next) return r.fail('Round robin: the queue is empty');
      // The pointer moves in this snapshot and on the policy itself, so the next alert's
      // escalation (and advance_round_robin) sees who was notified last.
      r.step.roundRobinLastUserId = next.id;
      const policy = r.state.policies.get(r.step.policyId);
      if (policy) policy.roundRobinLastUserId = next.id;
      r.notify([next.id], 'Round robin');
    },
    // Who is next, without moving the pointer: current_oncall only looks.
    onCall(step, state) {
      const next = nextInRoundRobin(roundRobinQueue(state, step.userIds), step.roundRobinLastUserId);
      return { users: next ? [next.id] : [] };
    },
  },

  notify_on_call_from_schedule: {
    run(r) {
      const schedule = scheduleOf(r.state, r.step);
      if (!schedule) return r.fail('Schedule not selected');
      const users = scheduleOnCallAt(r.state, schedule, r.now);
      if (!users.length) return r.fail(`No valid users: nobody is on call in "${schedule.name}"`);
      r.notify(users, `On call in "${schedule.name}"`);
    },
    onCall(step, state, at) {
      const schedule = scheduleOf(state, step);
      const segment = schedule && segmentAt(state, schedule, at);
      return schedule && segment ? { users: segment.users, shift: { schedule, segment } } : nobody;
    },
  },

  notify_next_on_call_from_schedule: {
    run(r) {
      const schedule = scheduleOf(r.state, r.step);
      if (!schedule) return r.fail('Schedule not selected');
      const segment = nextSegment(r.state, schedule, r.now, NEXT_ON_CALL_LOOKAHEAD);
      if (!segment) return r.fail(`No valid users: no next shift in "${schedule.name}" within 14 days`);
      r.notify(segment.users, `Next on call in "${schedule.name}"`);
    },
    onCall(step, state, at) {
      const schedule = scheduleOf(state, step);
      const segment = schedule && nextSegment(state, schedule, at, NEXT_ON_CALL_LOOKAHEAD);
      return schedule && segment ? { users: segment.users, shift: { schedule, segment } } : nobody;
    },
  },

  notify_user_group: {
    run(r) {
      const userGroup = r.step.userGroupId ? r.state.userGroups.get(r.step.userGroupId) : undefined;
      if (!userGroup?.members.length) return r.fail('User group is empty');
      r.notify(userGroup.members, `User group @${userGroup.slack.handle}`);
    },
    onCall: (step, state) => ({
      users: step.userGroupId ? (state.userGroups.get(step.userGroupId)?.members ?? []) : [],
    }),
  },

  notify_team_members: {
    run(r) {
      const team = r.step.teamId ? r.state.teams.get(r.step.teamId) : undefined;
      if (!team) return r.fail('Team not configured');
      r.notify(teamMembers(r.state, team.id), `Members of team ${team.name}`);
    },
    onCall: (step, state) => ({ users: step.teamId ? teamMembers(state, step.teamId) : [] }),
  },

  trigger_webhook: {
    run(r) {
      const hook = r.step.webhookId ? r.state.webhooks.get(r.step.webhookId) : undefined;
      if (!hook) return r.fail('Webhook not configured');
      if (!hook.is_webhook_enabled) return r.fail(`Webhook "${hook.name}" is disabled`);
      r.log(`Triggered webhook "${hook.name}" (${hook.http_method} ${hook.url})`, 'webhook');
      r.triggerWebhook(hook.id);
      r.advance();
    },
    onCall: () => nobody,
  },

  resolve: {
    run(r) {
      r.log('Resolved by the escalation chain (final resolve step)', 'resolved');
      r.group.resolved = true;
      r.group.resolvedAt = r.now;
      r.group.resolvedBy = null;
      r.group.silenced = false;
      r.stop();
    },
    onCall: () => 'stop',
  },

  notify_whole_channel: {
    unavailable: (state) => (state.organization.slack_team_id ? undefined : 'Invalid escalation step type: step is Slack-specific'),
    run(r) {
      const channel = r.group.routeId ? r.state.routes.get(r.group.routeId)?.slack.channel_id : null;
      if (!r.state.organization.slack_team_id || !channel) return r.fail('Notify whole channel: no Slack channel on the route');
      r.log(`Notified everyone in Slack channel ${channel}`);
      r.advance();
    },
    // Slack notifies the channel: current_oncall lists nobody for it.
    onCall: () => nobody,
  },

  notify_if_time_from_to: {
    run(r) {
      const { timeFrom, timeTo } = r.step;
      if (!timeFrom || !timeTo) return r.fail('Time window not configured');
      if (timeGateOpen(timeFrom, timeTo, r.now)) {
        r.log('Inside the time window: continuing');
        return r.advance();
      }
      const resume = nextWindowStart(timeFrom, r.now);
      r.log(`Outside ${timeFrom}–${timeTo} UTC: waiting until ${new Date(resume).toISOString()}`);
      r.advanceTo(resume);
    },
    onCall: (step, _state, at) => (timeGateOpen(step.timeFrom, step.timeTo, at) ? 'pass' : 'stop'),
  },

  notify_if_num_alerts_in_window: {
    run(r) {
      const { numAlertsInWindow: threshold, numMinutesInWindow: minutes } = r.step;
      if (threshold === null || minutes === null) return r.fail('Alert-count condition not configured');
      const count = alertsInWindow(r.state, r.group, minutes);
      if (count <= threshold) {
        // Held until a new alert arrives (the ingestion restarts the step); logged once.
        if (!r.run.paused) r.log(`${count} alert(s) in ${minutes} min, not more than ${threshold}: paused until a new alert`);
        r.run.paused = true;
        r.run.nextAt = null;
        return;
      }
      r.run.paused = false;
      r.log(`${count} alerts in ${minutes} min: continuing`);
      r.advance();
    },
    onCall: () => 'stop',
  },

  repeat_escalation: {
    run(r) {
      if (r.step.repeatCount >= MAX_REPEATS) return r.advance();
      r.step.repeatCount += 1;
      r.log(`Repeat escalation (${r.step.repeatCount}/${MAX_REPEATS})`);
      r.run.nextIndex = 0;
      r.run.nextAt = r.now + STEP_GAP * 1000;
    },
    onCall: () => 'stop',
  },

  declare_incident: {
    unavailable: (state) => (state.organization.grafana_incident_enabled ? undefined : 'Invalid escalation step type: step is not enabled'),
    run(r) {
      const route = r.group.routeId ? r.state.routes.get(r.group.routeId) : undefined;
      if (!r.state.organization.grafana_incident_enabled) return r.fail('Declare incident: Grafana Incident is not enabled');
      if (!route || route.isDefault) return r.fail('Declare incident: not possible on the default route');
      r.log(`Incident declared${r.step.severity ? ` with severity ${r.step.severity}` : ''}`, 'incident_declared');
      r.advance();
    },
    onCall: () => nobody,
  },
};
