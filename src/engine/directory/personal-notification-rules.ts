/**
 * Personal notification rules (`/api/v1/personal_notification_rules/`, semantics.md §5): how each
 * person is notified when an escalation reaches them, a default and an important list per user.
 * The rules live on the user record (the runtime reads them from there); this module gives each
 * its public id, OnCall's validation and messages, and OnCall's ordering within a list.
 */
import { createHash } from 'node:crypto';
import type { OnCallBackend, PersonalNotificationRuleBody } from '../../api/backend.js';
import { ApiError, badRequest, notFound } from '../../api/errors.js';
import type { PersonalNotificationRule } from '../../api/types.js';
import type { EngineContext } from '../core/context.js';
import { generateId, ID_ALPHABET } from '../core/ids.js';
import { appendOrder, place, resolvePosition } from '../core/ordering.js';
import { paginate, queryStrings } from '../core/pagination.js';
import type { NotificationRule, State, UserRecord } from '../core/state.js';
import { asBody, FieldErrors, has, readBoolean, readInteger } from '../core/validation.js';
import { CHANNELS, type RuleStep, WAIT_CHOICES } from '../runtime/notification-rules.js';

export type RuleList = 'default' | 'important';

/** The public types: `wait`, or `notify_by_<channel>`. */
export const RULE_TYPES: readonly string[] = ['wait', ...CHANNELS.map((c) => `notify_by_${c}`)];

/** A wait without a duration waits five minutes, as OnCall's model defaults it. */
const DEFAULT_WAIT = 300;

/**
 * An id for a rule a data file gave none: derived from its place, so the same file loads with the
 * same ids every time (the demo's rules keep theirs across restarts). Rules made later get random ids.
 */
export function derivedRuleId(userId: string, list: RuleList, index: number): string {
  const digest = createHash('sha256').update(`${userId}/${list}/${index}`).digest();
  let id = 'N';
  for (let i = 0; i < 12; i++) id += ID_ALPHABET[digest[i]! % ID_ALPHABET.length];
  return id;
}

/** Rules from their steps, in order, with derived ids: data files, the demo and tests. */
export function numberRules(userId: string, list: RuleList, steps: readonly RuleStep[]): NotificationRule[] {
  return steps.map((step, i) => ({
    id: derivedRuleId(userId, list, i),
    order: i,
    type: step.type,
    ...(step.type === 'wait' ? { duration: step.duration ?? DEFAULT_WAIT } : {}),
  }));
}

interface Found {
  user: UserRecord;
  list: RuleList;
  rule: NotificationRule;
}

function findRule(state: State, id: string): Found | undefined {
  for (const user of state.users.values()) {
    for (const list of ['default', 'important'] as const) {
      const rule = user.notification_rules[list].find((r) => r.id === id);
      if (rule) return { user, list, rule };
    }
  }
  return undefined;
}

export function representRule(user: UserRecord, list: RuleList, rule: NotificationRule): PersonalNotificationRule {
  return {
    id: rule.id,
    user_id: user.id,
    position: rule.order,
    type: rule.type,
    ...(rule.type === 'wait' ? { duration: rule.duration ?? DEFAULT_WAIT } : {}),
    important: list === 'important',
  };
}

/**
 * `duration` as OnCall's serializer reads it, first of all fields: `H:MM:SS` as `strptime` takes
 * it, or a number of seconds turned into Python's timedelta text; anything else is "Invalid
 * duration format". The text must then be one of the five choices as Python prints them
 * ("0:05:00"), so "00:05:00" is not a choice.
 */
function durationText(body: Record<string, unknown>): string | undefined {
  if (!has(body, 'duration')) return undefined;
  const raw = body.duration;
  const clock = typeof raw === 'string' ? /^(\d{1,2}):(\d{1,2}):(\d{1,2})$/.exec(raw) : null;
  if (clock && Number(clock[1]) <= 23 && Number(clock[2]) <= 59 && Number(clock[3]) <= 61) return raw as string;
  if (typeof raw === 'number' && Number.isFinite(raw)) return pythonTimedelta(raw);
  if (typeof raw === 'boolean') return pythonTimedelta(raw ? 1 : 0);
  throw badRequest('Invalid duration format');
}

function readDuration(errors: FieldErrors, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const choice = WAIT_CHOICES.find((s) => pythonTimedelta(s) === text);
  if (choice === undefined) errors.add('duration', `"${text}" is not a valid choice.`);
  return choice;
}

