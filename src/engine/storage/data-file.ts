/**
 * The organisation data file: what `--data FILE` loads and `--persist` writes back. Resources are
 * in the API's own shapes, plus the few things the API never shows (phone numbers, user-group
 * members, webhook secrets) and an `engine` section for runtime state (round-robin pointers).
 *
 * Loading reuses the engine's own field rules, and reports every problem with its JSON path, e.g.
 * `escalation_policies[2].duration: Ensure this value is greater than or equal to 0:01:00.`
 */
import { MAX_JSON_DEPTH, valueTooDeep } from '../../api/input-limits.js';
import { MAX_INSTANT_MS, MIN_INSTANT_MS } from '../core/bounds.js';
import * as z from 'zod';
import { ApiError, describeErrorBody } from '../../api/errors.js';
import { targetFields } from '../../api/step-types.js';
import { EscalationChain, Team, USER_ROLES, User, UserGroup, Webhook, WEBHOOK_TRIGGER_TYPES } from '../../api/types.js';
import { representUserGroup } from '../directory/directory.js';
import { representChain } from '../escalation/escalation-chains.js';
import {
  applyTypeFields,
  blankPolicy,
  IMPORTANT_TYPES,
  parsePolicyFields,
  representPolicy,
} from '../escalation/escalation-policies.js';
import { blankTemplates, mergeTemplates, representTemplates } from '../alerting/integration-templates.js';
import { IANAZone } from 'luxon';
import { INTEGRATION_TYPE_INFO } from '../alerting/integration-types.js';
import { ruleProblem } from '../runtime/notification-rules.js';
import { derivedRuleId } from '../directory/personal-notification-rules.js';
import { ID_ALPHABET, isWellFormedId } from '../core/ids.js';
import { buildShift, representShift } from '../schedules/on-call-shifts.js';
import { parseZonedInstant } from '../core/time-format.js';
import { newIntegrationToken, representIntegration } from '../alerting/integrations.js';
import { applyChannels, parseChannels } from '../alerting/route-channels.js';
import { blankRoute, representRoute, validateRouteExpression } from '../alerting/routes.js';
import {
  DEFAULT_INBOUND_EMAIL_DOMAIN,
  DEFAULT_MESSAGING_BACKENDS,
  DEFAULT_ORGANIZATION_ID,
  emptyState,
  type AlertGroupRecord,
  type IntegrationRecord,
  type PolicyRecord,
  type RouteRecord,
  type State,
  type NotificationRule,
  type UserRecord,
} from '../core/state.js';
import { type Body, FieldErrors } from '../core/validation.js';

export const DATA_FILE_VERSION = 1;

const PhoneStatus = z.enum(['available', 'private', 'not_configured']);

/** A rule: its id and position are optional (derived from its place in the list when absent). */
const RuleEntry = z.object({
  id: z.string().optional(),
  position: z.number().int().min(0).max(2147483647).optional(),
  type: z.string(),
  duration: z.number().int().optional(),
});

const UserEntry = User.extend({
  notification_rules: z
    .object({ default: z.array(RuleEntry).default([]), important: z.array(RuleEntry).default([]) })
    .prefault({}),
  role: z.enum(USER_ROLES).default('editor'),
  grafana_id: z.number().int().default(0),
  slack: User.shape.slack.default(null),
  is_phone_number_verified: z.boolean().optional(),
  timezone: z.string().nullable().default(null),
  teams: z.array(z.string()).default([]),
  phone_number: z.string().nullable().default(null),
  phone_number_status: PhoneStatus.optional(),
});

const TeamEntry = Team.extend({
  grafana_id: z.number().int().default(0),
  email: z.string().nullable().default(null),
  avatar_url: z.string().default(''),
});

const UserGroupEntry = UserGroup.extend({
  type: z.literal('slack_based').default('slack_based'),
  members: z.array(z.string()).default([]),
});

