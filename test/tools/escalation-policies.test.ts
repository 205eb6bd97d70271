import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Harness, IDS, firstLine } from '../helpers.js';

let h: Harness;
let chain: string;
beforeEach(async () => {
  h = await connect();
  chain = (await h.ok('create_escalation_chain', { name: 'test chain' })).data.id;
});
afterEach(() => h.close());

const create = (args: Record<string, unknown>) =>
  h.call('create_escalation_policy', { escalation_chain_id: chain, ...args });
const positions = async (chainId = chain) =>
  (await h.ok('get_escalation_chain', { escalation_chain_id: chainId })).data.policies.map(
    (p: { id: string; position: number }) => [p.id, p.position],
  );

describe('seed 001/003 examples', () => {
  it('GET and PUT of E3GA6SJETWWJS give the documented bodies', async () => {
    const got = await h.ok('get_escalation_policy', { escalation_policy_id: IDS.waitPolicy });
    expect(got.data).toEqual({
      id: 'E3GA6SJETWWJS',
      escalation_chain_id: 'F5JU6KJET33FE',
      position: 0,
      type: 'wait',
      duration: 60,
    });
    const put = await h.ok('update_escalation_policy', {
      escalation_policy_id: IDS.waitPolicy,
      type: 'wait',
      duration: 300,
    });
    expect(put.data).toEqual({ ...got.data, duration: 300 });
  });

  it('POST of a wait step returns the documented shape at the next position', async () => {
    const created = await create({ type: 'wait', duration: 60 });
    expect(created.data).toEqual({
      id: created.data.id,
      escalation_chain_id: chain,
      position: 0,
      type: 'wait',
      duration: 60,
    });
    expect(created.data.id).toMatch(/^E[A-NP-Z1-9]{12}$/);
  });

  it('advance_round_robin on E5JJTU52M5YM4 returns alice', async () => {
    const r = await h.ok('advance_round_robin', { escalation_policy_id: IDS.roundRobinPolicy });
    expect(r.data).toEqual({ user_id: 'U4DNY931HHJS5', username: 'alice' });
  });
});

describe('output presence rules (§9.2)', () => {
  const base = ['id', 'escalation_chain_id', 'position', 'type'];
  it.each([
    ['wait', { duration: 120 }, ['duration']],
    ['notify_persons', { persons_to_notify: [IDS.bob] }, ['important', 'persons_to_notify']],
    [
      'notify_person_next_each_time',
      { persons_to_notify_next_each_time: [IDS.bob] },
      ['important', 'persons_to_notify_next_each_time'],
    ],
    [
      'notify_on_call_from_schedule',
      { notify_on_call_from_schedule: IDS.primaryRotation },
      ['important', 'notify_on_call_from_schedule'],
    ],
    [
      'notify_next_on_call_from_schedule',
      { notify_on_call_from_schedule: IDS.primaryRotation },
      ['important', 'notify_on_call_from_schedule'],
    ],
    ['notify_user_group', { group_to_notify: IDS.sreLeads }, ['important', 'group_to_notify']],
    ['notify_team_members', { team_to_notify: IDS.sreTeam }, ['important', 'team_to_notify']],
    ['trigger_webhook', { action_to_trigger: IDS.incidentsWebhook }, ['action_to_trigger']],
    ['resolve', {}, []],
    ['notify_whole_channel', {}, []],
    ['repeat_escalation', {}, []],
    ['notify_if_time_from_to', {}, ['notify_if_time_from', 'notify_if_time_to']],
    ['notify_if_num_alerts_in_window', {}, ['num_alerts_in_window', 'num_minutes_in_window']],
    ['declare_incident', {}, ['severity']],
  ])('%s shows exactly its own fields', async (type, extra, own) => {
    const { data, isError, text } = await create({ type, ...extra });
    expect(isError, text).toBe(false);
    expect(Object.keys(data).sort()).toEqual([...base, ...own].sort());
  });

  it('shows type fields even when empty, as null or [] (the API; the tool refuses empty notify steps)', async () => {
    const raw = (body: Record<string, unknown>) =>
      h.backend.escalationPolicies.create({ escalation_chain_id: chain, ...body });
    expect((await create({ type: 'wait' })).data.duration).toBeNull();
    expect((await raw({ type: 'notify_persons' })).persons_to_notify).toEqual([]);
    expect((await raw({ type: 'notify_on_call_from_schedule' })).notify_on_call_from_schedule).toBeNull();
    expect((await create({ type: 'notify_if_time_from_to' })).data).toMatchObject({
      notify_if_time_from: null,
      notify_if_time_to: null,
    });
    expect((await create({ type: 'declare_incident' })).data.severity).toBeNull();
  });

  it('stores every field in its API format', async () => {
    const all = {
      wait: { duration: 900 },
      notify_persons: { persons_to_notify: [IDS.bob, IDS.alice], important: true },
      notify_on_call_from_schedule: { notify_on_call_from_schedule: IDS.primaryRotation },
      notify_user_group: { group_to_notify: IDS.sreLeads },
      notify_team_members: { team_to_notify: IDS.sreTeam },
      trigger_webhook: { action_to_trigger: IDS.incidentsWebhook },
      notify_if_time_from_to: { notify_if_time_from: '9:00:00Z', notify_if_time_to: '18:30:00Z' },
      notify_if_num_alerts_in_window: { num_alerts_in_window: 3, num_minutes_in_window: 10 },
      declare_incident: { severity: 'critical' },
    };
    for (const [type, fields] of Object.entries(all)) {
      const { data } = await create({ type, ...fields });
      const expected =
        type === 'notify_if_time_from_to'
          ? { notify_if_time_from: '09:00:00Z', notify_if_time_to: '18:30:00Z' }
          : fields;
      expect(data, type).toMatchObject(expected);
    }
  });
});

