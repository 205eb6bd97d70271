/**
 * Rotations: worked examples E1, E2 and E6–E23 (semantics.md §2; E3–E5 and E8's time-zoned
 * variant live in dst.test.ts). Expected values come from the spec, not from this code.
 */
import { describe, expect, it } from 'vitest';
import { expandShift, onCallAt, type Occurrence, type ShiftDefinition } from '../../../src/engine/schedules/math/index.js';
import { at, iso, lines, shiftDefinition } from './fixtures.js';

const HOUR = 3600;
const DAY = 24 * HOUR;

function shift(over: Partial<ShiftDefinition>): ShiftDefinition {
  return shiftDefinition({ id: 'rot', source: 'web', ...over });
}

/** "MM-DD users" per occurrence. */
const days = (occurrences: Occurrence[]) =>
  occurrences.map((o) => `${iso(o.start).slice(5, 10)} ${o.users.join('+')}`);
const expand = (s: ShiftDefinition, from: string, to: string) => expandShift(s, at(from), at(to));
const who = (s: ShiftDefinition, t: string) => onCallAt({ shifts: [s], at: at(t) });

describe('E1/E2 web weekly rotation in UTC', () => {
  const e1 = shift({ start: '2024-03-18T08:00:00' });

  it.each([
    ['2024-03-18T08:00:01Z', 'A'],
    ['2024-03-25T07:59:59Z', 'A'],
    ['2024-03-25T08:00:00.001Z', 'B'],
    ['2024-04-01T09:00:00Z', 'C'],
    ['2024-04-08T09:00:00Z', 'A'],
    ['2024-04-15T09:00:00Z', 'B'],
  ])('E1: at %s %s is on call', (t, user) => {
    expect(who(e1, t)).toEqual([user]);
  });

  it('E1: web shifts stay on UTC, so after Berlin DST the handover is still 08:00Z', () => {
    expect(who(e1, '2024-04-01T07:59:59Z')).toEqual(['B']);
    expect(who(e1, '2024-04-01T08:00:00Z')).toEqual(['C']);
  });

  it('E2 (fixed): the first start and a handover instant have the incoming person on call', () => {
    // Deliberate deviation: OSS is open at both ends and answers nobody at both instants.
    expect(who(e1, '2024-03-18T08:00:00Z')).toEqual(['A']);
    expect(who(e1, '2024-03-25T08:00:00Z')).toEqual(['B']);
    expect(who(e1, '2024-03-25T07:59:59Z')).toEqual(['A']);
    expect(who(e1, '2024-03-25T08:00:00.001Z')).toEqual(['B']);
    expect(who(e1, '2024-03-18T07:59:59.999Z')).toEqual([]);
  });
});

