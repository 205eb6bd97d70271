/**
 * The REST facade's Cloud IRM and self-hosted profiles, over real HTTP. Each expectation is a
 * rule read in OnCall's source or Grafana's clients (cited per test; the rules live in
 * src/rest/profiles.ts and src/rest/grafana-double.ts).
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { VirtualClock } from '../../src/engine/core/clock.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { startGrafanaDouble } from '../../src/rest/grafana-double.js';
import type { RestProfile } from '../../src/rest/profiles.js';
import { type RunningApi, startRestApi } from '../../src/rest/serve.js';

const apiKey = randomBytes(32).toString('hex');
const sa = `glsa_${randomBytes(16).toString('hex')}_abcd1234`;
const GRAFANA = 'https://stack.grafana.example';
const CHAIN = '/api/v1/escalation_chains/F5JU6KJET33FE/';

let api: RunningApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function start(profile: RestProfile, extra: { syncingRequests?: number } = {}) {
  const engine = new MemoryBackend({ state: demoState(), clock: VirtualClock.at('2026-03-24T12:00:00Z') });
  api = await startRestApi({
    backend: engine,
    token: apiKey,
    rateLimit: 0,
    profile: { profile, serviceAccountToken: sa, grafanaUrl: GRAFANA, instanceId: '5', ...extra },
  });
  return api;
}

async function call(method: string, path: string, headers: Record<string, string>) {
  const res = await fetch(`${api!.url}${path}`, { method, headers });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text ? JSON.parse(text) : null };
}

describe.each(['cloud', 'self-hosted'] as const)('%s profile: header forms (grafana/oncall engine/apps/auth_token/auth.py)', (profile) => {
  it('accepts the raw service-account token with X-Grafana-URL, and the raw API key', async () => {
    await start(profile);
    expect((await call('GET', CHAIN, { 'authorization': sa, 'x-grafana-url': GRAFANA })).status).toBe(200);
    // validate_url() then rstrip("/"): a trailing slash names the same organisation.
    expect((await call('GET', CHAIN, { 'authorization': sa, 'x-grafana-url': `${GRAFANA}/` })).status).toBe(200);
    expect((await call('GET', CHAIN, { authorization: apiKey })).status).toBe(200);
  });

  it('refuses `Bearer glsa_…` and `Bearer <key>`: the startswith("glsa_") test sees "Bearer", ApiTokenAuthentication strips nothing', async () => {
    await start(profile);
    for (const auth of [`Bearer ${sa}`, `Bearer ${apiKey}`, '', 'nonsense']) {
      const headers: Record<string, string> = { 'x-grafana-url': GRAFANA };
      if (auth) headers.authorization = auth;
      expect(await call('GET', CHAIN, headers)).toMatchObject({ status: 403, body: { detail: 'Invalid token.' } });
    }
  });

  it('an unknown X-Grafana-URL is "Organization being synced" 429 without Retry-After (Throttled with no wait)', async () => {
    await start(profile, { syncingRequests: 2 });
    const headers = { 'authorization': sa, 'x-grafana-url': GRAFANA };
    for (let i = 0; i < 2; i++) {
      expect(await call('GET', CHAIN, headers)).toMatchObject({
        status: 429,
        retryAfter: null,
        body: { detail: 'Organization being synced, please retry.' },
      });
    }
    expect((await call('GET', CHAIN, headers)).status).toBe(200);
    expect((await call('GET', CHAIN, { 'authorization': sa, 'x-grafana-url': 'https://other.example' })).status).toBe(429);
  });

  it('a service account may not act as a user (views/alert_groups.py; escalation.py is ApiTokenAuthentication only)', async () => {
    await start(profile);
    const headers = { 'authorization': sa, 'x-grafana-url': GRAFANA, 'content-type': 'application/json' };
    for (const action of ['acknowledge', 'resolve', 'silence', 'unsilence']) {
      // Checked before the lookup: even an alert group that does not exist gets the 403.
      expect(await call('POST', `/api/v1/alert_groups/INOPE/${action}/`, headers)).toMatchObject({
        status: 403,
        body: { detail: `Service accounts are not allowed to ${action} alert groups` },
      });
    }
    expect(await call('POST', '/api/v1/escalation/', headers)).toMatchObject({ status: 403, body: { detail: 'Invalid token.' } });
    // The API key (a user's token) is not refused there.
    expect((await call('POST', '/api/v1/alert_groups/INOPE/acknowledge/', { authorization: apiKey })).status).toBe(404);
  });

  it('this project\'s own extensions are absent, as on any live OnCall', async () => {
    await start(profile);
    expect((await call('GET', '/api/v1/alert_groups/I1/oncall_mcp_timeline/', { authorization: apiKey })).status).toBe(404);
    expect((await call('POST', '/api/v1/escalation_chains/F5JU6KJET33FE/oncall_mcp_simulate/', { authorization: apiKey })).status).toBe(404);
  });
});

describe('Cloud-only rules', () => {
  it('Cloud without X-Grafana-URL needs X-Grafana-Instance-ID (settings.LICENSE == CLOUD_LICENSE_NAME)', async () => {
    await start('cloud');
    expect(await call('GET', CHAIN, { authorization: sa })).toMatchObject({
      status: 403,
      body: { detail: 'Missing X-Grafana-Instance-ID' },
    });
    expect((await call('GET', CHAIN, { 'authorization': sa, 'x-grafana-instance-id': '5' })).status).toBe(200);
  });

  it('self-hosted without X-Grafana-URL uses its one organisation (SELF_HOSTED_SETTINGS slugs)', async () => {
    await start('self-hosted');
    expect((await call('GET', CHAIN, { authorization: sa })).status).toBe(200);
  });

  it('current/previous/next_oncall and advance_round_robin exist on Cloud, 404 on self-hosted (not in views/escalation_chains.py)', async () => {
    const paths = [
      ['GET', `${CHAIN}current_oncall/`],
      ['GET', `${CHAIN}previous_oncall/`],
      ['GET', `${CHAIN}next_oncall/`],
      ['POST', '/api/v1/escalation_policies/E5JJTU52M5YM4/advance_round_robin/'],
    ] as const;
    await start('cloud');
    for (const [method, path] of paths) expect((await call(method, path, { authorization: apiKey })).status).toBe(200);
    await api!.close();
    await start('self-hosted');
    for (const [method, path] of paths) {
      expect(await call(method, path, { authorization: apiKey })).toMatchObject({ status: 404, body: { detail: 'Not found.' } });
    }
  });
});

describe('Grafana double: plugin settings', () => {
  it('serves jsonData.onCallApiUrl for the installed plugin id only, to a Bearer service-account token', async () => {
    const grafana = await startGrafanaDouble({ pluginId: 'grafana-oncall-app', onCallApiUrl: 'http://engine:8080', token: sa });
    try {
      const get = async (id: string, auth: string) => {
        const res = await fetch(`${grafana.url}/api/plugins/${id}/settings`, { headers: { authorization: auth } });
        return { status: res.status, body: await res.json() };
      };
      expect(await get('grafana-oncall-app', `Bearer ${sa}`)).toMatchObject({ status: 200, body: { jsonData: { onCallApiUrl: 'http://engine:8080' } } });
      expect(await get('grafana-irm-app', `Bearer ${sa}`)).toMatchObject({
        status: 404,
        body: { message: 'Plugin not found, no installed plugin with that id' },
      });
      expect((await get('grafana-oncall-app', 'Bearer glsa_wrong')).status).toBe(401);
    } finally {
      await grafana.close();
    }
  });
});
