import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/engine/core/clock.js';
import { connect, type Harness, IDS, firstLine } from '../helpers.js';
import { numberRules } from '../../src/engine/directory/personal-notification-rules.js';

let h: Harness;
beforeEach(async () => {
  h = await connect({ clock: VirtualClock.at('2026-03-24T10:00:00Z') });
});
afterEach(() => h.close());

const SEED_KEYS = [
  'id',
  'integration_id',
  'route_id',
  'alerts_count',
  'state',
  'created_at',
  'resolved_at',
  'resolved_by',
  'acknowledged_at',
  'acknowledged_by',
  'title',
  'permalinks',
  'silenced_at',
];
type Item = { at: string; event: string; user_id?: string; channel?: string; important?: boolean };

describe('direct paging: seed 000', () => {
  it('pages a set of users into a new alert group with the documented shape', async () => {
    const { data, text } = await h.ok('create_escalation', {
      title: 'We are seeing a network outage in the datacenter',
      message: 'I need help investigating, can you join the investigation?',
      source_url: 'https://github.com/myorg/myrepo/issues/123',
      users: [
        { id: IDS.bob, important: false },
        { id: IDS.alice, important: true },
      ],
    });
    for (const key of SEED_KEYS) expect(data).toHaveProperty(key);
    expect(data).toMatchObject({
      alerts_count: 1,
      state: 'firing',
      created_at: '2026-03-24T10:00:00Z',
      resolved_at: null,
      acknowledged_by: null,
      title: 'We are seeing a network outage in the datacenter',
      permalinks: { slack: null, slack_app: null, telegram: null },
      silenced_at: null,
    });
    expect(data.id).toMatch(/^I[A-NP-Z1-9]{12}$/);
    expect(data.permalinks.web).toBe(`http://localhost:3000/a/grafana-oncall-app/alert-groups/${data.id}`);
    expect(data.last_alert.payload.oncall).toMatchObject({
      message: 'I need help investigating, can you join the investigation?',
      permalink: 'https://github.com/myorg/myrepo/issues/123',
      author_username: 'alice',
      important: false,
    });
    expect(text).toContain('Paged bob, alice (important)');
    const integration = await h.ok('get_integration', { integration_id: data.integration_id });
    expect(integration.data).toMatchObject({ type: 'direct_paging', name: 'Direct paging (No team)' });
  });

  it('pages a team; important_team_escalation takes the important route (E46)', async () => {
    const important = await h.ok('create_escalation', {
      title: 'We are seeing a network outage in the datacenter',
      team: IDS.sreTeam,
      important_team_escalation: true,
    });
    expect(important.data.route_id).toBe('RPAGESREIMP11');
    const normal = await h.ok('create_escalation', { team: IDS.sreTeam });
    expect(normal.data.route_id).toBe('RPAGESREDEF11');
    expect(normal.data.title).toBe('alice is paging SRE to join escalation');
    h.advance(10);
    const timeline: Item[] = (await h.ok('get_alert_group', { alert_group_id: important.data.id })).data.timeline;
    // SRE critical's first step is the important schedule step.
    expect(timeline.some((i) => i.event === 'escalation_triggered' && i.important)).toBe(true);
  });

  it('a team without a Direct Paging integration gets one, with an important route', async () => {
    const page = await h.ok('create_escalation', { team: 'TJC5XVRUILG7S', important_team_escalation: true });
    const integration = await h.ok('get_integration', { integration_id: page.data.integration_id });
    expect(integration.data.name).toBe('Direct paging (Payments team)');
    expect(integration.data.routes.map((r: { routing_regex: string | null }) => r.routing_regex)).toEqual([
      '{{ payload.oncall.important }}',
      null,
    ]);
    expect(page.data.route_id).toBe(integration.data.routes[0].id);
    const again = await h.ok('create_escalation', { team: 'TJC5XVRUILG7S' });
    expect(again.data.integration_id).toBe(page.data.integration_id);
  });

  it('adds responders to an existing alert group, even acknowledged, not resolved (E47)', async () => {
    const group = (await h.ok('create_escalation', { users: [{ id: IDS.bob, important: false }] })).data;
    await h.ok('update_alert_group', { alert_group_id: group.id, action: 'acknowledge' });
    const added = await h.ok('create_escalation', {
      alert_group_id: group.id,
      users: [{ id: IDS.carol, important: true }],
    });
    expect(added.data.id).toBe(group.id);
    h.advance(5);
    const timeline: Item[] = (await h.ok('get_alert_group', { alert_group_id: group.id })).data.timeline;
    expect(timeline.some((i) => i.event === 'notification' && i.user_id === IDS.carol)).toBe(true);
    const teamToo = await h.ok('create_escalation', { alert_group_id: group.id, team: IDS.sreTeam });
    expect(teamToo.data.id).toBe(group.id);
    await h.ok('update_alert_group', { alert_group_id: group.id, action: 'resolve' });
    const resolved = await h.call('create_escalation', { alert_group_id: group.id, users: [{ id: IDS.dave, important: false }] });
    expect(firstLine(resolved.text)).toBe('Invalid request: Cannot add responders for a resolved alert group');
  });

  it('escapes HTML in the title and builds the default title from the names', async () => {
    const { data } = await h.ok('create_escalation', {
      title: 'DB <primary> & "replica" down',
      users: [{ id: IDS.bob, important: false }],
    });
    expect(data.title).toBe('DB &lt;primary&gt; &amp; "replica" down');
    const named = await h.ok('create_escalation', {
      users: [
        { id: IDS.bob, important: false },
        { id: IDS.carol, important: false },
        { id: IDS.dave, important: false },
      ],
    });
    expect(named.data.title).toBe('alice is paging bob, carol and dave to join escalation');
  });
});

