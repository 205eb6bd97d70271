import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { connect, type Harness, IDS, firstLine } from '../helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await connect();
});
afterEach(() => h.close());

const SEED_TEMPLATES = {
  grouping_key: null,
  resolve_signal: null,
  acknowledge_signal: null,
  source_link: null,
  slack: { title: null, message: null, image_url: null },
  web: { title: null, message: null, image_url: null },
  sms: { title: null },
  phone_call: { title: null },
  telegram: { title: null, message: null, image_url: null },
  email: { title: null, message: null },
  msteams: { title: null, message: null, image_url: null },
};

describe('seed 004', () => {
  it('create_integration {"type":"grafana"} returns every key of the documented shape', async () => {
    const { data } = await h.ok('create_integration', { type: 'grafana' });
    for (const key of [
      'id',
      'name',
      'team_id',
      'link',
      'inbound_email',
      'type',
      'default_route',
      'templates',
    ]) {
      expect(data).toHaveProperty(key);
    }
    expect(Object.keys(data)).toEqual([
      'id',
      'name',
      'description_short',
      'team_id',
      'link',
      'inbound_email',
      'type',
      'default_route',
      'templates',
      'heartbeat',
      'maintenance_mode',
      'maintenance_started_at',
      'maintenance_end_at',
    ]);
    expect(data.id).toMatch(/^C[A-NP-Z1-9]{12}$/);
    expect(data).toMatchObject({ team_id: null, inbound_email: null, type: 'grafana' });
    expect(data.templates).toEqual(SEED_TEMPLATES);
    expect(data.default_route).toMatchObject({ escalation_chain_id: null, slack: { channel_id: null } });
    expect(data.default_route.id).toMatch(/^R[A-NP-Z1-9]{12}$/);
    expect(data.link).toMatch(/^http:\/\/localhost:8080\/integrations\/v1\/grafana\/[A-Za-z0-9]{25}\/$/);
    expect(data.heartbeat).toEqual({ link: `${data.link}heartbeat/` });
  });

  it('get_integration CFRPV98RPR1U8 has the documented values, and its routes', async () => {
    const { data, text } = await h.ok('get_integration', { integration_id: 'CFRPV98RPR1U8' });
    expect(data).toMatchObject({
      id: 'CFRPV98RPR1U8',
      name: 'Grafana :blush:',
      team_id: null,
      link: 'http://localhost:8080/integrations/v1/grafana/mReAoNwDm0eMwKo1mTeTwYo/',
      inbound_email: null,
      type: 'grafana',
      default_route: {
        id: 'RVBE4RKQSCGJ2',
        escalation_chain_id: 'F5JU6KJET33FE',
        slack: { channel_id: 'CH23212D' },
      },
      templates: SEED_TEMPLATES,
    });
    expect(data.routes.map((r: { id: string }) => r.id)).toEqual(['RVBE4RKQSCGJ2']);
    expect(text).toContain('[default] every other alert → chain "default" (F5JU6KJET33FE)');
  });

  it('update with the documented template body keeps everything null and every key present', async () => {
    // The API's nested body, as the tool's flat keys ("" and null both reset a template).
    const body = { 'grouping_key': null, 'resolve_signal': '', 'slack.title': null, 'slack.message': '', 'slack.image_url': null };
    const { data } = await h.ok('update_integration', { integration_id: 'CFRPV98RPR1U8', templates: body });
    expect(data.templates).toEqual(SEED_TEMPLATES);
  });
});

