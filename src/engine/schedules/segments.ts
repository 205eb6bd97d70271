/**
 * A schedule over time as segments of constant on-call people: the one that holds an instant, the
 * next or the previous one with other people. Escalation steps and the chain on-call answers read
 * them; a segment is found whole, however long it lasts.
 *
 * Segments are worked out over windows aligned to whole UTC days that contain the window asked
 * for, and kept (schedule-memo.ts), so questions asked a moment apart (every call of
 * `current_oncall` has a new "now") reuse the same work. Widening a window never changes a
 * segment that lies strictly inside it: the final events inside a window do not depend on how far
 * beyond it one looks, only pieces reaching past its edges do. That is why a segment counts as
 * found only once it lies strictly inside the window it was read from.
 */
import type { ScheduleRecord, State } from '../core/state.js';
import { scheduleInputs } from './schedule-memo.js';
import { deepFreeze, eventsAround, sameSet, type Segment, segments } from './schedule-resolver.js';

const DAY = 86_400_000;

/** The widest window we resolve around a segment to find where it really starts and ends. */
const MAX_MARGIN = 64 * DAY;

interface Window {
  from: number;
  to: number;
  segments: readonly Segment[];
}

/**
 * The segments of the smallest whole-day window holding [from, to], final events resolved with
 * `now` (it decides untaken swaps). Events are returned whole, so a segment may reach past it.
 */
function segmentsAround(state: State, schedule: ScheduleRecord, from: number, to: number, now: number): Window {
  const inputs = scheduleInputs(state, schedule);
  const window = eventsAround(inputs, from, to, now);
  const found = inputs.derive(`segments ${window.from} ${window.to} ${inputs.phase(now)}`, () =>
    deepFreeze(segments(window.events)),
  );
  return { from: window.from, to: window.to, segments: found };
}

/**
 * Find a segment, widening the window until the segment lies strictly inside it: a segment that
 * touches an edge may continue beyond it (a weekly rotation seen through a one-day window).
 * Starting small keeps the common case (a shift of hours or days) cheap.
 */
function settle(find: (margin: number) => { segment: Segment | undefined; window: Window }): Segment | undefined {
  let found: Segment | undefined;
  for (let margin = DAY; margin <= MAX_MARGIN; margin *= 4) {
    const { segment, window } = find(margin);
    found = segment;
    if (!segment || (segment.start > window.from && segment.end < window.to)) return segment;
  }
  return found;
}

/** The people on call at `at` as a set (sorted), from the segment holding it. */
function onCallSet(state: State, schedule: ScheduleRecord, at: number): readonly string[] {
  const window = segmentsAround(state, schedule, at, at, at);
  return window.segments.find((s) => s.start <= at && at < s.end)?.users ?? [];
}

/** The segment of constant on-call people that contains `at`, if anyone is on call then. */
export function segmentAt(state: State, schedule: ScheduleRecord, at: number): Segment | undefined {
  return settle((margin) => {
    const window = segmentsAround(state, schedule, at - margin, at + margin, at);
    return { segment: window.segments.find((s) => s.start <= at && at < s.end), window };
  });
}

/**
 * The next segment after `at` within `horizon` whose people differ from those on call at `at`
 * (the first non-empty one when nobody is on call at `at`).
 */
export function nextSegment(state: State, schedule: ScheduleRecord, at: number, horizon: number): Segment | undefined {
  const current = onCallSet(state, schedule, at);
  return settle((margin) => {
    const window = segmentsAround(state, schedule, at, at + horizon + margin, at);
    const segment = window.segments.find(
      (s) => s.start > at && s.start <= at + horizon && !sameSet(s.users, current),
    );
    return { segment, window };
  });
}

/** The last segment that ended at or before `at`, within `horizon`, with other people than now. */
export function previousSegment(
  state: State,
  schedule: ScheduleRecord,
  at: number,
  horizon: number,
): Segment | undefined {
  const current = onCallSet(state, schedule, at);
  return settle((margin) => {
    const window = segmentsAround(state, schedule, at - horizon - margin, at, at);
    const segment = window.segments
      .filter((s) => s.end <= at && s.end >= at - horizon && !sameSet(s.users, current))
      .at(-1);
    return { segment, window: { ...window, to: Math.max(window.to, at + 1) } };
  });
}
