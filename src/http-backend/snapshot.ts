/**
 * A snapshot of one escalation chain of a live organisation: the chain, its steps, everything the
 * steps name (users, user groups, teams with their members, webhooks) and, for each schedule, its
 * final shifts around the instant asked about. The engine then answers over it (engine/snapshot.ts)
 * what this OnCall does not: current/previous/next_oncall on self-hosted OnCall, and simulation.
 *
 * Final shifts (`/schedules/<id>/final_shifts`) are the schedule after layers, overrides and swaps,
 * as OnCall itself resolved them, so each becomes one fixed event in the snapshot: whatever the
 * live schedule is made of (web rotations, iCal), the snapshot holds what OnCall says it yields.
 * Only reads are made; the live organisation is never changed.
 */
import type { OnCallBackend } from '../api/backend.js';
import { collectAll } from '../api/pagination.js';
import type { EscalationPolicy, FinalShift, Team, User } from '../api/types.js';

const DAY = 86_400_000;

export interface ChainSnapshot {
  /** A data file (the engine's import format) holding just this chain's world. */
  data: Record<string, unknown>;
  /** Upstream objects that could not be read (no permission, deleted), named for the answer. */
  gaps: string[];
}

export interface SnapshotOptions {
  at: number;
  /** Final shifts are fetched for [at - days, at + days]. */
  days: number;
  /** Personal notification rules, for simulation (API keys only; a service account cannot read them). */
  notificationRules?: (userId: string) => Promise<{ default: unknown[]; important: unknown[] } | undefined>;
}

type Reader = Pick<OnCallBackend, 'escalationChains' | 'escalationPolicies' | 'schedules' | 'users' | 'teams' | 'userGroups' | 'webhooks'>;

const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The engine's single events take a wall-clock start; the snapshot's schedules are in UTC. */
const wallClockUtc = (ms: number) => new Date(ms).toISOString().slice(0, 19);

async function inBatches<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

