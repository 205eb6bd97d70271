import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Harness, IDS, firstLine } from '../helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await connect(); // virtual clock at 2026-03-24T12:00:00Z
});
afterEach(() => h.close());

const PAYMENTS_TEAM = 'TJC5XVRUILG7S';

describe('demo schedules', () => {
  it('get_schedule shows the calendar schedule with on_call_now and its shifts', async () => {
    const { data } = await h.ok('get_schedule', { schedule_id: IDS.primaryRotation });
    expect(data).toEqual({
      id: IDS.primaryRotation,
      team_id: IDS.sreTeam,
      name: 'Primary Rotation',
      type: 'calendar',
      time_zone: 'UTC',
      on_call_now: [IDS.alice, IDS.bob],
      shifts: ['OB1JPAEKMUQHC'],
      ical_url_overrides: null,
      enable_web_overrides: false,
      slack: { channel_id: null, user_group_id: null },
    });
  });

  it('list_schedule_shifts resolves the final schedule, clipped to the window', async () => {
    const { data, text } = await h.ok('list_schedule_shifts', {
      schedule_id: IDS.primaryRotation,
      start_date: '2026-03-24T12:00',
      end_date: '2026-03-26',
    });
    expect(data.results).toEqual([
      expect.objectContaining({ user_username: 'alice', shift_start: '2026-03-24T12:00:00Z', shift_end: '2026-03-25T09:00:00Z' }),
      expect.objectContaining({ user_username: 'bob', shift_start: '2026-03-24T12:00:00Z', shift_end: '2026-03-25T09:00:00Z' }),
      expect.objectContaining({ user_username: 'dave', shift_start: '2026-03-25T09:00:00Z', shift_end: '2026-03-26T00:00:00Z' }),
      expect.objectContaining({ user_username: 'erin', shift_start: '2026-03-25T09:00:00Z', shift_end: '2026-03-26T00:00:00Z' }),
    ]);
    expect(data).toMatchObject({ next: null, previous: null, current_page_number: 1, total_pages: 1, page_size: 50 });
    expect(text).toContain('2026-03-25 09:00 UTC → 2026-03-26 00:00 UTC: dave, erin');
  });

  it('a year of hourly turns: the answer lists the first 1,000 final shifts and sums up everyone over the year', async () => {
    const shift = await h.ok('create_on_call_shift', {
      name: 'hourly pair', type: 'rolling_users', start: '2026-03-24T00:00:00', duration: 3600, time_zone: 'UTC',
      frequency: 'hourly', interval: 1, rolling_users: [['alice'], ['bob']], start_rotation_from_user_index: 0,
    });
    const schedule = await h.ok('create_schedule', { type: 'calendar', name: 'Hourly', time_zone: 'UTC', shifts: [shift.data.id] });
    const { data, text } = await h.ok('list_schedule_shifts', {
      schedule_id: schedule.data.id, start_date: '2026-03-25', end_date: '2027-03-24',
    });
    expect(data.count).toBe(364 * 24);
    expect(data.results).toHaveLength(1000);
    expect(data.results_not_shown).toBe(364 * 24 - 1000);
    const seconds = data.per_person.map((p: { seconds: number }) => p.seconds);
    expect(seconds).toEqual([182 * 24 * 3600, 182 * 24 * 3600]); // every hour of the period, in turns
    expect(JSON.stringify(data).length).toBeLessThan(200_000);
    expect(text).toContain('alice (U4DNY931HHJS5): 4368 h in 4368 stretches');
    expect(text).toContain('Stretches (the first 40):');
  });

  it('shows local time next to UTC for a zoned schedule', async () => {
    const { text } = await h.ok('list_schedule_shifts', {
      schedule_id: 'SM2GJQZ36RQKJ',
      start_date: '2026-03-23',
      end_date: '2026-03-24',
    });
    expect(text).toContain('2026-03-23 16:00 UTC (Mon 09:00 America/Los_Angeles)');
  });

  it.each([
    [{ start_date: '2026-03-25', end_date: '2026-03-24' }, 'start_date must be less than or equal to end_date'],
    [{ start_date: '2026-01-01', end_date: '2027-01-02' }, 'less than one year (365 days)'],
    [{ start_date: '24/03/2026', end_date: '2026-03-25' }, 'start_date: Datetime has wrong format'],
  ])('final shifts refuse %j', async (window, message) => {
    const r = await h.call('list_schedule_shifts', { schedule_id: IDS.primaryRotation, ...window });
    expect(r.isError).toBe(true);
    expect(r.text).toContain(message);
  });
});

