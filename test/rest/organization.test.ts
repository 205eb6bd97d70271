/**
 * The organisation's own endpoints, as OnCall serves them (grafana/oncall
 * engine/apps/public_api/views/info.py, organizations.py, slack_channels.py): `/info/` is the
 * Grafana URL; `/organizations/<any>/` answers for the token's organisation whatever the id, with
 * the maintenance fields first; listing organisations has no permission; `/slack_channels/`
 * lists the workspace's channels by name with an exact `channel_name` filter, none without Slack.
 * Each runs over raw HTTP and through the HTTP backend.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { HttpBackend } from '../../src/http-backend/backend.js';
import { type RunningApi, startRestApi } from '../../src/rest/serve.js';

let api: RunningApi;
let engine: MemoryBackend;
const token = randomBytes(32).toString('hex');

beforeEach(async () => {
  engine = new MemoryBackend({ state: demoState() });
  api = await startRestApi({ backend: engine, token, inboundAlerts: engine });
});
afterEach(() => api.close());

async function get(path: string) {
  const res = await fetch(`${api.url}/api/v1/${path}`, { headers: { authorization: token } });
  return { status: res.status, body: JSON.parse(await res.text()) };
}

async function viaBackend<T>(run: (b: HttpBackend) => Promise<T>): Promise<T> {
  const backend = new HttpBackend({ baseUrl: api.url, token, sleep: async () => {} });
  try {
    return await run(backend);
  } finally {
    await backend.close();
  }
}

describe('the organisation over REST', () => {
  it('/info/ is the Grafana URL', async () => {
    expect(await get('info/')).toEqual({ status: 200, body: { url: engine.state.organization.grafana_url } });
    expect(await viaBackend((b) => b.organization.info())).toEqual({ url: engine.state.organization.grafana_url });
  });

  it('/organizations/<any>/ is the token\'s organisation; the list is not permitted', async () => {
    const id = engine.state.organization.id;
    const expected = { maintenance_mode: null, maintenance_started_at: null, maintenance_end_at: null, id };
    expect(await get('organizations/OANYTHINGATALL/')).toEqual({ status: 200, body: expected });
    expect(Object.keys((await get('organizations/x/')).body)).toEqual(['maintenance_mode', 'maintenance_started_at', 'maintenance_end_at', 'id']);
    expect((await get('organizations/')).status).toBe(403);
    expect(await viaBackend((b) => b.organization.get())).toEqual(expected);
  });

  it('/slack_channels/ lists the workspace\'s channels by name, with an exact name filter', async () => {
    const channels = engine.state.organization.slack_channels;
    expect(channels.length).toBeGreaterThan(1);
    const all = await get('slack_channels/');
    const names = (all.body.results as Array<{ name: string }>).map((c) => c.name);
    expect(names).toEqual([...channels.map((c) => c.name)].sort());
    const one = channels[1]!;
    expect((await get(`slack_channels/?channel_name=${one.name}`)).body.results).toEqual([{ name: one.name, slack_id: one.slack_id }]);
    expect((await get(`slack_channels/?channel_name=${one.name.slice(0, 3)}`)).body.count).toBe(0);
    expect(await viaBackend((b) => b.organization.slackChannels({}))).toEqual(all.body);
  });

  it('an organisation without Slack has no channels to list', async () => {
    engine.state.organization.slack_team_id = null;
    expect((await get('slack_channels/')).body.count).toBe(0);
  });
});

describe('users: roles and short', () => {
  it('?roles= keeps the users of those role codes; a code that is not one is refused', async () => {
    const admins = [...engine.state.users.values()].filter((u) => u.role === 'admin').map((u) => u.id);
    const editors = [...engine.state.users.values()].filter((u) => u.role === 'editor').map((u) => u.id);
    expect(admins.length).toBeGreaterThan(0);
    const onlyAdmins = await get('users/?roles=0');
    expect(onlyAdmins.body.results.map((u: { id: string }) => u.id)).toEqual(admins);
    const both = await get('users/?roles=0&roles=1');
    expect(both.body.results.map((u: { id: string }) => u.id).sort()).toEqual([...admins, ...editors].sort());
    expect(await get('users/?roles=7')).toEqual({
      status: 400,
      body: { roles: ['Select a valid choice. 7 is not one of the available choices.'] },
    });
  });

  it('?short=true gives each user the short fields only, through the HTTP backend too', async () => {
    const short = await get('users/?short=true');
    expect(Object.keys(short.body.results[0])).toEqual(['id', 'grafana_id', 'email', 'username', 'role', 'is_phone_number_verified']);
    expect(await viaBackend((b) => b.users.list({ short: 'true' }))).toEqual(short.body);
  });
});

describe('resolution notes: PATCH is partial', () => {
  it('PATCH without text keeps the note; PUT without text is refused', async () => {
    const integration = [...engine.state.integrations.values()].find((i) => i.type === 'alertmanager')!;
    const { alertGroupId } = engine.receiveAlert(integration.id, { groupKey: 'notes', status: 'firing' });
    const note = await engine.resolutionNotes.create({ alert_group_id: alertGroupId, text: 'first look' });
    const send = async (method: string, body: unknown) => {
      const res = await fetch(`${api.url}/api/v1/resolution_notes/${note.id}/`, {
        method,
        headers: { 'authorization': token, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: JSON.parse(await res.text()) };
    };
    const patched = await send('PATCH', {});
    expect(patched.status).toBe(200);
    expect(patched.body.text).toBe('first look');
    expect(await send('PUT', {})).toEqual({ status: 400, body: { text: ['This field is required.'] } });
  });
});

describe('request bodies as OnCall parses them', () => {
  const post = (type: string, body: string) =>
    fetch(`${api.url}/api/v1/escalation_chains/`, { method: 'POST', headers: { 'authorization': token, 'content-type': type }, body });

  it('a form body is read as fields, as DRF\'s form parser reads it', async () => {
    const res = await post('application/x-www-form-urlencoded', 'name=from+a+form');
    expect(res.status).toBe(201);
    expect(JSON.parse(await res.text()).name).toBe('from a form');
  });

  it('a hostile form (a field repeated, a file) is a field error, never a crash or a half-made chain', async () => {
    const before = engine.state.chains.size;
    const repeated = await post('application/x-www-form-urlencoded', 'name=a&name=b');
    expect(repeated.status).toBe(400);
    expect(Object.keys(JSON.parse(await repeated.text()))).toEqual(['name']);
    const form = new FormData();
    form.append('name', new Blob(['x'.repeat(1000)]), 'name.txt');
    const file = await fetch(`${api.url}/api/v1/escalation_chains/`, { method: 'POST', headers: { authorization: token }, body: form });
    expect(file.status).toBe(400);
    expect(engine.state.chains.size).toBe(before);
  });

  it('text/plain is refused with DRF\'s 415, and nothing is created', async () => {
    const before = engine.state.chains.size;
    const res = await post('text/plain', '{"name":"plain"}');
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({ detail: 'Unsupported media type "text/plain" in request.' });
    expect(engine.state.chains.size).toBe(before);
  });
});