const WebhookEntry = Webhook.partial().extend({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  http_method: Webhook.shape.http_method.default('POST'),
  // The API shape accepts any trigger upstream may add; a data file holds the engine's own, checked.
  trigger_type: z.enum(WEBHOOK_TRIGGER_TYPES).default('escalation'),
});

const ScheduleEntry = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(['web', 'calendar', 'ical']).default('web'),
  team_id: z.string().nullable().default(null),
  time_zone: z.string().nullable().default('UTC'),
  shifts: z.array(z.string()).default([]),
  ical_url_primary: z.string().nullable().default(null),
  ical_url_overrides: z.string().nullable().default(null),
  enable_web_overrides: z.boolean().default(false),
  slack: z
    .object({ channel_id: z.string().nullable().default(null), user_group_id: z.string().nullable().default(null) })
    .prefault({}),
});

const ChainEntry = EscalationChain.extend({ team_id: z.string().nullable().default(null) });

/** Shifts in the API shape (plus `source`, which the API does not show); parsed by the API's rules. */
const ShiftEntry = z.looseObject({ id: z.string(), source: z.enum(['web', 'api', 'terraform']).default('api') });

const SwapEntry = z.object({
  id: z.string(),
  schedule: z.string(),
  swap_start: z.string(),
  swap_end: z.string(),
  description: z.string().nullable().default(null),
  beneficiary: z.string(),
  benefactor: z.string().nullable().default(null),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
});

/** Policies are parsed by the engine's own field rules; only the frame is checked here. */
const PolicyEntry = z.looseObject({
  id: z.string(),
  escalation_chain_id: z.string(),
  position: z.number().int().min(0),
});

const Organization = z.object({
  id: z.string().regex(/^O[A-NP-Z1-9]{12,}$/, 'an organisation id is "O" and 12 or more of A-Z (no O) and 1-9').default(DEFAULT_ORGANIZATION_ID),
  slack_team_id: z.string().nullable().default(null),
  grafana_incident_enabled: z.boolean().default(false),
  grafana_url: z.string().default('http://localhost:3000'),
  messaging_backends: z.array(z.string()).default([...DEFAULT_MESSAGING_BACKENDS]),
  inbound_email_domain: z.string().default(DEFAULT_INBOUND_EMAIL_DOMAIN),
  slack_channels: z.array(z.object({ slack_id: z.string(), name: z.string() })).default([]),
  telegram_channels: z.array(z.object({ id: z.string(), name: z.string() })).default([]),
  api_user_id: z.string().nullable().default(null),
});

/**
 * Integrations in the API shape; `token` (the secret part of `link`) may be given, else it is read
 * from `link` or `inbound_email`, else generated. The default route comes from `default_route`.
 */
const IntegrationEntry = z.looseObject({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  team_id: z.string().nullable().default(null),
  description_short: z.string().nullable().default(null),
  token: z.string().optional(),
  link: z.string().nullable().optional(),
  inbound_email: z.string().nullable().optional(),
  default_route: z.looseObject({ id: z.string() }),
  templates: z.record(z.string(), z.unknown()).optional(),
  maintenance_mode: z.enum(['maintenance', 'debug']).nullable().optional(),
  maintenance_started_at: z.string().nullable().optional(),
  maintenance_end_at: z.string().nullable().optional(),
  deleted: z.boolean().default(false),
  created_at: z.string().optional(),
});

/** Non-default routes in the API shape (default routes live in their integration). */
const RouteEntry = z.looseObject({
  id: z.string(),
  integration_id: z.string(),
  position: z.number().int().min(0),
});

