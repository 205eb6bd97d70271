/**
 * Layer resolution against a plain reference: the straightforward algorithm of semantics.md
 * §3.1 (every occurrence expanded, swapped, filtered, then clipped group by group), kept here
 * as it was before resolution learnt to skip covered occurrences. Random schedules, swaps, user
 * filters and windows must give exactly the same final events, gaps and empty events included.
 */
import { describe, expect, it } from 'vitest';
import {
  expandShift,
  type FinalEvent,
  finalEvents,
  type FinalEventsInput,
  type Frequency,
  type Occurrence,
  onCallAt,
  type ResolveOptions,
  resolveOccurrences,
  type ShiftDefinition,
  type SwapNote,
  type SwapRequest,
  type Weekday,
} from '../../../src/engine/schedules/math/index.js';

// ---------------------------------------------------------------------------------------------
// Reference

type Interval = [start: number, end: number];
interface RefEvent extends Occurrence {
  swaps: SwapNote[];
}

function refUnion(intervals: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

function refSubtract(start: number, end: number, claimed: readonly Interval[]): Interval[] {
  let lo = 0;
  let hi = claimed.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (claimed[mid]![1] <= start) lo = mid + 1;
    else hi = mid;
  }
  const pieces: Interval[] = [];
  let cursor = start;
  for (let i = lo; i < claimed.length && cursor < end; i++) {
    const [claimedStart, claimedEnd] = claimed[i]!;
    if (claimedStart >= end) break;
    if (claimedStart > cursor) pieces.push([cursor, claimedStart]);
    cursor = Math.max(cursor, claimedEnd);
  }
  if (cursor < end) pieces.push([cursor, end]);
  return pieces;
}

function refSwaps(events: readonly RefEvent[], swaps: readonly SwapRequest[], now: number): RefEvent[] {
  let current = [...events];
  const ordered = [...swaps].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const swap of ordered) {
    if (swap.swapEnd <= swap.swapStart) continue;
    if (swap.benefactor === null && now > swap.swapStart) continue;
    const note: SwapNote = { id: swap.id, beneficiary: swap.beneficiary, benefactor: swap.benefactor };
    current = current.flatMap((event) => {
      if (!(event.start < swap.swapEnd && event.end > swap.swapStart) || !event.users.includes(swap.beneficiary)) {
        return [event];
      }
      const users = swap.benefactor === null
        ? event.users
        : [...new Set(event.users.map((u) => (u === swap.beneficiary ? swap.benefactor! : u)))];
      const inside = {
        ...event,
        start: Math.max(event.start, swap.swapStart),
        end: Math.min(event.end, swap.swapEnd),
        users,
        swaps: [...event.swaps, note],
      };
      return [
        ...(event.start < swap.swapStart ? [{ ...event, end: swap.swapStart }] : []),
        inside,
        ...(event.end > swap.swapEnd ? [{ ...event, start: swap.swapEnd }] : []),
      ];
    });
  }
  return current;
}

function refFinal(e: RefEvent, [start, end]: Interval, isEmpty: boolean): FinalEvent {
  return {
    start,
    end,
    users: [...e.users],
    shiftIds: [e.shiftId],
    priority: e.priority,
    isOverride: e.isOverride,
    isGap: false,
    isEmpty,
    swaps: [...e.swaps],
  };
}