describe('types and default names (§11.1, §11.3)', () => {
  it('names a new integration after its type title and the count of integrations ever created', async () => {
    // The demo has had 5 integrations: the 6th gets "5" = :package:, deleted ones still count.
    const first = await h.ok('create_integration', { type: 'alertmanager' });
    expect(first.data.name).toBe('Alertmanager :package:');
    await h.ok('delete_integration', { integration_id: first.data.id });
    expect((await h.ok('create_integration', { type: 'webhook' })).data.name).toBe('Webhook :balloon:');
    expect((await h.ok('create_integration', { type: 'grafana' })).data.name).toBe(
      'Grafana Legacy Alerting :bell:',
    );
  });

  it('builds link, inbound email and heartbeat by type', async () => {
    const email = (await h.ok('create_integration', { type: 'inbound_email' })).data;
    expect(email.link).toBeNull();
    expect(email.inbound_email).toMatch(/^[A-Za-z0-9]{25}@inbound\.example\.com$/);
    expect(email.heartbeat).toBeNull();
    const manual = (await h.ok('create_integration', { type: 'manual' })).data;
    expect(manual).toMatchObject({ link: null, inbound_email: null, heartbeat: null });
    const alerting = (await h.ok('create_integration', { type: 'grafana_alerting' })).data;
    expect(alerting.link).toContain('/integrations/v1/grafana_alerting/');
    expect(alerting.heartbeat).toBeNull();
  });

  it.each([
    ['legacy_alertmanager', 'This integration type is deprecated'],
    ['direct_paging', 'Direct paging integrations can\'t be created'],
    ['maintenance', 'Invalid integration type'],
    ['bogus', 'Invalid integration type'],
  ])('the engine refuses to create %s', async (type, detail) => {
    await expect(h.backend.integrations.create({ type, name: 'x' })).rejects.toMatchObject({
      status: 400,
      body: { detail },
    });
  });

  it('shows legacy types as their successor', async () => {
    const state = demoState();
    state.integrations.get('CFRPV98RPR1U8')!.type = 'legacy_alertmanager';
    await h.close();
    h = await connect({ state });
    expect((await h.ok('get_integration', { integration_id: 'CFRPV98RPR1U8' })).data.type).toBe(
      'alertmanager',
    );
  });

  it('requires a type, and rejects unknown ones at the tool boundary', async () => {
    await expect(h.backend.integrations.create({})).rejects.toMatchObject({
      body: { type: ['This field is required.'] },
    });
    const r = await h.call('create_integration', { type: 'legacy_grafana_alerting' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Invalid arguments: type: expected one of "grafana_alerting", /);
    expect(r.text).toContain('got the string "legacy_grafana_alerting"');
  });
});

describe('name uniqueness per team (§11.3)', () => {
  it('the same name in one team is refused; in another team it is fine', async () => {
    await h.ok('create_integration', { type: 'webhook', name: 'Checkout', team_id: IDS.sreTeam });
    const dup = await h.call('create_integration', {
      type: 'webhook',
      name: 'Checkout',
      team_id: IDS.sreTeam,
    });
    expect(firstLine(dup.text)).toBe('Invalid request: An integration with this name already exists for this team');
    const other = await h.ok('create_integration', { type: 'webhook', name: 'Checkout', team_id: null });
    expect(other.data.team_id).toBeNull();
    // Moving the second into the first one's team clashes too.
    const move = await h.call('update_integration', { integration_id: other.data.id, team_id: IDS.sreTeam });
    expect(move.isError).toBe(false); // name not sent: no check (as in OnCall)
    const rename = await h.call('update_integration', { integration_id: other.data.id, name: 'Checkout' });
    expect(rename.text).toContain('already exists for this team');
  });

  it('deleted integrations free their name', async () => {
    const a = (await h.ok('create_integration', { type: 'webhook', name: 'Temp' })).data;
    await h.ok('delete_integration', { integration_id: a.id });
    expect((await h.call('create_integration', { type: 'webhook', name: 'Temp' })).isError).toBe(false);
  });
});

describe('templates (§11.4)', () => {
  it('changing templates.slack.title changes only that field', async () => {
    await h.ok('update_integration', {
      integration_id: 'CFRPV98RPR1U8',
      templates: { 'web.title': '{{ payload.title }}' },
    });
    const { data } = await h.ok('update_integration', {
      integration_id: 'CFRPV98RPR1U8',
      templates: { 'slack.title': '*{{ payload.title }}*' },
    });
    expect(data.templates).toEqual({
      ...SEED_TEMPLATES,
      slack: { title: '*{{ payload.title }}*', message: null, image_url: null },
      web: { title: '{{ payload.title }}', message: null, image_url: null },
    });
  });

  it.each([
    [{ 'slack.title': '{{ payload.title' }, 'invalid slack title template'],
    [{ 'msteams.message': '{% if x %}' }, 'invalid msteams message template'],
    [{ grouping_key: '{{ }}' }, 'Invalid grouping_key template data'],
    [{ 'slack.title': '{{ "".constructor.constructor("return 1")() }}' }, 'invalid slack title template'],
  ])('rejects %j with "%s"', async (templates, detail) => {
    const r = await h.call('update_integration', { integration_id: 'CFRPV98RPR1U8', templates });
    expect(firstLine(r.text)).toBe(`Invalid request: ${detail}`);
    const after = await h.ok('get_integration', { integration_id: 'CFRPV98RPR1U8' });
    expect(after.data.templates).toEqual(SEED_TEMPLATES);
  });

  it('refuses a key that is not a template, naming the keys', async () => {
    const r = await h.call('update_integration', { integration_id: 'CFRPV98RPR1U8', templates: { 'slack.titel': 'x' } });
    expect(firstLine(r.text)).toMatch(
      /^Invalid arguments: templates\.slack\.titel: not a template key; the keys are grouping_key, .*slack\.title/,
    );
  });

  it('engine rules for raw bodies: non-dicts, unknown attributes, resets', async () => {
    const update = (templates: unknown) =>
      h.backend.integrations.update('CFRPV98RPR1U8', { templates } as never);
    await expect(update('x')).rejects.toMatchObject({
      body: { templates: ['Expected a dictionary of items but got type "str".'] },
    });
    await expect(update({ web: 'x' })).rejects.toMatchObject({
      body: { detail: 'Invalid web template data' },
    });
    await expect(update({ grouping_key: {} })).rejects.toMatchObject({
      body: { detail: 'Invalid grouping_key template data' },
    });
    await expect(update({ sms: { message: 'x' } })).rejects.toMatchObject({
      body: { detail: 'Invalid template data' },
    });
    // Unknown attributes of a messaging backend, and unknown top-level keys, are ignored.
    const ignored = await update({ email: { image_url: 'x' }, nonsense: 1, sms: {} });
    expect(ignored.templates).toEqual(SEED_TEMPLATES);
    await update({ telegram: { title: 'a', message: 'b' } });
    const reset = await update({ telegram: null });
    expect(reset.templates.telegram).toEqual({ title: null, message: null, image_url: null });
  });
});

describe('default route, maintenance, delete, list', () => {
  it('sets the default route chain and Slack channel, checking both', async () => {
    const created = await h.ok('create_integration', {
      type: 'alertmanager',
      default_route: { escalation_chain_id: IDS.sreCritical, slack: { channel_id: 'c05incidents' } },
    });
    expect(created.data.default_route).toMatchObject({
      escalation_chain_id: IDS.sreCritical,
      slack: { channel_id: 'C05INCIDENTS', enabled: true },
      telegram: { id: null, enabled: false },
    });
    const bad = await h.call('update_integration', {
      integration_id: created.data.id,
      default_route: { escalation_chain_id: 'FNOSUCHCHAIN1', slack: { channel_id: 'CNOPE' } },
    });
    const lines = bad.text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('Invalid request:');
    expect(lines[1]).toMatch(/^- default_route\.escalation_chain_id: Object does not exist\. Given: "FNOSUCHCHAIN1"\./);
    expect(lines[1]).toContain('Fix: list_escalation_chains shows valid ones');
    expect(lines[2]).toMatch(/^- default_route\.slack\.channel_id: Slack channel does not exist/);
  });

  it('without Slack, a Slack channel is refused outright', async () => {
    h.backend.state.organization.slack_team_id = null;
    const r = await h.call('create_integration', {
      type: 'webhook',
      default_route: { slack: { channel_id: 'CH23212D' } },
    });
    expect(firstLine(r.text)).toBe('Invalid request: Slack isn\'t connected to this workspace');
    expect((await h.ok('list_integrations', {})).data.count).toBe(5);
  });

  it('maintenance: start, refuse twice, expire by itself, stop', async () => {
    const started = await h.ok('set_integration_maintenance', {
      integration_id: 'CFRPV98RPR1U8',
      mode: 'debug',
      duration: 3600,
    });
    expect(started.data).toMatchObject({
      maintenance_mode: 'debug',
      maintenance_started_at: '2026-03-24T12:00:00Z',
      maintenance_end_at: '2026-03-24T13:00:00Z',
    });
    const again = await h.call('set_integration_maintenance', {
      integration_id: 'CFRPV98RPR1U8',
      mode: 'maintenance',
      duration: 60,
    });
    expect(firstLine(again.text)).toBe('Invalid request: Already on maintenance');
    h.clock.advance(3600 * 1000);
    const expired = await h.ok('get_integration', { integration_id: 'CFRPV98RPR1U8' });
    expect(expired.data.maintenance_mode).toBeNull();
    await h.ok('set_integration_maintenance', {
      integration_id: 'CFRPV98RPR1U8',
      mode: 'maintenance',
      duration: 60,
    });
    const stopped = await h.ok('set_integration_maintenance', {
      integration_id: 'CFRPV98RPR1U8',
      mode: 'off',
    });
    expect(stopped.data).toMatchObject({
      maintenance_mode: null,
      maintenance_started_at: null,
      maintenance_end_at: null,
    });
    expect(stopped.text).toContain('not in maintenance');
  });

  it('maintenance input errors', async () => {
    const noDuration = await h.call('set_integration_maintenance', {
      integration_id: 'CFRPV98RPR1U8',
      mode: 'debug',
    });
    expect(firstLine(noDuration.text)).toBe(
      'Invalid request: duration: Invalid duration: give whole seconds from 1 to 31536000 (a year), e.g. 3600 for an hour.',
    );
    await expect(
      h.backend.integrations.startMaintenance('CFRPV98RPR1U8', { mode: 'nap', duration: 1 }),
    ).rejects.toMatchObject({
      body: { mode: ['Unknown mode'] },
    });
    const upper = await h.backend.integrations.startMaintenance('CFRPV98RPR1U8', {
      mode: 'DEBUG',
      duration: 5,
    });
    expect(upper.maintenance_mode).toBe('debug');
  });

  it('delete is soft: hidden everywhere, its routes gone from list_routes', async () => {
    const am = 'CQWPPTFIE6MK6';
    const before = (await h.ok('list_routes', {})).data.count;
    const own = (await h.ok('list_routes', { integration_id: am })).data.count;
    const del = await h.ok('delete_integration', { integration_id: am });
    expect(del.data).toMatchObject({ id: am, deleted: true });
    expect((await h.call('get_integration', { integration_id: am })).text).toContain(
      'no integration with id',
    );
    expect((await h.ok('list_routes', {})).data.count).toBe(before - own);
    expect(h.backend.state.integrations.get(am)?.deleted).toBe(true);
  });

  it('direct paging integrations cannot be deleted', async () => {
    const pager = h.backend.state.integrations.get('CFRPV98RPR1U8')!;
    pager.type = 'direct_paging';
    const r = await h.call('delete_integration', { integration_id: pager.id });
    expect(firstLine(r.text)).toBe('Invalid request: Direct paging integrations can\'t be deleted');
  });

  it('lists in creation order with name and team filters', async () => {
    const all = await h.ok('list_integrations', {});
    expect(all.data.count).toBe(5);
    expect(all.data.results[0].id).toBe('CFRPV98RPR1U8');
    const sre = await h.ok('list_integrations', { team_id: IDS.sreTeam });
    expect(sre.data.results.map((i: { name: string }) => i.name)).toEqual([
      'Alertmanager (production)',
      'Direct paging (SRE team)',
    ]);
    const named = await h.ok('list_integrations', { name: 'Grafana :blush:' });
    expect(named.data.count).toBe(1);
    expect(all.text).toContain('CFRPV98RPR1U8 "Grafana :blush:" (grafana)');
  });
});

describe('maintenance mode collects alerts without escalating (§11.5)', () => {
  it('opens the special alert group, routes new alerts into it, and ends when resolved', async () => {
    await h.ok('set_integration_maintenance', { integration_id: 'CQWPPTFIE6MK6', mode: 'maintenance', duration: 3600 });
    const groups = await h.ok('list_alert_groups', {});
    expect(groups.data.results).toHaveLength(1);
    const collector = groups.data.results[0];
    expect(collector.title).toBe('Maintenance of Alertmanager (production) for 1h');
    const hidden = await h.call('get_integration', { integration_id: collector.integration_id });
    expect(hidden.isError).toBe(true); // the Maintenance integration is hidden
    const { alertGroupId } = h.backend.receiveAlert('CQWPPTFIE6MK6', { status: 'firing', groupKey: 'k' });
    expect(alertGroupId).toBe(collector.id);
    const refused = await h.call('update_alert_group', { alert_group_id: collector.id, action: 'acknowledge' });
    expect(firstLine(refused.text)).toBe('Invalid request: Can\'t acknowledge a maintenance alert group');
    await h.ok('update_alert_group', { alert_group_id: collector.id, action: 'resolve' });
    expect((await h.ok('get_integration', { integration_id: 'CQWPPTFIE6MK6' })).data.maintenance_mode).toBeNull();
    const after = h.backend.receiveAlert('CQWPPTFIE6MK6', { status: 'firing', groupKey: 'k' });
    expect(after).toMatchObject({ created: true });
    expect(after.alertGroupId).not.toBe(collector.id);
  });
});
