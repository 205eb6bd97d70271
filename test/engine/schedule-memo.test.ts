/**
 * Schedule answers kept between calls (schedule-memo.ts): every answer equals one resolved afresh
 * for exactly the window asked, and every kind of write that changes a schedule is seen by the
 * next read. The fresh answer is built here from the schedule math alone, the way the final-shifts
 * endpoint is specified: each non-gap, non-empty event of the window, clipped to it, one item per
 * person, by start, username and end.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/engine/core/clock.js';
import { noteCommit } from '../../src/engine/core/revisions.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { finalEvents } from '../../src/engine/schedules/math/index.js';
import { canBeNotified, scheduleShifts, scheduleSwaps } from '../../src/engine/schedules/schedule-records.js';
import { importData } from '../../src/engine/storage/data-file.js';

const [A, B, C, D] = ['UAAAAAAAAAAAA', 'UBBBBBBBBBBBB', 'UCCCCCCCCCCCC', 'UDDDDDDDDDDDD'];
const SCHEDULE = 'SMEMOSCHEDUL1';
const [DAYTIME, NIGHT, OVERRIDE] = ['OMEMODAYTIME1', 'OMEMONIGHTLY1', 'OMEMOOVERRID1'];

function organisation() {
  const user = (id: string, name: string) => ({ id, username: name, email: `${name}@example.com` });
  return importData({
    users: [user(A, 'ann'), user(B, 'bob'), user(C, 'cat'), user(D, 'dan')],
    on_call_shifts: [
      // Level 0 around the clock, a weekly rotation of ann and bob; level 1 cat 09:00–17:00 Berlin on weekdays.
      {
        id: NIGHT, name: 'base', type: 'rolling_users', time_zone: 'UTC', level: 0, start: '2026-03-02T00:00:00',
        duration: 7 * 86400, frequency: 'weekly', interval: 1, week_start: 'MO', rolling_users: [[A], [B]],
        start_rotation_from_user_index: 0,
      },
      {
        id: DAYTIME, name: 'day', type: 'rolling_users', time_zone: 'Europe/Berlin', level: 1, start: '2026-03-02T09:00:00',
        duration: 8 * 3600, frequency: 'daily', interval: 1, by_day: ['MO', 'TU', 'WE', 'TH', 'FR'], week_start: 'MO',
        rolling_users: [[C]], start_rotation_from_user_index: 0,
      },
      { id: OVERRIDE, name: 'cover', type: 'override', time_zone: 'UTC', start: '2026-03-25T12:00:00', duration: 3 * 3600, users: [D] },
    ],
    schedules: [
      { id: SCHEDULE, name: 'memo', type: 'calendar', time_zone: 'UTC', enable_web_overrides: true, shifts: [NIGHT, DAYTIME, OVERRIDE] },
    ],
  });
}

function setup() {
  const clock = VirtualClock.at('2026-03-24T12:00:00Z');
  const backend = new MemoryBackend({ state: organisation(), clock });
  const read = async (start_date: string, end_date: string) =>
    (await backend.schedules.finalShifts(SCHEDULE, { start_date, end_date })).results.map((i) => ({ ...i }));
  /** The same window resolved afresh, nothing reused. */
  const fresh = (start_date: string, end_date: string) => {
    const state = backend.state;
    const schedule = state.schedules.get(SCHEDULE)!;
    const instant = (d: string) => Date.parse(`${d}${d.length === 10 ? 'T00:00' : ''}Z`);
    const [from, to] = [instant(start_date), instant(end_date)];
    const items: Array<{ start: number; end: number; username: string; item: Record<string, string> }> = [];
    for (const e of finalEvents({
      shifts: scheduleShifts(state, schedule),
      swaps: scheduleSwaps(state, SCHEDULE),
      windowStart: from,
      windowEnd: to,
      now: clock.now(),
      isUserAllowed: (id) => canBeNotified(state, id),
    })) {
      if (e.isGap || e.isEmpty) continue;
      const [start, end] = [Math.max(e.start, from), Math.min(e.end, to)];
      if (end <= start) continue;
      for (const id of e.users) {
        const u = state.users.get(id)!;
        const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
        const item = {
          user_pk: u.id, user_email: u.email, user_username: u.username, shift_start: iso(start), shift_end: iso(end),
        };
        items.push({ start, end, username: u.username, item });
      }
    }
    items.sort((a, b) => a.start - b.start || a.username.localeCompare(b.username) || a.end - b.end);
    return items.map((i) => i.item);
  };
  return { backend, clock, read, fresh };
}

const WINDOWS: Array<[string, string]> = [
  ['2026-03-01', '2026-12-31'],
  ['2026-03-24T12:07', '2026-04-23T12:07'],
  ['2026-03-24T12:08', '2026-04-23T12:08'],
  ['2026-03-25T13:00', '2026-03-25T13:30'],
  ['2026-03-25', '2026-03-25'],
];

