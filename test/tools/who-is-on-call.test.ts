/**
 * who_is_on_call through a real MCP client, on both backends: one call answers who is on call for
 * a team, schedule, chain, integration or user by name, and every empty answer says why. The
 * demo organisation at the harness's virtual clock, 2026-03-24 12:00 UTC (a Tuesday; Berlin is
 * UTC+1 until 29 March), with extra fixtures built through the tools.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Harness, IDS, NOW } from '../helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await connect();
});
afterEach(() => h.close());

const PAYMENTS_TEAM = 'TJC5XVRUILG7S';
const PAYMENTS_WEEKLY = 'S16DEVP9B7RAF';
const PAYMENTS_CHAIN = 'FLXXYCWWXKQGR';
const ALERTMANAGER = 'CQWPPTFIE6MK6';
const FRANK = 'UQ1LKALUQ5M9B';

const ids = (people: Array<{ id: string }>) => people.map((p) => p.id).sort();
const names = (people: Array<{ username: string }>) => people.map((p) => p.username).sort();

/**
 * An independent check of a schedule answer against list_schedule_shifts: the people on call at
 * `at` are `now`, the same people until `until` (at every change of items in between), others at
 * `until`, and `next` at `from`.
 */
async function expectFinalShifts(
  scheduleId: string,
  at: string,
  answer: { now: Array<{ id: string }>; until: string | null; next: Array<{ id: string }>; from: string | null },
) {
  const start = new Date(Date.parse(at) - 86_400_000).toISOString().slice(0, 10);
  const end = new Date(Date.parse(at) + 10 * 86_400_000).toISOString().slice(0, 10);
  const { data } = await h.ok('list_schedule_shifts', { schedule_id: scheduleId, start_date: start, end_date: end });
  const items = data.results as Array<{ user_pk: string; shift_start: string; shift_end: string }>;
  const usersAt = (t: number) => {
    const on = items.filter((i) => Date.parse(i.shift_start) <= t && t < Date.parse(i.shift_end));
    return [...new Set(on.map((i) => i.user_pk))].sort();
  };
  const t = Date.parse(at);
  expect(ids(answer.now)).toEqual(usersAt(t));
  if (answer.until) {
    const until = Date.parse(answer.until);
    for (const edge of items.flatMap((i) => [Date.parse(i.shift_start), Date.parse(i.shift_end)])) {
      if (edge > t && edge < until) expect(usersAt(edge)).toEqual(ids(answer.now));
    }
    expect(usersAt(until)).not.toEqual(ids(answer.now));
  }
  if (answer.from) expect(usersAt(Date.parse(answer.from))).toEqual(ids(answer.next));
}

/** A calendar schedule with one shift, made through the tools. */
async function scheduleWith(name: string, shift: Record<string, unknown>, teamId: string | null = null) {
  const created = (await h.ok('create_on_call_shift', { name: `${name} shift`, time_zone: 'UTC', team_id: teamId, ...shift })).data;
  return (
    await h.ok('create_schedule', { type: 'calendar', name, time_zone: 'UTC', team_id: teamId, shifts: [created.id] })
  ).data as { id: string };
}

