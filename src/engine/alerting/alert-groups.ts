/**
 * Alert groups (semantics.md §4.5): the representation, list filters (the state filter speaks
 * `new`, the output says `firing`), the six actions with OnCall's check order and messages, and
 * what each does to the escalation (semantics.md §4.5).
 */
import { ApiError, badRequest, notFound } from '../../api/errors.js';
import type { AlertGroupQuery, OnCallBackend } from '../../api/backend.js';
import type { AlertGroup, AlertGroupAction, AlertShape, TimelineItem } from '../../api/types.js';
import type { EngineContext } from '../core/context.js';
import { invalidChoice } from '../core/context.js';
import { RESTART_DELAY, restartEscalation, stopEscalation } from '../runtime/escalation-steps.js';
import { paginate, queryStrings } from '../core/pagination.js';
import type { Runtime } from '../runtime/runtime.js';
import type { AlertGroupRecord, AlertRecord, State } from '../core/state.js';
import { isoZ } from '../core/time-format.js';
import { callerId, record, username } from './timeline.js';
import { findAlertGroup, type HistoryArchive, markChanged, mergeByCreation, readAlert, readAlertGroup } from '../core/history.js';
import { MAX_WINDOW_SECONDS } from '../core/bounds.js';
import { alertGroupChanges, alertGroupIndex, type GroupStateName, stateOf } from '../core/alert-group-index.js';
import { revisionOf } from '../core/revisions.js';
import { parseInteger } from '../core/validation.js';

export const ALERT_GROUP_PATH = '/api/v1/alert_groups/';

export function groupState(g: AlertGroupRecord): AlertGroup['state'] {
  return stateOf(g);
}

export function representAlert(alert: AlertRecord): AlertShape {
  return {
    id: alert.id,
    alert_group_id: alert.alertGroupId,
    created_at: isoZ(alert.createdAt),
    payload: alert.payload,
  };
}

export function representAlertGroup(state: State, g: AlertGroupRecord): AlertGroup {
  const integration = state.integrations.get(g.integrationId);
  const last = g.alertIds.length ? readAlert(state, g.alertIds.at(-1)!) : undefined;
  const at = (ms: number | null) => (ms === null ? null : isoZ(ms));
  return {
    id: g.id,
    integration_id: g.integrationId,
    team_id: integration?.team_id ?? null,
    route_id: g.routeId,
    alerts_count: g.alertIds.length,
    state: groupState(g),
    created_at: isoZ(g.createdAt),
    resolved_at: at(g.resolvedAt),
    resolved_by: g.resolvedBy,
    acknowledged_at: at(g.acknowledgedAt),
    acknowledged_by: g.acknowledgedBy,
    labels: [],
    title: g.title,
    permalinks: {
      slack: null,
      slack_app: null,
      telegram: null,
      web: `${state.organization.grafana_url}/a/grafana-oncall-app/alert-groups/${g.id}`,
    },
    silenced_at: at(g.silencedAt),
    last_alert: last ? representAlert(last) : null,
  };
}

export function representTimeline(g: AlertGroupRecord): TimelineItem[] {
  return g.timeline.map((e) => ({
    at: isoZ(e.at),
    event: e.event,
    text: e.text,
    ...(e.userId ? { user_id: e.userId } : {}),
    ...(e.channel ? { channel: e.channel } : {}),
    ...(e.important !== undefined ? { important: e.important } : {}),
    ...(e.policyId ? { policy_id: e.policyId } : {}),
    ...(e.step ? { step: e.step } : {}),
  }));
}

/**
 * The matches of the last few alert-group list queries (filtered and sorted, before paging), kept
 * while nothing they depend on has changed: no alert group said to change (`alertGroupChanges`:
 * every change is marked, and the store reports what it archives, restores or rolls back), the
 * same map of the same size (a guard for a change made without a mark), no commit naming
 * integrations (the team filter reads them). Paging 10,000 groups 100 at a time filtered and
 * sorted all of them for each of the 100 pages. Under ONCALL_MCP_VERIFY_COMMITS=1 (the tests)
 * every reuse is recomputed and compared, so a change that escapes the marks fails loudly.
 */
class ListMemo {
  private readonly entries = new WeakMap<State, Map<string, { stamp: string; map: unknown; items: unknown[] }>>();
  private static readonly SIZE = 8;
  private readonly verify = process.env.ONCALL_MCP_VERIFY_COMMITS === '1';

