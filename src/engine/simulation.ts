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
import { emptyState, type PolicyRecord, type ScheduleRecord, type State, type SwapRecord } from './core/state.js';
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
  return simulateOn(copyForChainSimulation(state, chainId), chainId, start, options.important ?? false);
}

/**
 * The simulated run itself, on `copy` (a state the run may change): a blank alert group escalating
 * through the chain from `start` on a virtual clock, to the horizon. Exported so a test can run it
 * on the whole-configuration copy too and compare.
 */
export function simulateOn(copy: State, chainId: string, start: number, important: boolean): Simulation {
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
  startEscalation(copy, group, start, FIRST_STEP_DELAY, { chainId, forceImportant: important });
  runtime.touch(group);
  const horizon = start + HORIZON_MS;
  runtime.advanceTo(clock, horizon);
  const finishedAt = group.escalation?.finished
    ? [...group.timeline].reverse().find((e) => e.event === 'escalation_finished' || e.event === 'resolved')?.at
    : undefined;
  return {
    escalation_chain_id: chainId,
    started_at: isoZ(start),
    important,
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

/**
 * The copy `simulate_escalation` runs on: only what an escalation through `chainId` can reach, so
 * its cost follows the chain, not the organisation (copyForSimulation clones every chain, policy,
 * schedule and shift: bench/simulation.ts). Copied: the chain and
 * its policies (a round robin moves its pointer), the schedules and webhooks they name, those
 * schedules' shifts and swaps, every schedule that also holds one of those shifts (a shift's zone
 * can come from its calendar schedule: schedule-records.ts `shiftZone`), and the organisation
 * (Slack and Incident settings gate steps). No step type escalates into another chain, so no other
 * chain is reached. The directory is shared, as in copyForSimulation. Routes, integrations and
 * history stay empty: the simulated group has no route, integration or alerts.
 */
export function copyForChainSimulation(state: State, chainId: string): State {
  // One pass over the policies without building an array of all of them (policiesInChain spreads
  // the map first). This scan and those of schedules and swaps below still grow with the
  // organisation, but read only: nothing unreached is cloned. (Flat would need policies by chain.)
  const policies: PolicyRecord[] = [];
  for (const p of state.policies.values()) if (p.chainId === chainId) policies.push(p);
  policies.sort((a, b) => a.order - b.order);
  const scheduleIds = new Set<string>();
  const webhookIds = new Set<string>();
  for (const p of policies) {
    if (p.scheduleId) scheduleIds.add(p.scheduleId);
    if (p.webhookId) webhookIds.add(p.webhookId);
  }
  const shiftIds = new Set<string>();
  for (const id of scheduleIds) for (const shift of state.schedules.get(id)?.shifts ?? []) shiftIds.add(shift);
  const schedules = new Map<string, ScheduleRecord>();
  // In the state's order, which is the order shiftZone meets them in.
  for (const [id, schedule] of state.schedules) {
    const reached = scheduleIds.has(id) || schedule.shifts.some((shift) => shiftIds.has(shift));
    if (reached) schedules.set(id, structuredClone(schedule));
  }
  const pick = <T>(map: ReadonlyMap<string, T>, ids: Iterable<string>) => {
    const out = new Map<string, T>();
    for (const id of ids) {
      const record = map.get(id);
      if (record !== undefined) out.set(id, structuredClone(record));
    }
    return out;
  };
  const swaps = new Map<string, SwapRecord>();
  for (const [id, swap] of state.swaps) if (scheduleIds.has(swap.schedule)) swaps.set(id, structuredClone(swap));
  // Everything not named here (integrations, routes, alert groups…) starts empty.
  return {
    ...emptyState(),
    organization: structuredClone(state.organization),
    users: state.users,
    teams: state.teams,
    userGroups: state.userGroups,
    webhooks: pick(state.webhooks, webhookIds),
    schedules,
    shifts: pick(state.shifts, shiftIds),
    swaps,
    chains: pick(state.chains, [chainId]),
    policies: new Map(policies.map((p) => [p.id, structuredClone(p)])),
    counters: structuredClone(state.counters),
  };
}