describe('daily rotations', () => {
  it('E6: interval 2 with a 24 h duration leaves a day uncovered between turns', () => {
    const s = shift({ frequency: 'daily', interval: 2, duration: DAY, rollingUsers: [['A'], ['B']] });
    expect(lines(expand(s, '2024-01-01T00:00:00Z', '2024-01-09T00:00:00Z'))).toEqual([
      'A 2024-01-01T09:00:00Z → 2024-01-02T09:00:00Z',
      'B 2024-01-03T09:00:00Z → 2024-01-04T09:00:00Z',
      'A 2024-01-05T09:00:00Z → 2024-01-06T09:00:00Z',
      'B 2024-01-07T09:00:00Z → 2024-01-08T09:00:00Z',
    ]);
    expect(who(s, '2024-01-02T12:00:00Z')).toEqual([]);
  });

  it('E7: interval 2 with a 48 h duration covers continuously', () => {
    const s = shift({ frequency: 'daily', interval: 2, duration: 2 * DAY, rollingUsers: [['A'], ['B']] });
    expect(lines(expand(s, '2024-01-01T00:00:00Z', '2024-01-11T00:00:00Z'))).toEqual([
      'A 2024-01-01T09:00:00Z → 2024-01-03T09:00:00Z',
      'B 2024-01-03T09:00:00Z → 2024-01-05T09:00:00Z',
      'A 2024-01-05T09:00:00Z → 2024-01-07T09:00:00Z',
      'B 2024-01-07T09:00:00Z → 2024-01-09T09:00:00Z',
      'A 2024-01-09T09:00:00Z → 2024-01-11T09:00:00Z',
    ]);
  });

  const weekdays = shift({
    frequency: 'daily',
    byDay: ['MO', 'TU', 'WE', 'TH', 'FR'],
    duration: 8 * HOUR,
    rollingUsers: [['A'], ['B']],
  });

  it('E8: daily + by_day MO–FR turns every selected day and skips the weekend', () => {
    const occurrences = expand(weekdays, '2024-01-01T00:00:00Z', '2024-01-13T00:00:00Z');
    expect(days(occurrences)).toEqual([
      '01-01 A', '01-02 B', '01-03 A', '01-04 B', '01-05 A',
      '01-08 B', '01-09 A', '01-10 B', '01-11 A', '01-12 B',
    ]);
    expect(lines(occurrences.slice(0, 1))).toEqual(['A 2024-01-01T09:00:00Z → 2024-01-01T17:00:00Z']);
    expect(who(weekdays, '2024-01-06T12:00:00Z')).toEqual([]);
  });

  it('E9: interval 2 gives each group two consecutive selected days, across weekends', () => {
    const s = { ...weekdays, interval: 2 };
    expect(days(expand(s, '2024-01-01T00:00:00Z', '2024-01-17T00:00:00Z'))).toEqual([
      '01-01 A', '01-02 A', '01-03 B', '01-04 B', '01-05 A',
      '01-08 A', '01-09 B', '01-10 B', '01-11 A', '01-12 A',
      '01-15 B', '01-16 B',
    ]);
  });

  it('E10: by_day MO,WE,FR alternates per selected day', () => {
    const s = { ...weekdays, byDay: ['MO', 'WE', 'FR'] as ShiftDefinition['byDay'] };
    expect(days(expand(s, '2024-01-01T00:00:00Z', '2024-01-16T00:00:00Z'))).toEqual([
      '01-01 A', '01-03 B', '01-05 A', '01-08 B', '01-10 A', '01-12 B', '01-15 A',
    ]);
  });
});

describe('weekly rotations', () => {
  it('E11: weekend rotation turns per week, not per day', () => {
    const s = shift({
      start: '2024-01-06T00:00:00',
      duration: DAY,
      byDay: ['SA', 'SU'],
      rollingUsers: [['A'], ['B']],
    });
    expect(days(expand(s, '2024-01-01T00:00:00Z', '2024-01-29T00:00:00Z'))).toEqual([
      '01-06 A', '01-07 A', '01-13 B', '01-14 B', '01-20 A', '01-21 A', '01-27 B', '01-28 B',
    ]);
    expect(who(s, '2024-01-10T12:00:00Z')).toEqual([]);
  });

  const sunMon = (weekStart: 'MO' | 'SU') =>
    shift({
      start: '2024-01-07T09:00:00',
      duration: 8 * HOUR,
      byDay: ['SU', 'MO'],
      weekStart,
      rollingUsers: [['A'], ['B']],
    });

  it('E12: week_start MO puts Sunday at the end of a turn', () => {
    expect(days(expand(sunMon('MO'), '2024-01-01T00:00:00Z', '2024-01-23T00:00:00Z'))).toEqual([
      '01-07 A', '01-08 B', '01-14 B', '01-15 A', '01-21 A', '01-22 B',
    ]);
  });

  it('E12: week_start SU puts Sunday at the start of a turn', () => {
    expect(days(expand(sunMon('SU'), '2024-01-01T00:00:00Z', '2024-01-23T00:00:00Z'))).toEqual([
      '01-07 A', '01-08 A', '01-14 B', '01-15 B', '01-21 A', '01-22 A',
    ]);
  });

  it('E13: a rotation starting midweek hands over on that weekday', () => {
    const s = shift({ start: '2024-01-03T09:00:00', rollingUsers: [['A'], ['B']] });
    expect(lines(expand(s, '2024-01-01T00:00:00Z', '2024-01-31T00:00:00Z'))).toEqual([
      'A 2024-01-03T09:00:00Z → 2024-01-10T09:00:00Z',
      'B 2024-01-10T09:00:00Z → 2024-01-17T09:00:00Z',
      'A 2024-01-17T09:00:00Z → 2024-01-24T09:00:00Z',
      'B 2024-01-24T09:00:00Z → 2024-01-31T09:00:00Z',
    ]);
  });

  it('E14: interval 2 turns every two weeks', () => {
    const s = shift({ interval: 2, duration: 14 * DAY, rollingUsers: [['A'], ['B']] });
    expect(lines(expand(s, '2024-01-01T00:00:00Z', '2024-02-26T00:00:00Z'))).toEqual([
      'A 2024-01-01T09:00:00Z → 2024-01-15T09:00:00Z',
      'B 2024-01-15T09:00:00Z → 2024-01-29T09:00:00Z',
      'A 2024-01-29T09:00:00Z → 2024-02-12T09:00:00Z',
      'B 2024-02-12T09:00:00Z → 2024-02-26T09:00:00Z',
    ]);
  });

  it('E19: start_rotation_from_user_index = 1 starts with the second group', () => {
    const s = shift({ startRotationFromUserIndex: 1 });
    expect(days(expand(s, '2024-01-01T00:00:00Z', '2024-01-29T00:00:00Z'))).toEqual([
      '01-01 B', '01-08 C', '01-15 A', '01-22 B',
    ]);
  });

  it('E20: every member of a group is on call together', () => {
    const s = shift({ rollingUsers: [['A', 'B'], ['C']] });
    expect(days(expand(s, '2024-01-01T00:00:00Z', '2024-01-22T00:00:00Z'))).toEqual([
      '01-01 A+B', '01-08 C', '01-15 A+B',
    ]);
    expect(who(s, '2024-01-16T00:00:00Z')).toEqual(['A', 'B']);
  });
});

