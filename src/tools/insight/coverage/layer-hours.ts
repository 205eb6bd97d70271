/**
 * When a layer (an on-call shift that is not an override) is meant to run, from its definition
 * alone: its days and hours, and the time it is active (from its start to its last start). This is
 * what tells a gap the schedule intends (outside every layer's hours, or inside a layer left with
 * nobody in it) from one it does not (a layer should run then, but nobody from it can be notified).
 *
 * Only recurrences whose occurrences are the same every week are read: daily or weekly, interval 1,
 * with or without `by_day`, and single events. Anything else (hourly, monthly, month days,
 * intervals over 1) is `unknown`, and a gap it might explain is never called intentional: a real
 * gap shown as one is safer than one hidden.
 */
import type { OnCallShift } from '../../../api/types.js';
import { DAY, clockText, dayStart, parseWallClock, wallClock, weekdayOf } from './local-time.js';

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

export interface LayerHours {
  shift: OnCallShift;
  zone: string;
  /** Users listed on the layer (all groups of a rotation); empty: the layer has nobody, on purpose. */
  users: string[];
  /** Weekdays occurrences start on (0 = Monday); null: the pattern is not read (see above). */
  days: number[] | null;
  /** Wall-clock time of day occurrences start at, ms after midnight. */
  startOfDay: number;
  durationMs: number;
  /** Wall clock of the first start and of the last start (null: forever). */
  activeFrom: number;
  lastStart: number | null;
  single: boolean;
}

export type Coverage = 'runs' | 'between_occurrences' | 'inactive' | 'unknown';

export function layerHours(shift: OnCallShift, scheduleZone: string | null | undefined): LayerHours {
  const zone = shift.time_zone || scheduleZone || 'UTC';
  const start = parseWallClock(shift.start);
  const rotationStart = shift.rotation_start ? parseWallClock(shift.rotation_start) : start;
  const users = [...new Set([...(shift.users ?? []), ...(shift.rolling_users ?? []).flat()])];
  const single = shift.type === 'single_event';
  const readable = single
    || ((shift.frequency === 'daily' || shift.frequency === 'weekly')
      && (shift.interval ?? 1) === 1
      && !shift.by_month?.length
      && !shift.by_monthday?.length);
  let days: number[] | null = null;
  if (single) days = [weekdayOf(start)];
  else if (readable) {
    const byDay = (shift.by_day ?? []).map((d) => WEEKDAYS.indexOf(d)).filter((d) => d >= 0);
    days = byDay.length ? byDay : shift.frequency === 'daily' ? [0, 1, 2, 3, 4, 5, 6] : [weekdayOf(start)];
  }
  return {
    shift,
    zone,
    users,
    days,
    startOfDay: start - dayStart(start),
    durationMs: shift.duration * 1000,
    activeFrom: Math.max(start, rotationStart),
    lastStart: single ? start : shift.until ? parseWallClock(shift.until) : null,
    single,
  };
}

/**
 * How the layer stands over the real interval [from, to): it has an occurrence overlapping it
 * (`runs`), it is active but between occurrences the whole time (`between_occurrences`: its days
 * and hours leave this time out), it is not active for all of it (`inactive`), or its pattern is
 * not read (`unknown`).
 */
export function coverageOf(layer: LayerHours, from: number, to: number): Coverage {
  const a = wallClock(from, layer.zone);
  const b = wallClock(to, layer.zone);
  if (layer.single) {
    const s = layer.activeFrom;
    return s < b && s + layer.durationMs > a ? 'runs' : 'inactive';
  }
  if (!layer.days) return 'unknown';
  const lastEnd = layer.lastStart === null ? Infinity : layer.lastStart + layer.durationMs;
  let runs = false;
  for (let d = dayStart(a - layer.durationMs); d <= b; d += DAY) {
    if (!layer.days.includes(weekdayOf(d))) continue;
    const s = d + layer.startOfDay;
    if (s < layer.activeFrom || (layer.lastStart !== null && s > layer.lastStart)) continue;
    if (s < b && s + layer.durationMs > a) {
      runs = true;
      break;
    }
  }
  if (runs) return 'runs';
  return layer.activeFrom <= a && b <= lastEnd ? 'between_occurrences' : 'inactive';
}

/** `"Business hours" (O…): MO–FR from 09:00 for 9h, Europe/Berlin`. */
export function describeHours(layer: LayerHours): string {
  const name = `"${layer.shift.name}" (${layer.shift.id})`;
  if (!layer.days) return name;
  const hours = layer.durationMs / 3_600_000;
  const length = Number.isInteger(hours) ? `${hours}h` : `${Math.round(layer.durationMs / 60_000)} min`;
  const days = layer.days.length === 7 ? 'every day' : [...layer.days].sort().map((d) => WEEKDAYS[d]).join(',');
  return `${name}: ${days} from ${clockText(layer.startOfDay)} for ${length}, ${layer.zone}`;
}
