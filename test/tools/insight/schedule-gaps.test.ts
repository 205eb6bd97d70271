import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShiftBody } from '../../../src/api/backend.js';
import { findScheduleGaps } from '../../../src/tools/insight/schedule-gaps.js';
import { connect, type Harness, IDS } from '../../helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await connect(); // virtual clock at 2026-03-24T12:00:00Z
});
afterEach(() => h.close());

/** A calendar schedule made of the given layers. */
async function scheduleOf(name: string, zone: string, shifts: ShiftBody[]): Promise<string> {
  const ids: string[] = [];
  for (const body of shifts) ids.push((await h.backend.onCallShifts.create(body)).id);
  return (await h.backend.schedules.create({ type: 'calendar', name, time_zone: zone, shifts: ids })).id;
}

const window = { from: Date.parse('2026-03-24T00:00:00Z'), to: Date.parse('2026-03-26T00:00:00Z') };

describe('findScheduleGaps', () => {
  it('calls nights outside a business-hours layer intentional (Berlin is UTC+1 before 29 March)', async () => {
    const id = await scheduleOf('Business hours', 'Europe/Berlin', [{
      name: 'Weekdays 9-18', type: 'recurrent_event', start: '2026-03-23T09:00:00', duration: 9 * 3600,
      frequency: 'daily', by_day: ['MO', 'TU', 'WE', 'TH', 'FR'], users: [IDS.alice], time_zone: 'Europe/Berlin',
    }]);
    const gaps = await findScheduleGaps(h.backend, id, window);
    expect(gaps.map(({ start, end, intentional }) => ({ start, end, intentional }))).toEqual([
      { start: '2026-03-24T00:00:00Z', end: '2026-03-24T08:00:00Z', intentional: true },
      { start: '2026-03-24T17:00:00Z', end: '2026-03-25T08:00:00Z', intentional: true },
      { start: '2026-03-25T17:00:00Z', end: '2026-03-26T00:00:00Z', intentional: true },
    ]);
    expect(gaps[0]!.reason).toContain('outside the hours of every layer: "Weekdays 9-18"');
    expect(gaps[0]!.reason).toContain('MO,TU,WE,TH,FR from 09:00 for 9h, Europe/Berlin');
  });

  it('calls the time after a rotation ended a real gap', async () => {
    const id = await scheduleOf('Ended', 'UTC', [{
      name: 'Old 24/7', type: 'rolling_users', start: '2026-03-20T00:00:00', duration: 86_400,
      frequency: 'daily', rolling_users: [[IDS.carol]], start_rotation_from_user_index: 0,
      until: '2026-03-24T00:00:00',
    }]);
    expect(await findScheduleGaps(h.backend, id, window)).toEqual([{
      start: '2026-03-25T00:00:00Z',
      end: '2026-03-26T00:00:00Z',
      intentional: false,
      reason: 'no layer with people is active then (rotations ended or not started)',
    }]);
  });

  it('calls time covered by a layer with nobody in it intentional', async () => {
    const id = await scheduleOf('Days only', 'UTC', [
      {
        name: 'Days', type: 'recurrent_event', start: '2026-03-20T08:00:00', duration: 12 * 3600,
        frequency: 'daily', users: [IDS.alice],
      },
      {
        name: 'Quiet nights', type: 'recurrent_event', start: '2026-03-20T20:00:00', duration: 12 * 3600,
        frequency: 'daily', users: [],
      },
    ]);
    const gaps = await findScheduleGaps(h.backend, id, window);
    expect(gaps.map((g) => [g.start, g.end, g.intentional])).toEqual([
      ['2026-03-24T00:00:00Z', '2026-03-24T08:00:00Z', true],
      ['2026-03-24T20:00:00Z', '2026-03-25T08:00:00Z', true],
      ['2026-03-25T20:00:00Z', '2026-03-26T00:00:00Z', true],
    ]);
    expect(gaps[1]!.reason).toMatch(/^layer "Quiet nights" \(O\w+\) covers it with nobody in it, on purpose$/);
  });

  it('does not call a gap intentional when a layer\'s recurrence is not one it reads (every 2 weeks)', async () => {
    const id = await scheduleOf('Fortnightly', 'UTC', [{
      name: 'Every other week', type: 'recurrent_event', start: '2026-03-16T00:00:00', duration: 7 * 86_400,
      frequency: 'weekly', interval: 2, week_start: 'MO', users: [IDS.bob],
    }]);
    const gaps = await findScheduleGaps(h.backend, id, window);
    expect(gaps).toEqual([{ start: '2026-03-24T00:00:00Z', end: '2026-03-26T00:00:00Z', intentional: false }]);
  });

  it('finds no gap in the demo\'s primary rotation over a covered day', async () => {
    expect(await findScheduleGaps(h.backend, IDS.primaryRotation, window)).toEqual([]);
  });
});
