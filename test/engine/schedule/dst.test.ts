/**
 * Time zones and DST: E3, E4, E5, E8 (Paris), E21 and E30 (semantics.md §2.1), plus both
 * hemispheres. API/terraform shifts keep their local wall-clock start **and end**; E4/E5 document
 * an OSS defect (elapsed-time duration) that we deliberately fix.
 */
import { describe, expect, it } from 'vitest';
import { expandShift, finalEvents, onCallAt, type ShiftDefinition } from '../../../src/engine/schedules/math/index.js';
import { at, lines, shiftDefinition } from './fixtures.js';

const HOUR = 3600;
const DAY = 24 * HOUR;

function apiShift(timeZone: string, over: Partial<ShiftDefinition>): ShiftDefinition {
  return shiftDefinition({ id: 'tz', timeZone, start: '2024-01-08T09:00:00', ...over });
}

const expand = (s: ShiftDefinition, from: string, to: string) => lines(expandShift(s, at(from), at(to)));
const who = (s: ShiftDefinition, t: string) => onCallAt({ shifts: [s], at: at(t) });

describe('E3 API weekly rotation in Europe/Berlin', () => {
  const e3 = apiShift('Europe/Berlin', {});

  it('hands over at 09:00 local on both sides of the spring change', () => {
    expect(expand(e3, '2024-03-18T08:00:00Z', '2024-04-15T07:00:00Z')).toEqual([
      'B 2024-03-18T08:00:00Z → 2024-03-25T08:00:00Z',
      'C 2024-03-25T08:00:00Z → 2024-04-01T07:00:00Z',
      'A 2024-04-01T07:00:00Z → 2024-04-08T07:00:00Z',
      'B 2024-04-08T07:00:00Z → 2024-04-15T07:00:00Z',
    ]);
  });

  it.each([
    ['2024-03-31T12:00:00Z', 'C'],
    ['2024-04-01T06:59:00Z', 'C'],
    ['2024-04-01T07:00:00Z', 'A'],
    ['2024-04-01T07:00:01Z', 'A'],
    ['2024-10-28T07:30:00Z', 'C'],
    ['2024-10-28T08:00:00Z', 'A'],
  ])('at %s %s is on call', (t, user) => {
    expect(who(e3, t)).toEqual([user]);
  });

  it('autumn: C runs 10-21 07:00Z → 10-28 08:00Z, then A', () => {
    expect(expand(e3, '2024-10-22T00:00:00Z', '2024-10-29T00:00:00Z')).toEqual([
      'C 2024-10-21T07:00:00Z → 2024-10-28T08:00:00Z',
      'A 2024-10-28T08:00:00Z → 2024-11-04T08:00:00Z',
    ]);
  });
});

describe('E4/E5 a group whose first week spans the DST change (OSS defect fixed)', () => {
  it('E4 spring: B keeps 09:00 local as its end, so there is no recurring gap', () => {
    // Deliberate deviation: OSS ends B's weeks at 06:00Z (elapsed 7 d from the first one, which
    // lost an hour), leaving nobody on call 06:00Z–07:00Z every third Monday.
    const e4 = apiShift('Europe/Berlin', { start: '2024-03-18T09:00:00' });
    expect(expand(e4, '2024-03-18T00:00:00Z', '2024-04-22T00:00:00Z')).toEqual([
      'A 2024-03-18T08:00:00Z → 2024-03-25T08:00:00Z',
      'B 2024-03-25T08:00:00Z → 2024-04-01T07:00:00Z',
      'C 2024-04-01T07:00:00Z → 2024-04-08T07:00:00Z',
      'A 2024-04-08T07:00:00Z → 2024-04-15T07:00:00Z',
      'B 2024-04-15T07:00:00Z → 2024-04-22T07:00:00Z',
    ]);
    expect(who(e4, '2024-04-01T06:30:00Z')).toEqual(['B']);
    expect(who(e4, '2024-04-22T06:30:00Z')).toEqual(['B']);
    const gaps = finalEvents({
      shifts: [e4],
      windowStart: at('2024-03-18T08:00:00Z'),
      windowEnd: at('2024-05-20T07:00:00Z'),
      now: 0,
    }).filter((e) => e.isGap);
    expect(gaps).toEqual([]);
  });

  it('E5 autumn: B ends at 09:00 local, so it never overlaps C', () => {
    // Deliberate deviation: OSS stretches B's weeks to 7 d 1 h (ending 10-28 09:00Z), so
    // {B, C} are both on call at 10-28 08:30Z and again at 11-18 08:30Z.
    const e5 = apiShift('Europe/Berlin', { start: '2024-10-14T09:00:00' });
    expect(expand(e5, '2024-10-22T00:00:00Z', '2024-10-29T00:00:00Z')).toEqual([
      'B 2024-10-21T07:00:00Z → 2024-10-28T08:00:00Z',
      'C 2024-10-28T08:00:00Z → 2024-11-04T08:00:00Z',
    ]);
    expect(who(e5, '2024-10-28T08:30:00Z')).toEqual(['C']);
    expect(who(e5, '2024-11-18T08:30:00Z')).toEqual(['C']);
    expect(who(e5, '2024-11-18T07:59:00Z')).toEqual(['B']);
  });
});

