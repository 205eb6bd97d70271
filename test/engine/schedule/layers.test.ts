/**
 * Layers, overrides, swaps and gaps: worked examples E24–E29 and E31 (semantics.md §3).
 */
import { describe, expect, it } from 'vitest';
import {
  expandShift,
  type FinalEvent,
  finalEvents,
  type FinalEventsInput,
  onCallAt,
  resolveOccurrences,
  type ShiftDefinition,
  type SwapRequest,
} from '../../../src/engine/schedules/math/index.js';

const HOUR = 3600;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z').replace(':00Z', 'Z');

function shift(over: Partial<ShiftDefinition> & Pick<ShiftDefinition, 'id'>): ShiftDefinition {
  return {
    type: 'rolling_users',
    source: 'web',
    timeZone: 'UTC',
    level: 0,
    start: '2024-01-01T09:00:00',
    duration: DAY,
    rotationStart: null,
    until: null,
    frequency: null,
    interval: null,
    byDay: null,
    byMonth: null,
    byMonthday: null,
    weekStart: 'MO',
    users: [],
    rollingUsers: null,
    startRotationFromUserIndex: 0,
    ...over,
  };
}

/** An API single_event on 2024-01-01 from `from` to `to` (hours; 24 = next midnight). */
function single(id: string, user: string, from: number, to: number, level: number): ShiftDefinition {
  const hh = String(Math.floor(from)).padStart(2, '0');
  const mm = String(Math.round((from % 1) * 60)).padStart(2, '0');
  return shift({
    id,
    type: 'single_event',
    source: 'api',
    start: `2024-01-01T${hh}:${mm}:00`,
    duration: (to - from) * HOUR,
    users: [user],
    level,
  });
}

/** "users start → end" (or "gap …"), the way the spec lists final schedules. */
const lines = (events: FinalEvent[]) =>
  events.map((e) => `${e.isGap ? 'gap' : e.users.join('+')} ${iso(e.start)} → ${iso(e.end)}`);

function final(shifts: ShiftDefinition[], from: string, to: string, extra: Partial<FinalEventsInput> = {}) {
  return finalEvents({ shifts, windowStart: at(from), windowEnd: at(to), now: at('2024-01-01T00:00:00Z'), ...extra });
}

// E24 layers: L0 daily A/B at 09:00Z, L1 weekdays 09–17Z C, web override D Tue 12–14Z.
const l0 = shift({ id: 'L0', frequency: 'daily', interval: 1, rollingUsers: [['A'], ['B']] });
const l1 = shift({
  id: 'L1',
  level: 1,
  frequency: 'weekly',
  interval: 1,
  byDay: ['MO', 'TU', 'WE', 'TH', 'FR'],
  duration: 8 * HOUR,
  rollingUsers: [['C']],
});
const overrideD = shift({
  id: 'OV',
  type: 'override',
  level: 99,
  start: '2024-01-02T12:00:00',
  duration: 2 * HOUR,
  users: ['D'],
});
const e24 = [l0, l1, overrideD];

describe('E24 layered web schedule', () => {
  it('produces the final schedule of the spec', () => {
    expect(lines(final(e24, '2024-01-01T00:00:00Z', '2024-01-03T17:00:00Z'))).toEqual([
      'gap 2024-01-01T00:00Z → 2024-01-01T09:00Z',
      'C 2024-01-01T09:00Z → 2024-01-01T17:00Z',
      'A 2024-01-01T17:00Z → 2024-01-02T09:00Z',
      'C 2024-01-02T09:00Z → 2024-01-02T12:00Z',
      'D 2024-01-02T12:00Z → 2024-01-02T14:00Z',
      'C 2024-01-02T14:00Z → 2024-01-02T17:00Z',
      'B 2024-01-02T17:00Z → 2024-01-03T09:00Z',
      'C 2024-01-03T09:00Z → 2024-01-03T17:00Z',
    ]);
  });

  it.each([
    ['2024-01-01T08:00:00Z', []],
    ['2024-01-01T12:00:00Z', ['C']],
    ['2024-01-01T18:00:00Z', ['A']],
    ['2024-01-02T13:00:00Z', ['D']],
    ['2024-01-02T16:59:00Z', ['C']],
    ['2024-01-02T17:00:00Z', ['B']],
    // Deliberate deviation (half-open intervals): OSS answers nobody at Tue 09:00:00Z, because
    // every event there either starts or ends exactly at that instant.
    ['2024-01-02T09:00:00Z', ['C']],
    ['2024-01-02T09:00:01Z', ['C']],
  ])('at %s the on-call set is %j', (t, users) => {
    expect(onCallAt({ shifts: e24, at: at(t) })).toEqual(users);
  });

  it('events are sorted by start, then shift id, and carry their layer', () => {
    const events = final(e24, '2024-01-02T11:00:00Z', '2024-01-02T15:00:00Z', { withGaps: false });
    expect(events.map((e) => [e.shiftIds, e.priority, e.isOverride])).toEqual([
      [['L1'], 1, false],
      [['OV'], 99, true],
      [['L1'], 1, false],
    ]);
  });
});

