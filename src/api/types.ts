/**
 * Every resource exactly as Grafana OnCall's public API v1 returns it, as zod
 * schemas. Tools use them as output schemas; both backends return objects of these shapes.
 */
import * as z from 'zod';

/**
 * An integer whose JSON Schema is just `{"type":"integer"}`. zod 4 otherwise prints ±2^53 bounds on
 * every `.int()`, which costs ~50 bytes of every client's context per field for no information.
 */

/**
 * A vocabulary upstream grows (integration types, step types, webhook triggers, …): the known
 * values are documented, and any other string passes through unchanged, so the day OnCall adds one
 * no tool fails validating an answer that carries it. The TypeScript type stays the known union
 * (what this project writes and reasons about); code that reads upstream values must not assume a
 * value is known (lookups by it fall back).
 */
type Known<T extends readonly string[]> = z.ZodEnum<{ [K in T[number]]: K }>;
export function vocabulary<const T extends readonly [string, ...string[]]>(values: T, what: string): Known<T> {
  const open = z.string().describe(`${what}. Known values: ${values.join(', ')}; OnCall may add others, which pass through as they are.`);
  return open as unknown as Known<T>;
}

export const integer = () => z.number().int().meta({ minimum: undefined, maximum: undefined });

const id = (what: string) => z.string().describe(what);
const nullableId = (what: string) => z.string().nullable().describe(what);

// ---- escalation chains (semantics.md §4) ----

export const EscalationChain = z.object({
  id: id('Escalation chain id (F…)'),
  name: z.string(),
  team_id: nullableId('Team id (T…) or null'),
});
export type EscalationChain = z.infer<typeof EscalationChain>;

// ---- escalation policies (semantics.md §4.3) ----

/** Public step types, in the order Grafana Cloud's documentation lists them. */
export const POLICY_TYPES = [
  'wait',
  'notify_persons',
  'notify_person_next_each_time',
  'notify_on_call_from_schedule',
  'notify_next_on_call_from_schedule',
  'notify_user_group',
  'notify_team_members',
  'trigger_webhook',
  'resolve',
  'notify_whole_channel',
  'notify_if_time_from_to',
  'notify_if_num_alerts_in_window',
  'repeat_escalation',
  'declare_incident',
] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];

/**
 * Output presence rules (semantics.md §4.3): id, escalation_chain_id, position and type are always there;
 * only the fields of the policy's own type follow; everything else is absent, not null.
 */
export const EscalationPolicy = z.object({
  id: id('Escalation policy id (E…)'),
  escalation_chain_id: id('Chain this step belongs to'),
  position: integer().describe('Order value within the chain; steps run in ascending order'),
  type: vocabulary(POLICY_TYPES, 'Step type').nullable(),
  important: z.boolean().optional(),
  duration: integer().nullable().optional().describe('wait: seconds'),
  persons_to_notify: z.array(z.string()).optional(),
  persons_to_notify_next_each_time: z.array(z.string()).optional(),
  notify_on_call_from_schedule: z.string().nullable().optional(),
  group_to_notify: z.string().nullable().optional(),
  team_to_notify: z.string().nullable().optional(),
  action_to_trigger: z.string().nullable().optional(),
  notify_if_time_from: z.string().nullable().optional(),
  notify_if_time_to: z.string().nullable().optional(),
  num_alerts_in_window: integer().nullable().optional(),
  num_minutes_in_window: integer().nullable().optional(),
  severity: z.string().nullable().optional(),
});
export type EscalationPolicy = z.infer<typeof EscalationPolicy>;

/** `advance_round_robin` response, as Grafana Cloud documents it. */
export const RoundRobinUser = z.object({
  user_id: id('User now at the head of the round robin'),
  username: z.string(),
});
export type RoundRobinUser = z.infer<typeof RoundRobinUser>;

// ---- directory (semantics.md §1, §6.2) ----

export const SlackIdentity = z.object({ user_id: z.string(), team_id: z.string() });

