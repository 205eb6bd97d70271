/**
 * The escalation of one alert group (semantics.md §4): a snapshot of the chain frozen at start,
 * then one step at a time on the engine clock: the first step 1 s after the group starts, the next
 * 5 s after each non-wait step, a wait's own delay after a wait, 10 s after a restart.
 */
import { knownStepType } from '../../api/step-types.js';
import { policiesInChain } from '../escalation/escalation-policies.js';
import { ENGINE_STEPS, STEP_GAP, type StepRun } from '../escalation/step-types.js';
import { activeMaintenance } from '../alerting/integration-types.js';
import { startPersonalChain } from './personal-notifications.js';
import type { AlertGroupRecord, EscalationRun, PolicyRecord, SnapshotStep, State } from '../core/state.js';
import { humanList, record, username } from '../alerting/timeline.js';

export const FIRST_STEP_DELAY = 1;
export const RESTART_DELAY = 10;

/** What a webhook step needs done outside the engine (an HTTP request), reported back later. */
export type WebhookTrigger = (group: AlertGroupRecord, webhookId: string, at: number) => void;

function snapshotStep(policy: PolicyRecord): SnapshotStep {
  // The settings, not the placement (id, chain, order). Spelled out rather than `{ id, chainId,
  // order, ...settings }`, which V8 copies through a slow generic path: it was 3% of every
  // inbound alert's time. A required field added to PolicyRecord fails to compile here until it is copied.
  return {
    type: policy.type,
    important: policy.important,
    duration: policy.duration,
    userIds: [...policy.userIds],
    scheduleId: policy.scheduleId,
    userGroupId: policy.userGroupId,
    teamId: policy.teamId,
    webhookId: policy.webhookId,
    timeFrom: policy.timeFrom,
    timeTo: policy.timeTo,
    numAlertsInWindow: policy.numAlertsInWindow,
    numMinutesInWindow: policy.numMinutesInWindow,
    severity: policy.severity,
    roundRobinLastUserId: policy.roundRobinLastUserId,
    policyId: policy.id,
    repeatCount: 0,
  };
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

/** Run the escalation's next step at `now`: the step type's own runner (`ENGINE_STEPS`). */
export function runEscalationStep(state: State, group: AlertGroupRecord, now: number, webhooks: WebhookTrigger): void {
  const run = group.escalation;
  if (!run || run.nextAt === null) return;
  // Checks before every step.
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
  const advanceTo = (at: number) => {
    run.nextIndex += 1;
    run.nextAt = at;
  };
  const advance = (seconds = STEP_GAP) => advanceTo(now + seconds * 1000);
  const fail = (text: string, seconds = STEP_GAP) => {
    record(group, { ...base, event: 'escalation_failed', text });
    advance(seconds);
  };
  const important = step.important || run.forceImportant;
  const r: StepRun = {
    state,
    group,
    run,
    step,
    now,
    log: (text, event = 'escalation_triggered') => record(group, { ...base, event, text }),
    advance,
    advanceTo,
    fail,
    notify(userIds, why) {
      const people = [...new Set(userIds)].filter((id) => state.users.has(id));
      if (!people.length) return fail(`${why}: nobody to notify`);
      record(group, {
        ...base,
        event: 'escalation_triggered',
        important,
        text: `${why}: notifying ${humanList(people.map((id) => username(state, id)))}${important ? ' (important)' : ''}`,
      });
      for (const id of people) startPersonalChain(group, id, now, { important });
      advance();
    },
    triggerWebhook: (webhookId) => webhooks(group, webhookId, now),
    stop: () => stopEscalation(group),
  };

  if (step.type === null) return fail('Unspecified step');
  // Only a hand-edited data file can hold a step type the engine does not know.
  const type = knownStepType(step.type);
  if (type === undefined) return fail(`Unknown step type ${String(step.type)}`);
  ENGINE_STEPS[type].run(r);
}