describe('E25 the official OnCall layering test', () => {
  const shifts = [
    single('p1-a1', 'A', 10, 15, 1),
    single('p1-b1', 'B', 11, 13, 1),
    single('p1-a2', 'A', 16, 19, 1),
    single('p1-a3', 'A', 21, 22, 1),
    single('p1-b2', 'B', 22, 24, 1),
    single('p2-c', 'C', 12, 14, 2),
    single('p2-d1', 'D', 14, 15, 2),
    single('p2-d2', 'D', 17, 18, 2),
    single('p2-d3', 'D', 20, 23, 2),
    { ...single('ov-e', 'E', 22, 23, 0), type: 'override' as const },
    { ...single('ov-a', 'A', 22, 22.5, 1), type: 'override' as const },
  ];

  it('resolves to the published final schedule', () => {
    expect(lines(final(shifts, '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'))).toEqual([
      'gap 2024-01-01T00:00Z → 2024-01-01T10:00Z',
      'A 2024-01-01T10:00Z → 2024-01-01T12:00Z',
      'B 2024-01-01T11:00Z → 2024-01-01T12:00Z',
      'C 2024-01-01T12:00Z → 2024-01-01T14:00Z',
      'D 2024-01-01T14:00Z → 2024-01-01T15:00Z',
      'gap 2024-01-01T15:00Z → 2024-01-01T16:00Z',
      'A 2024-01-01T16:00Z → 2024-01-01T17:00Z',
      'D 2024-01-01T17:00Z → 2024-01-01T18:00Z',
      'A 2024-01-01T18:00Z → 2024-01-01T19:00Z',
      'gap 2024-01-01T19:00Z → 2024-01-01T20:00Z',
      'D 2024-01-01T20:00Z → 2024-01-01T22:00Z',
      'A 2024-01-01T22:00Z → 2024-01-01T22:30Z',
      'E 2024-01-01T22:30Z → 2024-01-01T23:00Z',
      'B 2024-01-01T23:00Z → 2024-01-02T00:00Z',
    ]);
  });

  it('API overrides produce events (OSS defect fixed: there they expand to nothing)', () => {
    expect(onCallAt({ shifts, at: at('2024-01-01T22:45:00Z') })).toEqual(['E']);
  });
});

describe('same priority, empty events', () => {
  it('E26: overlapping shifts of the same priority are on call together', () => {
    const shifts = [single('a', 'A', 9, 33, 0), single('e', 'E', 12, 16, 0)];
    expect(onCallAt({ shifts, at: at('2024-01-01T13:00:00Z') }).sort()).toEqual(['A', 'E']);
  });

  it('E27: a higher layer left with nobody allowed blocks nothing', () => {
    const shifts = [single('l1', 'X', 9, 17, 1), single('l0', 'A', 0, 24, 0)];
    const isUserAllowed = (u: string) => u !== 'X';
    expect(onCallAt({ shifts, at: at('2024-01-01T12:00:00Z'), isUserAllowed })).toEqual(['A']);
    const events = final(shifts, '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', { isUserAllowed, withEmpty: true });
    expect(events.map((e) => [e.shiftIds[0], iso(e.start), iso(e.end), e.isEmpty])).toEqual([
      ['l0', '2024-01-01T00:00Z', '2024-01-02T00:00Z', false],
      ['l1', '2024-01-01T09:00Z', '2024-01-01T17:00Z', true],
    ]);
    expect(final(shifts, '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', { isUserAllowed })).toHaveLength(1);
  });

  it('an empty shift hides a gap even though nobody is on call (§2.6)', () => {
    const shifts = [single('l0', 'X', 9, 17, 0)];
    const isUserAllowed = () => false;
    const events = final(shifts, '2024-01-01T09:00:00Z', '2024-01-01T17:00:00Z', { isUserAllowed });
    expect(events).toEqual([]);
    expect(onCallAt({ shifts, at: at('2024-01-01T12:00:00Z'), isUserAllowed })).toEqual([]);
  });

  it('holes shorter than a minute are not gaps', () => {
    const shifts = [single('a', 'A', 9, 12, 0), { ...single('b', 'B', 12, 17, 0), start: '2024-01-01T12:00:30' }];
    expect(final(shifts, '2024-01-01T09:00:00Z', '2024-01-01T17:00:00Z').filter((e) => e.isGap)).toEqual([]);
  });
});