describe('on-call shifts (§19.2)', () => {
  const base = { name: 'n', type: 'rolling_users', start: '2026-04-06T09:00:00', duration: 3600 };

  it('a rotation with an unknown user id is refused by the tool (OnCall would drop it silently)', async () => {
    const refused = await h.call('create_on_call_shift', {
      ...base,
      frequency: 'weekly',
      week_start: 'MO',
      rolling_users: [[IDS.alice], [IDS.bob, 'UNKNOWNUSER12']],
      start_rotation_from_user_index: 0,
    });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('rolling_users[1][1]: There is no user with id UNKNOWNUSER12');
    expect((await h.backend.onCallShifts.list({})).results.map((s) => s.name)).not.toContain('n');
    // The API itself keeps OnCall's rule: unknown ids are dropped.
    const raw = await h.backend.onCallShifts.create({
      ...base,
      frequency: 'weekly',
      week_start: 'MO',
      rolling_users: [[IDS.alice], [IDS.bob, 'UNKNOWNUSER12']],
      start_rotation_from_user_index: 0,
    });
    expect(raw.rolling_users).toEqual([[IDS.alice], [IDS.bob]]);
  });

  it('creates a rotation and shows only the fields of its type', async () => {
    const { data } = await h.ok('create_on_call_shift', {
      ...base,
      name: 'weekly db',
      time_zone: 'Europe/Berlin',
      frequency: 'weekly',
      week_start: 'MO',
      rolling_users: [[IDS.alice], [IDS.bob]],
      start_rotation_from_user_index: 1,
      duration: 7 * 86400,
    });
    expect(data).toEqual({
      id: data.id,
      team_id: null,
      name: 'weekly db',
      type: 'rolling_users',
      time_zone: 'Europe/Berlin',
      level: 0,
      start: '2026-04-06T09:00:00',
      duration: 604800,
      rotation_start: '2026-04-06T09:00:00',
      frequency: 'weekly',
      interval: 1,
      until: null,
      week_start: 'MO',
      by_day: null,
      by_month: null,
      by_monthday: null,
      rolling_users: [[IDS.alice], [IDS.bob]],
      start_rotation_from_user_index: 1,
    });
    expect(data.id).toMatch(/^O[A-NP-Z1-9]{12}$/);
    const single = await h.ok('create_on_call_shift', { ...base, name: 'once', type: 'single_event', users: [IDS.alice] });
    expect(Object.keys(single.data).sort()).toEqual(
      ['id', 'team_id', 'name', 'type', 'time_zone', 'level', 'start', 'duration', 'rotation_start', 'users'].sort(),
    );
    const override = await h.ok('create_on_call_shift', { ...base, name: 'cover', type: 'override', users: [IDS.bob] });
    expect(override.data).not.toHaveProperty('level');
  });

  it.each([
    [{ start_rotation_from_user_index: 0 }, 'Field \'frequency\' is required for this on-call shift type'],
    [{ frequency: 'weekly', start_rotation_from_user_index: 0 }, 'Field \'week_start\' is required for frequency type \'weekly\''],
    [{ frequency: 'daily' }, 'Field \'start_rotation_from_user_index\' is required for this on-call shift type'],
    [
      { frequency: 'daily', start_rotation_from_user_index: 0, by_monthday: [1] },
      'Day limits are temporarily disabled for on-call shifts with type \'rolling_users\' and frequency \'daily\'',
    ],
    [
      { frequency: 'daily', start_rotation_from_user_index: 0, by_day: ['MO'], interval: 2 },
      'Interval must be less than or equal to the number of selected days',
    ],
  ])('rule %j → "%s"', async (extra, message) => {
    const r = await h.call('create_on_call_shift', { ...base, ...extra });
    expect(firstLine(r.text)).toBe(`Invalid request: ${message}`);
  });

  it('engine messages for raw bodies', async () => {
    const post = (body: Record<string, unknown>) =>
      h.backend.onCallShifts.create({ ...base, frequency: 'daily', start_rotation_from_user_index: 0, ...body } as never);
    const detail = (d: string) => ({ body: { detail: d } });
    await expect(post({ type: 'rota' })).rejects.toMatchObject(detail('Invalid shift type'));
    await expect(post({ frequency: 'yearly' })).rejects.toMatchObject(detail('Invalid frequency type'));
    await expect(post({ start: '2026-04-06 09:00' })).rejects.toMatchObject(
      detail('Invalid datetime format, should be "yyyy-mm-dd\'T\'hh:mm:ss"'),
    );
    await expect(post({ interval: 0 })).rejects.toMatchObject(detail('Invalid value for interval'));
    await expect(post({ by_day: ['XX'] })).rejects.toMatchObject(
      detail('Invalid day value in by_day field. Valid values: \'MO\', \'TU\', \'WE\', \'TH\', \'FR\', \'SA\', \'SU\''),
    );
    await expect(post({ by_month: [13] })).rejects.toMatchObject(
      detail('Invalid month value in by_month field. Valid values: from 1 to 12'),
    );
    await expect(post({ week_start: 'XX' })).rejects.toMatchObject({ body: { detail: expect.stringContaining('week start') } });
    await expect(post({ time_zone: 'Mars/Olympus' })).rejects.toMatchObject({ body: { time_zone: ['Invalid timezone'] } });
    await expect(h.backend.onCallShifts.create({ type: 'single_event' })).rejects.toMatchObject({
      body: { name: ['This field is required.'], start: ['This field is required.'], duration: ['This field is required.'] },
    });
    await post({ name: 'taken' });
    await expect(post({ name: 'taken' })).rejects.toMatchObject(detail('On-call shift with this name already exists'));
  });

  it('refuses wall-clock times that fall in a DST gap or fold, naming the field (both hemispheres)', async () => {
    const shift = (start: string, time_zone: string) =>
      h.call('create_on_call_shift', { ...base, type: 'single_event', users: [IDS.alice], start, time_zone });
    const gap = await shift('2026-03-29T02:30:00', 'Europe/Berlin');
    expect(gap.text).toMatch(/^Invalid request: start: .*does not exist in Europe\/Berlin/);
    const fold = await shift('2026-10-25T02:30:00', 'Europe/Berlin');
    expect(fold.text).toMatch(/^Invalid request: start: .*Europe\/Berlin/);
    const southGap = await shift('2026-10-04T02:30:00', 'Australia/Sydney');
    expect(southGap.text).toMatch(/^Invalid request: start: .*Australia\/Sydney/);
    const fine = await shift('2026-10-25T03:30:00', 'Europe/Berlin');
    expect(fine.isError).toBe(false);
  });

  it('update keeps unsent fields, and a failing rule leaves the shift unchanged', async () => {
    const created = (await h.ok('create_on_call_shift', { ...base, type: 'single_event', users: [IDS.alice] })).data;
    const renamed = await h.ok('update_on_call_shift', { on_call_shift_id: created.id, name: 'renamed', duration: 7200 });
    expect(renamed.data).toMatchObject({ name: 'renamed', duration: 7200, users: [IDS.alice] });
    const bad = await h.call('update_on_call_shift', { on_call_shift_id: created.id, type: 'rolling_users' });
    expect(bad.isError).toBe(true);
    expect((await h.backend.onCallShifts.get(created.id)).type).toBe('single_event');
  });

  it('delete removes the shift from every schedule', async () => {
    await h.ok('delete_on_call_shift', { on_call_shift_id: 'OB1JPAEKMUQHC' });
    const schedule = await h.ok('get_schedule', { schedule_id: IDS.primaryRotation });
    expect(schedule.data).toMatchObject({ shifts: [], on_call_now: [] });
  });
});

