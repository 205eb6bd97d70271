/**
 * Wall-clock ("naive") time and the bridge to real instants.
 *
 * Recurrence works on local wall-clock time, where every day has 24 hours: a weekly shift at 09:00
 * Berlin is "09:00 every Monday" whatever the UTC offset is that week. A wall-clock value is the
 * epoch-ms number whose UTC reading shows those fields (a zone-free calendar frame), so day, week
 * and month arithmetic is plain integer arithmetic. Turning a wall-clock value into an instant,
 * and every other zone question, goes through Luxon.
 */
import { DateTime, IANAZone, type Zone } from 'luxon';

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;

/** Parses `YYYY-MM-DDTHH:MM:SS[.sss]` into a wall-clock value; null when malformed or impossible. */
export function parseWallClock(text: string): number | null {
  const m = WALL_CLOCK.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number, number, number, number, number, number,
  ];
  const value = Date.UTC(year, month - 1, day, hour, minute, second, m[7] ? Number(m[7].padEnd(3, '0')) : 0);
  // Date.UTC silently rolls Feb 30 into March and 24:00 into the next day: reject both.
  const back = new Date(value);
  const same = back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day
    && back.getUTCHours() === hour && back.getUTCMinutes() === minute && back.getUTCSeconds() === second;
  return same ? value : null;
}

/** Days since 1970-01-01 of a wall-clock value. */
export function dayNumber(wall: number): number {
  return Math.floor(wall / DAY);
}

/** Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday). */
export function weekdayOfDay(day: number): number {
  return mod(day + 3, 7);
}

/** Months since 1970-01 of a wall-clock value. */
export function monthNumber(wall: number): number {
  const d = new Date(wall);
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
}

/** 1..31 */
export function dayOfMonth(wall: number): number {
  return new Date(wall).getUTCDate();
}

/** Wall-clock midnight of the first day of month number `month` (see `monthNumber`). */
export function firstOfMonth(month: number): number {
  return Date.UTC(1970 + Math.floor(month / 12), mod(month, 12), 1);
}

export function daysInMonth(month: number): number {
  return (firstOfMonth(month + 1) - firstOfMonth(month)) / DAY;
}

export function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

// ---------------------------------------------------------------------------------------------
// Zones (Luxon only)

/** OnCall treats `Etc/UTC` as `UTC`; for both, wall clock and instant coincide. */
export function isUtcZone(zone: string): boolean {
  return zone === 'UTC' || zone === 'Etc/UTC';
}

// Checking a zone name costs Luxon an Intl round trip (tens of µs), and passing a Zone object
// instead of a name halves every conversion, so each name is resolved once.
const zoneCache = new Map<string, Zone | null>();

function zoneOf(name: string): Zone | null {
  let zone = zoneCache.get(name);
  if (zone === undefined) {
    zone = IANAZone.isValidZone(name) ? IANAZone.create(name) : null;
    zoneCache.set(name, zone);
  }
  return zone;
}

export function isValidZone(zone: string): boolean {
  return isUtcZone(zone) || zoneOf(zone) !== null;
}

function luxonLocal(wall: number, zone: string): DateTime {
  const d = new Date(wall);
  return DateTime.fromObject(
    {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      millisecond: d.getUTCMilliseconds(),
    },
    { zone: zoneOf(zone) ?? zone },
  );
}

// Offsets change a few times a year, and asking Intl for one costs microseconds, which a year of
// a hundred layers pays some 150,000 times. So each zone's offset is kept per UTC day: a day whose
// start and end have the same offset has it throughout (no zone changes its offset and changes it
// back within a day), and only the rare day with a change is asked about each instant.
const OFFSET_DAYS_LIMIT = 200_000;
const offsetDays = new Map<string, Map<number, number>>();

/** The zone's UTC offset at an instant, in ms. */
function offsetAt(instant: number, zone: Zone, name: string): number {
  const day = Math.floor(instant / DAY);
  let days = offsetDays.get(name);
  if (!days) offsetDays.set(name, (days = new Map()));
  let offset = days.get(day);
  if (offset === undefined) {
    const start = zone.offset(day * DAY);
    offset = start === zone.offset((day + 1) * DAY) ? start * MINUTE : Number.NaN;
    if (days.size >= OFFSET_DAYS_LIMIT) days.clear();
    days.set(day, offset);
  }
  return Number.isNaN(offset) ? zone.offset(instant) * MINUTE : offset;
}

/**
 * The instant a wall-clock value denotes in `zone`. Valid shift fields never fall in a DST gap or
 * fold (the validator rejects them), but later occurrences can: a time in a gap moves forward by
 * the gap's length, a time in a fold takes the later (standard-time) instant. Because this is a
 * function of the wall-clock value, one occurrence's end and the next one's start map to the same
 * instant, so a handover never opens a hole or an overlap.
 *
 * The instant lies within a day of the wall-clock value (offsets stay below a day), so the offsets
 * a day either side bracket it: equal, the wall clock minus that offset; different (a change
 * nearby), each is tried, and a fold takes the later, a gap the offset before it.
 */
export function wallToInstant(wall: number, zone: string): number {
  if (isUtcZone(zone)) return wall;
  const tz = zoneOf(zone);
  if (!tz) return luxonLocal(wall, zone).toMillis();
  const before = offsetAt(wall - DAY, tz, zone);
  const after = offsetAt(wall + DAY, tz, zone);
  const early = wall - before;
  const late = wall - after;
  const earlyHolds = offsetAt(early, tz, zone) === before;
  if (before === after) return earlyHolds ? early : luxonLocal(wall, zone).toMillis();
  const lateHolds = offsetAt(late, tz, zone) === after;
  if (earlyHolds && lateHolds) return Math.max(early, late);
  if (earlyHolds) return early;
  if (lateHolds) return late;
  return wall - Math.min(before, after);
}

/** The wall-clock reading of an instant in `zone`. */
export function instantToWall(instant: number, zone: string): number {
  if (isUtcZone(zone)) return instant;
  const tz = zoneOf(zone);
  if (!tz) return DateTime.fromMillis(instant, { zone }).setZone('UTC', { keepLocalTime: true }).toMillis();
  return instant + offsetAt(instant, tz, zone);
}

export type LocalTimeKind = 'ok' | 'gap' | 'fold';

/** Whether a wall-clock value exists once, never (DST gap) or twice (DST fold) in `zone`. */
export function classifyWallClock(wall: number, zone: string): LocalTimeKind {
  if (isUtcZone(zone)) return 'ok';
  const local = luxonLocal(wall, zone);
  if (local.setZone('UTC', { keepLocalTime: true }).toMillis() !== wall) return 'gap';
  return local.getPossibleOffsets().length > 1 ? 'fold' : 'ok';
}