  matches<T extends { id: string }>(state: State, key: string, compute: () => T[]): T[] {
    const stamp = `${alertGroupChanges(state)} ${state.alertGroups.size} ${revisionOf(state, ['integrations'])}`;
    let perState = this.entries.get(state);
    if (!perState) this.entries.set(state, (perState = new Map()));
    const kept = perState.get(key);
    if (kept && kept.stamp === stamp && kept.map === state.alertGroups) {
      if (this.verify) {
        const fresh = compute().map((ref) => ref.id).join();
        const reused = (kept.items as T[]).map((ref) => ref.id).join();
        if (fresh !== reused) throw new Error('engine bug: an alert group changed without a mark');
      }
      return kept.items as T[];
    }
    const items = compute();
    perState.delete(key);
    if (perState.size >= ListMemo.SIZE) perState.delete(perState.keys().next().value!);
    perState.set(key, { stamp, map: state.alertGroups, items });
    return items;
  }
}

const listMemo = new ListMemo();

const STATE_FILTERS = ['new', 'acknowledged', 'resolved', 'silenced'];
/** The state each filter value selects (the filter speaks `new`, the representation `firing`). */
const FILTERED_STATE: Record<string, GroupStateName> = {
  new: 'firing',
  acknowledged: 'acknowledged',
  silenced: 'silenced',
  resolved: 'resolved',
};

function matchesState(g: AlertGroupRecord, filter: string): boolean {
  switch (filter) {
    case 'new':
      return !g.silenced && !g.acknowledged && !g.resolved;
    case 'acknowledged':
      return g.acknowledged && !g.resolved;
    case 'silenced':
      return g.silenced && !g.acknowledged && !g.resolved;
    default:
      return g.resolved;
  }
}

/** `started_at=YYYY-MM-DDTHH:MM:SS_YYYY-MM-DDTHH:MM:SS`, inclusive, UTC. */
function parseRange(raw: string): [number, number] {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})_(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})$/.exec(raw);
  const from = m ? Date.parse(`${m[1]}Z`) : Number.NaN;
  const to = m ? Date.parse(`${m[2]}Z`) : Number.NaN;
  if (Number.isNaN(from) || Number.isNaN(to) || from > to) throw badRequest('Invalid range value');
  return [from, to];
}

function labelFilters(raw: AlertGroupQuery['label']): Array<[string, string]> {
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list.map((l) => l.split(':')).filter((p): p is [string, string] => p.length === 2);
}