export const USER_ROLES = ['admin', 'editor', 'viewer', 'none'] as const;

export const User = z.object({
  id: id('User id (U…)'),
  grafana_id: integer(),
  email: z.string(),
  slack: SlackIdentity.nullable(),
  username: z.string(),
  role: z.enum(USER_ROLES),
  is_phone_number_verified: z.boolean(),
  timezone: z.string().nullable(),
  teams: z.array(z.string()),
});
export type User = z.infer<typeof User>;

export const Team = z.object({
  id: id('Team id (T…)'),
  grafana_id: integer(),
  name: z.string(),
  email: z.string().nullable(),
  avatar_url: z.string(),
});
export type Team = z.infer<typeof Team>;

export const UserGroup = z.object({
  id: id('User group id (G…)'),
  type: z.literal('slack_based'),
  slack: z.object({ id: z.string(), name: z.string(), handle: z.string() }),
});
export type UserGroup = z.infer<typeof UserGroup>;

export const WEBHOOK_HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'] as const;
export const WEBHOOK_TRIGGER_TYPES = [
  'escalation',
  'alert group created',
  'acknowledge',
  'resolve',
  'silence',
  'unsilence',
  'unresolve',
  'unacknowledge',
  'status change',
  'personal notification',
] as const;

/** Secrets (`password`, `authorization_header`) are always shown masked. */
export const SECRET_MASK = '****************';

export const Webhook = z.object({
  id: id('Webhook id (WH…)'),
  name: z.string(),
  is_webhook_enabled: z.boolean(),
  team: z.string().nullable(),
  data: z.string().nullable(),
  username: z.string().nullable(),
  password: z.string().nullable().describe('Masked when set'),
  authorization_header: z.string().nullable().describe('Masked when set'),
  trigger_template: z.string().nullable(),
  headers: z.string().nullable(),
  url: z.string(),
  forward_all: z.boolean(),
  http_method: z.enum(WEBHOOK_HTTP_METHODS),
  trigger_type: vocabulary(WEBHOOK_TRIGGER_TYPES, 'What triggers the webhook'),
  integration_filter: z.array(z.string()).nullable(),
  preset: z.string().nullable(),
});
export type Webhook = z.infer<typeof Webhook>;

/** One request a webhook sent and what came back (`/webhooks/<id>/responses/`, newest first). */
export const WebhookResponse = z.object({
  timestamp: z.string(),
  url: z.string(),
  request_trigger: z.string(),
  request_headers: z.string().nullable(),
  request_data: z.string().nullable(),
  status_code: z.number().int().nullable(),
  content: z.string().nullable(),
  event_data: z.string().nullable(),
});
export type WebhookResponse = z.infer<typeof WebhookResponse>;

// ---- integrations and routes (semantics.md §4.1) ----

/** Integration types as the API shows them (legacy types are shown as their new slug). */
export const INTEGRATION_TYPES = [
  'grafana_alerting',
  'webhook',
  'alertmanager',
  'formatted_webhook',
  'kapacitor',
  'elastalert',
  'inbound_email',
  'maintenance',
  'manual',
  'zabbix',
  'direct_paging',
  'grafana',
] as const;
export type IntegrationType = (typeof INTEGRATION_TYPES)[number];

export const ROUTING_TYPES = ['regex', 'jinja2', 'labels'] as const;

const SlackRouting = z.object({ channel_id: z.string().nullable(), enabled: z.boolean() });
const TelegramRouting = z.object({ id: z.string().nullable(), enabled: z.boolean() });
/** Per messaging backend (email, msteams, mobile_app, …), keyed by its slug. */
export const BackendRouting = z.object({ id: z.string().nullable(), enabled: z.boolean() });

export const DefaultRoute = z
  .object({
    id: id('Route id (R…) of the default route'),
    escalation_chain_id: nullableId('Escalation chain alerts go to when no other route matches'),
    slack: SlackRouting,
    telegram: TelegramRouting,
  })
  .catchall(BackendRouting);

