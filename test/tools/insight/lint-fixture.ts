/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are edited as plain JSON. */
/**
 * A small organisation with nothing wrong, for lint tests: two people with phone rules on a 24/7
 * daily rotation, a chain that pages the rotation and then the lead, one integration routing to
 * it. Each test copies it and adds exactly one defect.
 */

export const L = {
  ann: 'UANNANNANNAN1',
  ben: 'UBENBENBENBE1',
  vic: 'UVICVICVICVI1',
  team: 'TOPSOPSOPSOP1',
  schedule: 'SOPSOPSOPSOP1',
  rotation: 'OOPSOPSOPSOP1',
  chain: 'FOPSOPSOPSOP1',
  pageRotation: 'EOPSPAGEROTA1',
  wait: 'EOPSWAITWAIT1',
  pageLead: 'EOPSPAGELEAD1',
  integration: 'COPSOPSOPSOP1',
  defaultRoute: 'ROPSDEFAULTR1',
  webhook: 'WHOPSHOOKHOOK1',
} as const;

type Rule = { type: string; duration?: number };
type Rules = { default: Rule[]; important: Rule[] };
const PHONE: Rules = { default: [{ type: 'notify_by_phone_call' }], important: [{ type: 'notify_by_phone_call' }] };

const user = (id: string, username: string, grafanaId: number, extra: Record<string, unknown> = {}) => ({
  id,
  grafana_id: grafanaId,
  email: `${username}@example.com`,
  slack: null,
  username,
  role: 'editor',
  is_phone_number_verified: true,
  phone_number: '+12025550100',
  phone_number_status: 'available',
  timezone: 'UTC',
  teams: [L.team],
  notification_rules: PHONE,
  ...extra,
});

export function cleanOrganisation(): any {
  return {
    version: 1,
    organization: { grafana_url: 'http://localhost:3000', api_user_id: L.ann, slack_channels: [], telegram_channels: [] },
    teams: [{ id: L.team, grafana_id: 1, name: 'Ops', email: null, avatar_url: 'https://grafana.com/avatar/ops' }],
    users: [user(L.ann, 'ann', 1, { role: 'admin' }), user(L.ben, 'ben', 2), user(L.vic, 'vic', 3, { role: 'viewer', notification_rules: undefined })],
    user_groups: [],
    webhooks: [],
    on_call_shifts: [
      {
        id: L.rotation,
        name: 'Ops daily',
        type: 'rolling_users',
        team_id: L.team,
        time_zone: 'UTC',
        start: '2026-01-01T00:00:00',
        duration: 86400,
        frequency: 'daily',
        interval: 1,
        rolling_users: [[L.ann], [L.ben]],
        start_rotation_from_user_index: 0,
      },
    ],
    schedules: [{ id: L.schedule, name: 'Ops 24/7', type: 'calendar', team_id: L.team, time_zone: 'UTC', shifts: [L.rotation] }],
    escalation_chains: [{ id: L.chain, name: 'Ops', team_id: L.team }],
    escalation_policies: [
      { id: L.pageRotation, escalation_chain_id: L.chain, position: 0, type: 'notify_on_call_from_schedule', important: false, notify_on_call_from_schedule: L.schedule },
      { id: L.wait, escalation_chain_id: L.chain, position: 1, type: 'wait', duration: 300 },
      { id: L.pageLead, escalation_chain_id: L.chain, position: 2, type: 'notify_persons', important: true, persons_to_notify: [L.ben] },
    ],
    integrations: [
      {
        id: L.integration,
        name: 'Ops alerts',
        type: 'webhook',
        team_id: L.team,
        token: 'OpsTokenOpsTokenOpsToken1',
        default_route: { id: L.defaultRoute, escalation_chain_id: L.chain },
      },
    ],
    routes: [],
  };
}