describe('create rules (§9.3)', () => {
  it('discards fields of other types and says so in the text', async () => {
    const r = await create({
      type: 'notify_persons',
      duration: 300,
      severity: 'x',
      persons_to_notify: [IDS.alice],
    });
    expect(r.data).not.toHaveProperty('duration');
    expect(r.data).not.toHaveProperty('severity');
    expect(r.text).toContain('Ignored (not used by type notify_persons): duration, severity.');
    const again = await h.ok('get_escalation_policy', { escalation_policy_id: r.data.id });
    expect(again.data).toEqual(r.data);
  });

  it('refuses unknown user ids (the API drops them silently, so the step would notify fewer people)', async () => {
    const r = await h.call('create_escalation_policy', {
      escalation_chain_id: chain,
      type: 'notify_persons',
      persons_to_notify: [IDS.alice, 'UNOSUCHUSER12'],
    });
    expect(r.isError).toBe(true);
    expect(firstLine(r.text)).toBe(
      'Invalid request: persons_to_notify[1]: There is no user with id UNOSUCHUSER12; nobody would be notified through it. '
      + 'list_users shows them all.',
    );
    const raw = await h.backend.escalationPolicies.create({
      escalation_chain_id: chain,
      type: 'notify_persons',
      persons_to_notify: [IDS.alice, 'UNOSUCHUSER12'],
    });
    expect(raw.persons_to_notify).toEqual([IDS.alice]); // OnCall's own rule stays in the API
  });

  it('treats null user lists as empty (engine), and [] clears a list', async () => {
    const p = await h.backend.escalationPolicies.create({
      escalation_chain_id: chain,
      type: 'notify_persons',
      persons_to_notify: null,
    });
    expect(p.persons_to_notify).toEqual([]);
    const filled = (await create({ type: 'notify_persons', persons_to_notify: [IDS.alice] })).data;
    const cleared = await h.backend.escalationPolicies.update(filled.id, { persons_to_notify: [] });
    expect(cleared.persons_to_notify).toEqual([]);
    // Through the tool, emptying the only list of a notify step is refused: it would notify nobody.
    const refused = await h.call('update_escalation_policy', { escalation_policy_id: filled.id, persons_to_notify: [] });
    expect(refused.isError).toBe(true);
  });

  it('makes the important variant only for notify types', async () => {
    expect((await create({ type: 'notify_team_members', team_to_notify: IDS.sreTeam, important: true })).data.important)
      .toBe(true);
    // OnCall OSS renders important round robin as a 500 (§9.7); we do the documented thing.
    const rr = await create({ type: 'notify_person_next_each_time', persons_to_notify_next_each_time: [IDS.bob], important: true });
    expect(rr.data.important).toBe(true);
    expect((await create({ type: 'wait', important: true, duration: 60 })).data).not.toHaveProperty(
      'important',
    );
  });
});