// Runtime state, written by the engine itself: alert groups with their escalation snapshots and
// personal notification chains, alerts, resolution notes, webhook responses.
/** An instant in epoch milliseconds, within what OnCall (Python's datetime) can hold. */
const ms = z.number().int().min(MIN_INSTANT_MS).max(MAX_INSTANT_MS);
const SnapshotStepEntry = z.object({
  policyId: z.string(),
  type: z.string().nullable(),
  important: z.boolean(),
  duration: z.number().nullable(),
  userIds: z.array(z.string()),
  scheduleId: z.string().nullable(),
  userGroupId: z.string().nullable(),
  teamId: z.string().nullable(),
  webhookId: z.string().nullable(),
  timeFrom: z.string().nullable(),
  timeTo: z.string().nullable(),
  numAlertsInWindow: z.number().nullable(),
  numMinutesInWindow: z.number().nullable(),
  severity: z.string().nullable(),
  roundRobinLastUserId: z.string().nullable(),
  repeatCount: z.number().int(),
});
const AlertGroupEntry = z.object({
  id: z.string(),
  integrationId: z.string(),
  routeId: z.string().nullable(),
  createdAt: ms,
  title: z.string().nullable(),
  acknowledged: z.boolean(),
  acknowledgedAt: ms.nullable(),
  acknowledgedBy: z.string().nullable(),
  resolved: z.boolean(),
  resolvedAt: ms.nullable(),
  resolvedBy: z.string().nullable(),
  silenced: z.boolean(),
  silencedAt: ms.nullable(),
  silencedUntil: ms.nullable(),
  rootAlertGroupId: z.string().nullable(),
  maintenanceOf: z.string().nullable(),
  wiped: z.boolean(),
  escalation: z
    .object({
      token: z.number().int(),
      chainId: z.string().nullable(),
      steps: z.array(SnapshotStepEntry),
      nextIndex: z.number().int(),
      nextAt: ms.nullable(),
      paused: z.boolean(),
      finished: z.boolean(),
      forceImportant: z.boolean(),
    })
    .nullable(),
  personal: z.record(
    z.string(),
    z.object({
      token: z.number().int(),
      important: z.boolean(),
      ruleIndex: z.number().int(),
      nextAt: ms.nullable(),
      directPage: z.boolean(),
      startedAt: ms,
    }),
  ),
  timeline: z.array(z.looseObject({ at: ms, event: z.string(), text: z.string() })),
  groupingKey: z.string().nullable(),
  alertIds: z.array(z.string()),
});

const EngineSection = z.object({
  round_robin: z.record(z.string(), z.string()).default({}),
  integrations_created: z.number().int().min(0).optional(),
  alert_groups: z.array(AlertGroupEntry).default([]),
  alerts: z
    .array(z.object({ id: z.string(), alertGroupId: z.string(), createdAt: ms, payload: z.unknown() }))
    .default([]),
  resolution_notes: z
    .array(
      z.object({
        id: z.string(),
        alertGroupId: z.string(),
        author: z.string().nullable(),
        source: z.enum(['Web', 'Slack', 'Mobile App']),
        createdAt: ms,
        text: z.string(),
      }),
    )
    .default([]),
  webhook_responses: z
    .array(
      z.object({
        webhookId: z.string(),
        at: ms,
        url: z.string(),
        trigger: z.string(),
        requestHeaders: z.string(),
        requestData: z.string().nullable(),
        statusCode: z.number().int().nullable(),
        content: z.string(),
        eventData: z.string(),
      }),
    )
    .default([]),
});

export const DataFile = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(DATA_FILE_VERSION).default(DATA_FILE_VERSION),
  organization: Organization.prefault({}),
  teams: z.array(TeamEntry).default([]),
  users: z.array(UserEntry).default([]),
  user_groups: z.array(UserGroupEntry).default([]),
  webhooks: z.array(WebhookEntry).default([]),
  on_call_shifts: z.array(ShiftEntry).default([]),
  schedules: z.array(ScheduleEntry).default([]),
  shift_swaps: z.array(SwapEntry).default([]),
  escalation_chains: z.array(ChainEntry).default([]),
  escalation_policies: z.array(PolicyEntry).default([]),
  integrations: z.array(IntegrationEntry).default([]),
  routes: z.array(RouteEntry).default([]),
  engine: EngineSection.prefault({}),
});
export type DataFileInput = z.input<typeof DataFile>;
export type DataFileOutput = z.output<typeof DataFile>;

