/**
 * Personal notification rules: how each person is reached once an escalation gets to them. Whether
 * a page reaches anyone depends on these as much as on the chain, so every text says what a list
 * now does, and a change that leaves a list empty says so: an escalation that reaches that person
 * then sends one e-mail and nothing else.
 */
import * as z from 'zod';
import type { OnCallBackend } from '../api/backend.js';
import { formatSeconds } from '../api/durations.js';
import { pageSchema } from '../api/pagination.js';
import { PersonalNotificationRule } from '../api/types.js';
import { CREATE, defineTool, DESTRUCTIVE, READ_ONLY, UPDATE } from './define.js';
import type { NameBook } from './names.js';
import { id, Page, PerPage, UserId } from './params.js';

const RuleId = id('Notification rule id (N…), from list_personal_notification_rules.');

const RuleType = z
  .string()
  .describe(
    'wait, or notify_by_ one of: sms, phone_call, mobile_app, mobile_app_critical, email, slack, telegram, msteams, webhook.',
  );
const Duration = z.number().int().describe('wait only: 60, 300, 900, 1800 or 3600 seconds (default 300).');
const Position = z.number().int().min(-1).describe('0 first, -1 last; a taken position pushes the rest down.');

/** `SMS`, `phone call`, `wait 5m`. */
export function describeRule(r: Pick<PersonalNotificationRule, 'type' | 'duration'>): string {
  if (r.type === 'wait') return `wait ${formatSeconds(r.duration ?? 300)}`;
  const channel = r.type.replace(/^notify_by_/, '');
  return channel === 'sms' ? 'SMS' : channel.replace(/_/g, ' ');
}

/** `alice (U…) default: SMS → wait 5m → phone call` or `… important: (none: one e-mail)`. */
function listLine(rules: readonly PersonalNotificationRule[], list: 'default' | 'important'): string {
  const what = list === 'important' ? 'an important page' : 'an escalation';
  return rules.length ? rules.map(describeRule).join(' → ') : `(none: ${what} sends one e-mail, nothing else)`;
}

function person(names: NameBook, userId: string): string {
  const name = names.users.get(userId);
  return name ? `${name} (${userId})` : userId;
}

/** Both of a person's lists, as they are after a change. */
async function listsOf(backend: OnCallBackend, userId: string) {
  const page = await backend.personalNotificationRules.list({ user_id: userId, perpage: 100 });
  return {
    default: page.results.filter((r) => !r.important),
    important: page.results.filter((r) => r.important),
  };
}

const Lists = z.object({
  default: z.array(PersonalNotificationRule),
  important: z.array(PersonalNotificationRule),
});

function listsText(names: NameBook, userId: string, lists: z.infer<typeof Lists>, only?: 'default' | 'important'): string[] {
  return (['default', 'important'] as const)
    .filter((l) => !only || l === only)
    .map((l) => `${person(names, userId)} ${l}: ${listLine(lists[l], l)}`);
}

export const listPersonalNotificationRules = defineTool({
  name: 'list_personal_notification_rules',
  toolset: 'directory',
  title: 'How people are notified',
  description:
    'A person\'s default and important notification rules, in the order they run (ids for edits). '
    + 'Without user: everyone\'s, by person.',
  input: z.object({
    user_id: UserId.optional(),
    important: z.boolean().optional().describe('true: important rules only; false: default only.'),
    page: Page.optional(),
    perpage: PerPage.optional(),
  }),
  output: pageSchema(PersonalNotificationRule),
  annotations: READ_ONLY,
  run: ({ important, ...args }, { backend }) => {
    const filter = important === undefined ? {} : { important: String(important) };
    return backend.personalNotificationRules.list({ ...args, ...filter });
  },
  async text(page, { args, names }) {
    const book = await names.book('users');
    const byUser = new Map<string, PersonalNotificationRule[]>();
    for (const r of page.results) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r]);
    const only = args.important === undefined ? undefined : args.important ? 'important' : 'default';
    const split = (rules: PersonalNotificationRule[]) => ({
      default: rules.filter((r) => !r.important),
      important: rules.filter((r) => r.important),
    });
    const lines = [...byUser].flatMap(([userId, rules]) => listsText(book, userId, split(rules), only));
    const none = { default: [], important: [] };
    if (args.user_id && !byUser.size) lines.push(...listsText(book, args.user_id, none, only));
    const at = page.current_page_number;
    const more = page.next ? ` (page ${at} of ${page.total_pages}; next: page=${at + 1})` : '';
    const ids = page.results.map((r) => `  ${r.id} ${r.important ? 'important' : 'default'} #${r.position} ${describeRule(r)}`,
    );
    return [`${page.count} notification rules${more}:`, ...lines, 'Rule ids:', ...ids].join('\n');
  },
});