export function alertGroups(ctx: EngineContext, runtime: Runtime): OnCallBackend['alertGroups'] {
  const { state } = ctx;
  /** A group to change: brought into memory if it was archived. */
  const get = (id: string) => {
    const group = findAlertGroup(state, id);
    if (!group) throw notFound('alert_group', id);
    return group;
  };
  /** A group to show: an archived one is read, not brought back. */
  const read = (id: string) => {
    const group = readAlertGroup(state, id);
    if (!group) throw notFound('alert_group', id);
    return group;
  };

  return {
    async list(query) {
      let stateFilter: string | undefined;
      if (query.state !== undefined) {
        stateFilter = query.state.toLowerCase();
        if (!STATE_FILTERS.includes(stateFilter)) {
          throw new ApiError(400, { state: 'Must be one of the following: new, acknowledged, resolved, silenced' });
        }
      }
      const range = query.started_at === undefined ? undefined : parseRange(query.started_at);
      if (query.team_id !== undefined && query.team_id !== 'null' && !state.teams.has(query.team_id)) {
        throw invalidChoice('team_id');
      }
      const labels = labelFilters(query.label);
      const teamIntegrations = (): string[] | undefined => {
        if (query.team_id === undefined) return undefined;
        const team = query.team_id === 'null' ? null : query.team_id;
        return [...state.integrations.values()].filter((i) => i.team_id === team).map((i) => i.id);
      };
      const ofTeam = teamIntegrations();
      const matching = () => {
        // The indexes narrow what is looked at; the filters below still decide.
        const candidates = query.id !== undefined
          ? [state.alertGroups.get(query.id)].filter((g): g is AlertGroupRecord => g !== undefined)
          : alertGroupIndex(state).candidates({
              state: stateFilter === undefined ? undefined : FILTERED_STATE[stateFilter],
              integrationIds: query.integration_id === undefined ? ofTeam : [query.integration_id],
            });
        const resident = candidates
          .filter((g) => query.id === undefined || g.id === query.id)
          .filter((g) => query.route_id === undefined || g.routeId === query.route_id)
          .filter((g) => query.integration_id === undefined || g.integrationId === query.integration_id)
          .filter((g) => {
            if (query.team_id === undefined) return true;
            const team = state.integrations.get(g.integrationId)?.team_id ?? null;
            return query.team_id === 'null' ? team === null : team === query.team_id;
          })
          .filter((g) => !range || (g.createdAt >= range[0] && g.createdAt <= range[1]))
          .filter((g) => !stateFilter || matchesState(g, stateFilter))
          .filter(() => labels.length === 0); // alert groups carry no labels here, so any label filter matches none
        // Archived groups are all resolved: only a resolved (or no) state filter can match them.
        const archived = (archive: HistoryArchive) => {
          if (labels.length || (stateFilter && stateFilter !== 'resolved')) return [];
          const integrationIds = query.integration_id === undefined
            ? ofTeam
            : (ofTeam ?? [query.integration_id]).filter((i) => i === query.integration_id);
          return archive.archivedGroups({
            id: query.id,
            routeId: query.route_id,
            integrationIds,
            createdFrom: range?.[0],
            createdTo: range?.[1],
          });
        };
        // Newest first; equal instants keep creation order (the sort is stable).
        return mergeByCreation(state, 'alertGroups', resident, (g) => g.createdAt, archived)
          .sort((a, b) => b.createdAt - a.createdAt);
      };
      // Paging through a long list asks for the same matches page after page: they are kept
      // until an alert group or an integration changes (listMemo).
      const { id, route_id: routeId, integration_id: integrationId, team_id: teamId } = query;
      const key = JSON.stringify([id, routeId, integrationId, teamId, range, stateFilter, labels]);
      const items = listMemo.matches(state, key, matching);
      const request = { path: ALERT_GROUP_PATH, query: queryStrings(query), defaultSize: 50 };
      return paginate(items, ctx.publicUrl, request, (ref) => representAlertGroup(state, ref.record ?? read(ref.id)));
    },

    async get(id) {
      return representAlertGroup(state, read(id));
    },

    async timeline(id) {
      return representTimeline(read(id));
    },

    async action(id, action, body) {
      const group = get(id);
      const now = ctx.clock.now();
      applyAction(state, group, action, body?.delay, now);
      runtime.touch(group);
      ctx.commit([]);
      runtime.runDue();
    },

    async delete(id, body) {
      const group = get(id);
      if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
        throw new ApiError(400, 'A dict with a `mode` key is expected');
      }
      const mode = (body as { mode?: unknown } | undefined)?.mode ?? 'wipe';
      if (mode !== 'wipe' && mode !== 'delete') throw new ApiError(400, 'Invalid mode');
      stopEscalation(group);
      for (const run of Object.values(group.personal)) run.nextAt = null;
      if (mode === 'delete') {
        for (const alertId of group.alertIds) {
          state.alerts.delete(alertId);
          markChanged(state, 'alerts', alertId);
        }
        for (const [noteId, note] of state.resolutionNotes) {
          if (note.alertGroupId === id) {
            state.resolutionNotes.delete(noteId);
            markChanged(state, 'resolutionNotes', noteId);
          }
        }
        state.alertGroups.delete(id);
      } else {
        // Wipe keeps the group and its metadata but clears what the alerts said.
        group.wiped = true;
        for (const alertId of group.alertIds) {
          const alert = state.alerts.get(alertId);
          if (alert) alert.payload = {};
          markChanged(state, 'alerts', alertId);
        }
        group.title = null;
      }
      runtime.touch(group);
      ctx.commit([]);
    },
  };
}

/**
 * One state change with OnCall's checks in their order (the first failure wins) and its effects on
 * escalation. The API caller is the actor.
 */