describe('who_is_on_call: one call answers', () => {
  it('"payments" (a team, lower case): its schedule says who now and until when, who next and from when', async () => {
    const { data, text } = await h.ok('who_is_on_call', { target: 'payments' });
    expect(data.target).toEqual({ kind: 'team', id: PAYMENTS_TEAM, name: 'Payments' });
    expect(data.at).toBe(NOW);
    expect(data.now.length).toBeGreaterThan(0);
    expect(data.until).not.toBeNull();
    expect(data.next.length).toBeGreaterThan(0);
    expect(data.now.every((p: { via: { id: string } }) => p.via.id === PAYMENTS_WEEKLY)).toBe(true);
    await expectFinalShifts(PAYMENTS_WEEKLY, NOW, data);
    // The team's chain is a source too, with its steps.
    expect(data.via.map((v: { id: string }) => v.id)).toEqual([PAYMENTS_WEEKLY, PAYMENTS_CHAIN]);
    // Text: the people by name, local time in the schedule's zone beside UTC.
    const nowName = data.now[0].username;
    expect(text).toContain(`Now: ${nowName} until`);
    expect(text).toMatch(/until 2026-03-24 \d\d:\d\d UTC \(Tue \d\d:\d\d Europe\/Berlin\)/);
    expect(text).toContain(`Next: ${data.next[0].username} from`);
    expect(text).toContain('schedule "Payments weekly" (S16DEVP9B7RAF)');
    expect(text.length).toBeLessThanOrEqual(8000);
  });

  it('the team\'s chain during business hours: the round robin\'s next person, and when the gate closes', async () => {
    const { data } = await h.ok('who_is_on_call', { target: 'Payments' });
    const chain = data.via.find((v: { id: string }) => v.id === PAYMENTS_CHAIN);
    // Independent: what current_oncall (the engine) says the chain notifies first.
    const current = await h.ok('current_oncall', { escalation_chain_id: PAYMENTS_CHAIN });
    expect(ids(chain.now)).toEqual(ids(current.data.users));
    expect(chain.now[0].maybe).toBeUndefined();
    expect(chain.now[0].how).toContain('next in the round robin');
    const closes = chain.reasons.find((r: { code: string }) => r.code === 'time_gate_closes');
    expect(closes.message).toContain('open until 2026-03-24 17:00 UTC');
    expect(chain.until).toBe('2026-03-24T17:00:00Z');
    // The chain uses no schedule: no next shift, and it says why.
    expect(chain.next).toEqual([]);
    expect(chain.reasons.map((r: { code: string }) => r.code)).toContain('no_schedule_step');
    // Its steps in order, with timing: the gate at once, a wait of 10 minutes later on.
    expect(chain.steps.map((s: { position: number }) => s.position)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Date.parse(chain.steps[3].at) - Date.parse(chain.steps[2].at)).toBe(600_000);
    // One alert stops at the alert-count gate: the later steps have no time, and say why and what they do.
    expect(chain.steps[6].at).toBeNull();
    expect(chain.steps[6].note).toContain('only after more than 5 alerts within 15 min');
    expect(names(chain.steps[6].notifies)).toEqual(['carol']);
  });

  it('a schedule by name', async () => {
    const { data, text } = await h.ok('who_is_on_call', { target: 'primary rotation' });
    expect(data.target).toMatchObject({ kind: 'schedule', id: IDS.primaryRotation });
    expect(ids(data.now)).toEqual([IDS.alice, IDS.bob].sort());
    await expectFinalShifts(IDS.primaryRotation, NOW, data);
    expect(data.reasons).toEqual([]);
    expect(text).toContain('Now: alice and bob until 2026-03-25 09:00 UTC');
    expect(text).toContain('Next: dave and erin from 2026-03-25 09:00 UTC');
  });

  it('a chain: its first notifications (after its leading wait), its steps, and the next shift of its schedule', async () => {
    const { data, text } = await h.ok('who_is_on_call', { target: 'default', kind: 'escalation_chain' });
    expect(data.target).toMatchObject({ kind: 'escalation_chain', id: IDS.defaultChain });
    const current = await h.ok('current_oncall', { escalation_chain_id: IDS.defaultChain });
    expect(ids(data.now)).toEqual(ids(current.data.users));
    const [via] = data.via;
    // The chain starts with a one-minute wait: the first notifications go out a minute after the alert.
    expect(Date.parse(via.now_at) - Date.parse(NOW)).toBeGreaterThanOrEqual(60_000);
    expect(Date.parse(via.now_at) - Date.parse(NOW)).toBeLessThan(120_000);
    expect(ids(data.next)).toEqual([IDS.dave, 'UT2PX4RAH53UQ'].sort());
    expect(data.from).toBe('2026-03-25T09:00:00Z');
    expect(text).toContain('Steps, for an alert at');
    expect(text).toContain('(E5JJTU52M5YM4)');
  });

  it('an integration: its routes in order, each chain\'s first notifications', async () => {
    const { data, text } = await h.ok('who_is_on_call', { target: 'alertmanager' });
    expect(data.target).toMatchObject({ kind: 'integration', id: ALERTMANAGER });
    expect(data.routes.map((r: { escalation_chain_id: string }) => r.escalation_chain_id)).toEqual([
      IDS.sreCritical,
      PAYMENTS_CHAIN,
      IDS.defaultChain,
    ]);
    expect(data.routes.at(-1).is_the_last_route).toBe(true);
    expect(data.via.map((v: { id: string }) => v.id)).toEqual([IDS.sreCritical, PAYMENTS_CHAIN, IDS.defaultChain]);
    const sre = await h.ok('current_oncall', { escalation_chain_id: IDS.sreCritical });
    expect(ids(data.via[0].now)).toEqual(ids(sre.data.users));
    expect(text).toContain('Routes, tried in order');
    expect(text).toContain('[default] every other alert → chain "default"');
  });

  it('a user by username: not on call now, their next shift and from when', async () => {
    const { data, text } = await h.ok('who_is_on_call', { target: 'frank' });
    expect(data.target).toEqual({ kind: 'user', id: FRANK, name: 'frank' });
    expect(data.now).toEqual([]); // business hours: someone else
    expect(ids(data.next)).toEqual([FRANK]);
    expect(data.next[0].via).toMatchObject({ kind: 'schedule', id: PAYMENTS_WEEKLY });
    // frank is not on call until `from`, and is then.
    const schedule = await h.ok('who_is_on_call', { target: PAYMENTS_WEEKLY });
    expect(ids(schedule.data.now)).not.toContain(FRANK);
    const then = await h.ok('who_is_on_call', { target: PAYMENTS_WEEKLY, at: data.from });
    expect(ids(then.data.now)).toContain(FRANK);
    const before = new Date(Date.parse(data.from) - 60_000).toISOString();
    expect(ids((await h.ok('who_is_on_call', { target: PAYMENTS_WEEKLY, at: before })).data.now)).not.toContain(FRANK);
    // Times in frank's own zone.
    expect(text).toContain('Europe/London');
    expect(text).toContain('Next: frank from');
  });

  it('a user by email, on call in two schedules', async () => {
    const { data } = await h.ok('who_is_on_call', { target: 'ALICE@example.com' });
    expect(data.target).toMatchObject({ kind: 'user', id: IDS.alice });
    expect(ids(data.now)).toEqual([IDS.alice]);
    expect(data.now[0].via.id).toBe(IDS.primaryRotation);
    // Her next shift starts in SRE follow-the-sun (Americas hours, 14:00 UTC daily).
    expect(data.from).toBe('2026-03-24T14:00:00Z');
    expect(data.next[0].via.id).toBe('S2JTNQV85CX6H');
  });
});

