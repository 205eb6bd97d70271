/**
 * The capability probe against both profiles (src/rest/profiles.ts): token kind, plugin, Cloud or
 * self-hosted from whether the Cloud-only endpoint answers, and the tool table that follows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { toolVerdicts } from '../../src/http-backend/capabilities.js';
import { type LiveOrg, liveOrg, PLUGIN_OF } from './live-profile.js';

let org: LiveOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

const TOOLS = ['list_users', 'current_oncall', 'update_alert_group', 'create_escalation', 'advance_round_robin', 'list_personal_notification_rules'];

describe.each(['cloud', 'self-hosted'] as const)('%s profile', (profile) => {
  it('a service-account token: found, kind, plugin, deployment; actions refused up front', async () => {
    org = await liveOrg(profile);
    const http = org.backend();
    const caps = await http.capabilities();
    expect(caps).toMatchObject({
      ok: true,
      source: 'discovered',
      pluginId: PLUGIN_OF[profile],
      tokenKind: 'service-account',
      scheme: 'raw',
      deployment: profile,
      cloudEndpoints: profile === 'cloud' ? 'present' : 'absent',
    });
    expect(typeof caps.clockSkewMs).toBe('number');
    expect(caps.requests).toBeLessThanOrEqual(3); // chains page 1, one current_oncall (+ discovery, not an API request)
    expect(await http.capabilities()).toBe(caps); // cached
    const table = Object.fromEntries(toolVerdicts(caps, TOOLS).map((v) => [v.tool, v.verdict]));
    expect(table).toEqual({
      list_users: 'works',
      current_oncall: profile === 'cloud' ? 'works' : 'computed locally',
      update_alert_group: 'refused',
      create_escalation: 'refused',
      advance_round_robin: profile === 'cloud' ? 'works' : 'not available',
      list_personal_notification_rules: 'refused',
    });
  });

  it('a wrong token: not ok, and the problem names cause and fix', async () => {
    org = await liveOrg(profile);
    const caps = await org.backend({ baseUrl: org.api.url, token: 'f'.repeat(64) }).capabilities();
    expect(caps.ok).toBe(false);
    expect(caps.problem).toMatch(/^Invalid token\. Cause: OnCall knows no API key like this one/);
    expect(caps.problem).not.toContain('f'.repeat(64));
  });
});

describe('check_access', () => {
  it('through MCP on self-hosted: the report and the tool table', async () => {
    org = await liveOrg('self-hosted');
    const mcp = await org.mcp();
    const out = await mcp.call('check_access');
    expect(out.isError, out.text).toBe(false);
    expect(out.data).toMatchObject({ backend: 'live OnCall', ok: true, source: 'discovered', plugin_id: 'grafana-oncall-app', deployment: 'self-hosted' });
    expect(out.data.tools).toContainEqual(expect.objectContaining({ tool: 'current_oncall', verdict: 'computed locally' }));
    expect(out.text).toMatch(/update_alert_group +refused/);
    await mcp.close();
  });
});
