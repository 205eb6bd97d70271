/**
 * Stored schedule records as the schedule math reads them: shift definitions with their zones,
 * swap requests, and who may be notified.
 */
import type { ShiftDefinition, SwapRequest } from './math/index.js';
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