describe('who_is_on_call: at another instant', () => {
  it('in the past', async () => {
    const at = '2026-03-20T12:00:00Z';
    const { data } = await h.ok('who_is_on_call', { target: IDS.primaryRotation, at });
    expect(data.at).toBe(at);
    expect(data.now.length).toBeGreaterThan(0);
    await expectFinalShifts(IDS.primaryRotation, at, data);
  });

  it('in the future, with a zone offset: the Payments holiday override', async () => {
    const { data } = await h.ok('who_is_on_call', { target: PAYMENTS_WEEKLY, at: '2026-12-25T13:00:00+01:00' });
    expect(data.at).toBe('2026-12-25T12:00:00Z');
    // A Friday in business hours, but the override (24–26 December, Berlin time) puts frank on call.
    expect(ids(data.now)).toEqual([FRANK]);
    expect(Date.parse(data.until)).toBeGreaterThanOrEqual(Date.parse('2026-12-26T23:00:00Z'));
    await expectFinalShifts(PAYMENTS_WEEKLY, '2026-12-25T12:00:00Z', data);
  });

  it('an instant without a zone is refused, naming `at` and the format', async () => {
    const r = await h.call('who_is_on_call', { target: 'Payments', at: '2026-03-24 12:00' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('at: "2026-03-24 12:00" is not an ISO instant with a zone');
    expect(r.text).toContain('2026-03-24T18:30:00Z');
  });
});

describe('who_is_on_call: empty answers say why', () => {
  it('a closed time gate, and when it opens', async () => {
    h.clock.set(Date.parse('2026-03-24T20:00:00Z'));
    const { data, text } = await h.ok('who_is_on_call', { target: 'Payments business hours' });
    expect(data.at).toBe('2026-03-24T20:00:00Z');
    expect(data.target.kind).toBe('escalation_chain');
    expect(data.now).toEqual([]);
    const reason = data.reasons.find((r: { code: string }) => r.code === 'time_gate_closed');
    expect(reason.message).toContain('08:00–17:00 UTC');
    expect(reason.message).toContain('waits until 2026-03-25 08:00 UTC');
    // Who it would notify once the gate opens: with the gate closed now too, current_oncall cannot
    // say who the round robin picks next, so: one of them.
    expect(data.from).toBe('2026-03-25T08:00:00Z');
    expect(names(data.next)).toEqual(['carol', 'frank', 'ivan']);
    expect(data.next.every((p: { maybe?: boolean }) => p.maybe)).toBe(true);
    expect(text).toContain('Now: nobody.');
    expect(text).toContain('Why:');
    expect(text).toContain('Next: one of carol, frank, ivan from 2026-03-25 08:00 UTC');
  });

  it('asked for tonight while the gate is open now: the round robin\'s next person as of now', async () => {
    const { data } = await h.ok('who_is_on_call', { target: PAYMENTS_CHAIN, at: '2026-03-24T20:00:00Z' });
    expect(data.now).toEqual([]);
    const current = await h.ok('current_oncall', { escalation_chain_id: PAYMENTS_CHAIN });
    expect(ids(data.next)).toEqual(ids(current.data.users));
    expect(data.from).toBe('2026-03-25T08:00:00Z');
  });

  it('the same gate, seen from the team: the schedule still has someone on call', async () => {
    const { data, text } = await h.ok('who_is_on_call', { target: 'Payments', at: '2026-03-24T20:00:00Z' });
    expect(data.now.length).toBeGreaterThan(0);
    const chain = data.via.find((v: { id: string }) => v.id === PAYMENTS_CHAIN);
    expect(chain.now).toEqual([]);
    expect(chain.reasons.map((r: { code: string }) => r.code)).toContain('time_gate_closed');
    expect(text).toContain('closed then; the escalation waits until 2026-03-25 08:00 UTC');
  });

  it('a chain without a schedule step has no next shift, and says so', async () => {
    const chain = (await h.ok('create_escalation_chain', { name: 'Just bob' })).data.id;
    await h.ok('create_escalation_policy', { escalation_chain_id: chain, type: 'notify_persons', persons_to_notify: ['bob'] });
    const { data, text } = await h.ok('who_is_on_call', { target: 'Just bob' });
    expect(ids(data.now)).toEqual([IDS.bob]);
    expect(data.next).toEqual([]);
    expect(data.via[0].reasons.map((r: { code: string }) => r.code)).toContain('no_schedule_step');
    expect(text).toContain('uses no schedule, so who it notifies does not change with shifts');
  });

  it('a chain with no notify step, and one with no steps at all', async () => {
    const waits = (await h.ok('create_escalation_chain', { name: 'Only waits' })).data.id;
    await h.ok('create_escalation_policy', { escalation_chain_id: waits, type: 'wait', duration: 300 });
    const only = await h.ok('who_is_on_call', { target: waits });
    expect(only.data.now).toEqual([]);
    expect(only.data.reasons[0]).toMatchObject({ code: 'no_notify_step' });
    expect(only.text).toContain('has no step that notifies anyone (wait)');
    await h.ok('create_escalation_chain', { name: 'Empty chain' });
    const empty = await h.ok('who_is_on_call', { target: 'empty chain' });
    expect(empty.data.reasons[0]).toMatchObject({ code: 'no_steps' });
  });

  it('a gap in the schedule, until when, and who then', async () => {
    const schedule = await scheduleWith('Office hours', {
      type: 'recurrent_event',
      start: '2026-03-02T09:00:00',
      duration: 8 * 3600,
      frequency: 'daily',
      by_day: ['MO', 'TU', 'WE', 'TH', 'FR'],
      users: [IDS.carol],
    });
    const { data, text } = await h.ok('who_is_on_call', { target: schedule.id, at: '2026-03-24T20:00:00Z' });
    expect(data.now).toEqual([]);
    expect(data.reasons[0].code).toBe('schedule_gap');
    expect(data.reasons[0].message).toContain('a gap in the schedule until 2026-03-25 09:00 UTC');
    expect(ids(data.next)).toEqual([IDS.carol]);
    expect(data.from).toBe('2026-03-25T09:00:00Z');
    expect(text).toContain('Why:');
    // On a Friday evening the gap lasts the weekend.
    const friday = await h.ok('who_is_on_call', { target: schedule.id, at: '2026-03-27T18:00:00Z' });
    expect(friday.data.from).toBe('2026-03-30T09:00:00Z');
  });

  it('a schedule with no shift ahead at all', async () => {
    const schedule = await scheduleWith('Once', {
      type: 'single_event',
      start: '2026-03-01T09:00:00',
      duration: 3600,
      users: [IDS.carol],
    });
    const { data } = await h.ok('who_is_on_call', { target: schedule.id });
    expect(data.now).toEqual([]);
    expect(data.next).toEqual([]);
    expect(data.reasons[0].code).toBe('schedule_empty');
  });

  it('a user without shifts', async () => {
    // grace is only in the Mobile weekly rotation; take her out of it.
    await h.ok('update_on_call_shift', { on_call_shift_id: 'OW897HKLSMJYH', rolling_users: [['heidi'], ['judy']] });
    const { data, text } = await h.ok('who_is_on_call', { target: 'grace' });
    expect(data.target.kind).toBe('user');
    expect(data.now).toEqual([]);
    expect(data.next).toEqual([]);
    expect(data.reasons[0].code).toBe('no_shifts');
    expect(text).toContain('grace has no shifts in any schedule from 2026-03-24 12:00 UTC');
  });

  it('an integration whose route has no escalation chain', async () => {
    const created = (await h.ok('create_integration', { type: 'webhook', name: 'Orphan hook' })).data;
    const { data, text } = await h.ok('who_is_on_call', { target: 'orphan hook' });
    expect(data.target).toMatchObject({ kind: 'integration', id: created.id });
    expect(data.now).toEqual([]);
    expect(data.reasons.map((r: { code: string }) => r.code)).toContain('no_chain');
    expect(text).toContain('The default route has no escalation chain: alerts it takes notify nobody.');
  });
});

describe('who_is_on_call: finding the target', () => {
  it('an unknown name suggests near names', async () => {
    const r = await h.call('who_is_on_call', { target: 'Paymnts' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('target: nothing matches "Paymnts"');
    expect(r.text).toContain(`team "Payments" (${PAYMENTS_TEAM})`);
  });

  it('a part of several unrelated names is ambiguous: the candidates with their ids', async () => {
    const r = await h.call('who_is_on_call', { target: 'primary' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain(`schedule "Primary Rotation" (${IDS.primaryRotation})`);
    expect(r.text).toContain('schedule "Mobile primary" (SM2GJQZ36RQKJ)');
  });

  it('a part of a team\'s name and of its own objects\' names is the team', async () => {
    const { data } = await h.ok('who_is_on_call', { target: 'mobil' });
    expect(data.target).toMatchObject({ kind: 'team', name: 'Mobile' });
    expect(data.also_matches.map((m: { kind: string }) => m.kind).sort()).toEqual(
      ['escalation_chain', 'integration', 'schedule'],
    );
  });

  it('a name two kinds share: the most specific answers, the other is listed; `kind` picks', async () => {
    await scheduleWith('SRE', { type: 'single_event', start: '2026-03-24T10:00:00', duration: 4 * 3600, users: [IDS.dave] });
    const { data, text } = await h.ok('who_is_on_call', { target: 'SRE' });
    // The new schedule has no team, so the team does not cover it: the schedule is more specific.
    expect(data.target.kind).toBe('schedule');
    expect(ids(data.now)).toEqual([IDS.dave]);
    expect(data.also_matches).toEqual([{ kind: 'team', id: IDS.sreTeam, name: 'SRE' }]);
    expect(text).toContain(`also names: team "SRE" (${IDS.sreTeam})`);
    const team = await h.ok('who_is_on_call', { target: 'SRE', kind: 'team' });
    expect(team.data.target).toMatchObject({ kind: 'team', id: IDS.sreTeam });
  });

  it('a team with more sources than one answer holds: the rest are named, the text stays bounded', async () => {
    for (let i = 0; i < 10; i++) {
      await h.ok('create_schedule', { type: 'calendar', name: `Payments extra ${i}`, time_zone: 'UTC', team_id: PAYMENTS_TEAM });
    }
    const { data, text } = await h.ok('who_is_on_call', { target: 'Payments' });
    expect(data.reasons.find((r: { code: string }) => r.code === 'not_all_checked').message).toContain('more schedules not checked');
    expect(text.length).toBeLessThanOrEqual(8000);
  });
});

describe('current_oncall, previous_oncall, next_oncall: what now is, and why empty', () => {
  it('next_oncall on a chain without a schedule step says so', async () => {
    const { data, text } = await h.ok('next_oncall', { escalation_chain_id: PAYMENTS_CHAIN });
    expect(data).toEqual({ count: 0, users: [], shifts: [] });
    expect(text).toContain(`As of ${'2026-03-24 12:00 UTC'}`);
    expect(text).toContain('has no step that uses a schedule');
    expect(text).toContain('who_is_on_call with target "Payments"');
  });

  it('the next shift beyond `days`, and no one else within the previous `days`', async () => {
    // A weekly rotation of bob then frank, handing over on Mondays at 09:00 UTC.
    const schedule = await scheduleWith('Weekly pair', {
      type: 'rolling_users',
      start: '2026-03-23T09:00:00',
      duration: 7 * 86400,
      frequency: 'weekly',
      week_start: 'MO',
      rolling_users: [['bob'], ['frank']],
      start_rotation_from_user_index: 0,
    });
    const chain = (await h.ok('create_escalation_chain', { name: 'Weekly pair chain' })).data.id;
    await h.ok('create_escalation_policy', {
      escalation_chain_id: chain,
      type: 'notify_on_call_from_schedule',
      notify_on_call_from_schedule: schedule.id,
    });
    const next = await h.ok('next_oncall', { escalation_chain_id: chain, days: 1 });
    expect(next.data).toEqual({ count: 0, users: [], shifts: [] });
    expect(next.text).toContain('the next change is at 2026-03-30 09:00 UTC (frank), beyond the 1 days asked for');
    const previous = await h.ok('previous_oncall', { escalation_chain_id: chain, days: 1 });
    expect(previous.data.count).toBe(0);
    expect(previous.text).toContain('no one else was on call in the last 1 days');
    expect(previous.text).toContain('only bob');
  });

  it('a non-empty answer keeps the seed shape and says what now is', async () => {
    const { data, text } = await h.ok('current_oncall', { escalation_chain_id: IDS.defaultChain });
    expect(Object.keys(data).sort()).toEqual(['count', 'shifts', 'users']);
    expect(text.split('\n')[0]).toBe('As of 2026-03-24 12:00 UTC:');
  });
});