describe('schedules (§19.1)', () => {
  it('creates a calendar schedule from new shifts; who is on call follows', async () => {
    const shift = (
      await h.ok('create_on_call_shift', {
        name: 'always carol',
        type: 'recurrent_event',
        team_id: PAYMENTS_TEAM,
        start: '2026-03-01T00:00:00',
        duration: 86400,
        frequency: 'daily',
        users: [IDS.carol],
      })
    ).data;
    const created = await h.ok('create_schedule', {
      type: 'calendar',
      name: 'Payments backup',
      time_zone: 'Europe/Berlin',
      team_id: PAYMENTS_TEAM,
      shifts: [shift.id],
    });
    expect(created.data).toMatchObject({ type: 'calendar', on_call_now: [IDS.carol], shifts: [shift.id] });
    expect(created.data.id).toMatch(/^S[A-NP-Z1-9]{12}$/);
    const other = await h.call('create_schedule', { type: 'calendar', name: 'x', time_zone: 'UTC', shifts: [shift.id] });
    expect(firstLine(other.text)).toBe('Invalid request: Shifts must be assigned to the same team as the schedule');
  });

  it('an override beats every layer, in a calendar schedule that allows overrides', async () => {
    const override = (
      await h.ok('create_on_call_shift', {
        name: 'bob covers',
        type: 'override',
        team_id: IDS.sreTeam,
        start: '2026-03-24T11:00:00',
        time_zone: 'UTC',
        duration: 7200,
        users: [IDS.bob],
      })
    ).data;
    const refused = await h.call('update_schedule', { schedule_id: IDS.primaryRotation, shifts: ['OB1JPAEKMUQHC', override.id] });
    expect(firstLine(refused.text)).toBe('Invalid request: Shifts of type override are not supported in this schedule');
    const updated = await h.ok('update_schedule', {
      schedule_id: IDS.primaryRotation,
      enable_web_overrides: true,
      shifts: ['OB1JPAEKMUQHC', override.id],
    });
    expect(updated.data.on_call_now).toEqual([IDS.bob]);
  });

  it('validation: type, time zone, web schedules read-only, iCal not supported', async () => {
    await expect(h.backend.schedules.create({ name: 'x' })).rejects.toMatchObject({ body: { type: ['This field is required.'] } });
    await expect(h.backend.schedules.create({ type: 'rota', name: 'x' })).rejects.toMatchObject({ body: { type: ['Invalid type'] } });
    const tz = await h.call('create_schedule', { type: 'calendar', name: 'x', time_zone: 'Nowhere/Land' });
    expect(firstLine(tz.text)).toBe('Invalid request: time_zone: Invalid timezone');
    const web = (await h.ok('create_schedule', { type: 'web', name: 'web one', time_zone: 'UTC' })).data;
    const edit = await h.call('update_schedule', { schedule_id: web.id, name: 'nope' });
    expect(firstLine(edit.text)).toBe('Invalid request: Web schedule update is not enabled through API');
    await expect(h.backend.schedules.create({ type: 'ical', name: 'x', ical_url_primary: 'https://x' })).rejects.toMatchObject({
      status: 400,
    });
    const slack = await h.call('create_schedule', { type: 'calendar', name: 'x', time_zone: 'UTC', slack: { channel_id: 'CNOPE' } });
    expect(firstLine(slack.text)).toBe('Invalid request: Slack channel does not exist');
  });

  it('deleting a schedule leaves its escalation steps without a schedule', async () => {
    await h.ok('delete_schedule', { schedule_id: IDS.primaryRotation });
    const policy = await h.ok('get_escalation_policy', { escalation_policy_id: 'E82JLU3H8W8NU' });
    expect(policy.data.notify_on_call_from_schedule).toBeNull();
  });
});

