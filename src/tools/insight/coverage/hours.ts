/**
 * Hours on call split by a person's own clock: nights (22:00–07:00 local) and weekends (Saturday
 * and Sunday local, nights included). The interval is walked in steps that end at the next local
 * boundary (and at most an hour long, so a DST change, which never falls on these boundaries, is
 * read at the next step): each step is classified by its local start.
 */
import { DAY, HOUR, wallClock, weekdayOf } from './local-time.js';

export const NIGHT_FROM_HOUR = 22;
export const NIGHT_TO_HOUR = 7;

export interface LocalHours {
  hours: number;
  night: number;
  weekend: number;
}

const isNight = (hourOfDay: number) => hourOfDay >= NIGHT_FROM_HOUR || hourOfDay < NIGHT_TO_HOUR;

export function localHours(start: number, end: number, zone: string): LocalHours {
  const out = { hours: 0, night: 0, weekend: 0 };
  let t = start;
  while (t < end) {
    const wall = wallClock(t, zone);
    const intoHour = wall % HOUR;
    const step = Math.min(end - t, HOUR - intoHour);
    const hourOfDay = Math.floor((wall % DAY) / HOUR);
    out.hours += step;
    if (isNight(hourOfDay)) out.night += step;
    if (weekdayOf(wall) >= 5) out.weekend += step;
    t += step;
  }
  return { hours: out.hours / HOUR, night: out.night / HOUR, weekend: out.weekend / HOUR };
}

/** Hours rounded for answers: two decimals, so sums stay exact for whole minutes times 60. */
export const roundHours = (h: number) => Math.round(h * 100) / 100;
