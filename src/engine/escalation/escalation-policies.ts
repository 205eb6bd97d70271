/**
 * Escalation policies (oncall-api.md §9): all step types, the exact output presence rules,
 * create/update rules (importance resets, clearing of other types' fields), OnCall's ordering,
 * and the round-robin pointer behind `advance_round_robin` (seed 001, oncall-engine.md §3.3, §6).
 */

import type { OnCallBackend } from '../../api/backend.js';
import { badRequest } from '../../api/errors.js';
import { type EscalationPolicy, POLICY_TYPES, type PolicyType, type RoundRobinUser } from '../../api/types.js';
import { type EngineContext, getOr404 } from '../core/context.js';
import { appendOrder, place, resolvePosition } from '../core/ordering.js';
import { paginate, queryStrings } from '../core/pagination.js';
import { nextInRoundRobin, roundRobinQueue } from './round-robin.js';
import type { PolicyRecord, State } from '../core/state.js';
import {
  asBody,
  type Body,
  FieldErrors,
  has,
  MSG,
  parseNumber,
  readBoolean,
  readInteger,
  readRelatedId,
  readString,
} from '../core/validation.js';

export const POLICY_PATH = '/api/v1/escalation_policies/';

/** Types that have an "important" variant, and so show `important` in their output. */
export const IMPORTANT_TYPES: ReadonlySet<PolicyType> = new Set([
  'notify_persons',
  'notify_person_next_each_time',
  'notify_on_call_from_schedule',
  'notify_next_on_call_from_schedule',
  'notify_user_group',
  'notify_team_members',
]);

/** Types whose steps keep the stored user list (OnCall's `notify_to_users_queue`). */
const USER_LIST_TYPES: ReadonlySet<PolicyType> = new Set(['notify_persons', 'notify_person_next_each_time']);
const SCHEDULE_TYPES: ReadonlySet<PolicyType> = new Set([
  'notify_on_call_from_schedule',
  'notify_next_on_call_from_schedule',
]);

const DURATION_MIN = 60;
const DURATION_MAX = 86400;
const INT_MAX = 2147483647;

// ---- representation (§9.2) ----

export function representPolicy(p: PolicyRecord): EscalationPolicy {
  const out: EscalationPolicy = { id: p.id, escalation_chain_id: p.chainId, position: p.order, type: p.type };
  if (p.type === null) return out;
  if (IMPORTANT_TYPES.has(p.type)) out.important = p.important;
  switch (p.type) {
    case 'wait':
      out.duration = p.duration;
      break;
    case 'notify_persons':
      out.persons_to_notify = [...p.userIds];
      break;
    case 'notify_person_next_each_time':
      out.persons_to_notify_next_each_time = [...p.userIds];
      break;
    case 'notify_on_call_from_schedule':
    case 'notify_next_on_call_from_schedule':
      out.notify_on_call_from_schedule = p.scheduleId;
      break;
    case 'notify_user_group':
      out.group_to_notify = p.userGroupId;
      break;
    case 'notify_team_members':
      out.team_to_notify = p.teamId;
      break;
    case 'trigger_webhook':
      out.action_to_trigger = p.webhookId;
      break;
    case 'notify_if_time_from_to':
      out.notify_if_time_from = p.timeFrom === null ? null : `${p.timeFrom}Z`;
      out.notify_if_time_to = p.timeTo === null ? null : `${p.timeTo}Z`;
      break;
    case 'notify_if_num_alerts_in_window':
      out.num_alerts_in_window = p.numAlertsInWindow;
      out.num_minutes_in_window = p.numMinutesInWindow;
      break;
    case 'declare_incident':
      out.severity = p.severity;
      break;
    default:
      break; // notify_whole_channel, repeat_escalation, resolve: no fields of their own
  }
  return out;
}

// ---- parsing ----

/** Every writable field, parsed. `undefined` = not sent (or invalid, with the error recorded). */
export interface PolicyFields {
  type?: PolicyType | null;
  important?: boolean | null;
  position?: number | null;
  manualOrder?: boolean | null;
  duration?: number | null;
  personsToNotify?: string[];
  personsNextEachTime?: string[];
  scheduleId?: string | null;
  userGroupId?: string | null;
  teamId?: string | null;
  webhookId?: string | null;
  timeFrom?: string | null;
  timeTo?: string | null;
  numAlertsInWindow?: number | null;
  numMinutesInWindow?: number | null;
  severity?: string | null;
}

