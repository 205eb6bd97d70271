/**
 * Connecting the way Grafana's clients do, against both test profiles (rules and their sources:
 * src/rest/profiles.ts, src/rest/grafana-double.ts): a Grafana URL and a service-account token are
 * enough; the token goes raw with X-Grafana-URL; each known refusal names its cause and its fix.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors.js';
import { httpBackendConfig } from '../../src/cli/http-config.js';
import { UsageError } from '../../src/cli/options.js';
import { errorText } from '../../src/tools/errors.js';
import { IDS } from '../helpers.js';
import { type LiveOrg, liveOrg, PLUGIN_OF } from './live-profile.js';

let org: LiveOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

const failure = async (p: Promise<unknown>) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
};

describe.each(['cloud', 'self-hosted'] as const)('%s profile', (profile) => {
  it('GRAFANA_URL and a glsa_ token alone: discovery, then get_escalation_chain and who_is_on_call', async () => {
    org = await liveOrg(profile);
    // The configuration a user writes: no API URL, no auth scheme.
    const config = httpBackendConfig({}, { GRAFANA_URL: org.grafana.url, ONCALL_API_TOKEN: org.serviceAccountToken });
    expect(config).toEqual({ token: org.serviceAccountToken, grafanaUrl: org.grafana.url });
    const mcp = await org.mcp(config);
    const chain = await mcp.call('get_escalation_chain', { escalation_chain_id: IDS.defaultChain });
    expect(chain.isError, chain.text).toBe(false);
    expect(chain.data.name).toBe('default');
    const who = await mcp.call('who_is_on_call', { target: 'default' });
    expect(who.isError, who.text).toBe(false);
    // Cloud stacks run grafana-irm-app; an older self-hosted install only grafana-oncall-app, found second.
    const lookups = org.grafana.requests.filter((r) => r.includes('/api/plugins/'));
    expect(lookups[0]).toBe('GET /api/plugins/grafana-irm-app/settings');
    expect(lookups.at(-1)).toBe(`GET /api/plugins/${PLUGIN_OF[profile]}/settings`);
    expect(lookups).toHaveLength(profile === 'cloud' ? 1 : 2); // discovered once, then cached
    const facts = await mcp.backend.client.facts();
    expect(facts).toMatchObject({ source: 'discovered', pluginId: PLUGIN_OF[profile], scheme: 'raw', tokenKind: 'service-account' });
    await mcp.close();
  });

  it('Bearer is refused, and the error names the header form and the fix', async () => {
    org = await liveOrg(profile);
    const err = await failure(org.backend({ authScheme: 'bearer' }).escalationChains.get(IDS.defaultChain));
    expect(err.status).toBe(403);
    expect(errorText(err)).toContain('Invalid token. Cause: the token was sent as "Authorization: Bearer …"');
    expect(errorText(err)).toContain('Fix: drop --auth-scheme bearer');
    expect(errorText(err)).not.toContain(org.serviceAccountToken);
  });

  it('a service account cannot acknowledge or page: the message says why and what to use instead', async () => {
    org = await liveOrg(profile);
    const http = org.backend();
    const ack = await failure(http.alertGroups.action('I1', 'acknowledge'));
    expect(errorText(ack)).toMatch(/^Permission denied \(HTTP 403\): Service accounts are not allowed to acknowledge/);
    expect(errorText(ack)).toMatch(/ Cause: .* Fix: use an OnCall API key/);
    const page = await failure(http.escalation.create({ users: [{ id: IDS.bob, important: false }] }));
    expect(errorText(page)).toContain('accepts only an OnCall API key');
    // Known to fail for every service account: not even sent.
    expect(org.requests.filter((r) => r.startsWith('POST '))).toHaveLength(0);
    expect(errorText(page)).toContain('oncall-mcp did not send the request');
  });

  it('"Organization being synced" (429, no Retry-After): GETs back off and succeed; a write is not retried', async () => {
    org = await liveOrg(profile, { syncingRequests: 2 });
    const http = org.backend();
    await expect(http.escalationChains.get(IDS.defaultChain)).resolves.toMatchObject({ name: 'default' });
    expect(org.requests.filter((r) => r.startsWith('GET /api/v1/escalation_chains/'))).toHaveLength(3);
    await org.close();
    org = await liveOrg(profile, { syncingRequests: 1 });
    const write = await failure(org.backend().escalationChains.update(IDS.defaultChain, { name: 'x' }, 'put'));
    expect(write.status).toBe(429);
    expect(errorText(write)).toContain('Writes are not retried automatically.');
    expect(org.requests.filter((r) => r.startsWith('PUT '))).toHaveLength(1);
  });

  it('an API key with --api-url works as before, sent raw', async () => {
    org = await liveOrg(profile);
    const http = org.backend({ baseUrl: org.api.url, token: org.apiKey, grafanaUrl: undefined });
    await expect(http.escalationChains.get(IDS.defaultChain)).resolves.toMatchObject({ name: 'default' });
    await expect(http.alertGroups.list({})).resolves.toMatchObject({ results: expect.any(Array) });
  });
});

describe('refusals only one profile has', () => {
  it('Cloud: a service-account token without X-Grafana-URL is "Missing X-Grafana-Instance-ID", with the fix', async () => {
    org = await liveOrg('cloud');
    const noGrafana = org.backend({ baseUrl: org.api.url, grafanaUrl: undefined });
    const err = await failure(noGrafana.escalationChains.get(IDS.defaultChain));
    expect(errorText(err)).toContain('Missing X-Grafana-Instance-ID Cause: a service-account token was sent without X-Grafana-URL');
    expect(errorText(err)).toContain('Fix: set --grafana-url (GRAFANA_URL)');
  });

  it('self-hosted: current_oncall is absent; the error says the endpoint is missing, not the chain', async () => {
    org = await liveOrg('self-hosted');
    const http = org.backend();
    const absent = await failure(http.escalationPolicies.advanceRoundRobin(IDS.roundRobinPolicy));
    expect(errorText(absent)).toContain('no advance_round_robin endpoint');
    const missing = await failure(http.escalationChains.currentOncall('FNOPE'));
    expect(errorText(missing)).toBe('Not found: there is no escalation chain with id "FNOPE". Use list_escalation_chains to find valid ids.');
  });
});

describe('discovery failures', () => {
  it('a token Grafana refuses, and a Grafana without the plugin, are named with the fix', async () => {
    org = await liveOrg('cloud');
    const refused = await failure(org.backend({ token: 'glsa_wrong_token_00000000' }).teams.list({}));
    expect(errorText(refused)).toContain('refused the token (HTTP 401)');
    expect(errorText(refused)).not.toContain('glsa_wrong_token');
    const nowhere = await failure(org.backend({ grafanaUrl: org.api.url }).teams.list({}));
    expect(errorText(nowhere)).toContain('has no OnCall plugin to discover the API URL from');
  });

  it('configuration: --api-url overrides discovery; an API key cannot discover; bad URLs name the flag', () => {
    expect(httpBackendConfig({ apiUrl: 'https://oncall.example/' }, { GRAFANA_URL: 'https://g.example', ONCALL_API_TOKEN: 'glsa_x' }))
      .toEqual({ baseUrl: 'https://oncall.example', grafanaUrl: 'https://g.example', token: 'glsa_x' });
    expect(() => httpBackendConfig({}, { GRAFANA_URL: 'https://g.example', ONCALL_API_TOKEN: 'a'.repeat(64) })).toThrow(
      /needs a Grafana service-account token/,
    );
    expect(() => httpBackendConfig({ grafanaUrl: 'ftp://g' }, { ONCALL_API_TOKEN: 'glsa_x' })).toThrow(UsageError);
    expect(() => httpBackendConfig({}, {})).toThrow(/--grafana-url \(GRAFANA_URL\)/);
    // grafana/mcp-grafana's variable name is read too, so the same environment serves both servers.
    expect(httpBackendConfig({}, { GRAFANA_URL: 'https://g.example', GRAFANA_SERVICE_ACCOUNT_TOKEN: 'glsa_y' }).token).toBe('glsa_y');
  });
});

describe('secrets, with the new messages', () => {
  it('no tool result, error or log line carries the service-account token (self-hosted, Bearer and raw)', async () => {
    const { ALL_TOOLS } = await import('../../src/tools/index.js');
    org = await liveOrg('self-hosted');
    const seen: string[] = [];
    for (const scheme of ['raw', 'bearer'] as const) {
      const mcp = await org.mcp({ authScheme: scheme });
      for (const tool of ALL_TOOLS) {
        const r = await mcp.call(tool.name, tool.name === 'current_oncall' || tool.name === 'simulate_escalation'
          ? { escalation_chain_id: IDS.sreCritical }
          : {});
        seen.push(r.text, JSON.stringify(r.data ?? null));
      }
      seen.push(...mcp.logs);
      await mcp.close();
    }
    expect(seen.some((t) => t.includes('Cause:'))).toBe(true);
    for (const text of seen) expect(text).not.toContain(org.serviceAccountToken);
  });
});
