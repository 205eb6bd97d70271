/**
 * The window and the schedules the coverage answers are asked about: `start` (default now) and
 * `days` (bounded), and schedules named directly or through a team. Refusals name the field and
 * the fix.
 */
import * as z from 'zod';
import type { OnCallBackend } from '../../../api/backend.js';
import { ApiError } from '../../../api/errors.js';
import { collectAll } from '../../../api/pagination.js';
import type { Schedule } from '../../../api/types.js';
import type { Window } from './final-shifts.js';
import { DAY, MINUTE } from './local-time.js';

export const MAX_DAYS = 90;
/** More schedules than this make an answer nobody reads: a team that big is asked schedule by schedule. */
export const MAX_SCHEDULES = 10;

export const StartArg = z.string().describe('ISO instant with zone (default now).');

export function windowOf(start: string | undefined, days: number, now: number, field = 'start'): Window {
  let from = now;
  if (start !== undefined) {
    from = /(Z|[+-]\d{2}:?\d{2})$/i.test(start) ? Date.parse(start) : Number.NaN;
    if (Number.isNaN(from)) {
      throw new ApiError(400, { [field]: [`"${start}" is not an ISO instant with a zone; give e.g. 2026-03-24T09:00:00Z, or leave it out for now.`] });
    }
  }
  from = Math.floor(from / MINUTE) * MINUTE;
  return { from, to: from + days * DAY };
}

/** The schedules asked for: the ids given, or the team's; at least one of the two. */
export async function schedulesAsked(
  backend: OnCallBackend,
  scheduleIds: readonly string[] | undefined,
  teamId: string | undefined,
  field = 'schedule_ids',
): Promise<Schedule[]> {
  if (!scheduleIds?.length && !teamId) {
    throw new ApiError(400, { [field]: [`Give ${field} (${field === 'schedule_ids' ? 'ids or names' : 'an id or name'}) or team_id (a team: its schedules).`] });
  }
  const byId = new Map<string, Schedule>();
  for (const id of scheduleIds ?? []) byId.set(id, await backend.schedules.get(id));
  if (teamId) {
    const team = await collectAll((page) => backend.schedules.list({ team_id: teamId, page }));
    if (!team.length && !scheduleIds?.length) {
      throw new ApiError(400, { team_id: [`Team ${teamId} has no schedules; list_schedules shows each schedule's team.`] });
    }
    for (const s of team) byId.set(s.id, s);
  }
  const schedules = [...byId.values()];
  if (schedules.length > MAX_SCHEDULES) {
    throw new ApiError(400, {
      [teamId ? 'team_id' : field]: [`${schedules.length} schedules asked for; at most ${MAX_SCHEDULES} at once. Name them in schedule_ids, a few at a time.`],
    });
  }
  return schedules;
}