const nullableText = z.string().nullable();

/** Every template key is always present; null means "the integration type's default". */
export const Templates = z
  .object({
    grouping_key: nullableText,
    resolve_signal: nullableText,
    acknowledge_signal: nullableText,
    source_link: nullableText,
    slack: z.object({ title: nullableText, message: nullableText, image_url: nullableText }),
    web: z.object({ title: nullableText, message: nullableText, image_url: nullableText }),
    sms: z.object({ title: nullableText }),
    phone_call: z.object({ title: nullableText }),
    telegram: z.object({ title: nullableText, message: nullableText, image_url: nullableText }),
  })
  .catchall(z.record(z.string(), nullableText));
export type Templates = z.infer<typeof Templates>;

export const Integration = z.object({
  id: id('Integration id (C…)'),
  name: z.string(),
  description_short: z.string().nullable(),
  team_id: nullableId('Team id (T…) or null'),
  link: z.string().nullable().describe('URL that receives alerts, or null'),
  inbound_email: z.string().nullable(),
  type: vocabulary(INTEGRATION_TYPES, 'Integration type'),
  default_route: DefaultRoute,
  templates: Templates,
  heartbeat: z.object({ link: z.string() }).nullable(),
  maintenance_mode: z.enum(['maintenance', 'debug']).nullable(),
  maintenance_started_at: z.string().nullable(),
  maintenance_end_at: z.string().nullable(),
});
export type Integration = z.infer<typeof Integration>;

export const Route = z
  .object({
    id: id('Route id (R…)'),
    integration_id: id('Integration (C…) the route belongs to'),
    escalation_chain_id: nullableId('Chain the matching alerts escalate through, or null'),
    routing_type: vocabulary(ROUTING_TYPES, 'How routing_regex is read'),
    routing_regex: z
      .string()
      .nullable()
      .describe('The expression (a regex or a Jinja2 template); null on the default route'),
    position: integer(),
    is_the_last_route: z.boolean().describe('True for the default route, which catches everything else'),
    slack: SlackRouting,
    telegram: TelegramRouting,
  })
  .catchall(BackendRouting);
export type Route = z.infer<typeof Route>;

// ---- schedules, on-call shifts, swaps (semantics.md §3, §3.1) and chain on-call (semantics.md §4.6) ----

export const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

export const Schedule = z.object({
  id: id('Schedule id (S…)'),
  team_id: nullableId('Team id (T…) or null'),
  name: z.string(),
  type: vocabulary(['web', 'calendar', 'ical'], 'Schedule type'),
  time_zone: z.string().nullable().optional(),
  on_call_now: z.array(z.string()).describe('Ids of the users on call right now'),
  shifts: z.array(z.string()).optional().describe('Ids of the schedule\'s on-call shifts (O…)'),
  ical_url_primary: z.string().nullable().optional(),
  ical_url_overrides: z.string().nullable().optional(),
  enable_web_overrides: z.boolean().optional(),
  slack: z.object({ channel_id: z.string().nullable(), user_group_id: z.string().nullable() }),
});
export type Schedule = z.infer<typeof Schedule>;

export const OnCallShift = z.object({
  id: id('On-call shift id (O…)'),
  team_id: nullableId('Team id or null'),
  name: z.string(),
  type: vocabulary(['single_event', 'recurrent_event', 'rolling_users', 'override'], 'Shift type'),
  time_zone: z.string().nullable(),
  level: integer().optional(),
  start: z.string().describe('YYYY-MM-DDTHH:MM:SS, wall clock in time_zone'),
  duration: integer().describe('Seconds'),
  rotation_start: z.string(),
  frequency: z.enum(['hourly', 'daily', 'weekly', 'monthly']).nullable().optional(),
  interval: integer().nullable().optional(),
  until: z.string().nullable().optional(),
  week_start: z.enum(WEEKDAY_CODES).optional(),
  by_day: z.array(z.enum(WEEKDAY_CODES)).nullable().optional(),
  by_month: z.array(integer()).nullable().optional(),
  by_monthday: z.array(integer()).nullable().optional(),
  users: z.array(z.string()).optional(),
  rolling_users: z.array(z.array(z.string())).nullable().optional(),
  start_rotation_from_user_index: integer().nullable().optional(),
});
export type OnCallShift = z.infer<typeof OnCallShift>;