export const createPersonalNotificationRule = defineTool({
  name: 'create_personal_notification_rule',
  toolset: 'directory',
  title: 'Add a notification rule',
  description: 'Add a step to how a person is notified (default or important list). The answer shows the whole list.',
  input: z.object({
    user_id: UserId,
    type: RuleType,
    important: z.boolean().optional().describe('true: the important list (important pages). Default false.'),
    duration: Duration.optional(),
    position: Position.optional(),
  }),
  output: z.object({ rule: PersonalNotificationRule, lists: Lists }),
  annotations: CREATE,
  async run(args, { backend }) {
    const rule = await backend.personalNotificationRules.create(args);
    return { rule, lists: await listsOf(backend, rule.user_id) };
  },
  async text({ rule, lists }, { names }) {
    const book = await names.book('users');
    const list = rule.important ? 'important' : 'default';
    return [`Added ${rule.id}: ${describeRule(rule)} at position ${rule.position}.`, ...listsText(book, rule.user_id, lists, list)].join('\n');
  },
});

export const updatePersonalNotificationRule = defineTool({
  name: 'update_personal_notification_rule',
  toolset: 'directory',
  title: 'Change a notification rule',
  description: 'Change a rule\'s type, wait or position (its person and list stay). The answer shows the whole list.',
  input: z.object({
    personal_notification_rule_id: RuleId,
    type: RuleType.optional(),
    duration: Duration.optional(),
    position: Position.optional(),
  }),
  output: z.object({ rule: PersonalNotificationRule, lists: Lists }),
  annotations: UPDATE,
  async run({ personal_notification_rule_id, ...body }, { backend }) {
    const rule = await backend.personalNotificationRules.update(personal_notification_rule_id, body);
    return { rule, lists: await listsOf(backend, rule.user_id) };
  },
  async text({ rule, lists }, { names }) {
    const book = await names.book('users');
    const list = rule.important ? 'important' : 'default';
    return [`Updated ${rule.id}: ${describeRule(rule)} at position ${rule.position}.`, ...listsText(book, rule.user_id, lists, list)].join('\n');
  },
});

export const deletePersonalNotificationRule = defineTool({
  name: 'delete_personal_notification_rule',
  toolset: 'directory',
  title: 'Remove a notification rule',
  description: 'Delete a rule. The answer shows what the person\'s list does now, and says so if it is left empty.',
  input: z.object({ personal_notification_rule_id: RuleId }),
  output: z.object({ deleted: PersonalNotificationRule, lists: Lists, list_now_empty: z.boolean() }),
  annotations: DESTRUCTIVE,
  async run({ personal_notification_rule_id }, { backend }) {
    const rule = await backend.personalNotificationRules.get(personal_notification_rule_id);
    await backend.personalNotificationRules.delete(personal_notification_rule_id);
    const lists = await listsOf(backend, rule.user_id);
    return { deleted: rule, lists, list_now_empty: lists[rule.important ? 'important' : 'default'].length === 0 };
  },
  async text({ deleted, lists, list_now_empty }, { names }) {
    const book = await names.book('users');
    const list = deleted.important ? 'important' : 'default';
    const head = `Deleted ${deleted.id} (${describeRule(deleted)}) from ${person(book, deleted.user_id)}'s ${list} rules.`;
    const warning = list_now_empty
      ? [`WARNING: ${person(book, deleted.user_id)} has no ${list} rules left: ${list === 'important' ? 'an important page' : 'an escalation'} reaching them sends one e-mail and nothing else.`]
      : [];
    return [head, ...warning, ...listsText(book, deleted.user_id, lists, list)].join('\n');
  },
});