/** Thrown when a data file has problems; `problems` are `path: message` lines. */
export class DataFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid data file:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || '(root)';
}

/** Build a state from parsed JSON, or throw a DataFileError listing every problem. */
export function importData(json: unknown): State {
  const parsed = DataFile.safeParse(json);
  if (!parsed.success) {
    throw new DataFileError(parsed.error.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`));
  }
  const data = parsed.data;
  const problems: string[] = [];
  const state = emptyState();
  state.organization = { ...data.organization };

  const seen = new Set<string>();
  const addId = (id: string, path: string) => {
    if (seen.has(id)) problems.push(`${path}.id: duplicate id ${id}`);
    seen.add(id);
  };

  data.teams.forEach((t, i) => {
    addId(t.id, `teams[${i}]`);
    state.teams.set(t.id, { ...t });
  });

  data.users.forEach((u, i) => {
    addId(u.id, `users[${i}]`);
    u.teams.forEach((teamId, j) => {
      if (!state.teams.has(teamId)) problems.push(`users[${i}].teams[${j}]: unknown team ${teamId}`);
    });
    const status = u.phone_number_status ?? (u.phone_number ? 'available' : 'not_configured');
    if (status !== 'not_configured' && !u.phone_number) {
      problems.push(`users[${i}].phone_number: required when phone_number_status is ${status}`);
    }
    const rules: UserRecord['notification_rules'] = { default: [], important: [] };
    for (const list of ['default', 'important'] as const) {
      const orders = new Set<number>();
      u.notification_rules[list].forEach((rule, j) => {
        const at = `users[${i}].notification_rules.${list}[${j}]`;
        const problem = ruleProblem(rule);
        if (problem) problems.push(`${at}: ${problem}`);
        const numbered: NotificationRule = {
          id: rule.id ?? derivedRuleId(u.id, list, j),
          order: rule.position ?? j,
          type: rule.type,
          ...(rule.type === 'wait' ? { duration: rule.duration ?? 300 } : {}),
        };
        if (!isWellFormedId(numbered.id, 'N')) problems.push(`${at}.id: "N" and 12 or more of ${ID_ALPHABET}, or leave it out`);
        addId(numbered.id, at);
        if (orders.has(numbered.order)) problems.push(`${at}.position: ${numbered.order} is taken by another rule of this list`);
        orders.add(numbered.order);
        rules[list].push(numbered);
      });
      rules[list].sort((a, b) => a.order - b.order);
    }
    const record: UserRecord = {
      ...u,
      notification_rules: rules,
      is_phone_number_verified: u.is_phone_number_verified ?? status !== 'not_configured',
      phone_number_status: status,
    };
    state.users.set(u.id, record);
  });

  data.user_groups.forEach((g, i) => {
    addId(g.id, `user_groups[${i}]`);
    g.members.forEach((userId, j) => {
      if (!state.users.has(userId)) problems.push(`user_groups[${i}].members[${j}]: unknown user ${userId}`);
    });
    state.userGroups.set(g.id, { ...g });
  });

  data.webhooks.forEach((w, i) => {
    addId(w.id, `webhooks[${i}]`);
    if (w.team && !state.teams.has(w.team)) problems.push(`webhooks[${i}].team: unknown team ${w.team}`);
    state.webhooks.set(w.id, {
      is_webhook_enabled: true,
      team: null,
      data: null,
      username: null,
      password: null,
      authorization_header: null,
      trigger_template: null,
      headers: null,
      forward_all: true,
      integration_filter: null,
      preset: null,
      ...w,
    });
  });

  data.on_call_shifts.forEach((entry, i) => {
    const path = `on_call_shifts[${i}]`;
    addId(entry.id, path);
    const shift = guarded(path, problems, () => buildShift(state, entry, entry.id));
    if (shift) state.shifts.set(shift.id, { ...shift, source: entry.source });
  });

  data.schedules.forEach((s, i) => {
    addId(s.id, `schedules[${i}]`);
    if (s.team_id && !state.teams.has(s.team_id)) problems.push(`schedules[${i}].team_id: unknown team ${s.team_id}`);
    if (s.time_zone && !IANAZone.isValidZone(s.time_zone)) problems.push(`schedules[${i}].time_zone: Invalid timezone`);
    s.shifts.forEach((id, j) => {
      if (!state.shifts.has(id)) problems.push(`schedules[${i}].shifts[${j}]: unknown on-call shift ${id}`);
    });
    state.schedules.set(s.id, { ...s, slack: { ...s.slack }, shifts: [...s.shifts] });
  });

  const chainNames = new Set<string>();
  data.escalation_chains.forEach((c, i) => {
    addId(c.id, `escalation_chains[${i}]`);
    if (chainNames.has(c.name))
      problems.push(`escalation_chains[${i}].name: duplicate chain name "${c.name}"`);
    chainNames.add(c.name);
    if (c.team_id && !state.teams.has(c.team_id)) {
      problems.push(`escalation_chains[${i}].team_id: unknown team ${c.team_id}`);
    }
    state.chains.set(c.id, { ...c });
  });

  const positions = new Set<string>();
  data.escalation_policies.forEach((entry, i) => {
    const path = `escalation_policies[${i}]`;
    addId(entry.id, path);
    if (!state.chains.has(entry.escalation_chain_id)) {
      problems.push(`${path}.escalation_chain_id: unknown escalation chain ${entry.escalation_chain_id}`);
      return;
    }
    const slot = `${entry.escalation_chain_id}/${entry.position}`;
    if (positions.has(slot))
      problems.push(`${path}.position: another policy of this chain has position ${entry.position}`);
    positions.add(slot);
    const policy = importPolicy(state, entry, path, problems);
    if (policy) state.policies.set(policy.id, policy);
  });

  data.integrations.forEach((entry, i) => {
    const path = `integrations[${i}]`;
    addId(entry.id, path);
    addId(entry.default_route.id, `${path}.default_route`);
    const integration = importIntegration(state, entry, path, problems);
    if (integration) state.integrations.set(integration.id, integration);
  });
  state.counters.integrationsCreated = Math.max(
    data.engine.integrations_created ?? 0,
    state.integrations.size,
  );

  const routeSlots = new Set<string>();
  data.routes.forEach((entry, i) => {
    const path = `routes[${i}]`;
    addId(entry.id, path);
    if (!state.integrations.has(entry.integration_id)) {
      problems.push(`${path}.integration_id: unknown integration ${entry.integration_id}`);
      return;
    }
    if (entry.is_the_last_route === true) {
      problems.push(`${path}: a default route belongs in its integration's default_route`);
      return;
    }
    const slot = `${entry.integration_id}/${entry.position}`;
    if (routeSlots.has(slot))
      problems.push(`${path}.position: another route of this integration has position ${entry.position}`);
    routeSlots.add(slot);
    const route = importRoute(state, entry, path, problems);
    if (route) state.routes.set(route.id, route);
  });

  data.shift_swaps.forEach((entry, i) => {
    const path = `shift_swaps[${i}]`;
    addId(entry.id, path);
    const start = parseZonedInstant(entry.swap_start);
    const end = parseZonedInstant(entry.swap_end);
    if (!state.schedules.has(entry.schedule)) problems.push(`${path}.schedule: unknown schedule ${entry.schedule}`);
    if (!state.users.has(entry.beneficiary)) problems.push(`${path}.beneficiary: unknown user ${entry.beneficiary}`);
    if (entry.benefactor && !state.users.has(entry.benefactor)) {
      problems.push(`${path}.benefactor: unknown user ${entry.benefactor}`);
    }
    if (start === undefined || end === undefined || end <= start) {
      problems.push(`${path}.swap_end: swap_start and swap_end must be zoned ISO instants, start before end`);
      return;
    }
    const created = entry.created_at ? Date.parse(entry.created_at) : start;
    state.swaps.set(entry.id, {
      ...entry,
      swap_start: start,
      swap_end: end,
      created_at: created,
      updated_at: entry.updated_at ? Date.parse(entry.updated_at) : created,
      deleted: false,
    });
  });

  data.engine.alert_groups.forEach((g, i) => {
    addId(g.id, `engine.alert_groups[${i}]`);
    if (!state.integrations.has(g.integrationId)) {
      problems.push(`engine.alert_groups[${i}].integrationId: unknown integration ${g.integrationId}`);
    }
    state.alertGroups.set(g.id, g as AlertGroupRecord);
  });
  data.engine.alerts.forEach((a, i) => {
    addId(a.id, `engine.alerts[${i}]`);
    if (!state.alertGroups.has(a.alertGroupId)) problems.push(`engine.alerts[${i}].alertGroupId: unknown alert group`);
    if (valueTooDeep(a.payload, MAX_JSON_DEPTH)) {
      problems.push(`engine.alerts[${i}].payload: nested more than ${MAX_JSON_DEPTH} levels deep`);
    }
    state.alerts.set(a.id, { ...a, payload: a.payload ?? null });
  });
  data.engine.resolution_notes.forEach((n, i) => {
    addId(n.id, `engine.resolution_notes[${i}]`);
    state.resolutionNotes.set(n.id, n);
  });
  state.webhookResponses = data.engine.webhook_responses;

  for (const [policyId, userId] of Object.entries(data.engine.round_robin)) {
    const policy = state.policies.get(policyId);
    if (!policy) problems.push(`engine.round_robin.${policyId}: unknown escalation policy`);
    else if (!state.users.has(userId))
      problems.push(`engine.round_robin.${policyId}: unknown user ${userId}`);
    else policy.roundRobinLastUserId = userId;
  }

  if (problems.length) throw new DataFileError(problems);
  return state;
}

