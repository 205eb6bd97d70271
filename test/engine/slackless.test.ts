/**
 * An organisation without Slack. OnCall's route serializer (grafana/oncall
 * engine/apps/public_api/serializers/routes.py, `_correct_validated_data`) stores a route's
 * `slack.enabled` and a null `slack.channel_id` whatever the organisation; only a channel id
 * needs a Slack workspace. So a route's own GET body can be sent back, and such an organisation
 * survives export and import.
 */
import { describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { exportData, importData } from '../../src/engine/storage/data-file.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import type { State } from '../../src/engine/core/state.js';

/** The demo without Slack: no workspace, no channels, and nothing that needs one. */
function withoutSlack(): State {
  const state = demoState();
  state.organization.slack_team_id = null;
  state.organization.slack_channels = [];
  for (const route of state.routes.values()) route.slack = { channel_id: null, enabled: route.slack.enabled };
  for (const [id, policy] of state.policies) {
    if (policy.type === 'notify_whole_channel' || policy.type === 'notify_user_group') state.policies.delete(id);
  }
  return state;
}

describe('an organisation without Slack', () => {
  it('accepts a route\'s own GET body sent back, and {"enabled": false}', async () => {
    const backend = new MemoryBackend({ state: withoutSlack() });
    const route = (await backend.routes.list({})).results.find((r) => !r.is_the_last_route)!;
    const { id, integration_id: _integration, is_the_last_route: _last, ...body } = route;
    const updated = await backend.routes.update(id, body as Record<string, unknown>);
    expect(updated.slack).toEqual({ channel_id: null, enabled: route.slack.enabled });
    const disabled = await backend.routes.update(id, { slack: { enabled: false } });
    expect(disabled.slack).toEqual({ channel_id: null, enabled: false });
  });

  it('still refuses a Slack channel, saying Slack is not connected', async () => {
    const backend = new MemoryBackend({ state: withoutSlack() });
    const route = (await backend.routes.list({})).results[0]!;
    await expect(backend.routes.update(route.id, { slack: { channel_id: 'CH23212D' } })).rejects.toMatchObject({
      status: 400,
      body: { detail: 'Slack isn\'t connected to this workspace' },
    });
  });

  it('round-trips through the data file, integrations and their default routes included', () => {
    const state = withoutSlack();
    expect(state.integrations.size).toBeGreaterThan(0);
    const exported = exportData(state);
    const again = importData(JSON.parse(JSON.stringify(exported)));
    expect(exportData(again)).toEqual(exported);
  });
});