function refResolve(occurrences: readonly Occurrence[], options: ResolveOptions): FinalEvent[] {
  const { windowStart } = options;
  const windowEnd = Math.max(options.windowEnd, windowStart + 1);
  const allowed = options.isUserAllowed ?? (() => true);
  const inWindow = (start: number, end: number) => start < windowEnd && end > windowStart;
  const work = occurrences.map((o): RefEvent => ({ ...o, users: [...o.users], swaps: [] }));
  const active: RefEvent[] = [];
  const empty: RefEvent[] = [];
  for (const e of refSwaps(work, options.swaps ?? [], options.now)) {
    const users = [...new Set(e.users.filter((u) => allowed(u)))];
    (users.length > 0 ? active : empty).push({ ...e, users });
  }
  const groups = new Map<string, RefEvent[]>();
  for (const e of active) {
    const key = `${e.isOverride}:${e.priority}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const ordered = [...groups.values()].sort(
    ([x], [y]) => Number(y!.isOverride) - Number(x!.isOverride) || y!.priority - x!.priority,
  );
  const out: FinalEvent[] = [];
  let claimed: Interval[] = [];
  for (const group of ordered) {
    const kept: Interval[] = [];
    for (const e of group) {
      for (const piece of refSubtract(e.start, e.end, claimed)) {
        kept.push(piece);
        if (inWindow(...piece)) out.push(refFinal(e, piece, false));
      }
    }
    claimed = refUnion([...claimed, ...kept]);
  }
  if (options.withEmpty) {
    for (const e of empty) if (inWindow(e.start, e.end)) out.push(refFinal(e, [e.start, e.end], true));
  }
  if (options.withGaps ?? true) {
    const holes: Interval[] = [];
    let cursor = windowStart;
    for (const [start, end] of refUnion(occurrences.map((o): Interval => [o.start, o.end]))) {
      if (end <= cursor) continue;
      if (start >= windowEnd) break;
      if (start > cursor) holes.push([cursor, start]);
      cursor = end;
    }
    if (cursor < windowEnd) holes.push([cursor, windowEnd]);
    for (const [start, end] of holes) {
      if (end - start < 60_000) continue;
      out.push({
        start, end, users: [], shiftIds: [], priority: 0, isOverride: false, isGap: true, isEmpty: false, swaps: [],
      });
    }
  }
  return out.sort((a, b) => {
    if (a.start !== b.start) return a.start - b.start;
    const ia = a.shiftIds[0] ?? '';
    const ib = b.shiftIds[0] ?? '';
    if (ia !== ib) return ia < ib ? -1 : 1;
    return a.end - b.end;
  });
}

function refFinalEvents(input: FinalEventsInput): FinalEvent[] {
  const occurrences = input.shifts.flatMap((s) => expandShift(s, input.windowStart, input.windowEnd));
  return refResolve(occurrences, input);
}

// ---------------------------------------------------------------------------------------------
// Random inputs (seeded, so a failure reproduces)

function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)]!;
  const chance = (p: number) => next() < p;
  return { int, pick, chance };
}
type Random = ReturnType<typeof random>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const USERS = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
const WEEKDAYS: Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
/** 2024-01-01T00:00Z; random times fall within a year of it, DST changes included. */
const BASE = Date.UTC(2024, 0, 1);

function someUsers(r: Random, max: number): string[] {
  return Array.from({ length: r.int(0, max) }, () => r.pick(USERS));
}

function swapRequests(r: Random, from: number, span: number): SwapRequest[] {
  return Array.from({ length: r.int(0, 3) }, (_, i) => {
    const swapStart = from + r.int(-span / 4, span);
    return {
      id: `W${i}`,
      beneficiary: r.pick(USERS),
      benefactor: r.chance(0.3) ? null : r.pick(USERS),
      swapStart,
      swapEnd: swapStart + (r.chance(0.1) ? -r.int(0, span / 10) : r.int(1, span / 3)),
      createdAt: r.int(0, 3),
    };
  });
}

function filterOptions(r: Random) {
  const banned = new Set(USERS.filter(() => r.chance(0.2)));
  return {
    isUserAllowed: r.chance(0.7) ? (u: string) => !banned.has(u) : undefined,
    withGaps: r.chance(0.8) ? undefined : false,
    withEmpty: r.chance(0.3),
  };
}

function wallClock(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

function randomShift(r: Random, i: number, long: boolean): ShiftDefinition {
  const type = r.pick(['rolling_users', 'rolling_users', 'recurrent_event', 'single_event', 'override'] as const);
  const frequency: Frequency | null = r.chance(0.1)
    ? null
    : r.pick(long ? (['daily', 'weekly', 'monthly'] as const) : (['hourly', 'daily', 'weekly', 'monthly'] as const));
  const period = { hourly: HOUR, daily: DAY, weekly: 7 * DAY, monthly: 30 * DAY }[frequency ?? 'daily'];
  // Durations around the period: shorter leaves holes, longer overlaps the next turn.
  const duration = Math.max(MINUTE, Math.round((period * r.pick([0.3, 0.5, 1, 1, 1, 1.5, 3])) / MINUTE) * MINUTE);
  const start = BASE + r.int(0, long ? 60 : 300) * DAY + r.int(0, 23) * HOUR + r.pick([0, 0, 15, 30]) * MINUTE;
  return {
    id: `S${r.int(0, 4)}${i}`,
    type,
    source: r.chance(0.3) ? 'web' : 'api',
    timeZone: r.pick(ZONES),
    level: r.int(0, 3),
    start: wallClock(start),
    duration: duration / 1000,
    rotationStart: r.chance(0.2) ? wallClock(start + r.int(0, 20) * DAY + r.int(0, 23) * HOUR) : null,
    until: r.chance(0.2) ? wallClock(start + r.int(1, 200) * DAY + r.int(0, 23) * HOUR) : null,
    frequency,
    interval: r.chance(0.7) ? 1 : r.int(2, 3),
    byDay: r.chance(0.3) ? WEEKDAYS.filter(() => r.chance(0.5)) : null,
    byMonth: null,
    byMonthday: frequency === 'monthly' && r.chance(0.3) ? [r.pick([1, 15, 31, -1])] : null,
    weekStart: r.pick(['MO', 'SU'] as const),
    users: someUsers(r, 3),
    rollingUsers: Array.from({ length: r.int(1, 4) }, () => someUsers(r, 2)),
    startRotationFromUserIndex: r.int(0, 3),
  };
}

// ---------------------------------------------------------------------------------------------

describe('final schedule against the reference algorithm', () => {
  it('resolveOccurrences: random occurrences, degenerate ones included', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const r = random(seed);
      // A coarse grid makes ties (same start, shift and end) and touching events common.
      const unit = r.pick([MINUTE, 30 * MINUTE]);
      const occurrences: Occurrence[] = Array.from({ length: r.int(0, 30) }, () => {
        const start = BASE + r.int(0, 2000 * (MINUTE / unit)) * unit;
        const length = r.chance(0.05) ? -r.int(0, 30) * unit : r.int(1, 600 * (MINUTE / unit)) * unit;
        return {
          shiftId: r.pick(['A', 'B', 'C', 'D', 'E']),
          start,
          end: start + length,
          users: someUsers(r, 3),
          priority: r.int(0, 3),
          isOverride: r.chance(0.2),
        };
      });
      const windowStart = BASE + r.int(-100, 2000) * MINUTE;
      const options: ResolveOptions = {
        windowStart,
        windowEnd: windowStart + (r.chance(0.1) ? 0 : r.int(1, 2000) * MINUTE),
        now: BASE + r.int(0, 2000) * MINUTE,
        swaps: swapRequests(r, BASE, 2000 * MINUTE),
        ...filterOptions(r),
      };
      expect(resolveOccurrences(occurrences, options), `seed ${seed}`).toEqual(refResolve(occurrences, options));
    }
  });

  it('empty events tied on (start, shift, end) keep their input order across layers', () => {
    const occurrence = (priority: number, users: string[]): Occurrence => ({
      shiftId: 'A', start: BASE, end: BASE + HOUR, users, priority, isOverride: false,
    });
    const occurrences = [occurrence(0, ['u1']), occurrence(2, ['u2']), occurrence(1, ['u1', 'u2'])];
    const nobody = () => false;
    const options = { windowStart: BASE, windowEnd: BASE + HOUR, now: BASE, isUserAllowed: nobody, withEmpty: true };
    const events = resolveOccurrences(occurrences, options);
    expect(events.map((e) => [e.priority, e.isEmpty])).toEqual([[0, true], [2, true], [1, true]]);
    expect(events).toEqual(refResolve(occurrences, options));
  });

  it('finalEvents: random shifts over random windows, from an instant to a year', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = random(seed);
      const long = r.chance(0.3);
      const shifts = Array.from({ length: r.int(1, 8) }, (_, i) => randomShift(r, i, long));
      const windowStart = BASE + r.int(0, long ? 30 : 330) * DAY + r.int(0, 23) * HOUR;
      const span = long ? 365 * DAY : r.pick([0, HOUR, DAY, 7 * DAY, 35 * DAY]);
      const input: FinalEventsInput = {
        shifts,
        windowStart,
        windowEnd: windowStart + span,
        now: windowStart + r.int(-5, 5) * DAY,
        swaps: swapRequests(r, windowStart, Math.max(span, DAY)),
        ...filterOptions(r),
      };
      expect(finalEvents(input), `seed ${seed}`).toEqual(refFinalEvents(input));
    }
  });

  it('finalEvents: strong long layers over weak short ones, where most occurrences are covered', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const r = random(1000 + seed);
      const shifts = Array.from({ length: r.int(3, 10) }, (_, i): ShiftDefinition => {
        const strong = i % 3 === 0;
        const shift = randomShift(r, i, false);
        return strong
          ? { ...shift, level: 5 + r.int(0, 2), frequency: 'weekly', duration: r.pick([5, 7, 9]) * 86_400, until: null }
          : { ...shift, level: r.int(0, 4), type: shift.type === 'override' ? 'rolling_users' : shift.type };
      });
      const windowStart = BASE + r.int(0, 60) * DAY;
      const input: FinalEventsInput = {
        shifts,
        windowStart,
        windowEnd: windowStart + r.pick([DAY, 90 * DAY, 365 * DAY]),
        now: windowStart,
        swaps: swapRequests(r, windowStart, 90 * DAY),
        ...filterOptions(r),
      };
      expect(finalEvents(input), `seed ${seed}`).toEqual(refFinalEvents(input));
    }
  });

  it('onCallAt agrees with the reference final schedule at random instants', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = random(5000 + seed);
      const shifts = Array.from({ length: r.int(1, 8) }, (_, i) => randomShift(r, i, r.chance(0.5)));
      const at = BASE + r.int(0, 360) * DAY + r.int(0, 47) * 30 * MINUTE;
      const swaps = swapRequests(r, at - 10 * DAY, 20 * DAY);
      const users = new Set<string>();
      for (const e of refFinalEvents({ shifts, swaps, windowStart: at, windowEnd: at, now: at, withGaps: false })) {
        if (e.start <= at && at < e.end) for (const u of e.users) users.add(u);
      }
      expect(onCallAt({ shifts, swaps, at }), `seed ${seed}`).toEqual([...users]);
    }
  });
});