describe('direct paging: validation (§10)', () => {
  it.each([
    [{ users: [{ id: IDS.bob, important: false }], team: IDS.sreTeam }, 'users and team are mutually exclusive'],
    [{}, 'No team or user(s) specified'],
    [{ alert_group_id: 'INOSUCHGROUP1', title: 'x' }, 'alert_group_id and (title, message, source_url) are mutually exclusive'],
    [{ alert_group_id: 'INOSUCHGROUP1', users: [{ id: IDS.bob, important: false }] }, 'Alert group INOSUCHGROUP1 does not exist'],
    [{ team: 'TNOSUCHTEAM12' }, 'team: Object does not exist'],
    [{ users: [{ id: IDS.bob, important: false }], source_url: 'not a url' }, 'source_url: Enter a valid URL.'],
  ])('%j → %s', async (body, message) => {
    const r = await h.call('create_escalation', body);
    expect(r.isError).toBe(true);
    expect(firstLine(r.text)).toBe(`Invalid request: ${message}`);
    expect(h.backend.state.alertGroups.size).toBe(0);
  });

  it('reports an unknown user per list item, and a missing important flag (engine)', async () => {
    await expect(
      h.backend.escalation.create({
        users: [
          { id: IDS.bob, important: false },
          { id: 'UNOSUCHUSER12', important: true },
        ],
      }),
    ).rejects.toMatchObject({ body: { users: [{}, { non_field_errors: ['User UNOSUCHUSER12 does not exist'] }] } });
    await expect(h.backend.escalation.create({ users: [{ id: IDS.bob }] } as never)).rejects.toMatchObject({
      body: { users: [{ important: ['This field is required.'] }] },
    });
  });
});

describe('direct pages and acknowledgements (E45)', () => {
  it('whoever acknowledged after their page stops; the others go on; a new page notifies again', async () => {
    const s = h.backend.state;
    s.users.get(IDS.alice)!.notification_rules = {
      default: [],
      important: numberRules(IDS.alice, 'important', [{ type: 'notify_by_phone_call' }, { type: 'wait', duration: 300 }, { type: 'notify_by_phone_call' }]),
    };
    s.users.get(IDS.bob)!.notification_rules = {
      default: numberRules(IDS.bob, 'default', [{ type: 'notify_by_sms' }, { type: 'wait', duration: 300 }, { type: 'notify_by_phone_call' }]),
      important: [],
    };
    const group = (
      await h.ok('create_escalation', {
        users: [
          { id: IDS.alice, important: true },
          { id: IDS.bob, important: false },
        ],
      })
    ).data;
    h.advanceTo('2026-03-24T10:01:00Z');
    await h.ok('update_alert_group', { alert_group_id: group.id, action: 'acknowledge' }); // alice is the API user
    h.advanceTo('2026-03-24T10:05:00Z');
    await h.ok('create_escalation', { alert_group_id: group.id, users: [{ id: IDS.alice, important: true }] });
    h.advanceTo('2026-03-24T10:06:00Z');
    const timeline: Item[] = (await h.ok('get_alert_group', { alert_group_id: group.id })).data.timeline;
    const calls = (user: string) =>
      timeline.filter((i) => i.event === 'notification' && i.user_id === user).map((i) => [i.at.slice(11, 19), i.channel]);
    expect(calls(IDS.alice)).toEqual([
      ['10:00:00', 'phone_call'],
      ['10:05:00', 'phone_call'],
    ]);
    expect(calls(IDS.bob)).toEqual([
      ['10:00:00', 'sms'],
      ['10:05:10', 'phone_call'],
    ]);
  });
});