/**
 * The `type` field. An unknown or unavailable type is a short-circuit BadRequest: OnCall raises it
 * while parsing the field, so no other field error is reported with it.
 */
function parseType(state: State, raw: unknown): PolicyType {
  if (typeof raw !== 'string' || !(POLICY_TYPES as readonly string[]).includes(raw)) {
    throw badRequest('Invalid escalation step type');
  }
  const type = raw as PolicyType;
  if (type === 'notify_whole_channel' && !state.organization.slack_team_id) {
    throw badRequest('Invalid escalation step type: step is Slack-specific');
  }
  if (type === 'declare_incident' && !state.organization.grafana_incident_enabled) {
    throw badRequest('Invalid escalation step type: step is not enabled');
  }
  return type;
}

/** Seconds, truncated to a whole second before the 60..86400 range check (OnCall's DurationField). */
function readDuration(errors: FieldErrors, body: Body): number | null | undefined {
  if (!has(body, 'duration')) return undefined;
  if (body.duration === null) return null;
  const n = parseNumber(body.duration);
  if (n === undefined) {
    errors.add('duration', MSG.number);
    return undefined;
  }
  const seconds = Math.trunc(n);
  if (seconds < DURATION_MIN) {
    errors.add('duration', 'Ensure this value is greater than or equal to 0:01:00.');
    return undefined;
  }
  if (seconds > DURATION_MAX) {
    errors.add('duration', 'Ensure this value is less than or equal to 1 day, 0:00:00.');
    return undefined;
  }
  return seconds;
}

const TIME_PATTERN = /^(\d{1,2}):(\d{1,2}):(\d{1,2})Z$/;