describe('schedule answers kept between calls', () => {
  it('equal a fresh resolve of exactly the window asked, the first time and again', async () => {
    const { read, fresh } = setup();
    for (const [from, to] of WINDOWS) {
      const expected = fresh(from, to);
      expect(await read(from, to)).toEqual(expected);
      expect(await read(from, to)).toEqual(expected);
    }
    // The override's three hours show dan, clipped to the half hour asked.
    expect(await read('2026-03-25T13:00', '2026-03-25T13:30')).toEqual([
      expect.objectContaining({ user_username: 'dan', shift_start: '2026-03-25T13:00:00Z', shift_end: '2026-03-25T13:30:00Z' }),
    ]);
  });

  it('a kept page cannot be edited by whoever reads it', async () => {
    const { backend } = setup();
    const page = await backend.schedules.finalShifts(SCHEDULE, { start_date: '2026-03-24', end_date: '2026-03-26' });
    expect(() => page.results.push(page.results[0]!)).toThrow(TypeError);
    expect(() => Object.assign(page.results[0]!, { user_pk: 'X' })).toThrow(TypeError);
  });

  const window: [string, string] = ['2026-03-23', '2026-04-06'];
  const people = (items: Array<{ user_username: string }>) => [...new Set(items.map((i) => i.user_username))].sort();

  it.each([
    ['a shift changed', async (b: MemoryBackend) => {
      await b.onCallShifts.update(DAYTIME, { rolling_users: [[D]] });
    }, ['ann', 'bob', 'dan']],
    ['a shift deleted', async (b: MemoryBackend) => {
      await b.onCallShifts.delete(DAYTIME);
    }, ['ann', 'bob', 'dan']],
    ['the schedule\'s shifts replaced', async (b: MemoryBackend) => {
      await b.schedules.update(SCHEDULE, { shifts: [NIGHT] });
    }, ['ann', 'bob']],
    ['an override added', async (b: MemoryBackend) => {
      const o = await b.onCallShifts.create({ name: 'more cover', type: 'override', time_zone: 'UTC', start: '2026-03-30T00:00:00', duration: 3600, users: [A] });
      await b.schedules.update(SCHEDULE, { shifts: [NIGHT, OVERRIDE, o.id] });
    }, ['ann', 'bob', 'dan']],
    ['a swap taken', async (b: MemoryBackend) => {
      const swap = await b.shiftSwaps.create({ schedule: SCHEDULE, beneficiary: C, swap_start: '2026-03-30T00:00:00Z', swap_end: '2026-04-04T00:00:00Z' });
      await b.shiftSwaps.take(swap.id, { benefactor: D });
    }, ['ann', 'bob', 'cat', 'dan']],
  ] as const)('%s: the next read sees it', async (_, write, expected) => {
    const { backend, read, fresh } = setup();
    expect(people(await read(...window))).toEqual(['ann', 'bob', 'cat', 'dan']);
    await write(backend);
    const after = await read(...window);
    expect(after).toEqual(fresh(...window));
    expect(people(after)).toEqual(expected);
  });

  it('an untaken swap stops counting once it has started, with no write: the clock is part of the key', async () => {
    const { backend, clock, read, fresh } = setup();
    await backend.shiftSwaps.create({ schedule: SCHEDULE, beneficiary: C, swap_start: '2026-03-25T00:00:00Z', swap_end: '2026-03-26T00:00:00Z' });
    const before = await read(...window);
    clock.set(Date.parse('2026-03-25T01:00:00Z'));
    expect(await read(...window)).toEqual(fresh(...window));
    expect(before).toEqual(await read(...window)); // the people are the same: an untaken swap only annotates
  });

  it('a user who can no longer be notified leaves the answer once the change is committed', async () => {
    const { backend, read, fresh } = setup();
    expect(people(await read(...window))).toContain('cat');
    backend.state.users.get(C)!.role = 'viewer';
    noteCommit(backend.state, ['users']);
    const after = await read(...window);
    expect(people(after)).not.toContain('cat');
    expect(after).toEqual(fresh(...window));
  });

  it('a change that reached the state without a commit naming its kind is caught, not served stale', async () => {
    const { backend, read } = setup();
    await read(...window);
    backend.state.shifts.get(DAYTIME)!.rolling_users = [[D]];
    await expect(read(...window)).rejects.toThrow(/changed without a commit naming that kind/);
  });

  it('current_oncall follows the same writes', async () => {
    const { backend } = setup();
    const chain = await backend.escalationChains.create({ name: 'memo chain' });
    await backend.escalationPolicies.create({ escalation_chain_id: chain.id, type: 'notify_on_call_from_schedule', notify_on_call_from_schedule: SCHEDULE });
    // 2026-03-24 12:00 UTC is 13:00 in Berlin, a Tuesday: cat's day shift.
    expect((await backend.escalationChains.currentOncall(chain.id)).users.map((u) => u.username)).toEqual(['cat']);
    await backend.onCallShifts.update(DAYTIME, { rolling_users: [[D]] });
    expect((await backend.escalationChains.currentOncall(chain.id)).users.map((u) => u.username)).toEqual(['dan']);
  });
});