describe('validation messages (§9.3)', () => {
  const invalid = async (args: Record<string, unknown>) => {
    const r = await create(args);
    expect(r.isError).toBe(true);
    return r.text;
  };

  it.each([
    [30, 'duration: Ensure this value is greater than or equal to 0:01:00.'],
    [59.9, 'duration: Ensure this value is greater than or equal to 0:01:00.'],
    [86401, 'duration: Ensure this value is less than or equal to 1 day, 0:00:00.'],
  ])('wait duration %s → %s', async (duration, message) => {
    expect(firstLine(await invalid({ type: 'wait', duration }))).toBe(`Invalid request: ${message}`);
  });

  it('truncates fractional durations before the range check', async () => {
    expect((await create({ type: 'wait', duration: 60.9 })).data.duration).toBe(60);
    expect((await create({ type: 'wait', duration: 86400 })).data.duration).toBe(86400);
  });

  it.each(['05:00:00', '5:00', '25:00:00Z', '09:60:00Z', 'nine'])(
    'time %j is rejected naming the field',
    async (t) => {
      expect(firstLine(await invalid({ type: 'notify_if_time_from_to', notify_if_time_from: t }))).toBe(
        'Invalid request: notify_if_time_from: Time has wrong format. Use one of these formats instead: hh:mm:ssZ.',
      );
    },
  );

  it.each([
    ['team_to_notify', 'TNOSUCHTEAM12'],
    ['notify_on_call_from_schedule', 'SNOSUCHSCHED1'],
    ['group_to_notify', 'GNOSUCHGROUP1'],
    ['action_to_trigger', 'WHNOSUCHHOOK12'],
    ['escalation_chain_id', 'FNOSUCHCHAIN1'],
  ])('an unknown %s is "Object does not exist"', async (field, id) => {
    expect(firstLine(await invalid({ type: 'resolve', [field]: id }))).toBe(
      `Invalid request: ${field}: Object does not exist`,
    );
  });

  it('bounds the alert window integers (tool schema and engine)', async () => {
    expect(await invalid({ type: 'notify_if_num_alerts_in_window', num_alerts_in_window: -1 })).toContain(
      'Invalid arguments: num_alerts_in_window: expected a number at least 0, got the number -1.',
    );
    const raw = (body: Record<string, unknown>) =>
      h.backend.escalationPolicies.create({
        escalation_chain_id: chain,
        type: 'notify_if_num_alerts_in_window',
        ...body,
      });
    await expect(raw({ num_alerts_in_window: -1 })).rejects.toMatchObject({
      body: { num_alerts_in_window: ['Ensure this value is greater than or equal to 0.'] },
    });
    await expect(raw({ num_minutes_in_window: 2147483648 })).rejects.toMatchObject({
      body: { num_minutes_in_window: ['Ensure this value is less than or equal to 2147483647.'] },
    });
  });

  it('collects every field error into one answer', async () => {
    const text = await invalid({ type: 'wait', duration: 10, team_to_notify: 'TNOSUCHTEAM12' });
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('Invalid request:');
    // Each problem in OnCall's words, then the value given (and what the field takes, or how to find one).
    expect(lines[1]).toMatch(/^- duration: Ensure this value is greater than or equal to 0:01:00\. Given: 10\. /);
    expect(lines[1]).toContain('Expected: Seconds, 60 to 86400.');
    expect(lines[2]).toMatch(/^- team_to_notify: Object does not exist\. Given: "TNOSUCHTEAM12"\. /);
    expect(lines[2]).toContain('Fix: list_teams shows valid ones');
  });

  it('rejects an unknown type at the tool boundary, naming the field', async () => {
    const text = await invalid({ type: 'wiat' });
    expect(text).toMatch(/^Invalid arguments: type: expected one of "wait", /);
    expect(text).toContain('; got the string "wiat". Did you mean "wait"?');
    expect(text).not.toContain('MCP error');
  });

  it('keeps answering after bad input, and bad input changes nothing', async () => {
    const before = await positions();
    await invalid({ type: 'wait', duration: 30 });
    expect(await positions()).toEqual(before);
    expect((await create({ type: 'wait', duration: 60 })).isError).toBe(false);
  });
});

