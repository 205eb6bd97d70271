/**
 * What the REST facade serves, and which tool does the same, as one table: the README's REST
 * coverage section is written from it (`npm run docs`), and test/rest/coverage.test.ts fails when
 * it and the routes the facade registers differ, or it names a tool that does not exist.
 * Paths are OnCall's, relative to `/api/v1/`; `<id>` is any object id.
 */
export interface Covered {
  methods: string;
  path: string;
  /** The tools that call it ('' when none does: an agent has no use for it, or none yet). */
  tools: readonly string[];
}

/** A resource's list/get and, when given ('' = served, no tool), create/update/delete. */
interface Crud {
  list?: string;
  get?: string;
  create?: string;
  update?: string;
  remove?: string;
}

const crud = (path: string, t: Crud): Covered[] => [
  { methods: 'GET', path: `${path}/`, tools: t.list ? [t.list] : [] },
  ...(t.create !== undefined ? [{ methods: 'POST', path: `${path}/`, tools: t.create ? [t.create] : [] }] : []),
  { methods: 'GET', path: `${path}/<id>/`, tools: t.get ? [t.get] : [] },
  ...(t.update !== undefined ? [{ methods: 'PUT, PATCH', path: `${path}/<id>/`, tools: t.update ? [t.update] : [] }] : []),
  ...(t.remove !== undefined ? [{ methods: 'DELETE', path: `${path}/<id>/`, tools: t.remove ? [t.remove] : [] }] : []),
];

export const REST_COVERAGE: readonly Covered[] = [
  ...crud('escalation_chains', {
    list: 'list_escalation_chains', get: 'get_escalation_chain', create: 'create_escalation_chain',
    update: 'update_escalation_chain', remove: 'delete_escalation_chain',
  }),
  { methods: 'GET', path: 'escalation_chains/<id>/current_oncall/', tools: ['current_oncall', 'who_is_on_call'] },
  { methods: 'GET', path: 'escalation_chains/<id>/previous_oncall/', tools: ['previous_oncall'] },
  { methods: 'GET', path: 'escalation_chains/<id>/next_oncall/', tools: ['next_oncall'] },
  { methods: 'POST', path: 'escalation_chains/<id>/oncall_mcp_simulate/', tools: ['simulate_escalation'] },
  { methods: 'POST', path: 'integrations/<id>/oncall_mcp_simulate_alert/', tools: ['simulate_alert'] },
  ...crud('escalation_policies', {
    list: 'list_escalation_policies', get: 'get_escalation_policy', create: 'create_escalation_policy',
    update: 'update_escalation_policy', remove: 'delete_escalation_policy',
  }),
  { methods: 'POST', path: 'escalation_policies/<id>/advance_round_robin/', tools: ['advance_round_robin'] },
  ...crud('integrations', {
    list: 'list_integrations', get: 'get_integration', create: 'create_integration',
    update: 'update_integration', remove: 'delete_integration',
  }),
  { methods: 'POST', path: 'integrations/<id>/maintenance_start/', tools: ['set_integration_maintenance'] },
  { methods: 'POST', path: 'integrations/<id>/maintenance_stop/', tools: ['set_integration_maintenance'] },
  ...crud('routes', { list: 'list_routes', get: '', create: 'create_route', update: 'update_route', remove: 'delete_route' }),
  ...crud('schedules', {
    list: 'list_schedules', get: 'get_schedule', create: 'create_schedule', update: 'update_schedule', remove: 'delete_schedule',
  }),
  { methods: 'GET', path: 'schedules/<id>/final_shifts/', tools: ['list_schedule_shifts', 'who_is_on_call'] },
  ...crud('on_call_shifts', {
    list: 'list_on_call_shifts', get: '', create: 'create_on_call_shift', update: 'update_on_call_shift', remove: 'delete_on_call_shift',
  }),
  ...crud('shift_swaps', {
    list: 'list_shift_swaps', get: 'get_shift_swap', create: 'create_shift_swap', update: 'update_shift_swap', remove: 'delete_shift_swap',
  }),
  { methods: 'POST', path: 'shift_swaps/<id>/take/', tools: ['take_shift_swap'] },
  ...crud('alert_groups', { list: 'list_alert_groups', get: 'get_alert_group', remove: 'delete_alert_group' }),
  ...['acknowledge', 'unacknowledge', 'resolve', 'unresolve', 'silence', 'unsilence'].map((action) => ({
    methods: 'POST',
    path: `alert_groups/<id>/${action}/`,
    tools: ['update_alert_group'],
  })),
  { methods: 'GET', path: 'alert_groups/<id>/oncall_mcp_timeline/', tools: ['get_alert_group'] },
  { methods: 'GET', path: 'alerts/', tools: ['list_alerts'] },
  ...crud('resolution_notes', {
    list: '', get: '', create: 'create_resolution_note', update: 'update_resolution_note', remove: 'delete_resolution_note',
  }),
  ...crud('personal_notification_rules', {
    list: 'list_personal_notification_rules', get: '', create: 'create_personal_notification_rule',
    update: 'update_personal_notification_rule', remove: 'delete_personal_notification_rule',
  }),
  { methods: 'POST', path: 'escalation/', tools: ['create_escalation'] },
  { methods: 'GET', path: 'users/', tools: ['list_users'] },
  { methods: 'GET', path: 'users/<id>/', tools: ['get_user'] },
  { methods: 'GET', path: 'users/current/', tools: ['whoami'] },
  { methods: 'GET', path: 'teams/', tools: ['list_teams'] },
  { methods: 'GET', path: 'teams/<id>/', tools: ['get_team'] },
  { methods: 'GET', path: 'user_groups/', tools: ['list_user_groups'] },
  ...crud('webhooks', {
    list: 'list_webhooks', get: '', create: 'create_webhook', update: 'update_webhook', remove: 'delete_webhook',
  }),
  { methods: 'GET', path: 'webhooks/<id>/responses/', tools: ['list_webhook_responses'] },
  { methods: 'GET', path: 'slack_channels/', tools: ['list_slack_channels'] },
  { methods: 'GET', path: 'info/', tools: [] },
  { methods: 'GET', path: 'organizations/', tools: [] }, // 403, as OnCall: no permission lists organisations
  { methods: 'GET', path: 'organizations/<id>/', tools: [] },
];

const START = '<!-- rest:start (npm run docs writes this table from src/rest/coverage.ts) -->';
const END = '<!-- rest:end -->';

export function restTable(rows: readonly Covered[] = REST_COVERAGE): string {
  return [
    '| method | path (under `/api/v1/`) | tool |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| ${r.methods} | \`${r.path}\` | ${r.tools.length ? r.tools.map((t) => `\`${t}\``).join(', ') : '–'} |`),
  ].join('\n');
}

/** The README with its REST coverage section rewritten (unchanged when it has no markers). */
export function withRestTable(readme: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) return readme;
  return `${readme.slice(0, a + START.length)}\n${restTable()}\n${readme.slice(b)}`;
}