describe('monthly and hourly rotations', () => {
  it('E15: monthly turns on the same day of the month', () => {
    const s = shift({ frequency: 'monthly', start: '2024-01-15T09:00:00', duration: DAY });
    expect(days(expand(s, '2024-01-01T00:00:00Z', '2024-06-01T00:00:00Z'))).toEqual([
      '01-15 A', '02-15 B', '03-15 C', '04-15 A', '05-15 B',
    ]);
  });

  it('E16: monthly + by_monthday [1, 15]: one group holds both days of its month', () => {
    const s = shift({
      frequency: 'monthly',
      start: '2024-01-01T00:00:00',
      duration: DAY,
      byMonthday: [1, 15],
      rollingUsers: [['A'], ['B']],
    });
    expect(days(expand(s, '2024-01-01T00:00:00Z', '2024-05-01T00:00:00Z'))).toEqual([
      '01-01 A', '01-15 A', '02-01 B', '02-15 B', '03-01 A', '03-15 A', '04-01 B', '04-15 B',
    ]);
  });

  it('E17: hourly interval 8 follows the sun, every day', () => {
    const s = shift({ frequency: 'hourly', interval: 8, start: '2024-01-01T00:00:00', duration: 8 * HOUR });
    expect(lines(expand(s, '2024-01-01T00:00:00Z', '2024-01-03T00:00:00Z'))).toEqual([
      'A 2024-01-01T00:00:00Z → 2024-01-01T08:00:00Z',
      'B 2024-01-01T08:00:00Z → 2024-01-01T16:00:00Z',
      'C 2024-01-01T16:00:00Z → 2024-01-02T00:00:00Z',
      'A 2024-01-02T00:00:00Z → 2024-01-02T08:00:00Z',
      'B 2024-01-02T08:00:00Z → 2024-01-02T16:00:00Z',
      'C 2024-01-02T16:00:00Z → 2024-01-03T00:00:00Z',
    ]);
  });
});