export function applyAction(
  state: State,
  group: AlertGroupRecord,
  action: AlertGroupAction,
  rawDelay: unknown,
  now: number,
): void {
  const who = callerId(state);
  const name = username(state, who);
  const attached = group.rootAlertGroupId !== null;
  const maintenance = group.maintenanceOf !== null;
  const check = (failing: boolean, message: string) => {
    if (failing) throw badRequest(message);
  };
  const unsilence = () => {
    group.silenced = false;
    group.silencedAt = null;
    group.silencedUntil = null;
  };

  switch (action) {
    case 'acknowledge':
      check(group.acknowledged, 'Can\'t acknowledge an acknowledged alert group');
      check(group.resolved, 'Can\'t acknowledge a resolved alert group');
      check(attached, 'Can\'t acknowledge an attached alert group');
      check(maintenance, 'Can\'t acknowledge a maintenance alert group');
      unsilence();
      group.acknowledged = true;
      group.acknowledgedAt = now;
      group.acknowledgedBy = who;
      stopEscalation(group);
      record(group, { at: now, event: 'acknowledged', authorId: who, text: `Acknowledged by ${name}` });
      return;
    case 'unacknowledge':
      check(!group.acknowledged, 'Can\'t unacknowledge an unacknowledged alert group');
      check(group.resolved, 'Can\'t unacknowledge a resolved alert group');
      check(attached, 'Can\'t unacknowledge an attached alert group');
      check(maintenance, 'Can\'t unacknowledge a maintenance alert group');
      group.acknowledged = false;
      group.acknowledgedAt = null;
      group.acknowledgedBy = null;
      unsilence();
      record(group, { at: now, event: 'unacknowledged', authorId: who, text: `Unacknowledged by ${name}` });
      restartEscalation(state, group, now, RESTART_DELAY);
      return;
    case 'resolve':
      check(group.resolved, 'Can\'t resolve a resolved alert group');
      check(attached, 'Can\'t resolve an attached alert group');
      if (maintenance) {
        // Resolving the maintenance group ends its integration's maintenance.
        const integration = state.integrations.get(group.maintenanceOf!);
        if (integration) integration.maintenance = null;
      }
      unsilence();
      group.resolved = true;
      group.resolvedAt = now;
      group.resolvedBy = who;
      stopEscalation(group);
      record(group, { at: now, event: 'resolved', authorId: who, text: `Resolved by ${name}` });
      return;
    case 'unresolve':
      check(!group.resolved, 'Can\'t unresolve an unresolved alert group');
      check(attached, 'Can\'t unresolve an attached alert group');
      check(maintenance, 'Can\'t unresolve a maintenance alert group');
      group.resolved = false;
      group.resolvedAt = null;
      group.resolvedBy = null;
      // A full reset to firing: acknowledgement and silence go too.
      group.acknowledged = false;
      group.acknowledgedAt = null;
      group.acknowledgedBy = null;
      unsilence();
      record(group, { at: now, event: 'unresolved', authorId: who, text: `Unresolved by ${name}` });
      if (!group.wiped) restartEscalation(state, group, now, RESTART_DELAY);
      return;
    case 'silence': {
      // The delay is checked before the state.
      if (rawDelay === undefined || rawDelay === null) throw badRequest('delay is required');
      const delay = parseInteger(rawDelay);
      if (delay === undefined || delay < -1) throw badRequest('invalid delay value');
      if (delay > MAX_WINDOW_SECONDS) {
        throw badRequest(`invalid delay value: at most ${MAX_WINDOW_SECONDS} seconds (a year); -1 silences until unsilenced`);
      }
      check(group.resolved, 'Can\'t silence a resolved alert group');
      check(group.acknowledged, 'Can\'t silence an acknowledged alert group');
      check(attached, 'Can\'t silence an attached alert group');
      group.silenced = true;
      group.silencedAt = now;
      group.silencedUntil = delay > 0 ? now + delay * 1000 : null;
      if (group.silencedUntil === null) stopEscalation(group);
      else if (group.escalation) group.escalation.nextAt = null; // resumes from scratch when the silence ends
      record(group, {
        at: now,
        event: 'silenced',
        authorId: who,
        text: `Silenced by ${name} ${delay > 0 ? `for ${delay} s` : 'forever'}`,
      });
      return;
    }
    case 'unsilence':
      check(!group.silenced, 'Can\'t unsilence an unsilenced alert group');
      check(group.resolved, 'Can\'t unsilence a resolved alert group');
      check(group.acknowledged, 'Can\'t unsilence an acknowledged alert group');
      check(attached, 'Can\'t unsilence an attached alert group');
      unsilence();
      record(group, { at: now, event: 'unsilenced', authorId: who, text: `Unsilenced by ${name}` });
      restartEscalation(state, group, now, RESTART_DELAY);
      return;
  }
}