describe('engine-level validation of raw API bodies (what the REST facade passes through)', () => {
  const post = (body: Record<string, unknown>) => h.backend.escalationPolicies.create(body as never);
  const rejects = (body: Record<string, unknown>, expected: unknown) =>
    expect(post({ escalation_chain_id: chain, ...body })).rejects.toMatchObject({
      status: 400,
      body: expected,
    });

  it('type: missing, null, unknown (a short-circuit that drops other errors)', async () => {
    await rejects({}, { type: ['This field is required.'] });
    await rejects({ type: null }, { type: ['This field may not be null.'] });
    await expect(post({ type: 'bogus', duration: 1, escalation_chain_id: 'FNOPE' })).rejects.toMatchObject({
      body: { detail: 'Invalid escalation step type' },
    });
  });

  it('type availability: Slack-specific and not-enabled steps', async () => {
    h.backend.state.organization.slack_team_id = null;
    h.backend.state.organization.grafana_incident_enabled = false;
    await rejects(
      { type: 'notify_whole_channel' },
      { detail: 'Invalid escalation step type: step is Slack-specific' },
    );
    await rejects(
      { type: 'declare_incident' },
      { detail: 'Invalid escalation step type: step is not enabled' },
    );
    // Without Slack no user group resolves.
    await rejects(
      { type: 'notify_user_group', group_to_notify: IDS.sreLeads },
      { group_to_notify: ['Object does not exist'] },
    );
  });

  it('DRF type messages', async () => {
    await rejects({ type: 'wait', duration: 'abc' }, { duration: ['A valid number is required.'] });
    await rejects({ type: 'wait', position: 'x' }, { position: ['A valid integer is required.'] });
    await rejects(
      { type: 'notify_persons', important: 'maybe' },
      { important: ['Must be a valid boolean.'] },
    );
    await rejects(
      { type: 'notify_persons', persons_to_notify: 'U1' },
      {
        persons_to_notify: ['Expected a list of items but got type "str".'],
      },
    );
    await rejects(
      { type: 'trigger_webhook', action_to_trigger: 5 },
      { action_to_trigger: ['Invalid values'] },
    );
    await rejects(
      { type: 'notify_if_time_from_to', notify_if_time_to: 5 },
      {
        notify_if_time_to: ['Time has wrong format. Use one of these formats instead: hh:mm:ssZ.'],
      },
    );
    await rejects(
      { type: 'notify_if_num_alerts_in_window', num_alerts_in_window: 1.5 },
      {
        num_alerts_in_window: ['A valid integer is required.'],
      },
    );
    await expect(post({ escalation_chain_id: chain })).rejects.toMatchObject({
      body: { type: ['This field is required.'] },
    });
    await expect(post({ type: 'wait' })).rejects.toMatchObject({
      body: { escalation_chain_id: ['This field is required.'] },
    });
  });

  it('accepts numeric strings the way DRF does', async () => {
    const p = await post({ escalation_chain_id: chain, type: 'wait', duration: '120', position: '0' });
    expect(p).toMatchObject({ duration: 120, position: 0 });
  });

  it('a non-object body is a non_field_errors 400', async () => {
    await expect(h.backend.escalationPolicies.create('x' as never)).rejects.toMatchObject({
      body: { non_field_errors: ['Invalid data. Expected a dictionary, but got str.'] },
    });
  });
});

