/**
 * Occurrences of the base recurrence rule R (semantics.md §2.2), on wall-clock time.
 *
 * The subset OnCall uses of RFC 5545: FREQ hourly/daily/weekly/monthly, INTERVAL, BYDAY (plain
 * weekdays), BYMONTH, BYMONTHDAY (±1..31), WKST and an inclusive UNTIL. Each generator starts at
 * the period that contains `from` (closed form) instead of walking from DTSTART, so a window a
 * year ahead costs the same as one next week. Every candidate also carries its rotation turn,
 * counted from DTSTART, which is what decides the on-call group (semantics.md §2.2).
 */
import type { Frequency } from './types.js';
import {
  DAY,
  dayNumber,
  dayOfMonth,
  daysInMonth,
  firstOfMonth,
  HOUR,
  mod,
  monthNumber,
  weekdayOfDay,
} from './wallclock.js';

export interface RecurrenceRule {
  frequency: Frequency;
  /** Wall-clock DTSTART. */
  dtstart: number;
  /** ≥ 1 */
  interval: number;
  /** Weekdays, Monday = 0, sorted and unique; null when BYDAY is absent. */
  byDay: readonly number[] | null;
  /** 1..12; null when absent. */
  byMonth: readonly number[] | null;
  /** ±1..31; null when absent. */
  byMonthday: readonly number[] | null;
  /** Monday = 0. */
  weekStart: number;
  /** Inclusive wall-clock UNTIL (an occurrence starting exactly then is generated). */
  until: number | null;
  /**
   * Daily rotations with BYDAY count turns in selected days, not calendar days (semantics.md §2.2):
   * candidates are every selected day, and each turn covers `interval` of them.
   */
  countSelectedDays: boolean;
}

export interface Candidate {
  /** Wall-clock start. */
  start: number;
  /** Rotation turn the candidate belongs to, counted from DTSTART (0-based). */
  turn: number;
  /** Position among the selected days when `countSelectedDays`; otherwise equal to `turn`. */
  index: number;
}

/** Candidates with wall-clock start in [from, to), in increasing order. */
export function candidates(rule: RecurrenceRule, from: number, to: number): Generator<Candidate> {
  const stop = rule.until === null ? to : Math.min(to, rule.until + 1);
  switch (rule.frequency) {
    case 'hourly':
      return grid(rule, rule.interval * HOUR, from, stop);
    case 'daily':
      return rule.countSelectedDays && rule.byDay
        ? selectedDays(rule, rule.byDay, from, stop)
        : grid(rule, rule.interval * DAY, from, stop);
    case 'weekly':
      return weekly(rule, from, stop);
    case 'monthly':
      return monthly(rule, from, stop);
  }
}

function inMonths(rule: RecurrenceRule, wall: number): boolean {
  return !rule.byMonth || rule.byMonth.includes(new Date(wall).getUTCMonth() + 1);
}

function onMonthdays(rule: RecurrenceRule, wall: number): boolean {
  if (!rule.byMonthday) return true;
  const day = dayOfMonth(wall);
  const last = daysInMonth(monthNumber(wall));
  return rule.byMonthday.includes(day) || rule.byMonthday.includes(day - last - 1);
}

function onWeekdays(rule: RecurrenceRule, wall: number): boolean {
  return !rule.byDay || rule.byDay.includes(weekdayOfDay(dayNumber(wall)));
}

/** HOURLY and DAILY: a fixed step from DTSTART; BYxxx parts only limit (RFC 5545 §3.3.10). */
function* grid(rule: RecurrenceRule, step: number, from: number, stop: number): Generator<Candidate> {
  for (let p = Math.max(0, Math.ceil((from - rule.dtstart) / step)); ; p++) {
    const start = rule.dtstart + p * step;
    if (start >= stop) return;
    if (onWeekdays(rule, start) && inMonths(rule, start) && onMonthdays(rule, start)) {
      yield { start, turn: p, index: p };
    }
  }
}