describe('shift swaps (§22)', () => {
  const swap = (extra: Record<string, unknown> = {}) =>
    h.call('create_shift_swap', {
      schedule: IDS.primaryRotation,
      swap_start: '2026-03-25T09:00:00Z',
      swap_end: '2026-03-26T09:00:00Z',
      beneficiary: IDS.dave,
      ...extra,
    });

  it('only a taken swap changes who is on call', async () => {
    const open = (await swap()).data;
    expect(open).toMatchObject({ status: 'open', benefactor: null, beneficiary: IDS.dave });
    expect(open.id).toMatch(/^SSR[A-NP-Z1-9]{12}$/);
    const at = (iso: string) => h.backend.state && h.clock.set(Date.parse(iso));
    at('2026-03-25T12:00:00Z');
    // Untaken and past its start: past due, nothing changes.
    expect((await h.ok('list_shift_swaps', { starting_after: '2026-03-01T00:00:00Z' })).data.results[0].status).toBe('past_due');
    expect((await h.ok('get_schedule', { schedule_id: IDS.primaryRotation })).data.on_call_now).toEqual([IDS.dave, 'UT2PX4RAH53UQ']);
    at('2026-03-24T12:00:00Z');
    const taken = await h.ok('take_shift_swap', { shift_swap_id: open.id, benefactor: IDS.carol });
    expect(taken.data).toMatchObject({ status: 'taken', benefactor: IDS.carol });
    at('2026-03-25T12:00:00Z');
    const onCall = (await h.ok('get_schedule', { schedule_id: IDS.primaryRotation })).data.on_call_now;
    expect([...onCall].sort()).toEqual([IDS.carol, 'UT2PX4RAH53UQ'].sort());
  });

  it('validation and take rules', async () => {
    expect((await swap({ swap_start: '2026-03-20T00:00:00Z' })).text).toContain('swap_start must be a datetime in the future');
    expect((await swap({ swap_end: '2026-03-25T08:00:00Z' })).text).toContain('swap_end must occur after swap_start');
    expect((await swap({ swap_start: '2026-03-25T09:00:00' })).text).toContain('swap_start: Datetime has wrong format');
    await expect(h.backend.shiftSwaps.create({ schedule: IDS.primaryRotation })).rejects.toMatchObject({
      body: { detail: 'beneficiary user ID is required' },
    });
    expect(firstLine((await swap({ beneficiary: 'UNOSUCHUSER12' })).text)).toBe('Invalid request: Invalid beneficiary user ID');
    const open = (await swap()).data;
    const self = await h.call('take_shift_swap', { shift_swap_id: open.id, benefactor: IDS.dave });
    expect(firstLine(self.text)).toBe('Invalid request: A shift swap request cannot be created and taken by the same user');
    await h.ok('take_shift_swap', { shift_swap_id: open.id, benefactor: IDS.bob });
    const twice = await h.call('take_shift_swap', { shift_swap_id: open.id, benefactor: IDS.carol });
    expect(firstLine(twice.text)).toBe('Invalid request: The shift swap request is not in a state which allows it to be taken');
  });
});