describe('positions (§9.5)', () => {
  const three = async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await create({ type: 'wait', duration: 60 * (i + 1) })).data.id);
    return ids as [string, string, string];
  };

  it('appends by default and with -1', async () => {
    const [a, b, c] = await three();
    const d = (await create({ type: 'resolve', position: -1 })).data.id;
    expect(await positions()).toEqual([
      [a, 0],
      [b, 1],
      [c, 2],
      [d, 3],
    ]);
  });

  it('inserting at a taken position pushes it and the later ones down', async () => {
    const [a, b, c] = await three();
    const n = (await create({ type: 'resolve', position: 1 })).data;
    expect(n.position).toBe(1);
    expect(await positions()).toEqual([
      [a, 0],
      [n.id, 1],
      [b, 2],
      [c, 3],
    ]);
  });

  it('a position past the end is kept exactly, leaving a gap', async () => {
    const [a, b, c] = await three();
    const n = (await create({ type: 'resolve', position: 10 })).data;
    expect(await positions()).toEqual([
      [a, 0],
      [b, 1],
      [c, 2],
      [n.id, 10],
    ]);
  });

  it('an invalid position creates nothing (our fix of the OSS half-create)', async () => {
    await three();
    const before = await positions();
    const r = await create({ type: 'resolve', position: -5 });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('Invalid arguments: position: expected a number at least -1, got the number -5.');
    expect(await positions()).toEqual(before);
    // The engine answers the API body with OnCall's message, and creates nothing either.
    await expect(
      h.backend.escalationPolicies.create({ escalation_chain_id: chain, type: 'resolve', position: -5 }),
    ).rejects.toMatchObject({ body: { detail: 'Invalid value for position field' } });
    expect(await positions()).toEqual(before);
    // manual_order (Terraform only, engine level) does not give -1 a meaning.
    await expect(
      h.backend.escalationPolicies.create({
        escalation_chain_id: chain,
        type: 'resolve',
        position: -1,
        manual_order: true,
      }),
    ).rejects.toMatchObject({ body: { detail: 'Invalid value for position field' } });
    expect(await positions()).toEqual(before);
  });

  it('moves down and up with range shifts', async () => {
    const [a, b, c] = await three();
    await h.ok('update_escalation_policy', { escalation_policy_id: a, position: 2 });
    expect(await positions()).toEqual([
      [b, 0],
      [c, 1],
      [a, 2],
    ]);
    await h.ok('update_escalation_policy', { escalation_policy_id: a, position: 0 });
    expect(await positions()).toEqual([
      [a, 0],
      [b, 1],
      [c, 2],
    ]);
  });

  it('update to -1 moves to the current max order', async () => {
    const [a, b, c] = await three();
    await h.ok('update_escalation_policy', { escalation_policy_id: a, position: -1 });
    expect(await positions()).toEqual([
      [b, 0],
      [c, 1],
      [a, 2],
    ]);
  });

  it('manual_order swaps instead of moving (engine)', async () => {
    const [a, b, c] = await three();
    await h.backend.escalationPolicies.update(a, { position: 2, manual_order: true });
    expect(await positions()).toEqual([
      [c, 0],
      [b, 1],
      [a, 2],
    ]);
  });

  it('delete does not renumber', async () => {
    const [a, b, c] = await three();
    const del = await h.ok('delete_escalation_policy', { escalation_policy_id: b });
    expect(del.data).toMatchObject({ id: b, deleted: true, position: 1 });
    expect(await positions()).toEqual([
      [a, 0],
      [c, 2],
    ]);
    // A new step still goes after the max.
    const d = (await create({ type: 'resolve' })).data;
    expect(d.position).toBe(3);
  });

  it('lists by chain in creation order, then by position', async () => {
    await three();
    await create({ type: 'resolve', position: 0 });
    const all = (await h.ok('list_escalation_policies', { perpage: 100 })).data.results as Array<{
      escalation_chain_id: string;
      position: number;
    }>;
    const chains = (await h.ok('list_escalation_chains', {})).data.results.map((c: { id: string }) => c.id);
    const rank = (p: { escalation_chain_id: string; position: number }) => [
      chains.indexOf(p.escalation_chain_id),
      p.position,
    ];
    const ranks = all.map(rank);
    expect(ranks).toEqual([...ranks].sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!));
    expect(all.at(-1)?.escalation_chain_id).toBe(chain);
  });
});

