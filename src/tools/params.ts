/**
 * Shared parameter schemas. Their `.describe()` text is what an agent reads, on every tool that
 * has the argument, so it is short: what the value is and the forms it takes. What every argument
 * shares is said once in the server's instructions (names work for ids, id prefixes, "" for
 * null). Types and closed vocabularies are checked here; OnCall's own rules (ranges, formats,
 * existence) are checked by the backend, which answers with OnCall's messages naming the field.
 *
 * Nullable fields: input schemas give every field one `type` (tools/list collapses
 * `["string","null"]`, see schema.ts), because single-type dialects (Gemini's function
 * declarations, OpenAPI 3.0) reject type arrays and some clients reject `anyOf`. So where the API
 * takes null, the portable spelling is "" and every such description says what "" means; null
 * itself is still accepted. `orNull` is the one way to declare such a field.
 */
import * as z from 'zod';
import { facts } from '../api/step-types.js';
import { POLICY_TYPES, type PolicyType as PolicyTypeName } from '../api/types.js';
import { TOOL_STEPS } from './step-types.js';

/** A string the API also takes as null: "" (portable) or null both arrive as null. */
export function orNull(description: string) {
  return z
    .string()
    .nullable()
    .transform((v) => (v === '' ? null : v))
    .describe(description);
}

/**
 * An id argument: never empty, though the schema does not say so (a model never sends an empty id
 * on purpose, and the bound would be printed on every one of them).
 */
export const id = (description: string) => z.string().min(1).meta({ minLength: undefined }).describe(description);

/** OnCall stores positions and counters as 32-bit integers. */
const INT32_MAX = 2147483647;

/** An integer bound OnCall stores (32-bit), checked but not printed: it only costs tokens. */
const int32 = (min: number) => z.number().int().min(min).max(INT32_MAX).meta({ maximum: undefined });

export const ChainId = id('Chain id or name.');

export const PolicyId = id('Escalation step id (E…).');

export const UserId = id('User id, username or email.');

export const UserIdList = z.array(z.string()).describe('User ids, usernames or emails; [] clears.');

export const TeamId = orNull('Team id or name; "" = none.');

export const TeamFilter = z.string().describe('Team id or name; "null" = no team.');

export const Page = z
  .number()
  .int()
  .min(1)
  .meta({ minimum: undefined, maximum: undefined })
  .describe('From 1.');

export const PerPage = z.number().int().min(1).max(100).meta({ minimum: undefined }).describe('Default 50.');

/** `wait (duration)`, `notify_person_next_each_time = round robin (persons_to_notify_next_each_time)`. */
const typeHint = (type: PolicyTypeName) => {
  const { alias } = TOOL_STEPS[type];
  const { fields } = facts(type);
  return `${type}${alias ? ` = ${alias}` : ''}${fields.length ? ` (${fields.join(', ')})` : ''}`;
};

export const PolicyType = z
  .enum(POLICY_TYPES)
  .describe(`Step type. ${POLICY_TYPES.map(typeHint).join('; ')}.`);

/**
 * The type-specific and ordering fields shared by create and update of a policy. Which field goes
 * with which type is `type`'s table; each field says only what its value is.
 */
export const policyFields = {
  position: int32(-1).describe('0 first, -1 last; taken: pushes the rest down.'),
  important: z.boolean().describe('Use important notification rules.'),
  duration: z.number().describe('Seconds, 60 to 86400.'),
  persons_to_notify: UserIdList.describe('Users, notified together.'),
  persons_to_notify_next_each_time: UserIdList.describe('Users taking turns, one per alert.'),
  notify_on_call_from_schedule: z.string().describe('Schedule id or name.'),
  group_to_notify: z.string().describe('User group id or @handle.'),
  team_to_notify: z.string().describe('Team id or name.'),
  action_to_trigger: z.string().describe('Webhook id or name.'),
  notify_if_time_from: z.string().describe('UTC HH:MM:SSZ.'),
  notify_if_time_to: z.string().describe('UTC HH:MM:SSZ.'),
  num_alerts_in_window: int32(0).describe('Go on after more alerts than this…'),
  num_minutes_in_window: int32(0).describe('…in this many minutes.'),
  severity: z.string().describe('E.g. critical.'),
};

export const IntegrationId = id('Integration id or name.');

export const RouteId = id('Route id (R…).');