/** `str(timedelta(seconds=n))` for the values a rule can hold: "0:05:00", "1:00:00", "1 day, 0:00:00". */
function pythonTimedelta(seconds: number): string {
  const whole = Math.floor(seconds);
  const days = Math.floor(whole / 86400);
  const rest = whole - days * 86400;
  const h = Math.floor(rest / 3600);
  const m = Math.floor((rest % 3600) / 60);
  const s = rest % 60;
  const clock = `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  const fraction = seconds - whole ? `.${String(Math.round((seconds - whole) * 1e6)).padStart(6, '0')}` : '';
  return days ? `${days} day${Math.abs(days) === 1 ? '' : 's'}, ${clock}${fraction}` : `${clock}${fraction}`;
}

/** `type` as a DRF CharField reads it (errors collected); `undefined` when not sent. */
function readTypeField(errors: FieldErrors, body: Record<string, unknown>): string | undefined {
  if (!has(body, 'type')) return undefined;
  if (body.type === null) errors.add('type', 'This field may not be null.');
  else if (typeof body.type === 'object') errors.add('type', 'Not a valid string.');
  else if (String(body.type) === '') errors.add('type', 'This field may not be blank.');
  else return String(body.type);
  return undefined;
}

/** After the fields: the serializer's own checks, each a bare `{"type": "…"}` answer. */
function checkType(type: string | undefined, required: boolean): string | undefined {
  if (type === undefined) {
    if (required) throw new ApiError(400, { type: 'Type is required' });
    return undefined;
  }
  if (!RULE_TYPES.includes(type)) throw new ApiError(400, { type: 'Invalid type' });
  return type;
}

function sortList(rules: NotificationRule[]): void {
  rules.sort((a, b) => a.order - b.order);
}

export function personalNotificationRules(ctx: EngineContext): OnCallBackend['personalNotificationRules'] {
  const { state } = ctx;
  const get = (id: string): Found => {
    const found = findRule(state, id);
    if (!found) throw notFound('personal_notification_rule', id);
    return found;
  };
  const newRuleId = () => generateId('N', (id) => findRule(state, id) !== undefined);

  return {
    async list(query) {
      let users = [...state.users.values()];
      if (query.user_id !== undefined) {
        const user = state.users.get(query.user_id);
        if (!user) throw badRequest('User not found.');
        users = [user];
      }
      let lists: RuleList[] = ['default', 'important'];
      if (query.important !== undefined) {
        if (query.important === 'true') lists = ['important'];
        else if (query.important === 'false') lists = ['default'];
        else throw badRequest('Important is not bool');
      }
      // OnCall's order: user, then default before important, then position.
      const items = users.flatMap((user) =>
        lists.flatMap((list) => user.notification_rules[list].map((rule) => representRule(user, list, rule))),
      );
      return paginate(items, ctx.publicUrl, {
        path: '/api/v1/personal_notification_rules/',
        query: queryStrings(query),
        defaultSize: 50,
      });
    },

    async get(id) {
      const { user, list, rule } = get(id);
      return representRule(user, list, rule);
    },

    async create(raw: PersonalNotificationRuleBody) {
      const body = asBody(raw);
      const text = durationText(body);
      const errors = new FieldErrors();
      if (!has(body, 'user_id') || body.user_id === null) errors.add('user_id', 'This field is required.');
      else if (typeof body.user_id !== 'string' || !state.users.has(body.user_id)) throw badRequest('User does not exist');
      const user = state.users.get(body.user_id as string);
      const important = readBoolean(errors, body, 'important') === true;
      const position = readInteger(errors, body, 'position');
      const manualOrder = readBoolean(errors, body, 'manual_order') === true;
      const duration = readDuration(errors, text);
      const typeField = readTypeField(errors, body);
      errors.throwIfAny();
      const type = checkType(typeField, true)!;
      if (duration !== undefined && type !== 'wait') throw new ApiError(400, { duration: 'Duration can\'t be set' });
      const list: RuleList = important ? 'important' : 'default';
      const siblings = user!.notification_rules[list];
      // Checked before anything is created: an invalid position leaves the list as it was.
      const target = position === undefined || position === null
        ? 'append'
        : resolvePosition(siblings, position, { manualOrder, creating: true });
      const rule: NotificationRule = {
        id: newRuleId(),
        order: appendOrder(siblings),
        type,
        ...(type === 'wait' ? { duration: duration ?? DEFAULT_WAIT } : {}),
      };
      siblings.push(rule);
      place(siblings, rule, target, manualOrder);
      sortList(siblings);
      ctx.commit(['users']);
      return representRule(user!, list, rule);
    },

    async update(id, raw: PersonalNotificationRuleBody) {
      const { user, list, rule } = get(id);
      const body = asBody(raw);
      // user_id and important are read-only: a rule never moves to another person or list.
      const text = durationText(body);
      const errors = new FieldErrors();
      const position = readInteger(errors, body, 'position');
      const manualOrder = readBoolean(errors, body, 'manual_order') === true;
      const duration = readDuration(errors, text);
      const typeField = readTypeField(errors, body);
      errors.throwIfAny();
      const type = checkType(typeField, false);
      const nextType = type ?? rule.type;
      if (duration !== undefined && nextType !== 'wait') throw new ApiError(400, { duration: 'Duration can\'t be set' });
      const siblings = user.notification_rules[list];
      const target = position === undefined || position === null
        ? undefined
        : resolvePosition(siblings, position, { manualOrder, creating: false });
      rule.type = nextType;
      // A type sent again resets the wait to five minutes unless a duration comes with it, as in
      // OnCall (its update re-derives the step from `type`).
      if (nextType === 'wait') rule.duration = duration ?? (type !== undefined ? DEFAULT_WAIT : rule.duration ?? DEFAULT_WAIT);
      else delete rule.duration;
      if (target !== undefined) place(siblings, rule, target, manualOrder);
      sortList(siblings);
      ctx.commit(['users']);
      return representRule(user, list, rule);
    },

    async delete(id) {
      const { user, list, rule } = get(id);
      // No renumbering: the others keep their positions, gaps stay.
      user.notification_rules[list] = user.notification_rules[list].filter((r) => r !== rule);
      ctx.commit(['users']);
    },
  };
}