describe('update rules (§9.4)', () => {
  it('re-sending type without important resets importance; important alone toggles it', async () => {
    const p = (await create({ type: 'notify_persons', important: true, persons_to_notify: [IDS.alice] }))
      .data;
    const reset = await h.ok('update_escalation_policy', {
      escalation_policy_id: p.id,
      type: 'notify_persons',
    });
    expect(reset.data).toMatchObject({ important: false, persons_to_notify: [IDS.alice] });
    const on = await h.ok('update_escalation_policy', { escalation_policy_id: p.id, important: true });
    expect(on.data.important).toBe(true);
    const off = await h.ok('update_escalation_policy', { escalation_policy_id: p.id, important: false });
    expect(off.data.important).toBe(false);
  });

  it('changing type clears what the old type stored', async () => {
    const p = (await create({ type: 'notify_persons', persons_to_notify: [IDS.alice, IDS.bob] })).data;
    const wait = await h.ok('update_escalation_policy', {
      escalation_policy_id: p.id,
      type: 'wait',
      duration: 120,
    });
    expect(wait.data).toEqual({
      id: p.id,
      escalation_chain_id: chain,
      position: 0,
      type: 'wait',
      duration: 120,
    });
    const back = await h.backend.escalationPolicies.update(p.id, { type: 'notify_persons' });
    expect(back.persons_to_notify).toEqual([]);
    const again = await h.ok('update_escalation_policy', { escalation_policy_id: p.id, type: 'wait' });
    expect(again.data.duration).toBeNull();
  });

  it('keeps the user list between notify_persons and round robin (one list in OnCall)', async () => {
    const p = (await create({ type: 'notify_persons', persons_to_notify: [IDS.alice, IDS.bob] })).data;
    const rr = await h.ok('update_escalation_policy', {
      escalation_policy_id: p.id,
      type: 'notify_person_next_each_time',
    });
    expect(rr.data.persons_to_notify_next_each_time).toEqual([IDS.alice, IDS.bob]);
  });

  it('switching only the important variant clears nothing', async () => {
    const p = (await create({ type: 'notify_team_members', team_to_notify: IDS.sreTeam })).data;
    const imp = await h.ok('update_escalation_policy', { escalation_policy_id: p.id, important: true });
    expect(imp.data).toMatchObject({ important: true, team_to_notify: IDS.sreTeam });
  });

  it('ignores fields of other types on update, and escalation_chain_id is read-only', async () => {
    const p = (await create({ type: 'wait', duration: 60 })).data;
    const r = await h.ok('update_escalation_policy', { escalation_policy_id: p.id, severity: 'x' });
    expect(r.data).toEqual(p);
    expect(r.text).toContain('Ignored (not used by type wait): severity.');
    const moved = await h.backend.escalationPolicies.update(p.id, { escalation_chain_id: IDS.defaultChain });
    expect(moved.escalation_chain_id).toBe(chain);
  });

  it('PUT {"type": null} leaves a step with no type and no fields (engine)', async () => {
    const p = (await create({ type: 'wait', duration: 60 })).data;
    const nulled = await h.backend.escalationPolicies.update(p.id, { type: null });
    expect(nulled).toEqual({ id: p.id, escalation_chain_id: chain, position: 0, type: null });
  });

  it('an invalid update changes nothing, including position', async () => {
    const p = (await create({ type: 'wait', duration: 60 })).data;
    await create({ type: 'resolve' });
    const before = await positions();
    const r = await h.call('update_escalation_policy', {
      escalation_policy_id: p.id,
      position: 1,
      duration: 5,
    });
    expect(r.isError).toBe(true);
    expect(await positions()).toEqual(before);
    expect((await h.ok('get_escalation_policy', { escalation_policy_id: p.id })).data.duration).toBe(60);
  });
});

describe('round robin (semantics.md §4.4, §4.6; seed 001)', () => {
  const users = async () =>
    Object.fromEntries(
      (await h.ok('list_users', {})).data.results.map((u: { username: string; id: string }) => [
        u.username,
        u.id,
      ]),
    );

  it('walks the queue in username order, wrapping, whatever the insertion order', async () => {
    const u = await users();
    const p = (
      await create({
        type: 'notify_person_next_each_time',
        persons_to_notify_next_each_time: [u.carol, u.alice, u.bob],
      })
    ).data;
    const seen: string[] = [];
    for (let i = 0; i < 4; i++)
      seen.push((await h.ok('advance_round_robin', { escalation_policy_id: p.id })).data.username);
    // Pointer starts unset: alice is up; each advance skips whoever is up.
    expect(seen).toEqual(['bob', 'carol', 'alice', 'bob']);
  });

  it('starts from the first user when the pointer user left the queue (E36)', async () => {
    const u = await users();
    const p = (
      await create({
        type: 'notify_person_next_each_time',
        persons_to_notify_next_each_time: [u.alice, u.bob, u.carol],
      })
    ).data;
    expect((await h.ok('advance_round_robin', { escalation_policy_id: p.id })).data.username).toBe('bob'); // pointer = alice
    await h.ok('update_escalation_policy', {
      escalation_policy_id: p.id,
      persons_to_notify_next_each_time: [u.bob, u.carol, u.dave],
    });
    // alice (the pointer) is gone: bob is up, so advancing skips bob.
    expect((await h.ok('advance_round_robin', { escalation_policy_id: p.id })).data.username).toBe('carol');
  });

  it('refuses steps that are not round robin, and empty queues', async () => {
    const notRR = await h.call('advance_round_robin', { escalation_policy_id: IDS.waitPolicy });
    expect(firstLine(notRR.text)).toBe(
      'Invalid request: Only round-robin steps (type notify_person_next_each_time) can be advanced',
    );
    const empty = await h.backend.escalationPolicies.create({ escalation_chain_id: chain, type: 'notify_person_next_each_time' });
    expect(firstLine((await h.call('advance_round_robin', { escalation_policy_id: empty.id })).text)).toBe(
      'Invalid request: The round-robin queue has no users',
    );
  });
});
