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
import { policiesInChain } from './escalation-policies.js';
import { nextInRoundRobin, roundRobinQueue } from './round-robin.js';
import {
  canBeNotified,
  sameSet,
  scheduleFinalEvents,
  scheduleOnCallAt,
  type Segment,
  segments,
} from '../schedules/schedule-resolver.js';
import type { ScheduleRecord, State } from '../core/state.js';
import { parseInteger } from '../core/validation.js';

const DAY = 86_400_000;
/** How far the `notify_next_on_call_from_schedule` step looks ahead (seed 001). */
export const NEXT_ON_CALL_LOOKAHEAD = 14 * DAY;
/** The widest window we resolve around a segment to find where it really starts and ends. */
const MAX_MARGIN = 64 * DAY;

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

/** The segments of a window. Events are returned whole, so a segment may reach past the window. */
function segmentsIn(state: State, schedule: ScheduleRecord, from: number, to: number, at: number): Segment[] {
  return segments(scheduleFinalEvents(state, schedule, from, to, at));
}

/**
 * Find a segment, widening the window until the segment lies strictly inside it: a segment that
 * touches an edge may continue beyond it (a weekly rotation seen through a one-day window).
 * Starting small keeps the common case (a shift of hours or days) cheap.
 */
function settle(
  find: (margin: number) => { segment: Segment | undefined; from: number; to: number },
): Segment | undefined {
  let found: Segment | undefined;
  for (let margin = DAY; margin <= MAX_MARGIN; margin *= 4) {
    const { segment, from, to } = find(margin);
    found = segment;
    if (!segment || (segment.start > from && segment.end < to)) return segment;
  }
  return found;
}

/** The segment of constant on-call people that contains `at`, if anyone is on call then. */
export function segmentAt(state: State, schedule: ScheduleRecord, at: number): Segment | undefined {
  return settle((margin) => {
    const [from, to] = [at - margin, at + margin];
    return { segment: segmentsIn(state, schedule, from, to, at).find((s) => s.start <= at && at < s.end), from, to };
  });
}

/**
 * The next segment after `at` within `horizon` whose people differ from those on call at `at`
 * (the first non-empty one when nobody is on call at `at`).
 */
export function nextSegment(state: State, schedule: ScheduleRecord, at: number, horizon: number): Segment | undefined {
  const current = scheduleOnCallAt(state, schedule, at);
  return settle((margin) => {
    const [from, to] = [at - 1, at + horizon + margin];
    const segment = segmentsIn(state, schedule, at, to, at).find(
      (s) => s.start > at && s.start <= at + horizon && !sameSet(s.users, current),
    );
    return { segment, from, to };
  });
}

/** The last segment that ended at or before `at`, within `horizon`, with other people than now. */
export function previousSegment(
  state: State,
  schedule: ScheduleRecord,
  at: number,
  horizon: number,
): Segment | undefined {
  const current = scheduleOnCallAt(state, schedule, at);
  return settle((margin) => {
    const [from, to] = [at - horizon - margin, at + 1];
    const segment = segmentsIn(state, schedule, from, at, at)
      .filter((s) => s.end <= at && s.end >= at - horizon && !sameSet(s.users, current))
      .at(-1);
    return { segment, from, to };
  });
}

/** The `notify_if_time_from_to` gate at an instant (UTC time of day, oncall-engine.md §3.4). */
export function timeGateOpen(timeFrom: string | null, timeTo: string | null, at: number): boolean {
  if (!timeFrom || !timeTo) return true; // unset: the step fails and escalation goes on
  const seconds = (t: string) => {
    const [h, m, s] = t.split(':').map(Number) as [number, number, number];
    return h * 3600 + m * 60 + s;
  };
  const now = Math.floor((at % DAY) / 1000);
  const from = seconds(timeFrom);
  const to = seconds(timeTo);
  if (from < to) return from <= now && now < to;
  if (from > to) return now >= from || now < to;
  return now === from;
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
    const type = policy.type;
    if (type === null) continue;
    if (type === 'wait') {
      if (inBatch) break;
      continue;
    }
    // Steps where a real escalation would stop or hold.
    if (type === 'resolve' || type === 'repeat_escalation' || type === 'notify_if_num_alerts_in_window') break;
    if (type === 'notify_if_time_from_to') {
      if (!timeGateOpen(policy.timeFrom, policy.timeTo, at)) break;
      continue;
    }
    inBatch = true;
    const schedule = policy.scheduleId ? state.schedules.get(policy.scheduleId) : undefined;
    switch (type) {
      case 'notify_persons':
        userIds.push(...policy.userIds);
        break;
      case 'notify_person_next_each_time': {
        const next = nextInRoundRobin(roundRobinQueue(state, policy.userIds), policy.roundRobinLastUserId);
        if (next) userIds.push(next.id);
        break;
      }
      case 'notify_on_call_from_schedule':
        if (schedule) {
          const segment = segmentAt(state, schedule, at);
          if (segment) {
            userIds.push(...segment.users);
            shifts.push(entry(schedule, segment));
          }
        }
        break;
      case 'notify_next_on_call_from_schedule':
        if (schedule) {
          const segment = nextSegment(state, schedule, at, NEXT_ON_CALL_LOOKAHEAD);
          if (segment) {
            userIds.push(...segment.users);
            shifts.push(entry(schedule, segment));
          }
        }
        break;
      case 'notify_team_members':
        for (const user of state.users.values()) {
          if (policy.teamId && user.teams.includes(policy.teamId)) userIds.push(user.id);
        }
        break;
      case 'notify_user_group':
        userIds.push(...(policy.userGroupId ? (state.userGroups.get(policy.userGroupId)?.members ?? []) : []));
        break;
      default:
        break;
    }
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
    if (
      (policy.type === 'notify_on_call_from_schedule' || policy.type === 'notify_next_on_call_from_schedule')
      && policy.scheduleId
    ) {
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
