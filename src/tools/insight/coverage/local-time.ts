/**
 * Wall-clock arithmetic in a time zone, for answers about people's own hours (nights, weekends,
 * working hours) and a layer's days and hours. A wall-clock value is the local date and time read
 * as if it were UTC (ms since the epoch), so local days and hours are plain integer arithmetic;
 * DST is handled by reading the zone's offset at each real instant through Intl.
 */
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Intl formatters are costly to build and zones come from data: one per zone, bounded. */
const FORMATS = new Map<string, Intl.DateTimeFormat>();

function formatOf(zone: string): Intl.DateTimeFormat {
  let format = FORMATS.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (FORMATS.size > 500) FORMATS.clear();
    FORMATS.set(zone, format);
  }
  return format;
}

/** Whether Intl knows the zone (users and shifts carry zones from data). */
export function knownZone(zone: string | null | undefined): zone is string {
  if (!zone) return false;
  try {
    formatOf(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `zone` at the instant `ms`, as a UTC-read number. */
export function wallClock(ms: number, zone: string): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return ms;
  const parts: Record<string, number> = {};
  for (const p of formatOf(zone).formatToParts(new Date(Math.floor(ms / 1000) * 1000))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const seconds = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return seconds + (ms - Math.floor(ms / 1000) * 1000);
}

/** A `YYYY-MM-DDTHH:MM:SS` wall-clock string (as shifts carry them) as a UTC-read number. */
export function parseWallClock(value: string): number {
  return Date.parse(`${value.slice(0, 19)}Z`);
}

/** 0 = Monday … 6 = Sunday, of a wall-clock value. */
export function weekdayOf(wall: number): number {
  return (new Date(wall).getUTCDay() + 6) % 7;
}

/** Wall-clock midnight of the day of `wall`. */
export function dayStart(wall: number): number {
  return Math.floor(wall / DAY) * DAY;
}

/** `09:00` of a wall-clock value (time of day only). */
export function clockText(wall: number): string {
  return new Date(wall).toISOString().slice(11, 16);
}

/** The real instant a wall-clock value in `zone` names (a DST gap's time moves forward, as clocks do). */
export function fromWallClock(wall: number, zone: string): number {
  let guess = wall - (wallClock(wall, zone) - wall);
  guess -= wallClock(guess, zone) - wall;
  return guess;
}
