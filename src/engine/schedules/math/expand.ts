/**
 * One shift → its occurrences in a window (semantics.md §2.2).
 *
 * OnCall compiles a rotation into one recurring iCal event per group; we compute the same
 * occurrences directly:
 * - R (recurrence.ts) gives candidate starts and the rotation turn each falls in;
 * - the group on call is Q[turn mod n], Q being the groups rotated by
 *   `start_rotation_from_user_index`; turns are counted from `start`, never from
 *   `rotation_start` (semantics.md §2.3);
 * - `rotation_start` hides earlier turns: web clips the occurrence in progress to begin at
 *   rotation_start, api/terraform drop it;
 * - `until` stops the recurrence (inclusive) and truncates only the first emitted occurrence of
 *   each recurring series (semantics.md §2.3);
 * - every occurrence keeps its local wall-clock start **and end** (`start + duration` read on the
 *   wall clock). OSS measures later occurrences in elapsed time from a group's first one, which
 *   opens a gap or an overlap at DST changes (E4/E5); we implement the intended behaviour.
 *
 * Expansion never throws: a definition it cannot read (see validate.ts) expands to nothing.
 */
import { firstEndingAfter, type Interval } from './intervals.js';
import { type Candidate, candidates, type RecurrenceRule } from './recurrence.js';
import type { Occurrence, ShiftDefinition, Weekday } from './types.js';
import {
  DAY,
  dayNumber,
  instantToWall,
  isValidZone,
  parseWallClock,
  SECOND,
  wallToInstant,
  weekdayOfDay,
} from './wallclock.js';

const WEEKDAYS: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** Monday = 0 … Sunday = 6; -1 for anything else. */
export function weekdayIndex(day: Weekday): number {
  return WEEKDAYS.indexOf(day);
}

