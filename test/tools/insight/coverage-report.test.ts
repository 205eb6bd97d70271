import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShiftBody } from '../../../src/api/backend.js';
import { gini } from '../../../src/tools/insight/coverage/fairness.js';
import { withinWorkingHours } from '../../../src/tools/insight/coverage/handovers.js';
import { connect, type Harness, IDS } from '../../helpers.js';

const GRACE = 'U8PM29AEI5TGR';

let h: Harness;
beforeEach(async () => {
  h = await connect(); // virtual clock at 2026-03-24T12:00:00Z
});
afterEach(() => h.close());

async function scheduleOf(name: string, zone: string, shifts: ShiftBody[]): Promise<string> {
  const ids: string[] = [];
  for (const body of shifts) ids.push((await h.backend.onCallShifts.create(body)).id);
  return (await h.backend.schedules.create({ type: 'calendar', name, time_zone: zone, shifts: ids })).id;
}

/** alice, bob, carol take 24-hour turns from Monday 2026-03-23 00:00 UTC: bob has Tuesday the 24th. */
const rotation = () => scheduleOf('Round the clock', 'UTC', [{
  name: '24/7 daily turns', type: 'rolling_users', start: '2026-03-23T00:00:00', duration: 86_400,
  frequency: 'daily', rolling_users: [[IDS.alice], [IDS.bob], [IDS.carol]], start_rotation_from_user_index: 0,
}]);

