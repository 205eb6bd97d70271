/**
 * Shared parameter schemas. Their `.describe()` text is what an agent reads, so it says what the
 * value looks like and where to find one. Types and closed vocabularies are checked here; OnCall's
 * own rules (ranges, formats, existence) are checked by the backend, which answers with OnCall's
 * messages naming the field.
 */
import * as z from 'zod';
import { facts, type PolicyField, typesWithField } from '../api/step-types.js';
import { POLICY_TYPES, type PolicyType as PolicyTypeName } from '../api/types.js';
import { TOOL_STEPS } from './step-types.js';

export const ChainId = z
  .string()
  .min(1)
  .describe(
    'Escalation chain id: "F" + 12 characters, e.g. F5JU6KJET33FE. list_escalation_chains shows them.',
  );

export const PolicyId = z
  .string()
  .min(1)
  .describe(
    'Escalation policy (step) id: "E" + 12 characters, e.g. E3GA6SJETWWJS. get_escalation_chain shows them.',
  );

export const UserId = z
  .string()
  .min(1)
  .describe('User id: "U" + 12 characters. list_users finds it by username or email.');

export const UserIdList = z
  .array(z.string())
  .describe(
    'User ids ("U…"). list_users finds them by username or email. Unknown ids are dropped; [] clears.',
  );

/** OnCall stores positions and counters as 32-bit integers. */
const INT32_MAX = 2147483647;

export const TeamId = z
  .string()
  .nullable()
  .describe('Owning team id ("T…", see list_teams), or null for no team.');

export const TeamFilter = z
  .string()
  .describe(
    'Only objects of this team: a team id ("T…", see list_teams), or "null" for objects with no team.',
  );

export const Page = z
  .number()
  .int()
  .min(1)
  .meta({ maximum: undefined })
  .describe('Page number, 1-based (default 1). A page past the end returns the last page.');

export const PerPage = z.number().int().min(1).max(100).describe('Items per page (default 50; users 100).');

/** `wait (duration)`, `notify_person_next_each_time = round robin (persons_to_notify_next_each_time)`. */
const typeHint = (type: PolicyTypeName) => {
  const { alias } = TOOL_STEPS[type];
  const { fields } = facts(type);
  return `${type}${alias ? ` = ${alias}` : ''}${fields.length ? ` (${fields.join(', ')})` : ''}`;
};

/** The types a field belongs to, as its description starts: `wait: …`. */
const usedBy = (field: PolicyField) =>
  typesWithField(field).map((t) => (TOOL_STEPS[t].alias ? `${t} (${TOOL_STEPS[t].alias})` : t)).join(' / ');

export const PolicyType = z
  .enum(POLICY_TYPES)
  .describe(`Step type. ${POLICY_TYPES.map(typeHint).join('; ')}.`);

/** The type-specific and ordering fields shared by create and update of a policy. */
export const policyFields = {
  position: z
    .number()
    .int()
    .min(-1)
    .max(INT32_MAX)
    .describe(
      'Where the step goes: 0 = first; -1 = last. Placing at a taken position pushes that step and the later ones down.',
    ),
  important: z
    .boolean()
    .describe('Use the "important" personal notification rules (notify steps only). Default false.'),
  duration: z.number().describe(`${usedBy('duration')}: seconds to wait, 60 to 86400.`),
  persons_to_notify: UserIdList.describe(`${usedBy('persons_to_notify')}: user ids ("U…") to notify together.`),
  persons_to_notify_next_each_time: UserIdList.describe(
    `${usedBy('persons_to_notify_next_each_time')}: user ids ("U…"); one of them is notified each time, in username order.`,
  ),
  notify_on_call_from_schedule: z
    .string()
    .nullable()
    .describe(`${usedBy('notify_on_call_from_schedule')}: schedule id ("S…").`),
  group_to_notify: z
    .string()
    .nullable()
    .describe(`${usedBy('group_to_notify')}: user group id ("G…", see list_user_groups).`),
  team_to_notify: z.string().nullable().describe(`${usedBy('team_to_notify')}: team id ("T…", see list_teams).`),
  action_to_trigger: z
    .string()
    .nullable()
    .describe(`${usedBy('action_to_trigger')}: webhook id ("WH…", see list_webhooks).`),
  notify_if_time_from: z
    .string()
    .describe(`${usedBy('notify_if_time_from')}: window start as UTC time of day "HH:MM:SSZ", e.g. "09:00:00Z".`),
  notify_if_time_to: z
    .string()
    .describe(`${usedBy('notify_if_time_to')}: window end as UTC time of day "HH:MM:SSZ", e.g. "18:00:00Z".`),
  num_alerts_in_window: z
    .number()
    .int()
    .min(0)
    .max(INT32_MAX)
    .describe(`${usedBy('num_alerts_in_window')}: continue only after more than this many alerts…`),
  num_minutes_in_window: z
    .number()
    .int()
    .min(0)
    .max(INT32_MAX)
    .describe('…arrived within this many minutes.'),
  severity: z.string().describe(`${usedBy('severity')}: incident severity, e.g. "critical".`),
};