/** Report the errors collected in `errors` under `path`. */
function report(errors: FieldErrors, path: string, problems: string[]): boolean {
  for (const [field, error] of errors.entries()) {
    for (const line of describeErrorBody({ [field]: error })) problems.push(`${path}.${line}`);
  }
  return errors.isEmpty;
}

/** Run a parse that may short-circuit with an ApiError, reporting it under `path`. */
function guarded<T>(path: string, problems: string[], parse: () => T): T | undefined {
  try {
    return parse();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    for (const line of describeErrorBody(err.body)) problems.push(`${path}: ${line}`);
    return undefined;
  }
}

const TOKEN_IN_LINK = /\/integrations\/v1\/[^/]+\/([^/]+)\/?$/;

function importIntegration(
  state: State,
  entry: z.infer<typeof IntegrationEntry>,
  path: string,
  problems: string[],
): IntegrationRecord | undefined {
  if (!INTEGRATION_TYPE_INFO[entry.type]) {
    problems.push(`${path}.type: unknown integration type ${entry.type}`);
    return undefined;
  }
  if (entry.team_id && !state.teams.has(entry.team_id))
    problems.push(`${path}.team_id: unknown team ${entry.team_id}`);
  const token =
    entry.token
    ?? TOKEN_IN_LINK.exec(entry.link ?? '')?.[1]
    ?? entry.inbound_email?.split('@')[0]
    ?? newIntegrationToken();
  const errors = new FieldErrors();
  const backends = state.organization.messaging_backends;
  const templates = guarded(`${path}.templates`, problems, () =>
    entry.templates
      ? mergeTemplates(blankTemplates(backends), entry.templates, backends, errors)
      : blankTemplates(backends),
  );
  const routeBody = entry.default_route as Body;
  const route = blankRoute(entry.default_route.id, entry.id, true);
  const chainId = routeBody.escalation_chain_id;
  if (typeof chainId === 'string' && !state.chains.has(chainId)) {
    problems.push(`${path}.default_route.escalation_chain_id: unknown escalation chain ${chainId}`);
  } else route.chainId = typeof chainId === 'string' ? chainId : null;
  const channels = guarded(`${path}.default_route`, problems, () => parseChannels(state, routeBody, errors));
  if (!report(errors, path, problems) || !templates || !channels) return undefined;
  applyChannels(route, channels);
  state.routes.set(route.id, route);
  const startedAt = entry.maintenance_started_at ? Date.parse(entry.maintenance_started_at) : Number.NaN;
  const endAt = entry.maintenance_end_at ? Date.parse(entry.maintenance_end_at) : Number.NaN;
  if (entry.maintenance_mode && (Number.isNaN(startedAt) || Number.isNaN(endAt))) {
    problems.push(
      `${path}.maintenance_end_at: maintenance needs valid maintenance_started_at and maintenance_end_at`,
    );
  }
  return {
    id: entry.id,
    name: entry.name,
    description_short: entry.description_short,
    team_id: entry.team_id,
    type: entry.type,
    token,
    templates,
    maintenance: entry.maintenance_mode ? { mode: entry.maintenance_mode, startedAt, endAt } : null,
    deleted: entry.deleted,
    created_at: entry.created_at ? Date.parse(entry.created_at) : 0,
  };
}

