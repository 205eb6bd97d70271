/**
 * `who_is_on_call` in one call: find the target (team, schedule, chain, integration or user), ask
 * the sources that say who is on call for it (schedules, chain previews), and put their answers
 * together: who now and until when, who next and from when, through what, and why nobody is when
 * nobody is. Backend calls only (`OnCallBackend` and the shared directory index).
 */
import type { OnCallBackend } from '../../api/backend.js';
import { ApiError } from '../../api/errors.js';
import { collectAll } from '../../api/pagination.js';
import type { Route } from '../../api/types.js';
import { formatInstant } from '../format.js';
import type { DirectoryIndex, Entry } from '../lookup/directory-index.js';
import { previewChain } from './chain-preview.js';
import { unreachablePeople } from './reachability.js';
import { answerForSchedule, isoZ, LOOKAHEAD_DAYS, shiftsOfUser } from './schedule-answer.js';
import { findTarget } from './target.js';
import type { Reason, Ref, TargetKind, Via, WhoIsOnCall } from './types.js';

/** Sources asked per answer at most (each is one or two requests); the rest are named. */
export const MAX_SOURCES = 8;
/** Schedules searched for one user's shifts at most. */
export const MAX_USER_SCHEDULES = 25;
const DAY = 86_400_000;

/** `at` as milliseconds: an ISO instant with a zone (a bare local time would be a guess). */
export function parseAt(at: string | undefined, now: number): number {
  if (at === undefined || at === '') return now;
  const shaped = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(at);
  const ms = Date.parse(at);
  if (!shaped || Number.isNaN(ms)) {
    throw new ApiError(400, {
      at: [`"${at}" is not an ISO instant with a zone; give e.g. 2026-03-24T18:30:00Z or 2026-03-24T19:30:00+01:00 (default: now).`],
    });
  }
  return ms;
}

/** Run `work` over `items`, at most `limit` at a time, keeping their order. */
async function bounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const scheduleRef = (e: Entry) => ({ id: e.id, name: e.name, timeZone: e.timeZone ?? null });

interface Parts {
  via: Via[];
  reasons: Reason[];
  routes?: WhoIsOnCall['routes'];
  zone: string | null;
}

function capped<T>(items: readonly T[], what: string, reasons: Reason[], name: (t: T) => string): T[] {
  if (items.length <= MAX_SOURCES) return [...items];
  const rest = items.slice(MAX_SOURCES);
  reasons.push({
    code: 'not_all_checked',
    message: `${rest.length} more ${what} not checked here: ${rest.slice(0, 10).map(name).join(', ')}${rest.length > 10 ? ', …' : ''}. Ask who_is_on_call for one of them.`,
  });
  return items.slice(0, MAX_SOURCES);
}

async function forTeam(backend: OnCallBackend, index: DirectoryIndex, team: Entry, at: number): Promise<Parts> {
  const reasons: Reason[] = [];
  const [schedules, chains] = await Promise.all([index.entries('schedule'), index.entries('chain')]);
  const own = (e: Entry) => e.teamIds?.includes(team.id) ?? false;
  const mySchedules = capped(schedules.filter(own), 'schedules', reasons, (e) => `"${e.name}" (${e.id})`);
  const myChains = capped(chains.filter(own), 'escalation chains', reasons, (e) => `"${e.name}" (${e.id})`);
  const zone = mySchedules[0]?.timeZone ?? null;
  const via = [
    ...(await bounded(mySchedules, 4, (s) => answerForSchedule(backend, scheduleRef(s), at))),
    ...(await bounded(myChains, 4, (c) => previewChain(backend, index, { id: c.id, name: c.name }, at, { zone }))),
  ];
  if (!via.length) {
    const members = (await index.entries('user')).filter(own).map((u) => u.name);
    reasons.push({
      code: 'nothing_for_team',
      message: `Team ${team.name} has no schedules or escalation chains of its own, so nobody is on call for it as such${members.length ? `; its members: ${members.join(', ')}` : ''}.`,
    });
  }
  return { via, reasons, zone };
}

