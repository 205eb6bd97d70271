/**
 * The organisation itself: `/info/` (its Grafana URL), `/organizations/<any>/` (its id; the path
 * id is ignored, as OnCall answers for the token's organisation) and `/slack_channels/` (the
 * channels of its Slack workspace, the only way to find channel ids for routes and schedules).
 */
import type { OnCallBackend } from '../../api/backend.js';
import type { EngineContext } from '../core/context.js';
import { paginate, queryStrings } from '../core/pagination.js';

export function organization(ctx: EngineContext): OnCallBackend['organization'] {
  const { state } = ctx;
  return {
    async info() {
      return { url: state.organization.grafana_url };
    },
    async get() {
      // The organisation-wide maintenance OnCall once had is not modelled: never in maintenance.
      const id = state.organization.id;
      return { maintenance_mode: null, maintenance_started_at: null, maintenance_end_at: null, id };
    },
    async slackChannels(query) {
      // OnCall: the workspace's channels (none without Slack), exact name filter, by name.
      const channels = state.organization.slack_team_id ? state.organization.slack_channels : [];
      const items = channels
        .filter((c) => !query.channel_name || c.name === query.channel_name)
        .map((c) => ({ name: c.name, slack_id: c.slack_id }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return paginate(items, ctx.publicUrl, { path: '/api/v1/slack_channels/', query: queryStrings(query), defaultSize: 50 });
    },
  };
}