export const FinalShift = z.object({
  user_pk: z.string(),
  user_email: z.string(),
  user_username: z.string(),
  shift_start: z.string(),
  shift_end: z.string(),
});
export type FinalShift = z.infer<typeof FinalShift>;

export const ShiftSwap = z.object({
  id: id('Shift swap request id (SSR…)'),
  created_at: z.string(),
  updated_at: z.string(),
  status: z.enum(['open', 'taken', 'past_due', 'deleted']),
  schedule: z.string(),
  swap_start: z.string(),
  swap_end: z.string(),
  description: z.string().nullable(),
  beneficiary: z.string().describe('User giving the shift away'),
  benefactor: z.string().nullable().describe('User taking it, or null while open'),
});
export type ShiftSwap = z.infer<typeof ShiftSwap>;

/** A user as the chain on-call endpoints return them (semantics.md §4.6): the API user plus phone details. */
export const OnCallUser = User.extend({
  phone_number: z.string().nullable(),
  phone_number_status: z.enum(['available', 'private', 'not_configured']),
});

export const OnCallShiftEntry = z.object({
  schedule_id: z.string(),
  schedule_name: z.string(),
  team_id: z.string().nullable(),
  shift_start: z.string(),
  shift_end: z.string(),
  users: z.array(z.string()),
});

/** `current_oncall` / `previous_oncall` / `next_oncall` (semantics.md §4.6). */
export const ChainOnCall = z.object({
  count: integer(),
  users: z.array(OnCallUser),
  shifts: z.array(OnCallShiftEntry),
  computed: z
    .string()
    .optional()
    .describe('Present when oncall-mcp computed the answer itself (the OnCall has no such endpoint): how, and from what.'),
});
export type ChainOnCall = z.infer<typeof ChainOnCall>;

// ---- alert groups, alerts, resolution notes, paging (semantics.md §6.1, §4.5) ----

export const AlertShape = z.object({
  id: id('Alert id (A…)'),
  alert_group_id: z.string(),
  created_at: z.string(),
  payload: z.unknown(),
});
export type AlertShape = z.infer<typeof AlertShape>;

export const ALERT_GROUP_STATES = ['firing', 'acknowledged', 'resolved', 'silenced'] as const;

export const AlertGroup = z.object({
  id: id('Alert group id (I…)'),
  integration_id: z.string(),
  team_id: z.string().nullable(),
  route_id: z.string().nullable(),
  alerts_count: integer(),
  state: z.enum(ALERT_GROUP_STATES),
  created_at: z.string(),
  resolved_at: z.string().nullable(),
  resolved_by: z.string().nullable(),
  acknowledged_at: z.string().nullable(),
  acknowledged_by: z.string().nullable(),
  labels: z.array(
    z.object({
      key: z.object({ id: z.string(), name: z.string() }),
      value: z.object({ id: z.string(), name: z.string() }),
    }),
  ),
  title: z.string().nullable(),
  permalinks: z.object({
    slack: z.string().nullable(),
    slack_app: z.string().nullable(),
    telegram: z.string().nullable(),
    web: z.string(),
  }),
  silenced_at: z.string().nullable(),
  last_alert: AlertShape.nullable(),
});
export type AlertGroup = z.infer<typeof AlertGroup>;

export const ALERT_GROUP_ACTIONS = ['acknowledge', 'unacknowledge', 'resolve', 'unresolve', 'silence', 'unsilence'] as const;
export type AlertGroupAction = (typeof ALERT_GROUP_ACTIONS)[number];