describe('E28/E29 swaps', () => {
  const swap = (over: Partial<SwapRequest>): SwapRequest => ({
    id: 'SW1',
    beneficiary: 'A',
    benefactor: 'E',
    swapStart: at('2024-01-01T12:00:00Z'),
    swapEnd: at('2024-01-01T18:00:00Z'),
    createdAt: at('2023-12-20T00:00:00Z'),
    ...over,
  });

  it('E28: a taken swap hands the beneficiary’s seat to the benefactor for its range', () => {
    const swaps = [swap({})];
    expect(lines(final([l0], '2024-01-01T09:00:00Z', '2024-01-02T09:00:00Z', { swaps }))).toEqual([
      'A 2024-01-01T09:00Z → 2024-01-01T12:00Z',
      'E 2024-01-01T12:00Z → 2024-01-01T18:00Z',
      'A 2024-01-01T18:00Z → 2024-01-02T09:00Z',
    ]);
    expect(onCallAt({ shifts: [l0], swaps, at: at('2024-01-01T13:00:00Z') })).toEqual(['E']);
  });

  it('E28: an untaken swap splits the event but the user keeps the shift', () => {
    const swaps = [
      swap({
        beneficiary: 'B',
        benefactor: null,
        swapStart: at('2024-01-02T12:00:00Z'),
        swapEnd: at('2024-01-02T18:00:00Z'),
      }),
    ];
    const events = final([l0], '2024-01-02T09:00:00Z', '2024-01-03T09:00:00Z', { swaps });
    expect(lines(events)).toEqual([
      'B 2024-01-02T09:00Z → 2024-01-02T12:00Z',
      'B 2024-01-02T12:00Z → 2024-01-02T18:00Z',
      'B 2024-01-02T18:00Z → 2024-01-03T09:00Z',
    ]);
    expect(events.map((e) => e.swaps.map((s) => s.id))).toEqual([[], ['SW1'], []]);
    expect(onCallAt({ shifts: [l0], swaps, at: at('2024-01-02T13:00:00Z') })).toEqual(['B']);
  });

  it('an untaken swap whose start has passed is ignored', () => {
    const swaps = [swap({ benefactor: null })];
    const now = at('2024-01-01T13:00:00Z');
    const events = final([l0], '2024-01-01T09:00:00Z', '2024-01-02T09:00:00Z', { swaps, now });
    expect(lines(events)).toEqual(['A 2024-01-01T09:00Z → 2024-01-02T09:00Z']);
  });

  it('swaps apply in creation order, so a later swap can pass the shift on again', () => {
    const swaps = [
      swap({ id: 'second', beneficiary: 'E', benefactor: 'F', createdAt: at('2023-12-21T00:00:00Z') }),
      swap({ id: 'first' }),
    ];
    expect(onCallAt({ shifts: [l0], swaps, at: at('2024-01-01T13:00:00Z') })).toEqual(['F']);
  });

  it('a benefactor who may not be notified leaves the seat empty, which blocks nothing', () => {
    const swaps = [swap({})];
    const isUserAllowed = (u: string) => u !== 'E';
    expect(onCallAt({ shifts: [l0], swaps, isUserAllowed, at: at('2024-01-01T13:00:00Z') })).toEqual([]);
    const options = { swaps, isUserAllowed, withEmpty: true };
    const events = final([l0], '2024-01-01T09:00:00Z', '2024-01-02T09:00:00Z', options);
    expect(events.map((e) => [iso(e.start), e.isEmpty])).toEqual([
      ['2024-01-01T09:00Z', false],
      ['2024-01-01T12:00Z', true],
      ['2024-01-01T18:00Z', false],
    ]);
  });

  it('E29: a swap under a higher layer only shows where the lower layer is visible', () => {
    const swaps = [swap({ swapStart: at('2024-01-01T10:00:00Z'), swapEnd: at('2024-01-01T20:00:00Z') })];
    expect(lines(final([l0, l1], '2024-01-01T09:00:00Z', '2024-01-02T09:00:00Z', { swaps }))).toEqual([
      'C 2024-01-01T09:00Z → 2024-01-01T17:00Z',
      'E 2024-01-01T17:00Z → 2024-01-01T20:00Z',
      'A 2024-01-01T20:00Z → 2024-01-02T09:00Z',
    ]);
    expect(onCallAt({ shifts: [l0, l1], swaps, at: at('2024-01-01T12:00:00Z') })).toEqual(['C']);
    expect(onCallAt({ shifts: [l0, l1], swaps, at: at('2024-01-01T18:00:00Z') })).toEqual(['E']);
  });
});