describe('single and recurrent events', () => {
  it('E18: a recurrent_event puts all its users on call in every occurrence', () => {
    const s = shift({
      type: 'recurrent_event',
      source: 'api',
      duration: 8 * HOUR,
      byDay: ['MO', 'WE', 'FR'],
      users: ['A', 'B'],
      rollingUsers: null,
    });
    expect(who(s, '2024-01-03T12:00:00Z')).toEqual(['A', 'B']);
    expect(who(s, '2024-01-01T09:00:00Z')).toEqual(['A', 'B']);
    expect(who(s, '2024-01-05T16:59:59Z')).toEqual(['A', 'B']);
    expect(who(s, '2024-01-02T12:00:00Z')).toEqual([]);
    expect(who(s, '2024-01-03T17:00:00Z')).toEqual([]);
    expect(days(expand(s, '2024-01-01T00:00:00Z', '2024-01-08T00:00:00Z'))).toEqual([
      '01-01 A+B', '01-03 A+B', '01-05 A+B',
    ]);
  });

  it('a web rotation without a frequency is one occurrence of the first group', () => {
    const s = shift({ frequency: null, interval: null, duration: 2 * DAY, startRotationFromUserIndex: 2 });
    expect(lines(expand(s, '2023-12-01T00:00:00Z', '2024-03-01T00:00:00Z'))).toEqual([
      'C 2024-01-01T09:00:00Z → 2024-01-03T09:00:00Z',
    ]);
  });

  it('a group with nobody in it produces no occurrence but still uses its turn', () => {
    const s = shift({ rollingUsers: [['A'], [], ['C']] });
    expect(days(expand(s, '2024-01-01T00:00:00Z', '2024-01-29T00:00:00Z'))).toEqual([
      '01-01 A', '01-15 C', '01-22 A',
    ]);
  });
});

describe('E22 rotation_start after start: turns still count from start', () => {
  const base = { rotationStart: '2024-01-10T12:00:00' };

  it('web: the turn in progress is clipped to begin at rotation_start', () => {
    const s = shift(base);
    expect(lines(expand(s, '2024-01-01T00:00:00Z', '2024-02-05T00:00:00Z'))).toEqual([
      'B 2024-01-10T12:00:00Z → 2024-01-15T09:00:00Z',
      'C 2024-01-15T09:00:00Z → 2024-01-22T09:00:00Z',
      'A 2024-01-22T09:00:00Z → 2024-01-29T09:00:00Z',
      'B 2024-01-29T09:00:00Z → 2024-02-05T09:00:00Z',
    ]);
    expect(who(s, '2024-01-10T11:00:00Z')).toEqual([]);
    expect(who(s, '2024-01-10T13:00:00Z')).toEqual(['B']);
  });

  it('api: the turn in progress is dropped', () => {
    const s = shift({ ...base, source: 'api' });
    expect(lines(expand(s, '2024-01-01T00:00:00Z', '2024-02-05T00:00:00Z'))).toEqual([
      'C 2024-01-15T09:00:00Z → 2024-01-22T09:00:00Z',
      'A 2024-01-22T09:00:00Z → 2024-01-29T09:00:00Z',
      'B 2024-01-29T09:00:00Z → 2024-02-05T09:00:00Z',
    ]);
    expect(who(s, '2024-01-10T13:00:00Z')).toEqual([]);
  });
});

describe('rotation_start inside a weekly turn with by_day (§1.5 weekly nuance)', () => {
  const weekdays = shift({
    byDay: ['MO', 'TU', 'WE', 'TH', 'FR'],
    duration: 8 * HOUR,
    rotationStart: '2024-01-10T12:00:00',
  });

  it('web: the rest of the turn stays with its group, the occurrence in progress clipped', () => {
    expect(lines(expand(weekdays, '2024-01-08T00:00:00Z', '2024-01-16T00:00:00Z'))).toEqual([
      'B 2024-01-10T12:00:00Z → 2024-01-10T17:00:00Z',
      'B 2024-01-11T09:00:00Z → 2024-01-11T17:00:00Z',
      'B 2024-01-12T09:00:00Z → 2024-01-12T17:00:00Z',
      'C 2024-01-15T09:00:00Z → 2024-01-15T17:00:00Z',
    ]);
  });

  it('api: the first occurrence starting at or after rotation_start opens the turn', () => {
    expect(days(expand({ ...weekdays, source: 'api' }, '2024-01-08T00:00:00Z', '2024-01-16T00:00:00Z'))).toEqual([
      '01-11 B', '01-12 B', '01-15 C',
    ]);
  });
});

describe('monthly rotation on day 31 (§1.8)', () => {
  it('months without the day are skipped (RFC 5545) but still use up a turn', () => {
    // Decision: OSS gives erratic starts here (B on Feb 1, C on Mar 1); we keep the RFC rule and
    // the turn count of §1.4, so each group keeps a fixed place in the month sequence.
    const s = shift({ frequency: 'monthly', start: '2024-01-31T09:00:00', duration: DAY });
    expect(days(expand(s, '2024-01-01T00:00:00Z', '2024-09-01T00:00:00Z'))).toEqual([
      '01-31 A', '03-31 C', '05-31 B', '07-31 A', '08-31 B',
    ]);
  });
});

