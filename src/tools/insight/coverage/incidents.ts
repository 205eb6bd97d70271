/**
 * Which alert groups count against a schedule's people: those created on a route whose escalation
 * chain notifies the schedule (a `notify_on_call_from_schedule` step naming it), counted for
 * whoever was on call in the schedule when the group was created. This is what the schedule is
 * answerable for on any backend: it needs only lists (policies, routes, alert groups), where
 * "who was paged" would need timelines, which a live OnCall does not publish.
 */
import type { OnCallBackend } from '../../../api/backend.js';
import { collectAll } from '../../../api/pagination.js';
import type { AlertGroup, Route } from '../../../api/types.js';
import type { Window } from './final-shifts.js';

/** `started_at` takes seconds, inclusive at both ends, UTC. */
const rangeParam = (from: number, to: number) =>
  `${new Date(from).toISOString().slice(0, 19)}_${new Date(to - 1000).toISOString().slice(0, 19)}`;

export interface ScheduleIncidents {
  /** Chains with a step that notifies the schedule. */
  chains: string[];
  /** Routes (default routes included) that lead to those chains. */
  routes: Route[];
  groups: AlertGroup[];
}

/** Everything routes to chains that notify each schedule, read once for all of them. */
export async function incidentsFor(
  backend: OnCallBackend,
  scheduleIds: readonly string[],
  window: Window,
  signal?: AbortSignal,
): Promise<Map<string, ScheduleIncidents>> {
  const [policies, routes] = await Promise.all([
    collectAll((page) => backend.escalationPolicies.list({ page })),
    collectAll((page) => backend.routes.list({ page })),
  ]);
  signal?.throwIfAborted();
  const groupsByRoute = new Map<string, Promise<AlertGroup[]>>();
  const groupsOf = (routeId: string) => {
    let groups = groupsByRoute.get(routeId);
    if (!groups) {
      const started = rangeParam(window.from, window.to);
      groups = collectAll((page) => backend.alertGroups.list({ route_id: routeId, started_at: started, page }));
      groupsByRoute.set(routeId, groups);
    }
    return groups;
  };
  const out = new Map<string, ScheduleIncidents>();
  for (const scheduleId of scheduleIds) {
    const notifying = policies.filter((p) => p.notify_on_call_from_schedule === scheduleId);
    const chains = [...new Set(notifying.map((p) => p.escalation_chain_id))];
    const leading = routes.filter((r) => r.escalation_chain_id !== null && chains.includes(r.escalation_chain_id));
    const groups = (await Promise.all(leading.map((r) => groupsOf(r.id)))).flat();
    const inWindow = groups.filter((g) => {
      const at = Date.parse(g.created_at);
      return at >= window.from && at < window.to;
    });
    out.set(scheduleId, { chains, routes: leading, groups: inWindow });
  }
  return out;
}
