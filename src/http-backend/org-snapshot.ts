/**
 * A copy of a live organisation's configuration for dry runs: every chain with its steps, every
 * integration with its routes, the directory, the webhooks, and each schedule as its final shifts
 * over the days ahead (what OnCall says its layers, overrides and swaps yield, as snapshot.ts does
 * for one chain). The engine opened over it (`snapshotEngine`) is where a dry-run write runs; only
 * GETs are sent upstream.
 *
 * What it cannot hold is said in `limits`: a schedule's own layers (so a shift or schedule edit
 * is tried against an empty copy of that schedule), people's notification rules, Slack routing.
 */
import type { OnCallBackend } from '../api/backend.js';
import { collectAll } from '../api/pagination.js';
import type { FinalShift, Schedule } from '../api/types.js';

const DAY = 86_400_000;
/** Final shifts are copied from a day back to this many days ahead. */
const DAYS_AHEAD = 14;

const wallClockUtc = (ms: number) => new Date(ms).toISOString().slice(0, 19);
const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface OrgSnapshot {
  data: Record<string, unknown>;
  limits: string[];
}

/** Messaging settings of a route, which a copy without the Slack workspace cannot hold. */
function routing(route: Record<string, unknown>): Record<string, unknown> {
  const { slack: _slack, telegram: _telegram, ...rest } = route;
  for (const key of Object.keys(rest)) {
    const v = rest[key];
    if (v && typeof v === 'object' && 'enabled' in v && 'id' in v) delete rest[key];
  }
  return rest;
}

export async function fetchOrgSnapshot(live: OnCallBackend, now: number): Promise<OrgSnapshot> {
  const [users, teams, chains, policies, integrations, routes, schedules, webhooks] = await Promise.all([
    collectAll((page) => live.users.list({ page, perpage: 100 })),
    collectAll((page) => live.teams.list({ page, perpage: 100 })),
    collectAll((page) => live.escalationChains.list({ page, perpage: 100 })),
    collectAll((page) => live.escalationPolicies.list({ page, perpage: 100 })),
    collectAll((page) => live.integrations.list({ page, perpage: 100 })),
    collectAll((page) => live.routes.list({ page, perpage: 100 })),
    collectAll((page) => live.schedules.list({ page, perpage: 100 })),
    collectAll((page) => live.webhooks.list({ page, perpage: 100 })).catch(() => undefined),
  ]);
  const limits = [
    'schedules are copied as their final shifts for the next 14 days (not their layers), so who is on call is previewed but a shift or schedule edit is tried against a copy without the schedule\'s own shifts',
    'people\'s notification rules are not copied: the preview says whom the chain pages, not how each person is reached',
  ];
  if (!webhooks) limits.push('webhooks could not be read with this token: webhook steps are left out');
  const from = now - DAY;
  const to = now + DAYS_AHEAD * DAY;
  const shifts: Array<Record<string, unknown>> = [];
  const scheduleEntries = await Promise.all(
    schedules.map(async (s: Schedule) => {
      let finals: FinalShift[] = [];
      try {
        finals = (await live.schedules.finalShifts(s.id, { start_date: ymd(from), end_date: ymd(to + DAY) })).results;
      } catch {
        limits.push(`schedule "${s.name}" (${s.id}): its final shifts could not be read, so nobody is on call in the copy`);
      }
      const slots = new Map<string, { start: number; end: number; users: string[] }>();
      for (const f of finals) {
        const start = Date.parse(f.shift_start);
        const end = Date.parse(f.shift_end);
        if (!(end > start)) continue;
        const slot = slots.get(`${start}/${end}`) ?? { start, end, users: [] };
        slot.users.push(f.user_pk);
        slots.set(`${start}/${end}`, slot);
      }
      const ids: string[] = [];
      for (const slot of slots.values()) {
        const id = `OSNAP${String(shifts.length + 1).padStart(8, '0')}`;
        ids.push(id);
        shifts.push({
          id,
          name: `${id} (final shift of ${s.name})`,
          type: 'single_event',
          team_id: s.team_id,
          time_zone: 'UTC',
          level: 0,
          start: wallClockUtc(slot.start),
          rotation_start: wallClockUtc(slot.start),
          duration: Math.round((slot.end - slot.start) / 1000),
          users: slot.users,
          source: 'api',
        });
      }
      return {
        id: s.id,
        name: s.name,
        // A web schedule stays web (its shifts cannot be edited through the API, live or here); an
        // iCal one is copied as web, which the engine holds without downloading a calendar.
        type: s.type === 'calendar' ? 'calendar' : 'web',
        team_id: s.team_id,
        time_zone: s.time_zone ?? 'UTC',
        enable_web_overrides: true,
        shifts: ids,
      };
    }),
  );
  // The organisation has whatever its steps need: a step OnCall accepted (a Slack channel step, an
  // incident step) is only accepted by the engine where Slack or Grafana Incident is connected.
  const types = new Set(policies.map((p) => p.type));
  const organization = {
    ...(types.has('notify_whole_channel') || types.has('notify_user_group') ? { slack_team_id: 'snapshot' } : {}),
    ...(types.has('declare_incident') ? { grafana_incident_enabled: true } : {}),
  };
  return {
    data: {
      version: 1,
      organization,
      teams,
      users,
      user_groups: [],
      webhooks: webhooks ?? [],
      on_call_shifts: shifts,
      schedules: scheduleEntries,
      escalation_chains: chains,
      escalation_policies: policies.map((p) =>
        p.type === 'notify_user_group' ? { ...p, group_to_notify: null } : p),
      integrations: integrations.map((i) => ({
        ...i,
        default_route: routing(i.default_route as Record<string, unknown>),
      })),
      routes: routes.filter((r) => !r.is_the_last_route).map((r) => routing(r as Record<string, unknown>)),
    },
    limits,
  };
}
