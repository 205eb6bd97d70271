/**
 * The bridge between stored schedules and the schedule math in `./math/`: it answers "who is on
 * call" questions for one schedule from its records (read by `schedule-records.ts`), reusing what
 * `schedule-memo.ts` already worked out until a write changes it. Point-in-time answers use
 * half-open intervals [start, end): at a handover instant the incoming people are on call
 * (DESIGN.md).
 */
import { finalEvents, type FinalEvent, onCallAt } from './math/index.js';
import type { ScheduleRecord, State } from '../core/state.js';
import { type ScheduleInputs, scheduleInputs } from './schedule-memo.js';

export { canBeNotified, toDefinition } from './schedule-records.js';

/** The final events of a window, computed (the inputs already read). */
export function resolveWindow(inputs: ScheduleInputs, from: number, to: number, now: number): FinalEvent[] {
  return finalEvents({
    shifts: inputs.shifts,
    prepared: inputs.prepared,
    swaps: inputs.swaps,
    windowStart: from,
    windowEnd: to,
    now,
    isUserAllowed: inputs.isUserAllowed,
  });
}

const DAY = 86_400_000;

/** The final events of a window made of whole UTC days, and that window. */
export interface DayWindow {
  from: number;
  to: number;
  events: readonly FinalEvent[];
}

/**
 * The final events of the smallest window of whole UTC days that holds [from, to], kept (frozen)
 * for the next question about any window inside the same days. The final events inside a window
 * do not depend on how far beyond it one resolves: only pieces reaching past its edges can be cut
 * differently, by stronger layers out there. So whatever a caller reads inside [from, to] (pieces
 * clipped to it, segments strictly inside it) is what resolving [from, to] itself would give.
 */
export function eventsAround(inputs: ScheduleInputs, from: number, to: number, now: number): DayWindow {
  const start = Math.floor(from / DAY) * DAY;
  const end = Math.max(Math.ceil(to / DAY) * DAY, start + DAY);
  const events = inputs.derive(`events ${start} ${end} ${inputs.phase(now)}`, () =>
    deepFreeze(resolveWindow(inputs, start, end, now)),
  );
  return { from: start, to: end, events };
}

/**
 * Who is on call in a schedule at an instant. Not kept: instants rarely repeat ("now" moves), and
 * with the inputs already read a point costs little.
 */
export function scheduleOnCallAt(state: State, schedule: ScheduleRecord, at: number): string[] {
  const inputs = scheduleInputs(state, schedule);
  return onCallAt({
    shifts: inputs.shifts,
    prepared: inputs.prepared,
    swaps: inputs.swaps,
    at,
    isUserAllowed: inputs.isUserAllowed,
  });
}

/** Freezes kept answers (arrays of plain objects and their arrays), so no caller edits another's. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
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
  // A sweep: the events covering each stretch between cuts are those that started at or before
  // it and end after its start (every edge is a cut, so they cover it whole).
  const byStart = [...live].sort((a, b) => a.start - b.start);
  let active: FinalEvent[] = [];
  let next = 0;
  const out: Segment[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [start, end] = [cuts[i]!, cuts[i + 1]!];
    active = active.filter((e) => e.end > start);
    while (next < byStart.length && byStart[next]!.start <= start) active.push(byStart[next++]!);
    const users = [...new Set(active.flatMap((e) => e.users))].sort();
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
