/**
 * Wall clock ↔ instant with each zone's offset kept per UTC day (wallclock.ts), checked against
 * the zone asked directly at every instant, around real transitions: ordinary DST in both
 * hemispheres, a half-hour DST (Lord Howe), a 45-minute offset (Chatham), and Samoa skipping a
 * whole day in 2011.
 */
import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { instantToWall, wallToInstant } from '../../../src/engine/schedules/math/wallclock.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Every instant whose wall-clock reading is `wall`, by asking the zone at each candidate. */
function instantsOf(zone: IANAZone, wall: number): { valid: number[]; offsets: number[] } {
  const offsets = new Set<number>();
  for (let t = wall - DAY; t <= wall + DAY; t += HOUR) offsets.add(zone.offset(t) * MINUTE);
  const valid = [...offsets].map((o) => wall - o).filter((i) => i + zone.offset(i) * MINUTE === wall);
  return { valid, offsets: [...offsets] };
}

const CASES: Array<[zone: string, around: string]> = [
  ['Europe/Berlin', '2026-03-29T00:00:00Z'],
  ['Europe/Berlin', '2026-10-25T00:00:00Z'],
  ['America/New_York', '2026-03-08T00:00:00Z'],
  ['America/New_York', '2026-11-01T00:00:00Z'],
  ['Australia/Sydney', '2026-04-05T00:00:00Z'],
  ['Australia/Sydney', '2026-10-04T00:00:00Z'],
  ['Australia/Lord_Howe', '2026-04-05T00:00:00Z'],
  ['Pacific/Chatham', '2026-09-27T00:00:00Z'],
  ['Pacific/Apia', '2011-12-30T00:00:00Z'],
  ['Asia/Kathmandu', '2026-06-01T00:00:00Z'],
];

describe('wall clock and instants, offsets kept per day', () => {
  it.each(CASES)('%s around %s: the one instant, the later in a fold, forward across a gap', (name, around) => {
    const zone = IANAZone.create(name);
    const centre = Date.parse(around);
    let folds = 0;
    let gaps = 0;
    for (let wall = centre - 2 * DAY; wall < centre + 2 * DAY; wall += 11 * MINUTE) {
      const { valid, offsets } = instantsOf(zone, wall);
      const expected = valid.length ? Math.max(...valid) : wall - Math.min(...offsets);
      if (valid.length > 1) folds++;
      if (!valid.length) gaps++;
      expect(wallToInstant(wall, name), new Date(wall).toISOString()).toBe(expected);
    }
    for (let instant = centre - 2 * DAY; instant < centre + 2 * DAY; instant += 11 * MINUTE) {
      expect(instantToWall(instant, name)).toBe(instant + zone.offset(instant) * MINUTE);
    }
    // The windows hold a change, except Kathmandu's (none in 2026): the checks above met it.
    if (name !== 'Asia/Kathmandu') expect(folds + gaps).toBeGreaterThan(0);
  });
});