/** A non-default route through the same rules as the API, with its stored id and position. */
function importRoute(
  state: State,
  entry: z.infer<typeof RouteEntry>,
  path: string,
  problems: string[],
): RouteRecord | undefined {
  const body = entry as Body;
  const route = blankRoute(entry.id, entry.integration_id, false);
  route.order = entry.position;
  const chainId = body.escalation_chain_id;
  if (typeof chainId === 'string' && !state.chains.has(chainId)) {
    problems.push(`${path}.escalation_chain_id: unknown escalation chain ${chainId}`);
    return undefined;
  }
  route.chainId = typeof chainId === 'string' ? chainId : null;
  const type = body.routing_type ?? 'regex';
  if (type !== 'regex' && type !== 'jinja2') {
    problems.push(`${path}.routing_type: must be regex or jinja2`);
    return undefined;
  }
  if (
    typeof body.routing_regex !== 'string'
    || !checkRouteExpression(type, body.routing_regex, path, problems)
  ) {
    if (typeof body.routing_regex !== 'string') problems.push(`${path}.routing_regex: required`);
    return undefined;
  }
  route.routingType = type;
  route.routingRegex = body.routing_regex;
  const errors = new FieldErrors();
  const channels = guarded(path, problems, () => parseChannels(state, body, errors));
  if (!report(errors, path, problems) || !channels) return undefined;
  applyChannels(route, channels);
  return route;
}