export const IntegrationId = z
  .string()
  .min(1)
  .describe('Integration id: "C" + 12 characters, e.g. CFRPV98RPR1U8. list_integrations shows them.');

export const RouteId = z
  .string()
  .min(1)
  .describe('Route id: "R" + 12 characters. get_integration shows an integration\'s routes in order.');

const optionalText = (what: string) => z.string().nullable().optional().describe(what);

export const SlackRoutingInput = z
  .object({
    channel_id: optionalText('Slack channel id (e.g. C0123ABCD), or null for none.'),
    enabled: z.boolean().optional().describe('Post alert groups of this route to Slack.'),
  })
  .describe('Slack settings; only the keys you send change.');

export const TelegramRoutingInput = z
  .object({
    id: optionalText('Telegram channel id ("Z…"), or null for none.'),
    enabled: z.boolean().optional().describe('Post alert groups of this route to Telegram.'),
  })
  .describe('Telegram settings; only the keys you send change.');

const channel = (fields: readonly ('title' | 'message' | 'image_url')[], what: string) =>
  z
    .object(
      Object.fromEntries(
        fields.map((f) => [
          f,
          optionalText(`${what} ${f.replace('_', ' ')} (Jinja2), or null for the default.`),
        ]),
      ),
    )
    .describe(`${what} templates.`);

const TITLE_MESSAGE_IMAGE = ['title', 'message', 'image_url'] as const;

export const TemplatesInput = z
  .object({
    grouping_key: optionalText('Jinja2: alerts with the same rendered key join one alert group.'),
    resolve_signal: optionalText('Jinja2: renders true when an alert means "resolved".'),
    acknowledge_signal: optionalText('Jinja2: renders true when an alert means "acknowledged".'),
    source_link: optionalText('Jinja2: link back to the alert source.'),
    slack: channel(TITLE_MESSAGE_IMAGE, 'Slack'),
    web: channel(TITLE_MESSAGE_IMAGE, 'Web'),
    sms: channel(['title'], 'SMS'),
    phone_call: channel(['title'], 'Phone call'),
    telegram: channel(TITLE_MESSAGE_IMAGE, 'Telegram'),
    email: channel(['title', 'message'], 'Email'),
    msteams: channel(TITLE_MESSAGE_IMAGE, 'MS Teams'),
  })
  .partial()
  .describe(
    'Templates to change; keys you leave out stay as they are. null resets a template to the type default.',
  );

export const DefaultRouteInput = z
  .object({
    escalation_chain_id: z
      .string()
      .nullable()
      .optional()
      .describe('Chain for alerts no other route takes ("F…"), or null for none.'),
    slack: SlackRoutingInput.optional(),
    telegram: TelegramRoutingInput.optional(),
  })
  .describe('The default route (catches every alert no other route takes).');

export const ScheduleId = z
  .string()
  .min(1)
  .describe('Schedule id: "S" + 12 characters, e.g. SBM7DV7BKFUYU. list_schedules shows them.');

export const ShiftId = z
  .string()
  .min(1)
  .describe('On-call shift id: "O" + 12 characters. list_on_call_shifts shows them.');

export const LocalDateTime = z
  .string()
  .describe('Wall-clock time YYYY-MM-DDTHH:MM:SS in the shift\'s time_zone (no zone suffix), e.g. 2026-03-02T09:00:00.');

export const ZonedDateTime = z
  .string()
  .describe('ISO 8601 instant with its zone, e.g. 2026-03-24T09:00:00Z or 2026-03-24T10:00:00+01:00.');

export const Days = z
  .number()
  .int()
  .min(1)
  .max(30)
  .describe('How many days to look, 1 to 30 (default 7).');

/** The same fields, each optional: the shape of an update tool's input (absent = unchanged). */
export function allOptional<S extends Record<string, z.ZodType>>(shape: S): { [K in keyof S]: z.ZodOptional<S[K]> } {
  return Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof S]: z.ZodOptional<S[K]>;
  };
}
