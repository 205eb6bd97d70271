/** Shared builders for the schedule library's tests. */
import type { Occurrence, ShiftDefinition } from '../../../src/engine/schedules/math/index.js';

export const DAY = 86_400_000 / 1000;
export const at = (text: string) => Date.parse(text);
export const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** A weekly rotation of A, B, C from Monday 2024-01-01 09:00 (an API shift in UTC), with overrides. */
export function shiftDefinition(over: Partial<ShiftDefinition>): ShiftDefinition {
  return {
    id: 'shift',
    type: 'rolling_users',
    source: 'api',
    timeZone: 'UTC',
    level: 0,
    start: '2024-01-01T09:00:00',
    duration: 7 * DAY,
    rotationStart: null,
    until: null,
    frequency: 'weekly',
    interval: 1,
    byDay: null,
    byMonth: null,
    byMonthday: null,
    weekStart: 'MO',
    users: [],
    rollingUsers: [['A'], ['B'], ['C']],
    startRotationFromUserIndex: 0,
    ...over,
  };
}

/** "users start → end" lines: failures read like the spec's tables. */
export const lines = (occurrences: Occurrence[]) =>
  occurrences.map((o) => `${o.users.join('+')} ${iso(o.start)} → ${iso(o.end)}`);