async function forIntegration(
  backend: OnCallBackend,
  index: DirectoryIndex,
  integration: Entry,
  at: number,
): Promise<Parts> {
  const reasons: Reason[] = [];
  const [full, routes, chainNames] = await Promise.all([
    backend.integrations.get(integration.id),
    collectAll((page) => backend.routes.list({ integration_id: integration.id, page })),
    index.byId('chain'),
  ]);
  const ordered: Route[] = [...routes].sort(
    (a, b) => Number(a.is_the_last_route) - Number(b.is_the_last_route) || a.position - b.position,
  );
  const where = (r: Route) => (r.is_the_last_route ? 'The default route' : `Route [${r.position}] (${JSON.stringify(r.routing_regex)})`);
  for (const r of ordered) {
    if (!r.escalation_chain_id) {
      reasons.push({ code: 'no_chain', message: `${where(r)} has no escalation chain: alerts it takes notify nobody.` });
    }
  }
  if (full.maintenance_mode) {
    reasons.push({
      code: 'maintenance',
      message: `${integration.name} is in ${full.maintenance_mode} mode${full.maintenance_end_at ? ` until ${formatInstant(full.maintenance_end_at, null)}` : ''}: its alerts escalate to nobody meanwhile.`,
    });
  }
  const chainIds = [...new Set(ordered.map((r) => r.escalation_chain_id).filter((id): id is string => !!id))];
  const chains = capped(chainIds, 'escalation chains', reasons, (id) => `"${chainNames.get(id)?.name ?? id}" (${id})`);
  const via = await bounded(chains, 4, (id) =>
    previewChain(backend, index, { id, name: chainNames.get(id)?.name ?? id }, at));
  return {
    via,
    reasons,
    zone: via.find((v) => v.time_zone)?.time_zone ?? null,
    routes: ordered.map((r) => ({
      id: r.id,
      position: r.position,
      is_the_last_route: r.is_the_last_route,
      routing_type: r.routing_type,
      routing_regex: r.routing_regex,
      escalation_chain_id: r.escalation_chain_id,
    })),
  };
}

/**
 * The schedules a user may be on call in: those with a shift naming them, those where they took a
 * swap, and iCal schedules (whose people only their calendar knows).
 */
async function schedulesOfUser(backend: OnCallBackend, userId: string) {
  const [schedules, shifts, swaps] = await Promise.all([
    collectAll((page) => backend.schedules.list({ page })),
    collectAll((page) => backend.onCallShifts.list({ page })),
    collectAll((page) => backend.shiftSwaps.list({ benefactor: userId, page })).catch(() => []),
  ]);
  const mine = new Set(
    shifts
      .filter((s) => s.users?.includes(userId) || s.rolling_users?.some((group) => group.includes(userId)))
      .map((s) => s.id),
  );
  const swapped = new Set(swaps.filter((s) => s.status === 'taken').map((s) => s.schedule));
  return schedules.filter((s) => s.type === 'ical' || !s.shifts || s.shifts.some((id) => mine.has(id)) || swapped.has(s.id));
}

async function forUser(backend: OnCallBackend, user: Entry, at: number): Promise<Parts> {
  const reasons: Reason[] = [];
  const candidates = await schedulesOfUser(backend, user.id);
  if (candidates.length > MAX_USER_SCHEDULES) {
    const rest = candidates.slice(MAX_USER_SCHEDULES);
    reasons.push({
      code: 'not_all_checked',
      message: `${rest.length} more schedules may include ${user.name} and were not checked: ${rest.slice(0, 10).map((s) => `"${s.name}" (${s.id})`).join(', ')}.`,
    });
  }
  const person = { id: user.id, username: user.name };
  const answers = await bounded(candidates.slice(0, MAX_USER_SCHEDULES), 4, (s) =>
    shiftsOfUser(backend, { id: s.id, name: s.name, timeZone: s.time_zone ?? null }, person, at),
  );
  const via = answers.filter((v) => v.now.length || v.next.length);
  const zone = user.timeZone ?? null;
  if (!via.length) {
    const end = isoZ(Math.floor(at / 60_000) * 60_000 + LOOKAHEAD_DAYS * DAY);
    const checked = candidates.length ? ` (looked in ${candidates.slice(0, 5).map((s) => `"${s.name}"`).join(', ')}${candidates.length > 5 ? ', …' : ''})` : ' (no schedule has a shift naming them)';
    reasons.push({
      code: 'no_shifts',
      message: `${user.name} has no shifts in any schedule from ${formatInstant(isoZ(at), zone)} to ${formatInstant(end, zone)}${checked}.`,
    });
  }
  return { via, reasons, zone };
}

