import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/engine/core/clock.js';
import { connect, type Harness, IDS } from '../../helpers.js';

let h: Harness;
// Monday evening, in alice's turn; the rotation below gives bob Tuesday the 24th, carol Wednesday.
beforeEach(async () => {
  h = await connect({ clock: VirtualClock.at('2026-03-23T20:00:00Z') });
});
afterEach(() => h.close());

/** alice, bob, carol take 24-hour turns from Monday 2026-03-23 00:00 UTC; a chain pages whoever is on. */
async function organisation() {
  const turns = await h.backend.onCallShifts.create({
    name: 'Daily turns', type: 'rolling_users', start: '2026-03-23T00:00:00', duration: 86_400,
    frequency: 'daily', rolling_users: [[IDS.alice], [IDS.bob], [IDS.carol]], start_rotation_from_user_index: 0,
  });
  const override = await h.backend.onCallShifts.create({
    name: 'Dave covers the dentist', type: 'override', start: '2026-03-25T10:00:00', duration: 7200, users: [IDS.dave],
  });
  const schedule = (await h.backend.schedules.create({
    type: 'calendar', name: 'Handoff rota', time_zone: 'UTC', shifts: [turns.id, override.id], enable_web_overrides: true,
  })).id;
  const chain = (await h.ok('create_escalation_chain', { name: 'Handoff chain' })).data.id as string;
  await h.ok('create_escalation_policy', {
    escalation_chain_id: chain, type: 'notify_on_call_from_schedule', notify_on_call_from_schedule: schedule,
  });
  const integration = (await h.ok('create_integration', {
    type: 'webhook', name: 'Handoff alerts', default_route: { escalation_chain_id: chain },
  })).data.id as string;
  const alert = (title: string) => h.backend.receiveAlert(integration, { title, alert_uid: title }).alertGroupId;
  return { schedule, chain, alert, override: override.id };
}

describe('handoff_brief', () => {
  it('hands off bob\'s shift: its alert groups, who was paged and answered, the next shift\'s swaps and overrides', async () => {
    const { schedule, chain, alert, override } = await organisation();
    const carried = alert('left from monday'); // alice's turn, never acknowledged
    h.advanceTo('2026-03-24T09:00:00Z');
    const acked = alert('disk full');
    h.advance(120);
    await h.ok('update_alert_group', { alert_group_id: acked, action: 'acknowledge' });
    h.advanceTo('2026-03-24T10:00:00Z');
    const resolved = alert('cpu hot');
    h.advance(300);
    await h.ok('update_alert_group', { alert_group_id: resolved, action: 'resolve' });
    h.advanceTo('2026-03-24T22:00:00Z');
    const swap = await h.backend.shiftSwaps.create({
      schedule, beneficiary: IDS.carol, swap_start: '2026-03-25T06:00:00Z', swap_end: '2026-03-25T08:00:00Z', description: 'school run',
    });
    const me = await h.backend.users.current(); // whose token acknowledges and resolves

    const { data, text } = await h.ok('handoff_brief', { schedule_id: 'Handoff rota' });
    const [b] = data.schedules;
    expect(b).toMatchObject({
      schedule_id: schedule,
      at: '2026-03-24T22:00:00Z',
      shift_status: 'ending',
      shift: { start: '2026-03-24T00:00:00Z', end: '2026-03-25T00:00:00Z', people: [{ user_id: IDS.bob, username: 'bob' }] },
      counted_from: { chains: [chain] },
      alert_groups_total: 3,
      next: { start: '2026-03-25T00:00:00Z', end: '2026-03-25T10:00:00Z', people: [{ user_id: IDS.carol }] },
      horizon: '2026-03-25T22:00:00Z',
    });
    type Upcoming = { people: Array<{ username: string }>; start: string };
    const upcoming = b.upcoming.map((u: Upcoming) => [u.start, u.people[0]!.username]);
    expect(upcoming).toEqual([
      ['2026-03-25T00:00:00Z', 'carol'],
      ['2026-03-25T10:00:00Z', 'dave'],
      ['2026-03-25T12:00:00Z', 'carol'],
    ]);
    const groups = Object.fromEntries(b.alert_groups.map((g: { id: string }) => [g.id, g]));
    expect(groups[carried]).toMatchObject({ state: 'firing', carried_over: true, acknowledged_by: null });
    expect(groups[carried].pages.map((p: { username: string }) => p.username)).toContain('alice');
    expect(groups[acked]).toMatchObject({ state: 'acknowledged', carried_over: false, acknowledged_by: { user_id: me.id } });
    expect(groups[acked].pages.map((p: { username: string }) => p.username)).toContain('bob');
    expect(groups[resolved]).toMatchObject({ state: 'resolved', resolved_by: { user_id: me.id }, resolved_at: '2026-03-24T10:05:00Z' });
    expect(b.upcoming_swaps).toEqual([expect.objectContaining({
      id: swap.id, status: 'open', beneficiary: { user_id: IDS.carol, username: 'carol' }, benefactor: null,
    })]);
    expect(b.upcoming_overrides).toEqual([{
      id: override, name: 'Dave covers the dentist', start: '2026-03-25T10:00:00Z', end: '2026-03-25T12:00:00Z',
      people: [{ user_id: IDS.dave, username: 'dave' }],
    }]);
    expect(text).toContain('shift of bob (' + IDS.bob + ') from 2026-03-24 00:00 UTC, ending 2026-03-25 00:00 UTC');
    expect(text).toContain('Alert groups: 3 (2 still open)');
    expect(text).toContain(`${carried} "left from monday" FIRING, opened 2026-03-23 20:00 UTC (before this shift); not acknowledged`);
    expect(text).toContain(`acknowledged by ${me.username} at 2026-03-24 09:02 UTC`);
    expect(text).toContain('OPEN: nobody has taken it, so the beneficiary stays on call ("school run")');
    expect(text).toContain('Next: carol');
  });

  it('says when nobody is on call now and hands off the shift that ended', async () => {
    const shift = await h.backend.onCallShifts.create({
      name: 'Monday only', type: 'single_event', start: '2026-03-23T08:00:00', duration: 8 * 3600, users: [IDS.dave],
    });
    await h.backend.schedules.create({ type: 'calendar', name: 'One day', time_zone: 'UTC', shifts: [shift.id] });
    const { data, text } = await h.ok('handoff_brief', { schedule_id: 'One day' });
    expect(data.schedules[0]).toMatchObject({
      shift_status: 'ended',
      shift: { start: '2026-03-23T08:00:00Z', end: '2026-03-23T16:00:00Z' },
      next: null,
      alert_groups: [],
    });
    expect(text).toContain('ended 2026-03-23 16:00 UTC (nobody is on call now)');
    expect(text).toContain('Alert groups: none counted; no escalation chain has a step notifying this schedule.');
    expect(text).toContain('Next: nobody is on call in the next 31 days.');
  });

  it('refuses a call naming neither a schedule nor a team', async () => {
    const r = await h.call('handoff_brief', {});
    expect(r.isError).toBe(true);
    expect(r.text).toContain('schedule_id');
  });
});