/** `HH:MM:SSZ` only (a UTC time of day); stored as `HH:MM:SS`. */
function readTime(errors: FieldErrors, body: Body, field: string): string | null | undefined {
  if (!has(body, field)) return undefined;
  if (body[field] === null) return null;
  const match = typeof body[field] === 'string' ? TIME_PATTERN.exec(body[field]) : null;
  const [h, m, s] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [99, 99, 99];
  if (h > 23 || m > 59 || s > 59) {
    errors.add(field, 'Time has wrong format. Use one of these formats instead: hh:mm:ssZ.');
    return undefined;
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}`;
}

/** A list of user ids. Unknown ids are silently dropped, as OnCall does; null means []. */
function readUserList(errors: FieldErrors, body: Body, field: string, state: State): string[] | undefined {
  if (!has(body, field)) return undefined;
  const raw = body[field];
  if (raw === null) return [];
  if (!Array.isArray(raw)) {
    errors.add(field, MSG.notAList(raw));
    return undefined;
  }
  const ids: string[] = [];
  for (const id of raw) if (typeof id === 'string' && state.users.has(id) && !ids.includes(id)) ids.push(id);
  return ids;
}

/**
 * Parse every writable field into `errors`' collection. The caller throws the collected errors;
 * a type problem throws at once and so drops them, as OnCall's short-circuit does.
 */
export function parsePolicyFields(
  state: State,
  body: Body,
  creating: boolean,
  errors: FieldErrors,
): PolicyFields {
  const fields: PolicyFields = {};

  if (has(body, 'type') && body.type !== null) fields.type = parseType(state, body.type);
  else if (has(body, 'type')) {
    if (creating) errors.add('type', MSG.notNull);
    else fields.type = null;
  } else if (creating) errors.add('type', MSG.required);

  fields.important = readBoolean(errors, body, 'important');
  fields.position = readInteger(errors, body, 'position');
  fields.manualOrder = readBoolean(errors, body, 'manual_order');
  fields.duration = readDuration(errors, body);
  fields.personsToNotify = readUserList(errors, body, 'persons_to_notify', state);
  fields.personsNextEachTime = readUserList(errors, body, 'persons_to_notify_next_each_time', state);
  const nullable = { nullable: true };
  fields.scheduleId = readRelatedId(
    errors,
    body,
    'notify_on_call_from_schedule',
    (id) => state.schedules.has(id),
    nullable,
  );
  // Slack user groups only resolve inside the org's connected Slack workspace.
  fields.userGroupId = readRelatedId(
    errors,
    body,
    'group_to_notify',
    (id) => state.organization.slack_team_id !== null && state.userGroups.has(id),
    nullable,
  );
  fields.teamId = readRelatedId(errors, body, 'team_to_notify', (id) => state.teams.has(id), nullable);
  fields.webhookId = readRelatedId(
    errors,
    body,
    'action_to_trigger',
    (id) => state.webhooks.has(id),
    nullable,
  );
  fields.timeFrom = readTime(errors, body, 'notify_if_time_from');
  fields.timeTo = readTime(errors, body, 'notify_if_time_to');
  const window = { nullable: true, min: 0, max: INT_MAX };
  fields.numAlertsInWindow = readInteger(errors, body, 'num_alerts_in_window', window);
  fields.numMinutesInWindow = readInteger(errors, body, 'num_minutes_in_window', window);
  fields.severity = readString(errors, body, 'severity', { nullable: true, allowBlank: true });
  return fields;
}

/** Apply the sent fields that belong to `type`; fields of other types are discarded (§9.3). */
export function applyTypeFields(policy: PolicyRecord, type: PolicyType | null, f: PolicyFields): void {
  switch (type) {
    case 'wait':
      if (f.duration !== undefined) policy.duration = f.duration;
      break;
    case 'notify_persons':
      if (f.personsToNotify !== undefined) policy.userIds = f.personsToNotify;
      break;
    case 'notify_person_next_each_time':
      if (f.personsNextEachTime !== undefined) policy.userIds = f.personsNextEachTime;
      break;
    case 'notify_on_call_from_schedule':
    case 'notify_next_on_call_from_schedule':
      if (f.scheduleId !== undefined) policy.scheduleId = f.scheduleId;
      break;
    case 'notify_user_group':
      if (f.userGroupId !== undefined) policy.userGroupId = f.userGroupId;
      break;
    case 'notify_team_members':
      if (f.teamId !== undefined) policy.teamId = f.teamId;
      break;
    case 'trigger_webhook':
      if (f.webhookId !== undefined) policy.webhookId = f.webhookId;
      break;
    case 'notify_if_time_from_to':
      if (f.timeFrom !== undefined) policy.timeFrom = f.timeFrom;
      if (f.timeTo !== undefined) policy.timeTo = f.timeTo;
      break;
    case 'notify_if_num_alerts_in_window':
      if (f.numAlertsInWindow !== undefined) policy.numAlertsInWindow = f.numAlertsInWindow;
      if (f.numMinutesInWindow !== undefined) policy.numMinutesInWindow = f.numMinutesInWindow;
      break;
    case 'declare_incident':
      if (f.severity !== undefined) policy.severity = f.severity;
      break;
    default:
      break;
  }
}

/** When a policy changes to another type, what it stored for other types is cleared (§9.4). */
function clearOtherTypesFields(policy: PolicyRecord, type: PolicyType): void {
  if (type !== 'wait') policy.duration = null;
  if (!USER_LIST_TYPES.has(type)) policy.userIds = [];
  if (!SCHEDULE_TYPES.has(type)) policy.scheduleId = null;
  if (type !== 'notify_user_group') policy.userGroupId = null;
  if (type !== 'notify_team_members') policy.teamId = null;
  if (type !== 'trigger_webhook') policy.webhookId = null;
  if (type !== 'notify_if_time_from_to') {
    policy.timeFrom = null;
    policy.timeTo = null;
  }
  if (type !== 'notify_if_num_alerts_in_window') {
    policy.numAlertsInWindow = null;
    policy.numMinutesInWindow = null;
  }
  if (type !== 'declare_incident') policy.severity = null;
}

export function blankPolicy(id: string, chainId: string, type: PolicyType | null): PolicyRecord {
  return {
    id,
    chainId,
    order: 0,
    type,
    important: false,
    duration: null,
    userIds: [],
    scheduleId: null,
    userGroupId: null,
    teamId: null,
    webhookId: null,
    timeFrom: null,
    timeTo: null,
    numAlertsInWindow: null,
    numMinutesInWindow: null,
    severity: null,
    roundRobinLastUserId: null,
  };
}

// ---- the resource ----

export function policiesInChain(state: State, chainId: string): PolicyRecord[] {
  return [...state.policies.values()].filter((p) => p.chainId === chainId).sort((a, b) => a.order - b.order);
}

export function escalationPolicies(ctx: EngineContext): OnCallBackend['escalationPolicies'] {
  const { state } = ctx;

  /** List order: by chain in creation order, then by order. */
  const ordered = () => {
    const chainRank = new Map([...state.chains.keys()].map((id, i) => [id, i]));
    return [...state.policies.values()].sort(
      (a, b) => (chainRank.get(a.chainId) ?? 0) - (chainRank.get(b.chainId) ?? 0) || a.order - b.order,
    );
  };

  return {
    async list(query) {
      const items = ordered()
        .filter((p) => query.escalation_chain_id === undefined || p.chainId === query.escalation_chain_id)
        .map(representPolicy);
      return paginate(items, ctx.publicUrl, {
        path: POLICY_PATH,
        query: queryStrings(query),
        defaultSize: 50,
      });
    },

    async get(id) {
      return representPolicy(getOr404(state.policies, 'escalation_policy', id));
    },

    async create(raw) {
      const body = asBody(raw);
      const errors = new FieldErrors();
      const chainId = readRelatedId(errors, body, 'escalation_chain_id', (id) => state.chains.has(id), {
        required: true,
      });
      const fields = parsePolicyFields(state, body, true, errors);
      errors.throwIfAny();
      const type = fields.type as PolicyType;
      const siblings = policiesInChain(state, chainId!);
      const manualOrder = fields.manualOrder === true;
      // Checked before anything is created: an invalid position leaves the chain untouched.
      const target =
        fields.position === undefined || fields.position === null
          ? 'append'
          : resolvePosition(siblings, fields.position, { manualOrder, creating: true });

      const policy = blankPolicy(ctx.newId('E'), chainId!, type);
      policy.important = IMPORTANT_TYPES.has(type) && fields.important === true;
      applyTypeFields(policy, type, fields);
      policy.order = appendOrder(siblings);
      state.policies.set(policy.id, policy);
      place([...siblings, policy], policy, target, manualOrder);
      ctx.commit();
      return representPolicy(policy);
    },

    async update(id, raw) {
      const policy = getOr404(state.policies, 'escalation_policy', id);
      const body = asBody(raw);
      // escalation_chain_id is read-only (ignored): a policy never moves to another chain.
      const errors = new FieldErrors();
      const fields = parsePolicyFields(state, body, false, errors);
      errors.throwIfAny();
      const siblings = policiesInChain(state, policy.chainId);
      const manualOrder = fields.manualOrder === true;
      const target =
        fields.position === undefined || fields.position === null
          ? undefined
          : resolvePosition(siblings, fields.position, { manualOrder, creating: false });

      // Sending `type` re-parses importance from `important` (absent = false); sending only
      // `important` flips the variant of the current type.
      let type = policy.type;
      let important = policy.important;
      if (fields.type !== undefined) {
        type = fields.type;
        important = fields.important === true;
      } else if (fields.important !== undefined && fields.important !== null) {
        important = fields.important;
      }
      important = type !== null && IMPORTANT_TYPES.has(type) && important;

      if (target !== undefined) place(siblings, policy, target, manualOrder);
      if (type !== null && type !== policy.type) clearOtherTypesFields(policy, type);
      policy.type = type;
      policy.important = important;
      applyTypeFields(policy, type, fields);
      ctx.commit();
      return representPolicy(policy);
    },

    async delete(id) {
      getOr404(state.policies, 'escalation_policy', id);
      state.policies.delete(id); // no renumbering: gaps stay
      ctx.commit();
    },

    async advanceRoundRobin(id): Promise<RoundRobinUser> {
      const policy = getOr404(state.policies, 'escalation_policy', id);
      if (policy.type !== 'notify_person_next_each_time') {
        throw badRequest('Only round-robin steps (type notify_person_next_each_time) can be advanced');
      }
      const queue = roundRobinQueue(state, policy.userIds);
      const skipped = nextInRoundRobin(queue, policy.roundRobinLastUserId);
      if (!skipped) throw badRequest('The round-robin queue has no users');
      // The pointer moves past the user who was up; the answer is who is up now.
      policy.roundRobinLastUserId = skipped.id;
      const head = nextInRoundRobin(queue, skipped.id)!;
      ctx.commit();
      return { user_id: head.id, username: head.username };
    },
  };
}