export async function fetchChainSnapshot(
  live: Reader,
  chainId: string,
  options: SnapshotOptions,
): Promise<ChainSnapshot> {
  const gaps: string[] = [];
  const chain = await live.escalationChains.get(chainId);
  const policies: EscalationPolicy[] = await collectAll((page) =>
    live.escalationPolicies.list({ escalation_chain_id: chainId, page }));

  const userIds = new Set<string>();
  const scheduleIds = new Set<string>();
  const groupIds = new Set<string>();
  const teamIds = new Set<string>();
  const memberTeams = new Set<string>();
  const webhookIds = new Set<string>();
  for (const p of policies) {
    for (const u of [...(p.persons_to_notify ?? []), ...(p.persons_to_notify_next_each_time ?? [])]) userIds.add(u);
    if (p.notify_on_call_from_schedule) scheduleIds.add(p.notify_on_call_from_schedule);
    if (p.group_to_notify) groupIds.add(p.group_to_notify);
    if (p.team_to_notify) {
      teamIds.add(p.team_to_notify);
      memberTeams.add(p.team_to_notify);
    }
    if (p.action_to_trigger) webhookIds.add(p.action_to_trigger);
  }
  if (chain.team_id) teamIds.add(chain.team_id);

  const start = options.at - options.days * DAY;
  const end = options.at + options.days * DAY;
  const schedules = await inBatches([...scheduleIds], 4, async (id) => {
    const schedule = await live.schedules.get(id);
    const finals: FinalShift[] = await collectAll((page) =>
      live.schedules.finalShifts(id, { start_date: ymd(start), end_date: ymd(end + DAY), page } as never));
    return { schedule, finals };
  });

  const groups = groupIds.size
    ? (await collectAll((page) => live.userGroups.list({ page }))).filter((g) => groupIds.has(g.id))
    : [];
  for (const g of groups) {
    const members = (g as { members?: string[] }).members;
    if (members) for (const m of members) userIds.add(m);
    // OnCall's public API shows a user group's Slack handle, not its members.
    else gaps.push(`the members of user group @${g.slack.handle} (OnCall's API does not publish them)`);
  }

  const shifts: Array<Record<string, unknown>> = [];
  const scheduleEntries = schedules.map(({ schedule, finals }) => {
    if (schedule.team_id) teamIds.add(schedule.team_id);
    // One event per distinct interval: final_shifts lists one row per person.
    const byInterval = new Map<string, { start: number; end: number; users: string[] }>();
    for (const f of finals) {
      const s = Date.parse(f.shift_start);
      const e = Date.parse(f.shift_end);
      if (!(e > s)) continue;
      const key = `${s}/${e}`;
      const slot = byInterval.get(key) ?? { start: s, end: e, users: [] };
      slot.users.push(f.user_pk);
      userIds.add(f.user_pk);
      byInterval.set(key, slot);
    }
    const ids: string[] = [];
    for (const slot of byInterval.values()) {
      const id = `OSNAP${String(shifts.length + 1).padStart(6, '0')}`;
      ids.push(id);
      shifts.push({
        id,
        name: `${id} (final shift of ${schedule.name})`,
        type: 'single_event',
        team_id: null,
        time_zone: 'UTC',
        level: 0,
        start: wallClockUtc(slot.start),
        rotation_start: wallClockUtc(slot.start),
        duration: Math.round((slot.end - slot.start) / 1000),
        users: slot.users,
        source: 'api',
      });
    }
    return { id: schedule.id, name: schedule.name, type: 'web', team_id: schedule.team_id, time_zone: 'UTC', shifts: ids };
  });

  // Team members: OnCall's users list has no team filter, so the whole directory is read, and only
  // when a step notifies a team.
  let everyone: User[] | undefined;
  if (memberTeams.size) {
    everyone = await collectAll((page) => live.users.list({ page }));
    for (const u of everyone) if (u.teams.some((t) => memberTeams.has(t))) userIds.add(u.id);
  }
  const known = new Map((everyone ?? []).map((u) => [u.id, u]));
  const users = (
    await inBatches([...userIds], 4, async (id) => {
      try {
        return known.get(id) ?? (await live.users.get(id));
      } catch {
        gaps.push(`user ${id}`);
        return undefined;
      }
    })
  ).filter((u): u is User => u !== undefined);
  const teams = (
    await inBatches([...teamIds], 4, async (id) => {
      try {
        return await live.teams.get(id);
      } catch {
        gaps.push(`team ${id}`);
        return undefined;
      }
    })
  ).filter((t): t is Team => t !== undefined);
  const teamSet = new Set(teams.map((t) => t.id));
  const webhooks = (
    await inBatches([...webhookIds], 4, async (id) => {
      try {
        return await live.webhooks.get(id);
      } catch {
        gaps.push(`webhook ${id}`);
        return undefined;
      }
    })
  ).filter((w) => w !== undefined);

  const userEntries = await inBatches(users, 4, async (u) => {
    const rules = options.notificationRules ? await options.notificationRules(u.id).catch(() => undefined) : undefined;
    return {
      ...u,
      teams: u.teams.filter((t) => teamSet.has(t)),
      ...(rules ? { notification_rules: rules } : {}),
    };
  });
  const present = new Set(users.map((u) => u.id));
  return {
    data: {
      // A group step only resolves inside a connected Slack workspace (the engine checks this).
      organization: groups.length ? { slack_team_id: 'snapshot' } : {},
      teams,
      users: userEntries,
      user_groups: groups.map((g) => ({
        ...g,
        members: ((g as { members?: string[] }).members ?? []).filter((m) => present.has(m)),
      })),
      webhooks,
      on_call_shifts: shifts,
      schedules: scheduleEntries.map((s) => ({
        ...s,
        team_id: s.team_id && teamSet.has(s.team_id) ? s.team_id : null,
      })),
      escalation_chains: [
        { ...chain, team_id: chain.team_id && teamSet.has(chain.team_id) ? chain.team_id : null },
      ],
      escalation_policies: policies.map((p) => ({
        ...p,
        persons_to_notify: p.persons_to_notify?.filter((u) => present.has(u)) ?? p.persons_to_notify,
        persons_to_notify_next_each_time:
          p.persons_to_notify_next_each_time?.filter((u) => present.has(u)) ?? p.persons_to_notify_next_each_time,
      })),
    },
    gaps,
  };
}
