/**
 * A schedule over time as segments of constant on-call people: the one that holds an instant, the
 * next or the previous one with other people. Escalation steps and the chain on-call answers read
 * them; a segment is found whole, however long it lasts.
 */
import type { ScheduleRecord, State } from '../core/state.js';
import { sameSet, scheduleFinalEvents, scheduleOnCallAt, type Segment, segments } from './schedule-resolver.js';

const DAY = 86_400_000;
/** The widest window we resolve around a segment to find where it really starts and ends. */
const MAX_MARGIN = 64 * DAY;

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
