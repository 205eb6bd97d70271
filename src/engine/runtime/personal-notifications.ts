/**
 * Personal notification chains (semantics.md §5): when someone is notified for an alert
 * group, their rules run one by one: rule 0 at once, the next 5 s after a notify rule, or w + 5 s
 * after a wait of w. Notifying the same person again restarts their chain from rule 0.
 */
import { canBeNotified } from '../schedules/schedule-resolver.js';
import { ruleChannel, rulesFor, waitSeconds } from './notification-rules.js';
import type { AlertGroupRecord, State } from '../core/state.js';
import { formatSeconds } from '../../api/durations.js';
import { record, username } from '../alerting/timeline.js';

const STEP_GAP = 5_000;

export interface NotifyOptions {
  important: boolean;
  /** A direct page: delivered even if the group is acknowledged or silenced. */
  directPage?: boolean;
}

/** Start (or restart) a person's chain for this group; its first rule runs at `now`. */
export function startPersonalChain(group: AlertGroupRecord, userId: string, now: number, opts: NotifyOptions): void {
  const previous = group.personal[userId];
  group.personal[userId] = {
    token: (previous?.token ?? 0) + 1,
    important: opts.important,
    ruleIndex: 0,
    nextAt: now,
    directPage: opts.directPage ?? false,
    startedAt: now,
  };
}

/** Whether the chain stops before its next rule (semantics.md §5 stop checks). */
function stopped(group: AlertGroupRecord, userId: string, directPage: boolean, startedAt: number): boolean {
  if (group.resolved || group.wiped || group.rootAlertGroupId) return true;
  if (group.acknowledged) {
    // A direct page goes on through an acknowledgement, unless this person acknowledged after it.
    if (!directPage) return true;
    if (group.acknowledgedBy === userId && (group.acknowledgedAt ?? 0) >= startedAt) return true;
  }
  return group.silenced && !directPage;
}

/** Run the next rule of one person's chain. */
export function runPersonalStep(state: State, group: AlertGroupRecord, userId: string, now: number): void {
  const run = group.personal[userId];
  if (!run) return;
  const name = username(state, userId);
  if (stopped(group, userId, run.directPage, run.startedAt)) {
    run.nextAt = null;
    return;
  }
  const user = state.users.get(userId);
  if (!user || !canBeNotified(state, userId)) {
    record(group, { at: now, event: 'escalation_failed', userId, text: `${name} may not be notified (no permission)` });
    run.nextAt = null;
    return;
  }
  const rules = rulesFor(user.notification_rules, run.important);
  const rule = rules[run.ruleIndex];
  if (!rule) {
    record(group, { at: now, event: 'personal_finished', userId, text: `${name}: personal notification rules finished` });
    run.nextAt = null;
    return;
  }
  run.ruleIndex += 1;
  if (rule.type === 'wait') {
    const seconds = waitSeconds(rule);
    record(group, { at: now, event: 'personal_wait', userId, text: `${name}: wait ${formatSeconds(seconds)}` });
    run.nextAt = now + seconds * 1000 + STEP_GAP;
    return;
  }
  const channel = ruleChannel(rule);
  record(group, {
    at: now,
    event: 'notification',
    userId,
    channel,
    important: run.important,
    text: `${name} notified by ${channel.replace(/_/g, ' ')}${run.important ? ' (important)' : ''}`,
  });
  run.nextAt = now + STEP_GAP;
}