describe('a swap request whose time has begun (OnCall looks requests up by id among those still to start)', () => {
  it('get_shift_swap still shows it and says it can no longer change; writes say why they find nothing', async () => {
    const made = await h.ok('create_shift_swap', {
      schedule: IDS.primaryRotation,
      swap_start: '2026-03-25T09:00:00Z',
      swap_end: '2026-03-26T09:00:00Z',
      beneficiary: IDS.dave,
    });
    const before = await h.ok('get_shift_swap', { shift_swap_id: made.data.id });
    expect(before.data.status).toBe('open');
    expect(before.text).toContain('Open: take_shift_swap gives it to someone');
    h.clock.set(Date.parse('2026-03-25T10:00:00Z'));
    const after = await h.ok('get_shift_swap', { shift_swap_id: made.data.id });
    expect(after.data.status).toBe('past_due');
    expect(after.text).toContain('Its time has begun: it can no longer be changed, withdrawn or taken.');
    for (const [tool, extra] of [['take_shift_swap', { benefactor: IDS.carol }], ['delete_shift_swap', {}]] as const) {
      const r = await h.call(tool, { shift_swap_id: made.data.id, ...extra });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('that is still to start');
      expect(r.text).toContain('get_shift_swap shows one that has started');
    }
    // Nothing was withdrawn by the refused delete.
    expect((await h.ok('get_shift_swap', { shift_swap_id: made.data.id })).data.status).toBe('past_due');
  });
});