export const AlertGroupId = id('Alert group id (I…).');

export const SlackRoutingInput = z
  .object({
    channel_id: orNull('Channel id; "" = none.').optional(),
    enabled: z.boolean().optional().describe('Post there.'),
  })
  .describe('Slack.');

export const TelegramRoutingInput = z
  .object({
    id: orNull('Channel id; "" = none.').optional(),
    enabled: z.boolean().optional().describe('Post there.'),
  })
  .describe('Telegram.');

/** Each template key of the API's nested `templates`, as `channel.field` (or a top-level key). */
export const TEMPLATE_KEYS = [
  'grouping_key',
  'resolve_signal',
  'acknowledge_signal',
  'source_link',
  ...['slack', 'web', 'telegram', 'msteams'].flatMap((c) => [`${c}.title`, `${c}.message`, `${c}.image_url`]),
  'email.title',
  'email.message',
  'sms.title',
  'phone_call.title',
] as const;
const KNOWN_TEMPLATE_KEYS: ReadonlySet<string> = new Set(TEMPLATE_KEYS);

/**
 * One flat map instead of the API's tree of 20 described leaves (what made the integration tools
 * the most expensive definitions): the keys are listed once, in the description.
 */
export const TemplatesInput = z
  .record(z.string(), z.string().nullable().transform((v) => (v === '' ? null : v)))
  .superRefine((templates, ctx) => {
    for (const key of Object.keys(templates)) {
      if (!KNOWN_TEMPLATE_KEYS.has(key)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `not a template key; the keys are ${TEMPLATE_KEYS.join(', ')}` });
      }
    }
  })
  .describe(
    'Jinja2 by key, e.g. {"slack.title": "{{ payload.title }}"}; "" resets to the default. Keys: grouping_key, '
    + 'resolve_signal, acknowledge_signal, source_link, {slack,web,telegram,msteams}.{title,message,image_url}, '
    + 'email.{title,message}, sms.title, phone_call.title.',
  );

/** The flat `templates` argument as the API's nested body: `{"slack.title": x}` → `{slack: {title: x}}`. */
export function nestTemplates(flat: Record<string, string | null>): Record<string, unknown> {
  const nested: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const [channel, field] = key.split('.') as [string, string | undefined];
    if (field === undefined) nested[channel] = value;
    else nested[channel] = { ...(nested[channel] as Record<string, unknown> | undefined), [field]: value };
  }
  return nested;
}

export const DefaultRouteInput = z
  .object({
    escalation_chain_id: orNull('Chain id or name; "" = none.').optional(),
    slack: SlackRoutingInput.optional(),
    telegram: TelegramRoutingInput.optional(),
  })
  .describe('Default route.');

export const ScheduleId = id('Schedule id or name.');

export const ShiftId = id('On-call shift id or name.');

export const LocalDateTime = z.string().describe('Wall clock YYYY-MM-DDTHH:MM:SS in time_zone.');

export const ZonedDateTime = z.string().describe('ISO instant with zone.');

export const Days = z.number().int().min(1).max(30).describe('Default 7.');

/** The description of an update tool's field that means what the create tool's field of that name means. */
export const AS_IN_CREATE = 'As in create.';

/**
 * An update tool's fields: the create tool's, each optional (absent = unchanged) and described by
 * reference ("As in create."; the update tool's description names the create tool). The two tools
 * are in one toolset and both write, so wherever the update tool is listed the create tool is too,
 * and each field is read there once instead of twice (a step's or a shift's fields are most of
 * their definitions' tokens). tools/list shows such a field with its JSON type (and nested
 * fields' types) but without the vocabulary and bounds the create tool shows (schema.ts); the
 * server still checks them, and the registry test checks the two types agree.
 */
export function asIn<S extends Record<string, z.ZodType>>(shape: S): { [K in keyof S]: z.ZodOptional<S[K]> } {
  return Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, v.optional().describe(AS_IN_CREATE)])) as {
    [K in keyof S]: z.ZodOptional<S[K]>;
  };
}

/** The same fields, each optional: the shape of an update tool's input (absent = unchanged). */
export function allOptional<S extends Record<string, z.ZodType>>(shape: S): { [K in keyof S]: z.ZodOptional<S[K]> } {
  return Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof S]: z.ZodOptional<S[K]>;
  };
}