describe('E23 until', () => {
  const daily = (until: string) =>
    shift({ frequency: 'daily', start: '2024-01-01T00:00:00', duration: DAY, until, rollingUsers: [['A'], ['B']] });

  it('later occurrences that start before until run their full duration; nothing starts after it', () => {
    const s = daily('2024-01-04T12:00:00');
    expect(lines(expand(s, '2024-01-01T00:00:00Z', '2024-01-10T00:00:00Z'))).toEqual([
      'A 2024-01-01T00:00:00Z → 2024-01-02T00:00:00Z',
      'B 2024-01-02T00:00:00Z → 2024-01-03T00:00:00Z',
      'A 2024-01-03T00:00:00Z → 2024-01-04T00:00:00Z',
      'B 2024-01-04T00:00:00Z → 2024-01-05T00:00:00Z',
    ]);
    expect(who(s, '2024-01-04T13:00:00Z')).toEqual(['B']);
    expect(who(s, '2024-01-05T01:00:00Z')).toEqual([]);
  });

  it('the first occurrence of a group is truncated at until', () => {
    const s = daily('2024-01-02T12:00:00');
    expect(lines(expand(s, '2024-01-01T00:00:00Z', '2024-01-10T00:00:00Z'))).toEqual([
      'A 2024-01-01T00:00:00Z → 2024-01-02T00:00:00Z',
      'B 2024-01-02T00:00:00Z → 2024-01-02T12:00:00Z',
    ]);
    expect(who(s, '2024-01-02T12:00:00Z')).toEqual([]);
  });

  it('until is inclusive: an occurrence starting exactly at until is generated in full', () => {
    const s = daily('2024-01-04T00:00:00');
    expect(lines(expand(s, '2024-01-03T12:00:00Z', '2024-01-10T00:00:00Z'))).toEqual([
      'A 2024-01-03T00:00:00Z → 2024-01-04T00:00:00Z',
      'B 2024-01-04T00:00:00Z → 2024-01-05T00:00:00Z',
    ]);
  });

  it('a web rotation soft-deleted mid-turn keeps its occurrence in progress unless it is the first', () => {
    // Deleting a started web rotation sets until = now (§1.6).
    const s = shift({ rotationStart: '2024-01-10T12:00:00', until: '2024-01-17T12:00:00' });
    expect(lines(expand(s, '2024-01-01T00:00:00Z', '2024-02-05T00:00:00Z'))).toEqual([
      'B 2024-01-10T12:00:00Z → 2024-01-15T09:00:00Z',
      'C 2024-01-15T09:00:00Z → 2024-01-17T12:00:00Z',
    ]);
  });
});

describe('windowed expansion jumps to the window without changing the result', () => {
  const cases: Array<[string, ShiftDefinition]> = [
    ['daily + by_day, interval 2', shift({ frequency: 'daily', interval: 2, byDay: ['MO', 'WE'], duration: 4 * HOUR })],
    ['weekly + by_day, interval 2', shift({ interval: 2, byDay: ['TU', 'SA'], weekStart: 'SU', duration: DAY })],
    ['monthly by_monthday [-1, 10]', shift({ frequency: 'monthly', byMonthday: [-1, 10], duration: DAY })],
    ['hourly interval 5', shift({ frequency: 'hourly', interval: 5, duration: 5 * HOUR })],
    ['daily, API in Berlin', shift({ frequency: 'daily', source: 'api', timeZone: 'Europe/Berlin', duration: DAY })],
  ];

  it.each(cases)('%s', (_name, s) => {
    const from = at('2024-01-01T00:00:00Z');
    const all = expandShift(s, from, at('2025-03-01T00:00:00Z'));
    const windows = [
      [at('2024-06-10T05:00:00Z'), at('2024-06-20T00:00:00Z')],
      [at('2025-02-19T11:00:00Z'), at('2025-03-01T00:00:00Z')],
    ] as const;
    for (const [start, end] of windows) {
      const window = expandShift(s, start, end);
      expect(window).toEqual(all.filter((o) => o.start < end && o.end > start));
      expect(window.length).toBeGreaterThan(0);
    }
  });
});
