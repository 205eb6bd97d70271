/**
 * `simulate_escalation`: who an escalation through a chain would notify, how and when, if an alert
 * group started at `at`. It runs the real runtime on a copy of the state with a virtual clock, so
 * its timeline is what a real run would produce; webhooks are recorded, not sent. Nothing of the
 * real state changes (round-robin pointers included).
 */
import { ApiError, notFound } from '../api/errors.js';
import type { Simulation } from '../api/types.js';
import { representTimeline } from './alerting/alert-groups.js';
import { blankGroup } from './alerting/alerts.js';
import { VirtualClock } from './core/clock.js';
import { createContext } from './core/context.js';
import { FIRST_STEP_DELAY, startEscalation } from './runtime/escalation-steps.js';
import { parseZonedInstant } from './core/time-format.js';
import { Runtime } from './runtime/runtime.js';
import type { State } from './core/state.js';
import { isoZ } from './core/time-format.js';
import { record } from './alerting/timeline.js';

/** Long enough for six rounds of a chain with day-long waits; repeats stop after five. */
const HORIZON_MS = 7 * 86_400_000;

export function simulateEscalation(
  state: State,
  chainId: string,
  options: { at?: string | undefined; important?: boolean | undefined },
  now: number,
): Simulation {
  if (!state.chains.has(chainId)) throw notFound('escalation_chain', chainId);
  let start = now;
  if (options.at !== undefined) {
    const parsed = parseZonedInstant(options.at);
    if (parsed === undefined) throw new ApiError(400, { at: ['Use an ISO 8601 instant with its zone, e.g. 2026-03-24T10:00:00Z.'] });
    start = parsed;
  }
  const copy = copyForSimulation(state);
  const clock = new VirtualClock(start);
  const ctx = createContext({ state: copy, clock, publicUrl: '' });
  const runtime = new Runtime(ctx, (group, webhookId, at) => {
    const hook = copy.webhooks.get(webhookId);
    record(group, { at, event: 'webhook', text: `Would send ${hook?.http_method ?? ''} ${hook?.url ?? webhookId} (not sent in a simulation)` });
  });
  // Only this simulated group runs: other groups' pending work is not part of the question.
  copy.alertGroups.clear();
  const group = blankGroup('ISIMULATION00', '', null, start);
  copy.alertGroups.set(group.id, group);
  record(group, { at: start, event: 'registered', text: `Simulated alert group escalating through chain ${chainId}` });
  startEscalation(copy, group, start, FIRST_STEP_DELAY, { chainId, forceImportant: options.important ?? false });
  runtime.touch(group);
  const horizon = start + HORIZON_MS;
  runtime.advanceTo(clock, horizon);
  const finishedAt = group.escalation?.finished
    ? [...group.timeline].reverse().find((e) => e.event === 'escalation_finished' || e.event === 'resolved')?.at
    : undefined;
  return {
    escalation_chain_id: chainId,
    started_at: isoZ(start),
    important: options.important ?? false,
    finished_at: finishedAt === undefined ? null : isoZ(finishedAt),
    horizon: isoZ(horizon),
    timeline: representTimeline(group),
  };
}

/**
 * A copy of the state the simulated run may change. The runtime changes alert groups, policies
 * (round-robin pointers) and the like, never the directory: users, teams and user groups are shared
 * rather than copied, so a simulation costs the same whatever the organisation's size. Existing alert
 * groups and alerts are left out (only the simulated group runs).
 */
export function copyForSimulation(state: State): State {
  const { users, teams, userGroups, alertGroups: _groups, alerts: _alerts, ...rest } = state;
  return { ...structuredClone(rest), users, teams, userGroups, alertGroups: new Map(), alerts: new Map() };
}