const viaRef = (v: Via): Ref => ({ kind: v.kind, id: v.id, name: v.name });

/**
 * Put the sources' answers together. "On call" is what schedules say; a chain's first notifications
 * stand in when no schedule names anyone (a chain target, an integration, a team without schedules
 * or with a gap). Next: the source(s) whose next people come on earliest.
 */
function combine(target: Ref, at: number, parts: Parts, also: Ref[]): WhoIsOnCall {
  const schedules = parts.via.filter((v) => v.kind === 'schedule');
  const chains = parts.via.filter((v) => v.kind === 'escalation_chain');
  const nowSources = schedules.some((v) => v.now.length) ? schedules : chains;
  const nextSources = schedules.some((v) => v.next.length) ? schedules : chains;
  const now: WhoIsOnCall['now'] = [];
  for (const v of nowSources) {
    for (const p of v.now) if (!now.some((n) => n.id === p.id)) now.push({ ...p, via: viaRef(v), until: v.until });
  }
  const untils = now.map((n) => n.until).filter((u): u is string => u !== null).sort();
  const from = nextSources.flatMap((v) => (v.from !== null && v.next.length ? [v.from] : [])).sort()[0] ?? null;
  const next: WhoIsOnCall['next'] = [];
  for (const v of nextSources) {
    if (!from || v.from !== from) continue;
    for (const p of v.next) {
      if (!next.some((n) => n.id === p.id)) next.push({ ...p, via: viaRef(v), from, until: v.next_until });
    }
  }
  const reasons = [...parts.reasons];
  if (!now.length) for (const v of parts.via) for (const r of v.reasons) if (!reasons.includes(r)) reasons.push(r);
  return {
    target,
    at: isoZ(at),
    time_zone: parts.zone,
    now,
    until: untils[0] ?? null,
    next,
    from,
    via: parts.via,
    ...(parts.routes ? { routes: parts.routes } : {}),
    reasons,
    unreachable: [],
    also_matches: also,
  };
}

export async function whoIsOnCall(
  backend: OnCallBackend,
  index: DirectoryIndex,
  args: { target: string; at?: string | undefined; kind?: TargetKind | undefined },
): Promise<WhoIsOnCall> {
  const at = parseAt(args.at, backend.now());
  const found = await findTarget(index, args.target, args.kind);
  const { entry } = found;
  const target: Ref = { kind: found.kind, id: entry.id, name: entry.name };
  let parts: Parts;
  switch (found.kind) {
    case 'schedule':
      parts = {
        via: [await answerForSchedule(backend, scheduleRef(entry), at)],
        reasons: [],
        zone: entry.timeZone ?? null,
      };
      break;
    case 'escalation_chain': {
      const via = await previewChain(backend, index, { id: entry.id, name: entry.name }, at);
      parts = { via: [via], reasons: [], zone: via.time_zone };
      break;
    }
    case 'team':
      parts = await forTeam(backend, index, entry, at);
      break;
    case 'integration':
      parts = await forIntegration(backend, index, entry, at);
      break;
    case 'user':
      parts = await forUser(backend, entry, at);
      break;
  }
  const answer = combine(target, at, parts, found.also);
  const { unreachable, unchecked } = await unreachablePeople(backend, index, answer.now);
  answer.unreachable = unreachable;
  if (unchecked.length) {
    answer.reasons.push({
      code: 'not_all_checked',
      message: `Whether ${unchecked.join(', ')} can be reached by their own notification rules was not checked: `
        + 'the rules could not be read (OnCall shows them to an API key, not a service-account token).',
    });
  }
  return answer;
}