/** A shift read once: wall-clock values parsed, the group queue built, the rule compiled. */
export interface PreparedShift {
  shift: ShiftDefinition;
  zone: string;
  isWeb: boolean;
  /** Wall-clock start of the single occurrence, or DTSTART of the rule. */
  start: number;
  durationMs: number;
  /** null: a single occurrence at `start`. */
  rule: RecurrenceRule | null;
  /** Q: groups on call in turn order (one group for non-rotating shifts). */
  groups: string[][];
  /** rolling_users and overrides obey rotation_start; single/recurrent events ignore it. */
  rotationStart: { wall: number; instant: number } | null;
  /** Wall clock, inclusive. */
  until: number | null;
  /** Recurring series (OnCall's materialized iCal events) repeat with this period in turns. */
  seriesPeriod: number;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function uniqueWeekdays(days: readonly Weekday[] | null): number[] | null {
  const indexes = (days ?? []).map(weekdayIndex).filter((i) => i >= 0);
  return indexes.length === 0 ? null : [...new Set(indexes)].sort((a, b) => a - b);
}

function rotate<T>(list: readonly T[], by: number): T[] {
  if (list.length === 0) return [];
  const k = ((by % list.length) + list.length) % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

function nonEmpty<T>(list: T[] | null): T[] | null {
  return list && list.length > 0 ? list : null;
}

/** Reads a definition; null when it cannot be expanded (bad zone, malformed time, duration ≤ 0). */
export function prepareShift(shift: ShiftDefinition): PreparedShift | null {
  const isWeb = shift.source === 'web';
  const zone = isWeb ? 'UTC' : shift.timeZone || 'UTC';
  if (!isValidZone(zone)) return null;
  const start = parseWallClock(shift.start);
  const durationMs = shift.duration * SECOND;
  if (start === null || !(durationMs > 0) || !Number.isFinite(durationMs)) return null;
  const rotationStartWall = shift.rotationStart === null ? start : parseWallClock(shift.rotationStart);
  const until = shift.until === null ? null : parseWallClock(shift.until);
  if (rotationStartWall === null || (shift.until !== null && until === null)) return null;

  const rotating = shift.type === 'rolling_users' || shift.type === 'override';
  const repeats = shift.frequency !== null && shift.type !== 'single_event' && shift.type !== 'override';

  let groups: string[][];
  if (shift.type === 'rolling_users') {
    const queue = rotate(shift.rollingUsers ?? [], shift.startRotationFromUserIndex ?? 0);
    // Without a frequency only the first group is used, for one occurrence (semantics.md §2.2).
    groups = repeats ? queue : queue.slice(0, 1);
  } else if (shift.type === 'override') {
    // Our fix (semantics.md §2.2): overrides work whatever their source, with `users` as the single group.
    // A web override stored the OnCall way (people in rolling_users) is read from its first group.
    groups = [shift.users.length > 0 ? shift.users : (shift.rollingUsers?.[0] ?? [])];
  } else {
    groups = [shift.users];
  }

  let rule: RecurrenceRule | null = null;
  let seriesPeriod = Math.max(1, groups.length);
  let dtstart = start;
  if (repeats && shift.frequency !== null) {
    const byDay = uniqueWeekdays(shift.byDay);
    const interval = Math.max(1, Math.floor(shift.interval ?? 1));
    // A rotation whose start is not a selected weekday begins on the first selected day after
    // it, so slot 0 (group Q[0]) is the first real occurrence (semantics.md §2.2). Plain recurrent
    // events keep DTSTART as the anchor, as an RRULE does.
    if (rotating && byDay) {
      let day = dayNumber(start);
      while (!byDay.includes(weekdayOfDay(day))) day++;
      dtstart = start + (day - dayNumber(start)) * DAY;
    }
    const countSelectedDays = rotating && shift.frequency === 'daily' && byDay !== null;
    rule = {
      frequency: shift.frequency,
      dtstart,
      interval,
      byDay,
      byMonth: nonEmpty(shift.byMonth),
      byMonthday: nonEmpty(shift.byMonthday),
      weekStart: Math.max(0, weekdayIndex(shift.weekStart)),
      until,
      countSelectedDays,
    };
    if (countSelectedDays && byDay) {
      // OnCall materializes daily+by_day as weekly events that repeat once the (group, weekday)
      // pattern repeats: after lcm(n × interval, |by_day|) selected days.
      const perCycle = seriesPeriod * interval;
      seriesPeriod = (perCycle / gcd(perCycle, byDay.length)) * byDay.length;
    }
  }

  const rotationStart = rotating ? { wall: rotationStartWall, instant: wallToInstant(rotationStartWall, zone) } : null;
  return { shift, zone, isWeb, start: dtstart, durationMs, rule, groups, rotationStart, until, seriesPeriod };
}

function candidatesOf(p: PreparedShift, from: number, to: number): Iterable<Candidate> {
  if (p.rule) return candidates(p.rule, from, to);
  const inRange = p.start >= from && p.start < to && (p.until === null || p.start <= p.until);
  return inRange ? [{ start: p.start, turn: 0, index: 0 }] : [];
}

function groupOf(p: PreparedShift, c: Candidate): string[] {
  return p.groups[c.turn % p.groups.length] ?? [];
}

function seriesOf(p: PreparedShift, c: Candidate): number {
  return (p.rule?.countSelectedDays ? c.index : c.turn) % p.seriesPeriod;
}

/**
 * Whether a candidate is materialized at all: its group has people (OnCall writes one VEVENT per
 * person, so an empty group writes none) and rotation_start does not hide it (semantics.md §2.3).
 */
function isEmitted(p: PreparedShift, c: Candidate): boolean {
  if (groupOf(p, c).length === 0) return false;
  if (!p.rotationStart) return true;
  if (p.isWeb) return wallToInstant(c.start + p.durationMs, p.zone) > p.rotationStart.instant;
  return wallToInstant(c.start, p.zone) >= p.rotationStart.instant;
}

/** Whether `c` is the first emitted occurrence of its series (the only one `until` truncates). */
function isFirstOfSeries(p: PreparedShift, c: Candidate): boolean {
  if (!p.rule) return true;
  const series = seriesOf(p, c);
  // Nothing well before rotation_start can be emitted, so the scan starts there; a series shows
  // up within one round of turns, so this stops early.
  const from = p.rotationStart ? p.rotationStart.wall - p.durationMs - DAY : p.start;
  for (const earlier of candidatesOf(p, from, c.start + 1)) {
    if (seriesOf(p, earlier) === series && isEmitted(p, earlier)) return earlier.start === c.start;
  }
  return true;
}

function materialize(p: PreparedShift, c: Candidate): Occurrence | null {
  if (!isEmitted(p, c)) return null;
  let endWall = c.start + p.durationMs;
  if (p.until !== null && p.until < endWall && isFirstOfSeries(p, c)) endWall = p.until;
  let start = wallToInstant(c.start, p.zone);
  const end = wallToInstant(endWall, p.zone);
  // Web rotations clip the occurrence in progress at rotation_start (the expander uses DTSTAMP).
  if (p.isWeb && p.rotationStart) start = Math.max(start, p.rotationStart.instant);
  if (end <= start) return null;
  return {
    shiftId: p.shift.id,
    start,
    end,
    users: [...groupOf(p, c)],
    priority: p.shift.level,
    isOverride: p.shift.type === 'override',
  };
}

/**
 * An occurrence is never more than a day away from its wall-clock reading: UTC offsets stay below
 * a day (ECMA-262 caps them there; real zones stay within ±16 h).
 */
const OFFSET_BOUND = DAY;

/**
 * Whether the occurrence of a candidate starting at wall-clock `start` lies inside one interval
 * of `covered`, judged through the offset bound so that nothing is converted. If so, the first
 * wall-clock start after all those the same interval is sure to hold (where expansion resumes);
 * otherwise null.
 */
function coveredUntil(start: number, durationMs: number, covered: readonly Interval[]): number | null {
  const margin = durationMs + OFFSET_BOUND;
  // Intervals are disjoint, so only the one holding the earliest instant possible can hold all.
  const interval = covered[firstEndingAfter(covered, start - OFFSET_BOUND)];
  const holds = interval !== undefined && interval[0] <= start - OFFSET_BOUND && interval[1] >= start + margin;
  // Candidate starts are whole milliseconds, so the result is always past `start`.
  return holds ? Math.floor(interval[1] - margin) + 1 : null;
}

/**
 * Occurrences of a prepared shift that overlap [windowStart, windowEnd), ascending by start.
 * A zero-length window is the point windowStart: occurrences with start ≤ t < end.
 *
 * `covered` (a sorted disjoint union of instants) lets the expansion leave out occurrences that
 * lie entirely inside it, without converting or even visiting them: a stronger layer that covers
 * months costs a weaker one a jump rather than thousands of occurrences. Some covered ones may
 * still be returned (those within the offset bound of its edges).
 */
export function expandPrepared(
  p: PreparedShift,
  windowStart: number,
  windowEnd: number,
  covered: readonly Interval[] = [],
): Occurrence[] {
  if (p.groups.every((g) => g.length === 0)) return [];
  const end = Math.max(windowEnd, windowStart + 1);
  // Search wall-clock starts generously (a day covers any UTC offset change), then filter exactly.
  let from = instantToWall(windowStart, p.zone) - p.durationMs - DAY;
  const to = instantToWall(end, p.zone) + DAY;
  const out: Occurrence[] = [];
  // Candidates are generated from any starting point in closed form, so a covered stretch is
  // skipped by restarting the generator after it.
  scan: while (from < to) {
    for (const c of candidatesOf(p, from, to)) {
      const resume = covered.length > 0 ? coveredUntil(c.start, p.durationMs, covered) : null;
      if (resume !== null) {
        from = resume;
        continue scan;
      }
      const occurrence = materialize(p, c);
      if (occurrence && occurrence.start < end && occurrence.end > windowStart) out.push(occurrence);
    }
    break;
  }
  return out;
}

/** Occurrences of one shift overlapping [windowStart, windowEnd) (epoch ms). Never throws. */
export function expandShift(shift: ShiftDefinition, windowStart: number, windowEnd: number): Occurrence[] {
  const prepared = prepareShift(shift);
  return prepared ? expandPrepared(prepared, windowStart, windowEnd) : [];
}