/** One line of an alert group's history: escalation steps, notifications, state changes. */
export const TimelineItem = z.object({
  at: z.string(),
  event: z.string(),
  text: z.string(),
  user_id: z.string().optional(),
  channel: z.string().optional().describe('Notification channel, for notifications'),
  important: z.boolean().optional(),
  policy_id: z.string().optional().describe('The escalation step (E…) this came from'),
  step: z.string().optional(),
});
export type TimelineItem = z.infer<typeof TimelineItem>;

export const ResolutionNote = z.object({
  id: id('Resolution note id (M…)'),
  alert_group_id: z.string(),
  author: z.string().nullable(),
  source: z.enum(['Web', 'Slack', 'Mobile App']),
  created_at: z.string(),
  text: z.string(),
});
export type ResolutionNote = z.infer<typeof ResolutionNote>;

/** `GET /organizations/<any>/`: the token's organisation. */
export const Organization = z.object({
  maintenance_mode: z.string().nullable(),
  maintenance_started_at: z.string().nullable(),
  maintenance_end_at: z.string().nullable(),
  id: z.string(),
});
export type Organization = z.infer<typeof Organization>;

/** `GET /slack_channels/`: the Slack channels routes and schedules can name. */
export const SlackChannel = z.object({ name: z.string(), slack_id: z.string() });
export type SlackChannel = z.infer<typeof SlackChannel>;

/** A personal notification rule: one step of how a person is notified. */
export const PersonalNotificationRule = z.object({
  id: id('Personal notification rule id (N…)'),
  user_id: z.string(),
  position: z.number().int(),
  // Open: wait or notify_by_<channel>, and the channels grow with OnCall's messaging backends.
  type: z.string().describe('wait, or notify_by_<channel>: slack, sms, phone_call, telegram, mobile_app, mobile_app_critical, email, …'),
  duration: z.number().int().optional().describe('Seconds, wait rules only'),
  important: z.boolean(),
});
export type PersonalNotificationRule = z.infer<typeof PersonalNotificationRule>;

export const Simulation = z.object({
  escalation_chain_id: z.string(),
  started_at: z.string(),
  important: z.boolean(),
  finished_at: z.string().nullable().describe('When the escalation would finish; null if still running at the horizon'),
  horizon: z.string().describe('How far the simulation ran'),
  timeline: z.array(TimelineItem),
  computed: z
    .string()
    .optional()
    .describe('Present when oncall-mcp simulated a live organisation\'s configuration itself: from what, and what it lacked.'),
});
export type Simulation = z.infer<typeof Simulation>;

/** One route as a simulated alert met it, in routing order, up to the one that took the alert. */
export const RouteCheck = z.object({
  route_id: z.string(),
  position: z.number().int().nullable().describe('null for the default route'),
  routing_type: z.string().nullable(),
  routing_regex: z.string().nullable(),
  matched: z.boolean(),
  saw: z.string().describe('What the expression saw: a regex the payload as Python JSON, a template what it rendered or its error'),
});
export type RouteCheck = z.infer<typeof RouteCheck>;

/** simulate_alert: where an alert would go and what would happen, with nothing changed or sent. */
export const AlertSimulation = z.object({
  integration_id: z.string(),
  at: z.string(),
  maintenance: z.object({ mode: z.string(), until: z.string() }).nullable(),
  grouping_key: z.string().describe('The grouping key the integration\'s template gives (cut to 300 characters)'),
  joins_alert_group: z.string().nullable().describe('The open alert group this alert would join instead of starting one'),
  resolves: z.boolean().describe('The payload is a resolve signal: it resolves the open group it joins'),
  route: RouteCheck.extend({ escalation_chain_id: z.string().nullable() }),
  checked: z.array(RouteCheck),
  escalation: Simulation.nullable().describe('The escalation a new alert group would run; null when none would start'),
  notes: z.array(z.string()),
});
export type AlertSimulation = z.infer<typeof AlertSimulation>;