describe('coverage_report', () => {
  it('a 24/7 rotation\'s hours sum to the window; fairness and the 25% limit by hand', async () => {
    const id = await rotation();
    const { data, text } = await h.ok('coverage_report', { schedule_ids: ['Round the clock'], start: '2026-03-24T12:00:00Z', days: 7 });
    const [s] = data.schedules;
    expect(data).toMatchObject({ start: '2026-03-24T12:00:00Z', end: '2026-03-31T12:00:00Z' });
    expect(s.schedule_id).toBe(id);
    // Window Tue 24 12:00 → Tue 31 12:00 (168 h). Turns by day: 24 bob, 25 carol, 26 alice, 27 bob,
    // 28 carol, 29 alice, 30 bob, 31 carol. bob 12 + 24 + 24, carol 24 + 24 + 12, alice 24 + 24.
    const hours = Object.fromEntries(s.people.map((p: { username: string; hours: number }) => [p.username, p.hours]));
    expect(hours).toEqual({ bob: 60, carol: 60, alice: 48 });
    expect(s.people.reduce((sum: number, p: { hours: number }) => sum + p.hours, 0)).toBe(168);
    expect(s).toMatchObject({ window_hours: 168, covered_hours: 168, gap_hours: 0, gaps: [] });
    // Gini of 48, 60, 60: pair differences 4 × 12 = 48, over 2 · 3² · 56 = 1008 → 0.048.
    expect(s.fairness).toEqual({
      counted: [IDS.bob, IDS.carol, IDS.alice],
      max: { user_id: IDS.bob, hours: 60 },
      min: { user_id: IDS.alice, hours: 48 },
      gini: 0.048,
    });
    // Everyone is over a quarter of the window: 60/168 = 35.7%, 48/168 = 28.6%.
    expect(s.flags.map((f: { code: string; user_id: string }) => [f.code, f.user_id])).toEqual([
      ['over_quarter_on_call', IDS.bob],
      ['over_quarter_on_call', IDS.carol],
      ['over_quarter_on_call', IDS.alice],
    ]);
    // Seven midnight-UTC handovers (25th to 31st); midnight is outside everyone's 09–18.
    expect(s.handovers.count).toBe(7);
    expect(s.handovers.outside_working_hours).toHaveLength(7);
    expect(s.handovers.outside_working_hours[0]).toEqual({
      at: '2026-03-25T00:00:00Z',
      outgoing: [IDS.bob],
      incoming: [IDS.carol],
      outside_working_hours: [
        { user_id: IDS.bob, local: 'Wed 00:00 UTC' },
        { user_id: IDS.carol, local: 'Wed 01:00 Europe/Berlin' },
      ],
    });
    expect(text).toContain('Covered all 168 h: no gaps.');
    expect(text).toContain('bob is on call 35.7% of the window (limit 25%)');
    expect(text).toContain('Gini 0.048');
  });

  it('counts nights and weekends on the person\'s own clock across the US DST change', async () => {
    await scheduleOf('Grace alone', 'UTC', [{
      name: 'Grace 24/7', type: 'recurrent_event', start: '2026-03-01T00:00:00', duration: 86_400,
      frequency: 'daily', users: [GRACE],
    }]);
    // 2026-03-07 00:00Z is Fri 16:00 PST; 2026-03-10 00:00Z is Mon 17:00 PDT (clocks went forward
    // on Sun 8 March at 02:00). Nights: Fri 22–Sat 07 (9 h), Sat 22–Sun 07 (8 h: an hour skipped),
    // Sun 22–Mon 07 (9 h) = 26 h. Weekend: Sat 00:00 PST (08:00Z) to Mon 00:00 PDT (07:00Z) = 47 h.
    const { data } = await h.ok('coverage_report', { schedule_ids: ['Grace alone'], start: '2026-03-07T00:00:00Z', days: 3 });
    expect(data.schedules[0].people).toEqual([expect.objectContaining({
      username: 'grace', time_zone: 'America/Los_Angeles', zone_from: 'user',
      hours: 72, night_hours: 26, weekend_hours: 47, share: 1,
    })]);
  });

  it('counts alert groups on routes to chains that notify the schedule, and flags more than 2 in 12 hours', async () => {
    const id = await rotation();
    const chain = (await h.ok('create_escalation_chain', { name: 'Round the clock chain' })).data.id as string;
    await h.ok('create_escalation_policy', { escalation_chain_id: chain, type: 'notify_on_call_from_schedule', notify_on_call_from_schedule: id });
    const integration = (await h.ok('create_integration', { type: 'webhook', name: 'RTC alerts', default_route: { escalation_chain_id: chain } })).data.id as string;
    // Three alert groups in bob's turn, an hour apart; one in carol's next day.
    for (const title of ['disk full', 'cpu hot', 'queue stuck']) {
      h.backend.receiveAlert(integration, { title, alert_uid: title });
      h.advance(3600);
    }
    h.advanceTo('2026-03-25T10:00:00Z');
    h.backend.receiveAlert(integration, { title: 'late', alert_uid: 'late' });
    const { data, text } = await h.ok('coverage_report', { schedule_ids: [id], start: '2026-03-24T12:00:00Z', days: 7 });
    const s = data.schedules[0];
    const person = (name: string) => s.people.find((p: { username: string }) => p.username === name);
    expect(person('bob')).toMatchObject({ incidents: 3, busiest_12h: { start: '2026-03-24T12:00:00Z', incidents: 3 } });
    expect(person('carol')).toMatchObject({ incidents: 1, busiest_12h: { start: '2026-03-25T00:00:00Z', incidents: 1 } });
    expect(person('alice')).toMatchObject({ incidents: 0, busiest_12h: null });
    expect(s.incidents).toMatchObject({ total: 4, chains: [chain], unattributed: 0 });
    expect(s.flags).toContainEqual(expect.objectContaining({ code: 'over_two_incidents_per_12h', user_id: IDS.bob }));
    expect(text).toContain('bob had 3 alert groups in the 12 hours from 2026-03-24T12:00:00Z (limit 2 per 12-hour shift)');
  });

  it('reports real and intentional gaps, and who is on a layer without hours', async () => {
    await scheduleOf('Office', 'Europe/Berlin', [
      {
        name: 'Office hours', type: 'recurrent_event', start: '2026-03-23T09:00:00', duration: 9 * 3600,
        frequency: 'daily', by_day: ['MO', 'TU', 'WE', 'TH', 'FR'], users: [IDS.carol], time_zone: 'Europe/Berlin',
      },
      {
        name: 'Old nights', type: 'recurrent_event', start: '2026-03-01T18:00:00', duration: 15 * 3600,
        frequency: 'daily', users: [IDS.dave], time_zone: 'Europe/Berlin', until: '2026-03-10T18:00:00',
      },
    ]);
    const { data, text } = await h.ok('coverage_report', { schedule_ids: ['Office'], start: '2026-03-24T00:00:00Z', days: 1 });
    const s = data.schedules[0];
    // Berlin is UTC+1: carol 08:00Z–17:00Z (9 h); the rest of the day is outside the office layer's hours.
    const gaps = s.gaps.map((g: { hours: number; intentional: boolean }) => [g.hours, g.intentional]);
    expect(gaps).toEqual([[8, true], [7, true]]);
    expect(s).toMatchObject({ covered_hours: 9, gap_hours: 15, intentional_gap_hours: 15 });
    expect(s.listed_without_hours).toEqual([{ user_id: IDS.dave, username: 'dave' }]);
    expect(s.flags.map((f: { code: string }) => f.code)).toEqual(['over_quarter_on_call']);
    expect(text).toContain('gaps 15 h: 0 real, 2 intentional (15 h)');
  });

  it('refuses a call without schedules or team, naming the fields', async () => {
    const r = await h.call('coverage_report', {});
    expect(r.isError).toBe(true);
    expect(r.text).toContain('schedule_ids');
    expect(r.text).toContain('team_id');
    const bad = await h.call('coverage_report', { schedule_ids: [IDS.primaryRotation], start: 'tomorrow' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain('start');
  });

  it('takes a team: all its schedules', async () => {
    const { data } = await h.ok('coverage_report', { team_id: IDS.sreTeam });
    expect(data.schedules.map((s: { schedule_id: string }) => s.schedule_id)).toContain(IDS.primaryRotation);
  });
});

describe('gini', () => {
  it('is 0 for equal hours and (|1−3| · 2) / (2 · 2² · 2) = 0.25 for 1 and 3', () => {
    expect(gini([5, 5, 5])).toBe(0);
    expect(gini([1, 3])).toBe(0.25);
    expect(gini([])).toBe(0);
  });
});

describe('withinWorkingHours', () => {
  // Tue 2026-03-24: Berlin is UTC+1, so 17:00Z is 18:00 and 08:00Z is 09:00 local.
  it('counts 18:00 as the end of the outgoing person\'s day and 09:00 as the start of the incoming one\'s', () => {
    expect(withinWorkingHours(Date.parse('2026-03-24T17:00:00Z'), 'Europe/Berlin', 'outgoing')).toBe(true);
    expect(withinWorkingHours(Date.parse('2026-03-24T17:00:00Z'), 'Europe/Berlin', 'incoming')).toBe(false);
    expect(withinWorkingHours(Date.parse('2026-03-24T08:00:00Z'), 'Europe/Berlin', 'incoming')).toBe(true);
    expect(withinWorkingHours(Date.parse('2026-03-24T08:00:00Z'), 'Europe/Berlin', 'outgoing')).toBe(false);
    // Saturday 28 March, midday Berlin: a weekend is outside working hours.
    expect(withinWorkingHours(Date.parse('2026-03-28T11:00:00Z'), 'Europe/Berlin', 'incoming')).toBe(false);
  });
});
