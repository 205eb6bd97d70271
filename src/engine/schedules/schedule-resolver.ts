/**
 * The bridge between stored schedules and the schedule math in `./schedule/`: it turns records
 * into plain shift definitions and swap requests, and answers "who is on call" questions for one
 * schedule. Point-in-time answers use half-open intervals [start, end): at a handover instant the
 * incoming people are on call (DESIGN.md).
 */
import { finalEvents, type FinalEvent, onCallAt, type ShiftDefinition, type SwapRequest } from './math/index.js';
import type { ScheduleRecord, ShiftRecord, State } from '../core/state.js';

/** Users who can be notified: viewers (and role "none") lack the notification permission. */
export function canBeNotified(state: State, userId: string): boolean {
  const user = state.users.get(userId);
  return user !== undefined && user.role !== 'viewer' && user.role !== 'none';
}

/** The zone a shift's wall-clock times are in: UTC for web shifts, else its own, its calendar schedule's, or UTC. */
export function shiftZone(state: State, shift: ShiftRecord): string {
  if (shift.source === 'web') return 'UTC';
  if (shift.time_zone) return shift.time_zone;
  for (const schedule of state.schedules.values()) {
    if (schedule.shifts.includes(shift.id) && schedule.time_zone) return schedule.time_zone;
  }
  return 'UTC';
}

export function toDefinition(state: State, shift: ShiftRecord): ShiftDefinition {
  return {
    id: shift.id,
    type: shift.type,
    source: shift.source,
    timeZone: shiftZone(state, shift),
    level: shift.level,
    start: shift.start,
    duration: shift.duration,
    rotationStart: shift.rotation_start,
    until: shift.until,
    frequency: shift.frequency,
    interval: shift.interval,
    byDay: shift.by_day,
    byMonth: shift.by_month,
    byMonthday: shift.by_monthday,
    weekStart: shift.week_start,
    users: shift.users,
    rollingUsers: shift.rolling_users,
    startRotationFromUserIndex: shift.start_rotation_from_user_index,
  };
}

/** The shifts that make up a schedule (overrides of a calendar schedule only with web overrides on). */
export function scheduleShifts(state: State, schedule: ScheduleRecord): ShiftDefinition[] {
  const out: ShiftDefinition[] = [];
  for (const id of schedule.shifts) {
    const shift = state.shifts.get(id);
    if (!shift) continue;
    if (schedule.type === 'calendar' && shift.type === 'override' && !schedule.enable_web_overrides) continue;
    out.push(toDefinition(state, shift));
  }
  return out;
}

export function scheduleSwaps(state: State, scheduleId: string): SwapRequest[] {
  return [...state.swaps.values()]
    .filter((s) => s.schedule === scheduleId && !s.deleted)
    .map((s) => ({
      id: s.id,
      beneficiary: s.beneficiary,
      benefactor: s.benefactor,
      swapStart: s.swap_start,
      swapEnd: s.swap_end,
      createdAt: s.created_at,
    }));
}

/** The final schedule (layers, overrides, swaps resolved) between two instants. */
export function scheduleFinalEvents(
  state: State,
  schedule: ScheduleRecord,
  from: number,
  to: number,
  now: number,
): FinalEvent[] {
  return finalEvents({
    shifts: scheduleShifts(state, schedule),
    swaps: scheduleSwaps(state, schedule.id),
    windowStart: from,
    windowEnd: to,
    now,
    isUserAllowed: (id) => canBeNotified(state, id),
  });
}

/** Who is on call in a schedule at an instant. */
export function scheduleOnCallAt(state: State, schedule: ScheduleRecord, at: number): string[] {
  return onCallAt({
    shifts: scheduleShifts(state, schedule),
    swaps: scheduleSwaps(state, schedule.id),
    at,
    isUserAllowed: (id) => canBeNotified(state, id),
  });
}

/** A stretch of time during which the same people are on call. */
export interface Segment {
  start: number;
  end: number;
  users: string[];
}

/**
 * Cut final events into segments of constant on-call sets: at every instant the users of all
 * non-empty events covering it (they are all of the winning layer after resolution).
 */
export function segments(events: readonly FinalEvent[]): Segment[] {
  const live = events.filter((e) => !e.isGap && !e.isEmpty && e.users.length > 0 && e.end > e.start);
  const cuts = [...new Set(live.flatMap((e) => [e.start, e.end]))].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [start, end] = [cuts[i]!, cuts[i + 1]!];
    const users = [...new Set(live.filter((e) => e.start <= start && e.end >= end).flatMap((e) => e.users))].sort();
    if (!users.length) continue;
    const last = out.at(-1);
    if (last && last.end === start && sameSet(last.users, users)) last.end = end;
    else out.push({ start, end, users });
  }
  return out;
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