describe('other zoned examples', () => {
  it('E8 (Paris): daily + by_day at 08:00 local for 10 h is 07:00Z–17:00Z, same rotation pattern', () => {
    const s = apiShift('Europe/Paris', {
      frequency: 'daily',
      byDay: ['MO', 'TU', 'WE', 'TH', 'FR'],
      start: '2024-01-01T08:00:00',
      duration: 10 * HOUR,
      rollingUsers: [['A'], ['B']],
    });
    expect(expand(s, '2024-01-01T00:00:00Z', '2024-01-09T00:00:00Z')).toEqual([
      'A 2024-01-01T07:00:00Z → 2024-01-01T17:00:00Z',
      'B 2024-01-02T07:00:00Z → 2024-01-02T17:00:00Z',
      'A 2024-01-03T07:00:00Z → 2024-01-03T17:00:00Z',
      'B 2024-01-04T07:00:00Z → 2024-01-04T17:00:00Z',
      'A 2024-01-05T07:00:00Z → 2024-01-05T17:00:00Z',
      'B 2024-01-08T07:00:00Z → 2024-01-08T17:00:00Z',
    ]);
  });

  it('E21: a single_event in America/New_York', () => {
    const s = apiShift('America/New_York', {
      type: 'single_event',
      start: '2024-01-05T22:00:00',
      duration: 10 * HOUR,
      frequency: null,
      users: ['D'],
      rollingUsers: null,
    });
    expect(expand(s, '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z')).toEqual([
      'D 2024-01-06T03:00:00Z → 2024-01-06T13:00:00Z',
    ]);
  });

  it('E30: weekly America/Chicago rotation keeps 00:00 local across both changes', () => {
    const s = apiShift('America/Chicago', { start: '2024-10-01T00:00:00', rollingUsers: [['u1']], weekStart: 'SU' });
    expect(expand(s, '2024-11-04T00:00:00Z', '2024-11-04T12:00:00Z')).toEqual([
      'u1 2024-10-29T05:00:00Z → 2024-11-05T06:00:00Z',
    ]);
    expect(expand(s, '2025-03-10T00:00:00Z', '2025-03-10T12:00:00Z')).toEqual([
      'u1 2025-03-04T06:00:00Z → 2025-03-11T05:00:00Z',
    ]);
  });
});