function checkRouteExpression(type: string, expression: string, path: string, problems: string[]): boolean {
  return (
    guarded(`${path}.routing_regex`, problems, () => {
      validateRouteExpression(type, expression);
      return true;
    }) ?? false
  );
}

/** One policy through the same field rules as the API, with its stored id and position. */
function importPolicy(
  state: State,
  entry: z.infer<typeof PolicyEntry>,
  path: string,
  problems: string[],
): PolicyRecord | undefined {
  // The API silently drops unknown users; a data file that names one is a mistake worth reporting.
  for (const field of targetFields('user', true)) {
    const list = entry[field];
    if (Array.isArray(list)) {
      list.forEach((id, j) => {
        if (typeof id !== 'string' || !state.users.has(id))
          problems.push(`${path}.${field}[${j}]: unknown user ${String(id)}`);
      });
    }
  }
  const errors = new FieldErrors();
  try {
    const body = { ...entry };
    delete (body as Record<string, unknown>).position;
    const fields = parsePolicyFields(state, body, entry.type !== null, errors);
    for (const [field, error] of errors.entries()) {
      for (const line of describeErrorBody({ [field]: error })) problems.push(`${path}.${line}`);
    }
    if (!errors.isEmpty) return undefined;
    const type = fields.type ?? null;
    const policy = blankPolicy(entry.id, entry.escalation_chain_id, type);
    policy.order = entry.position;
    policy.important = type !== null && IMPORTANT_TYPES.has(type) && fields.important === true;
    applyTypeFields(policy, type, fields);
    return policy;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    for (const line of describeErrorBody(err.body)) problems.push(`${path}.type: ${line}`);
    return undefined;
  }
}