describe('E31 imported calendar events', () => {
  // Parsing SUMMARY `[L2] alice` into priority 2 and dropping CANCELLED events belong to the iCal
  // importer; this library resolves what the importer produces, like any other occurrences.
  it('a [L2] event beats an overlapping priority-0 event', () => {
    const imported = (user: string, from: string, to: string, priority: number) => ({
      shiftId: `ical-${user}`,
      start: at(`2024-01-01T${from}:00Z`),
      end: at(`2024-01-01T${to}:00Z`),
      users: [user],
      priority,
      isOverride: false,
    });
    const occurrences = [imported('bob', '08:00', '18:00', 0), imported('alice', '10:00', '12:00', 2)];
    const events = resolveOccurrences(occurrences, {
      windowStart: at('2024-01-01T08:00:00Z'),
      windowEnd: at('2024-01-01T18:00:00Z'),
      now: 0,
    });
    expect(lines(events)).toEqual([
      'bob 2024-01-01T08:00Z → 2024-01-01T10:00Z',
      'alice 2024-01-01T10:00Z → 2024-01-01T12:00Z',
      'bob 2024-01-01T12:00Z → 2024-01-01T18:00Z',
    ]);
  });
});

describe('windows', () => {
  it('pieces are not trimmed to the window, and pieces outside it are dropped', () => {
    const events = final([l0, l1], '2024-01-01T12:00:00Z', '2024-01-01T18:00:00Z', { withGaps: false });
    expect(lines(events)).toEqual([
      'C 2024-01-01T09:00Z → 2024-01-01T17:00Z',
      'A 2024-01-01T17:00Z → 2024-01-02T09:00Z',
    ]);
  });

  it('a year of a ten-layer schedule agrees, instant by instant, with the strongest layer present (§2.5)', () => {
    const layers = Array.from({ length: 10 }, (_, i) =>
      shift({
        id: `L${i}`,
        level: i,
        source: 'api',
        timeZone: i % 2 ? 'Europe/Berlin' : 'America/New_York',
        frequency: i % 3 === 0 ? 'weekly' : 'daily',
        interval: 1 + (i % 2),
        byDay: i >= 8 ? ['MO', 'TU', 'WE', 'TH', 'FR'] : null,
        start: `2024-01-0${1 + (i % 7)}T0${i}:00:00`,
        duration: i >= 8 ? 8 * HOUR : i % 3 === 0 ? 7 * DAY : DAY,
        rollingUsers: [[`u${i}a`], [`u${i}b`, `u${i}c`]],
      }),
    );
    const [from, to] = [at('2024-01-01T00:00:00Z'), at('2025-01-01T00:00:00Z')];
    const events = finalEvents({ shifts: layers, windowStart: from, windowEnd: to, now: from });
    const sorted = (users: Iterable<string>) => [...new Set(users)].sort();
    // An irregular step samples every hour of the day and every weekday over the year.
    for (let t = from; t < to; t += 7 * 3_600_000 + 13 * 60_000) {
      const covering = layers.flatMap((s) => expandShift(s, t, t));
      const top = Math.max(...covering.map((o) => o.priority));
      const expected = sorted(covering.filter((o) => o.priority === top).flatMap((o) => o.users));
      const fromFinal = events.filter((e) => !e.isGap && e.start <= t && t < e.end).flatMap((e) => e.users);
      expect(sorted(fromFinal)).toEqual(expected);
    }
  });
});