/** Rotation daily + BYDAY: every selected day is a candidate; turn = ⌊index / interval⌋. */
function* selectedDays(
  rule: RecurrenceRule,
  selected: readonly number[],
  from: number,
  stop: number,
): Generator<Candidate> {
  const day0 = dayNumber(rule.dtstart);
  const timeOfDay = rule.dtstart - day0 * DAY;
  const isSelected = (day: number) => selected.includes(weekdayOfDay(day));
  let day = Math.max(day0, Math.ceil((from - timeOfDay) / DAY));
  // Closed form for the number of selected days in [day0, day): whole weeks, then the remainder.
  const weeks = Math.floor((day - day0) / 7);
  let index = weeks * selected.length;
  for (let d = day0 + weeks * 7; d < day; d++) if (isSelected(d)) index++;
  for (; ; day++) {
    const start = day * DAY + timeOfDay;
    if (start >= stop) return;
    if (!isSelected(day)) continue;
    const i = index++;
    if (inMonths(rule, start) && onMonthdays(rule, start)) {
      yield { start, turn: Math.floor(i / rule.interval), index: i };
    }
  }
}

/** WEEKLY: BYDAY expands within each week (weeks begin on WKST); turn k is week block k. */
function* weekly(rule: RecurrenceRule, from: number, stop: number): Generator<Candidate> {
  const day0 = dayNumber(rule.dtstart);
  const timeOfDay = rule.dtstart - day0 * DAY;
  const days = rule.byDay ?? [weekdayOfDay(day0)];
  const offsets = [...new Set(days.map((wd) => mod(wd - rule.weekStart, 7)))].sort((a, b) => a - b);
  const week0 = day0 - mod(weekdayOfDay(day0) - rule.weekStart, 7);
  const span = 7 * rule.interval;
  const fromDay = Math.floor((from - timeOfDay) / DAY);
  for (let k = Math.max(0, Math.floor((fromDay - week0) / span)); ; k++) {
    const weekFirst = week0 + k * span;
    if (weekFirst * DAY + timeOfDay >= stop) return;
    for (const offset of offsets) {
      const start = (weekFirst + offset) * DAY + timeOfDay;
      if (start < rule.dtstart || start < from) continue;
      if (start >= stop) return;
      if (inMonths(rule, start) && onMonthdays(rule, start)) yield { start, turn: k, index: k };
    }
  }
}

/** The days of one month a MONTHLY rule selects, ascending. */
function monthDays(rule: RecurrenceRule, month: number, defaultDay: number): number[] {
  const last = daysInMonth(month);
  const first = dayNumber(firstOfMonth(month));
  let days: number[];
  if (rule.byMonthday) {
    // Negative days count from the end; days a month lacks are skipped (RFC 5545).
    days = rule.byMonthday.map((d) => (d < 0 ? last + 1 + d : d)).filter((d) => d >= 1 && d <= last);
  } else if (rule.byDay) {
    days = Array.from({ length: last }, (_, i) => i + 1);
  } else {
    days = defaultDay <= last ? [defaultDay] : [];
  }
  const weekdays = rule.byDay;
  if (weekdays) days = days.filter((d) => weekdays.includes(weekdayOfDay(first + d - 1)));
  return [...new Set(days)].sort((a, b) => a - b);
}

/** MONTHLY: BYMONTHDAY/BYDAY expand within each month; turn k is month block k. */
function* monthly(rule: RecurrenceRule, from: number, stop: number): Generator<Candidate> {
  const month0 = monthNumber(rule.dtstart);
  const timeOfDay = rule.dtstart - dayNumber(rule.dtstart) * DAY;
  const defaultDay = dayOfMonth(rule.dtstart);
  for (let k = Math.max(0, Math.floor((monthNumber(from) - month0) / rule.interval)); ; k++) {
    const month = month0 + k * rule.interval;
    const monthStart = firstOfMonth(month);
    if (monthStart + timeOfDay >= stop) return;
    if (!inMonths(rule, monthStart)) continue;
    for (const day of monthDays(rule, month, defaultDay)) {
      const start = monthStart + (day - 1) * DAY + timeOfDay;
      if (start < rule.dtstart || start < from) continue;
      if (start >= stop) return;
      yield { start, turn: k, index: k };
    }
  }
}
