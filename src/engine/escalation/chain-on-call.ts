/**
 * Who is on call for an escalation chain (Cloud IRM endpoints, seed 002; oncall-engine.md §6):
 * `current_oncall` resolves the first batch of steps the escalation would fire together, and
 * `previous_oncall` / `next_oncall` look at the first schedule the chain uses.
 *
 * A chain that starts with a wait still has a first batch: the steps after that wait. (Stopping
 * at a leading wait would make such chains, seed 002's own example among them, look empty.)
 */
import { ApiError } from '../../api/errors.js';
import type { ChainOnCall } from '../../api/types.js';
import { representUser } from '../directory/directory.js';
import { targets } from '../../api/step-types.js';
import { policiesInChain } from './escalation-policies.js';
import { ENGINE_STEPS } from './step-types.js';
import { canBeNotified, type Segment } from '../schedules/schedule-resolver.js';
import { nextSegment, previousSegment } from '../schedules/segments.js';
import type { ScheduleRecord, State } from '../core/state.js';
import { parseInteger } from '../core/validation.js';

const DAY = 86_400_000;

type ShiftEntry = ChainOnCall['shifts'][number];

/** `2026-03-24T09:00:00+00:00`, the format seed 002 shows. */
function isoOffset(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
}

function entry(schedule: ScheduleRecord, segment: Segment): ShiftEntry {
  return {
    schedule_id: schedule.id,
    schedule_name: schedule.name,
    team_id: schedule.team_id,
    shift_start: isoOffset(segment.start),
    shift_end: isoOffset(segment.end),
    users: [...segment.users],
  };
}

function respond(state: State, userIds: readonly string[], shifts: ShiftEntry[]): ChainOnCall {
  const users = [...new Set(userIds)]
    .filter((id) => canBeNotified(state, id))
    .map((id) => state.users.get(id)!)
    .map((u) => ({
      ...representUser(u),
      phone_number: u.phone_number_status === 'available' ? u.phone_number : null,
      phone_number_status: u.phone_number_status,
    }));
  return { count: users.length, users, shifts };
}

/** Everyone the chain's first batch of steps would notify at `at`, without moving any round robin. */
export function currentOnCall(state: State, chainId: string, at: number): ChainOnCall {
  const userIds: string[] = [];
  const shifts: ShiftEntry[] = [];
  let inBatch = false;
  for (const policy of policiesInChain(state, chainId)) {
    if (policy.type === null) continue;
    const share = ENGINE_STEPS[policy.type].onCall(policy, state, at);
    if (share === 'pass') continue;
    if (share === 'wait') {
      if (inBatch) break;
      continue;
    }
    if (share === 'stop') break;
    inBatch = true;
    userIds.push(...share.users);
    if (share.shift) shifts.push(entry(share.shift.schedule, share.shift.segment));
  }
  return respond(state, userIds, shifts);
}

/** `days` of previous/next_oncall: 1..30, default 7. */
export function parseDays(raw: unknown): number {
  if (raw === undefined || raw === null || raw === '') return 7;
  const days = parseInteger(raw);
  if (days === undefined) throw new ApiError(400, { days: ['A valid integer is required.'] });
  if (days < 1) throw new ApiError(400, { days: ['Ensure this value is greater than or equal to 1.'] });
  if (days > 30) throw new ApiError(400, { days: ['Ensure this value is less than or equal to 30.'] });
  return days;
}

/** The first step of the chain that references a schedule, and that schedule. */
function firstSchedule(state: State, chainId: string): ScheduleRecord | undefined {
  for (const policy of policiesInChain(state, chainId)) {
    if (targets(policy.type, 'schedule') && policy.scheduleId) {
      return state.schedules.get(policy.scheduleId);
    }
  }
  return undefined;
}

export function adjacentOnCall(
  state: State,
  chainId: string,
  at: number,
  days: number,
  direction: 'previous' | 'next',
): ChainOnCall {
  const schedule = firstSchedule(state, chainId);
  if (!schedule) return respond(state, [], []);
  const horizon = days * DAY;
  const segment =
    direction === 'next' ? nextSegment(state, schedule, at, horizon) : previousSegment(state, schedule, at, horizon);
  if (!segment) return respond(state, [], []);
  return respond(state, segment.users, [entry(schedule, segment)]);
}