describe('wall-clock start and end kept in both hemispheres', () => {
  it('Europe/Berlin daily 09:00–17:00 stays 09:00–17:00 local through both changes', () => {
    const s = apiShift('Europe/Berlin', {
      type: 'recurrent_event',
      frequency: 'daily',
      start: '2024-03-29T09:00:00',
      duration: 8 * HOUR,
      users: ['A'],
      rollingUsers: null,
    });
    expect(expand(s, '2024-03-30T00:00:00Z', '2024-04-01T00:00:00Z')).toEqual([
      'A 2024-03-30T08:00:00Z → 2024-03-30T16:00:00Z',
      'A 2024-03-31T07:00:00Z → 2024-03-31T15:00:00Z',
    ]);
    expect(expand(s, '2024-10-26T00:00:00Z', '2024-10-28T00:00:00Z')).toEqual([
      'A 2024-10-26T07:00:00Z → 2024-10-26T15:00:00Z',
      'A 2024-10-27T08:00:00Z → 2024-10-27T16:00:00Z',
    ]);
  });

  it('Europe/Berlin night shift 22:00–06:00 ends at 06:00 local on the nights the clocks change', () => {
    const s = apiShift('Europe/Berlin', {
      frequency: 'daily',
      start: '2024-03-29T22:00:00',
      duration: 8 * HOUR,
      rollingUsers: [['A'], ['B']],
    });
    // 03-30 22:00 CET → 03-31 06:00 CEST lasts 7 h; 10-26 22:00 CEST → 10-27 06:00 CET lasts 9 h.
    expect(expand(s, '2024-03-30T22:00:00Z', '2024-03-31T05:00:00Z')).toEqual([
      'B 2024-03-30T21:00:00Z → 2024-03-31T04:00:00Z',
    ]);
    expect(expand(s, '2024-10-26T21:00:00Z', '2024-10-27T04:00:00Z')).toEqual([
      'B 2024-10-26T20:00:00Z → 2024-10-27T05:00:00Z',
    ]);
  });

  it('Australia/Sydney weekly: the April change (autumn) lengthens the week, handover still 09:00 local', () => {
    // AEDT (+11) until 2024-04-07 03:00, then AEST (+10). B's first week spans the change.
    const s = apiShift('Australia/Sydney', { start: '2024-03-25T09:00:00', rollingUsers: [['A'], ['B']] });
    expect(expand(s, '2024-03-25T00:00:00Z', '2024-04-14T00:00:00Z')).toEqual([
      'A 2024-03-24T22:00:00Z → 2024-03-31T22:00:00Z',
      'B 2024-03-31T22:00:00Z → 2024-04-07T23:00:00Z',
      'A 2024-04-07T23:00:00Z → 2024-04-14T23:00:00Z',
    ]);
    expect(who(s, '2024-04-07T22:30:00Z')).toEqual(['B']);
    expect(who(s, '2024-04-21T22:30:00Z')).toEqual(['B']);
    expect(who(s, '2024-04-21T23:00:00Z')).toEqual(['A']);
  });

  it('Australia/Sydney weekly: the October change (spring) shortens the week, handover still 09:00 local', () => {
    // AEST (+10) until 2024-10-06 02:00, then AEDT (+11). A's first week spans the change.
    const s = apiShift('Australia/Sydney', { start: '2024-09-30T09:00:00', rollingUsers: [['A'], ['B']] });
    expect(expand(s, '2024-09-30T00:00:00Z', '2024-10-20T00:00:00Z')).toEqual([
      'A 2024-09-29T23:00:00Z → 2024-10-06T22:00:00Z',
      'B 2024-10-06T22:00:00Z → 2024-10-13T22:00:00Z',
      'A 2024-10-13T22:00:00Z → 2024-10-20T22:00:00Z',
    ]);
    expect(who(s, '2024-10-06T21:59:00Z')).toEqual(['A']);
    expect(who(s, '2024-10-06T22:00:00Z')).toEqual(['B']);
    // Three weeks on, A's next week starts exactly when B's ends: no gap, no overlap.
    expect(who(s, '2024-10-20T21:59:00Z')).toEqual(['A']);
    expect(who(s, '2024-10-20T22:00:00Z')).toEqual(['B']);
  });

  it('a daily occurrence whose wall-clock time is skipped by DST moves forward and stays contiguous', () => {
    // 02:30 does not exist in Berlin on 2024-03-31: that day's handover happens at 03:30 CEST.
    const s = apiShift('Europe/Berlin', {
      frequency: 'daily',
      start: '2024-03-29T02:30:00',
      duration: DAY,
      rollingUsers: [['A'], ['B']],
    });
    expect(expand(s, '2024-03-30T12:00:00Z', '2024-03-31T12:00:00Z')).toEqual([
      'B 2024-03-30T01:30:00Z → 2024-03-31T01:30:00Z',
      'A 2024-03-31T01:30:00Z → 2024-04-01T00:30:00Z',
    ]);
  });
});