/** The state as a data file (the same format `importData` reads). */
/** Rules as a data file holds them: `position` is the API's name for the stored order. */
function exportRules(rules: readonly NotificationRule[]) {
  return rules.map(({ id, order, type, duration }) => ({
    id,
    position: order,
    type,
    ...(duration === undefined ? {} : { duration }),
  }));
}

export function exportData(state: State): DataFileOutput {
  const roundRobin: Record<string, string> = {};
  for (const p of state.policies.values())
    if (p.roundRobinLastUserId) roundRobin[p.id] = p.roundRobinLastUserId;
  const chainRank = new Map([...state.chains.keys()].map((id, i) => [id, i]));
  const policies = [...state.policies.values()].sort(
    (a, b) => (chainRank.get(a.chainId) ?? 0) - (chainRank.get(b.chainId) ?? 0) || a.order - b.order,
  );
  return {
    version: DATA_FILE_VERSION,
    organization: { ...state.organization },
    teams: [...state.teams.values()].map((t) => ({ ...t })),
    users: [...state.users.values()].map((u) => ({
      ...u,
      teams: [...u.teams],
      notification_rules: {
        default: exportRules(u.notification_rules.default),
        important: exportRules(u.notification_rules.important),
      },
    })),
    user_groups: [...state.userGroups.values()].map((g) => ({
      ...representUserGroup(g),
      members: [...g.members],
    })),
    webhooks: [...state.webhooks.values()].map((w) => ({ ...w })),
    on_call_shifts: [...state.shifts.values()].map((s) => ({ ...representShift(s), source: s.source })),
    schedules: [...state.schedules.values()].map((s) => ({ ...s, slack: { ...s.slack }, shifts: [...s.shifts] })),
    shift_swaps: [...state.swaps.values()]
      .filter((s) => !s.deleted)
      .map((s) => ({
        id: s.id,
        schedule: s.schedule,
        swap_start: new Date(s.swap_start).toISOString(),
        swap_end: new Date(s.swap_end).toISOString(),
        description: s.description,
        beneficiary: s.beneficiary,
        benefactor: s.benefactor,
        created_at: new Date(s.created_at).toISOString(),
        updated_at: new Date(s.updated_at).toISOString(),
      })),
    escalation_chains: [...state.chains.values()].map(representChain),
    escalation_policies: policies.map(representPolicy),
    integrations: [...state.integrations.values()].map((i) => exportIntegration(state, i)),
    routes: [...state.routes.values()].filter((r) => !r.isDefault).map((r) => representRoute(state, r)),
    engine: {
      round_robin: roundRobin,
      integrations_created: state.counters.integrationsCreated,
      // Engine records are exactly what the schema above describes (their unions are wider there).
      alert_groups: [...state.alertGroups.values()] as DataFileOutput['engine']['alert_groups'],
      alerts: [...state.alerts.values()],
      resolution_notes: [...state.resolutionNotes.values()],
      webhook_responses: state.webhookResponses,
    },
  };
}

/** The API shape plus what the API hides: the token, soft deletion, maintenance even if expired. */
function exportIntegration(state: State, integration: IntegrationRecord) {
  const shown = representIntegration(
    {
      state,
      clock: { now: () => Number.NEGATIVE_INFINITY },
      publicUrl: '',
      newId: () => '',
      commit: () => {},
      commitBackground: () => {},
      revision: 0,
    },
    integration,
  );
  const m = integration.maintenance;
  return {
    ...shown,
    type: integration.type,
    token: integration.token,
    templates: representTemplates(integration.templates, state.organization.messaging_backends),
    maintenance_mode: m?.mode ?? null,
    maintenance_started_at: m ? new Date(m.startedAt).toISOString() : null,
    maintenance_end_at: m ? new Date(m.endAt).toISOString() : null,
    deleted: integration.deleted,
    created_at: new Date(integration.created_at).toISOString(),
  };
}