describe('alert group actions (§13.4)', () => {
  const page = async () => (await h.ok('create_escalation', { users: [{ id: IDS.bob, important: false }] })).data.id as string;
  const act = (id: string, action: string, delay?: number) =>
    h.call('update_alert_group', { alert_group_id: id, action, ...(delay === undefined ? {} : { delay }) });

  it('walks the state machine with OnCall\'s messages', async () => {
    const id = await page();
    expect(firstLine((await act(id, 'unacknowledge')).text)).toBe('Invalid request: Can\'t unacknowledge an unacknowledged alert group');
    expect(firstLine((await act(id, 'unsilence')).text)).toBe('Invalid request: Can\'t unsilence an unsilenced alert group');
    expect(firstLine((await act(id, 'unresolve')).text)).toBe('Invalid request: Can\'t unresolve an unresolved alert group');
    const silenced = await act(id, 'silence', 600);
    expect(silenced.data).toMatchObject({ state: 'silenced', silenced_at: '2026-03-24T10:00:00Z' });
    const acked = await act(id, 'acknowledge');
    expect(acked.data).toMatchObject({ state: 'acknowledged', acknowledged_by: IDS.alice, silenced_at: null });
    expect(firstLine((await act(id, 'acknowledge')).text)).toBe('Invalid request: Can\'t acknowledge an acknowledged alert group');
    expect(firstLine((await act(id, 'silence', 60)).text)).toBe('Invalid request: Can\'t silence an acknowledged alert group');
    const resolved = await act(id, 'resolve');
    expect(resolved.data).toMatchObject({ state: 'resolved', resolved_by: IDS.alice, acknowledged_by: IDS.alice });
    // Resolve keeps the acknowledgement, and "already acknowledged" is checked first.
    for (const [action, message] of [
      ['acknowledge', 'Can\'t acknowledge an acknowledged alert group'],
      ['unacknowledge', 'Can\'t unacknowledge a resolved alert group'],
      ['resolve', 'Can\'t resolve a resolved alert group'],
      ['silence', 'Can\'t silence a resolved alert group'],
    ] as const) {
      expect(firstLine((await act(id, action, action === 'silence' ? 60 : undefined)).text)).toBe(`Invalid request: ${message}`);
    }
    const unresolved = await act(id, 'unresolve');
    expect(unresolved.data).toMatchObject({ state: 'firing', acknowledged_by: null, resolved_at: null });
  });

  it('silence checks its delay before the state (engine)', async () => {
    const id = await page();
    await h.backend.alertGroups.action(id, 'resolve');
    await expect(h.backend.alertGroups.action(id, 'silence', {})).rejects.toMatchObject({ body: { detail: 'delay is required' } });
    await expect(h.backend.alertGroups.action(id, 'silence', { delay: 'fuzz' })).rejects.toMatchObject({
      body: { detail: 'invalid delay value' },
    });
    await expect(h.backend.alertGroups.action(id, 'silence', { delay: -2 })).rejects.toMatchObject({
      body: { detail: 'invalid delay value' },
    });
    const missing = await h.call('update_alert_group', { alert_group_id: 'INOSUCHGROUP1', action: 'resolve' });
    expect(missing.text).toContain('no alert group with id "INOSUCHGROUP1"');
  });

  it('acknowledging stops the escalation: no notification after the acknowledgement', async () => {
    const id = (await h.ok('create_escalation', { team: IDS.sreTeam, important_team_escalation: true })).data.id;
    h.advanceTo('2026-03-24T10:00:30Z');
    await act(id, 'acknowledge');
    h.advanceTo('2026-03-24T12:00:00Z');
    const timeline: Item[] = (await h.ok('get_alert_group', { alert_group_id: id })).data.timeline;
    const late = timeline.filter(
      (i) => i.at > '2026-03-24T10:00:30Z' && (i.event === 'notification' || i.event.startsWith('escalation')),
    );
    expect(late).toEqual([]);
    expect(timeline.some((i) => i.event === 'notification' && i.at <= '2026-03-24T10:00:30Z')).toBe(true);
  });
});

describe('list_alert_groups (§13.3)', () => {
  it('filters by state (new means firing), team, integration and time range, newest first', async () => {
    const a = (await h.ok('create_escalation', { users: [{ id: IDS.bob, important: false }] })).data.id;
    h.advance(60);
    const b = (await h.ok('create_escalation', { team: IDS.sreTeam })).data.id;
    await h.ok('update_alert_group', { alert_group_id: a, action: 'acknowledge' });
    const all = await h.ok('list_alert_groups', {});
    expect(all.data.results.map((g: { id: string }) => g.id)).toEqual([b, a]);
    expect((await h.ok('list_alert_groups', { state: 'new' })).data.results.map((g: { id: string }) => g.id)).toEqual([b]);
    expect((await h.ok('list_alert_groups', { state: 'acknowledged' })).data.count).toBe(1);
    expect((await h.ok('list_alert_groups', { team_id: IDS.sreTeam })).data.results[0].id).toBe(b);
    expect((await h.ok('list_alert_groups', { team_id: 'null' })).data.results[0].id).toBe(a);
    const range = await h.ok('list_alert_groups', { started_at: '2026-03-24T10:00:30_2026-03-24T11:00:00' });
    expect(range.data.results.map((g: { id: string }) => g.id)).toEqual([b]);
    expect(firstLine((await h.call('list_alert_groups', { started_at: '2026-03-24' })).text)).toBe('Invalid request: Invalid range value');
  });

  it('the engine refuses state=firing with OnCall\'s message (a string, not a list)', async () => {
    await expect(h.backend.alertGroups.list({ state: 'firing' })).rejects.toMatchObject({
      body: { state: 'Must be one of the following: new, acknowledged, resolved, silenced' },
    });
  });
});