describe('chain on-call (seed 002)', () => {
  it('current_oncall on the demo default chain has the seed shape with real people and shifts', async () => {
    const { data } = await h.ok('current_oncall', { escalation_chain_id: IDS.defaultChain });
    expect(data).toEqual({
      count: 2,
      users: [
        {
          id: 'U4DNY931HHJS5',
          grafana_id: 456,
          email: 'alice@example.com',
          slack: { user_id: 'UALICESLACKID', team_id: 'TSLACKTEAMID' },
          username: 'alice',
          role: 'admin',
          is_phone_number_verified: true,
          phone_number: '+12345678901',
          phone_number_status: 'available',
          timezone: 'America/New_York',
          teams: ['TAAM1K1NNEHAG'],
        },
        {
          id: 'U7S8H84ARFTGN',
          grafana_id: 789,
          email: 'bob@example.com',
          slack: null,
          username: 'bob',
          role: 'editor',
          is_phone_number_verified: false,
          phone_number: null,
          phone_number_status: 'not_configured',
          timezone: 'UTC',
          teams: [],
        },
      ],
      shifts: [
        {
          schedule_id: 'SBM7DV7BKFUYU',
          schedule_name: 'Primary Rotation',
          team_id: 'TAAM1K1NNEHAG',
          shift_start: '2026-03-24T09:00:00+00:00',
          shift_end: '2026-03-25T09:00:00+00:00',
          users: ['U4DNY931HHJS5', 'U7S8H84ARFTGN'],
        },
      ],
    });
  });

  it('a private phone number is never shown', async () => {
    const { data } = await h.ok('current_oncall', { escalation_chain_id: 'FLXXYCWWXKQGR' });
    const carol = data.users.find((u: { username: string }) => u.username === 'carol');
    expect(carol).toMatchObject({ phone_number: null, phone_number_status: 'private' });
    expect(JSON.stringify(data)).not.toContain('+4930123456');
  });

  it('current_oncall reads the round robin without advancing it', async () => {
    const first = await h.ok('current_oncall', { escalation_chain_id: 'FLXXYCWWXKQGR' });
    const again = await h.ok('current_oncall', { escalation_chain_id: 'FLXXYCWWXKQGR' });
    expect(again.data).toEqual(first.data);
    const advanced = await h.ok('advance_round_robin', { escalation_policy_id: 'E1VSUYR3PM58D' });
    const after = await h.ok('current_oncall', { escalation_chain_id: 'FLXXYCWWXKQGR' });
    expect(after.data.users.map((u: { id: string }) => u.id)).toContain(advanced.data.user_id);
  });

  it('the time gate: outside business hours the Payments chain names nobody yet', async () => {
    h.clock.set(Date.parse('2026-03-24T20:00:00Z'));
    const { data, text } = await h.ok('current_oncall', { escalation_chain_id: 'FLXXYCWWXKQGR' });
    expect(data).toEqual({ count: 0, users: [], shifts: [] });
    // The text says what "now" is and why nobody: the closed gate, and when it opens.
    expect(text).toContain('As of 2026-03-24 20:00 UTC');
    expect(text).toContain('Nobody would be notified right now.');
    expect(text).toMatch(/time gate \(08:00–17:00 UTC\), closed then; the escalation waits until 2026-03-25 08:00 UTC/);
  });

  it('a handover instant returns the incoming people, never nobody', async () => {
    h.clock.set(Date.parse('2026-03-25T09:00:00Z'));
    const { data } = await h.ok('current_oncall', { escalation_chain_id: IDS.defaultChain });
    expect(data.users.map((u: { username: string }) => u.username).sort()).toEqual(['alice', 'dave', 'erin']);
    expect(data.shifts[0]).toMatchObject({ shift_start: '2026-03-25T09:00:00+00:00' });
  });

  it('next_oncall and previous_oncall use the first schedule step', async () => {
    const next = await h.ok('next_oncall', { escalation_chain_id: IDS.defaultChain });
    expect(next.data.users.map((u: { username: string }) => u.username)).toEqual(['dave', 'erin']);
    expect(next.data.shifts[0]).toMatchObject({
      shift_start: '2026-03-25T09:00:00+00:00',
      shift_end: '2026-03-26T09:00:00+00:00',
    });
    const previous = await h.ok('previous_oncall', { escalation_chain_id: IDS.defaultChain, days: 1 });
    expect(previous.data.shifts[0]).toMatchObject({
      shift_start: '2026-03-23T09:00:00+00:00',
      shift_end: '2026-03-24T09:00:00+00:00',
    });
    const noSchedule = await h.ok('next_oncall', { escalation_chain_id: 'FLXXYCWWXKQGR' });
    expect(noSchedule.data).toEqual({ count: 0, users: [], shifts: [] });
  });

  it('next_oncall with days 31 is an error naming days; the engine says the same', async () => {
    const r = await h.call('next_oncall', { escalation_chain_id: IDS.defaultChain, days: 31 });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('days');
    await expect(h.backend.escalationChains.nextOncall(IDS.defaultChain, { days: 31 })).rejects.toMatchObject({
      body: { days: ['Ensure this value is less than or equal to 30.'] },
    });
  });

  it('E48: first batch only, round robin pointer not moved; next_oncall gives F', async () => {
    const users = Object.fromEntries(
      (await h.ok('list_users', {})).data.results.map((u: { username: string; id: string }) => [u.username, u.id]),
    );
    const [A, B, C, D, E, F] = [users.alice, users.bob, users.carol, users.dave, users.erin, users.frank];
    // S: weekly [[B],[F]], handover Monday 09:00Z; 2026-03-24 is a Tuesday, so B is on now.
    const shift = (
      await h.ok('create_on_call_shift', {
        name: 'E48 weekly',
        type: 'rolling_users',
        start: '2026-03-23T09:00:00',
        time_zone: 'UTC',
        duration: 7 * 86400,
        frequency: 'weekly',
        week_start: 'MO',
        rolling_users: [[F], [B]],
        start_rotation_from_user_index: 1,
      })
    ).data;
    const schedule = (await h.ok('create_schedule', { type: 'calendar', name: 'S', time_zone: 'UTC', shifts: [shift.id] })).data;
    const chain = (await h.ok('create_escalation_chain', { name: 'E48' })).data.id;
    const add = (args: Record<string, unknown>) => h.ok('create_escalation_policy', { escalation_chain_id: chain, ...args });
    await add({ type: 'notify_persons', persons_to_notify: [A] });
    await add({ type: 'notify_on_call_from_schedule', notify_on_call_from_schedule: schedule.id });
    const rr = (await add({ type: 'notify_person_next_each_time', persons_to_notify_next_each_time: [C, D] })).data;
    h.backend.state.policies.get(rr.id)!.roundRobinLastUserId = C;
    await add({ type: 'wait', duration: 300 });
    await add({ type: 'notify_persons', persons_to_notify: [E] });

    const current = await h.ok('current_oncall', { escalation_chain_id: chain });
    expect(current.data.users.map((u: { id: string }) => u.id)).toEqual([A, B, D]);
    expect(h.backend.state.policies.get(rr.id)!.roundRobinLastUserId).toBe(C);
    const next = await h.ok('next_oncall', { escalation_chain_id: chain, days: 7 });
    expect(next.data.users.map((u: { id: string }) => u.id)).toEqual([F]);
    expect(next.data.shifts[0]).toMatchObject({
      shift_start: '2026-03-30T09:00:00+00:00',
      shift_end: '2026-04-06T09:00:00+00:00',
    });
  });
});
