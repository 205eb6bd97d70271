/**
 * Escalation policies (oncall-api.md §9): all step types, the exact output presence rules,
 * create/update rules (importance resets, clearing of other types' fields), OnCall's ordering,
 * and the round-robin pointer behind `advance_round_robin` (seed 001, oncall-engine.md §3.3, §6).
 */

import type { OnCallBackend } from '../../api/backend.js';
import { badRequest } from '../../api/errors.js';
import { facts, knownStepType, type PolicyField } from '../../api/step-types.js';
import { type EscalationPolicy, POLICY_TYPES, type PolicyType, type RoundRobinUser } from '../../api/types.js';
import { type EngineContext, getOr404 } from '../core/context.js';
import { appendOrder, place, resolvePosition } from '../core/ordering.js';
import { paginate, queryStrings } from '../core/pagination.js';
import { nextInRoundRobin, roundRobinQueue } from './round-robin.js';
import { ENGINE_STEPS, type StepSettings } from './step-types.js';
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
export const IMPORTANT_TYPES: ReadonlySet<PolicyType> = new Set(POLICY_TYPES.filter((t) => facts(t).important));

const DURATION_MIN = 60;
const DURATION_MAX = 86400;
const INT_MAX = 2147483647;

// ---- where each type field is kept ----

/** The record's slots that hold type fields (one slot may serve several fields, as `userIds` does). */
type Slot = keyof Omit<StepSettings, 'type' | 'important' | 'roundRobinLastUserId'>;

/** The parsed fields whose value can be stored in slot `S`. */
type ParsedFor<S extends Slot> = {
  [K in keyof PolicyFields]-?: Exclude<PolicyFields[K], undefined> extends PolicyRecord[S] ? K : never;
}[keyof PolicyFields];

/** An API field: the slot it is kept in, the parsed field it is written from, how it shows. */
type Stored<F extends PolicyField> = {
  [S in Slot]: { slot: S; parsed: ParsedFor<S>; show: (value: PolicyRecord[S]) => EscalationPolicy[F] };
}[Slot];

const same = <T>(value: T): T => value;
const copy = (ids: readonly string[]) => [...ids];
const utc = (time: string | null) => (time === null ? null : `${time}Z`);

/**
 * Every type field of the API. Which type owns which fields is the API's table (`STEP_FACTS`); a
 * new type that reuses fields needs nothing here.
 */
const FIELD_STORE: { [F in PolicyField]: Stored<F> } = {
  duration: { slot: 'duration', parsed: 'duration', show: same },
  persons_to_notify: { slot: 'userIds', parsed: 'personsToNotify', show: copy },
  persons_to_notify_next_each_time: { slot: 'userIds', parsed: 'personsNextEachTime', show: copy },
  notify_on_call_from_schedule: { slot: 'scheduleId', parsed: 'scheduleId', show: same },
  group_to_notify: { slot: 'userGroupId', parsed: 'userGroupId', show: same },
  team_to_notify: { slot: 'teamId', parsed: 'teamId', show: same },
  action_to_trigger: { slot: 'webhookId', parsed: 'webhookId', show: same },
  notify_if_time_from: { slot: 'timeFrom', parsed: 'timeFrom', show: utc },
  notify_if_time_to: { slot: 'timeTo', parsed: 'timeTo', show: utc },
  num_alerts_in_window: { slot: 'numAlertsInWindow', parsed: 'numAlertsInWindow', show: same },
  num_minutes_in_window: { slot: 'numMinutesInWindow', parsed: 'numMinutesInWindow', show: same },
  severity: { slot: 'severity', parsed: 'severity', show: same },
};

/** The slots of a type's own fields. */
const slotsOf = (type: PolicyType): ReadonlySet<Slot> => new Set(facts(type).fields.map((f) => FIELD_STORE[f].slot));
const ALL_SLOTS: readonly Slot[] = [...new Set(Object.values(FIELD_STORE).map((s) => s.slot))];

// ---- representation ----

/** A policy as the API shows it: always its placement and type, then only its own type's fields. */
export function representPolicy(p: PolicyRecord): EscalationPolicy {
  const out: EscalationPolicy = { id: p.id, escalation_chain_id: p.chainId, position: p.order, type: p.type };
  if (p.type === null) return out;
  if (facts(p.type).important) out.important = p.important;
  for (const field of facts(p.type).fields) {
    const { slot, show } = FIELD_STORE[field];
    (out as Record<string, unknown>)[field] = (show as (value: unknown) => unknown)(p[slot]);
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
  const type = typeof raw === 'string' ? knownStepType(raw) : undefined;
  if (type === undefined) throw badRequest('Invalid escalation step type');
  const unavailable = ENGINE_STEPS[type].unavailable?.(state);
  if (unavailable) throw badRequest(unavailable);
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

/** Apply the sent fields that belong to `type`; fields of other types are discarded. */
export function applyTypeFields(policy: PolicyRecord, type: PolicyType | null, f: PolicyFields): void {
  if (type === null) return;
  for (const field of facts(type).fields) {
    const { slot, parsed } = FIELD_STORE[field];
    const value = f[parsed];
    if (value !== undefined) (policy as unknown as Record<Slot, unknown>)[slot] = value;
  }
}

/** When a policy changes to another type, what it stored for other types is cleared. */
function clearOtherTypesFields(policy: PolicyRecord, type: PolicyType): void {
  const own = slotsOf(type);
  const blank = blankPolicy(policy.id, policy.chainId, type);
  for (const slot of ALL_SLOTS) if (!own.has(slot)) (policy as unknown as Record<Slot, unknown>)[slot] = blank[slot];
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
