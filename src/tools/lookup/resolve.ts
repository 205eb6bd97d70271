/**
 * Names wherever ids go. Every argument that holds an id (by its name, the same in every tool, as
 * the API spells it) also accepts an unambiguous name, username or email, case-insensitively. The
 * wrapper resolves them before the tool runs, so the backend only ever sees ids.
 *
 * - An id the index knows, or one that looks like an id of that kind, passes through (the backend
 *   has the last word: the index may be stale on a live organisation).
 * - A name that matches exactly one object becomes its id.
 * - A name that matches several is an error listing them with their ids.
 * - A name that matches none is an error suggesting the closest names.
 */
import { ApiError } from '../../api/errors.js';
import type { DirectoryIndex, Entry, RefKind } from './directory-index.js';
import { editDistance } from '../edit-distance.js';

/**
 * Lists where OnCall silently drops an id it does not know: a step or shift created with only
 * unknown ids would notify nobody and still answer success (and a schedule's `shifts` would lose
 * the shift), so unknown ids are refused here.
 */
const DROPPED_IF_UNKNOWN = new Set([
  'persons_to_notify',
  'persons_to_notify_next_each_time',
  'users',
  'rolling_users',
  'shifts',
]);

/** Which kind of object each id-holding argument names. Nested: `default_route.escalation_chain_id`. */
export const ARG_REFS: Readonly<Record<string, RefKind>> = {
  'escalation_chain_id': 'chain',
  'team_id': 'team',
  'team': 'team',
  'team_to_notify': 'team',
  'user_id': 'user',
  'users': 'user',
  'persons_to_notify': 'user',
  'persons_to_notify_next_each_time': 'user',
  'rolling_users': 'user',
  'beneficiary': 'user',
  'benefactor': 'user',
  'replacing': 'user',
  'schedule_id': 'schedule',
  'schedule': 'schedule',
  'schedule_ids': 'schedule',
  'notify_on_call_from_schedule': 'schedule',
  'integration_id': 'integration',
  'integration': 'integration',
  'group_to_notify': 'userGroup',
  'action_to_trigger': 'webhook',
  'webhook_id': 'webhook',
  'integration_filter': 'integration',
  'on_call_shift_id': 'shift',
  'shifts': 'shift',
  'default_route.escalation_chain_id': 'chain',
};

/** The id prefixes of each kind; a value shaped like one of these is taken as an id. */
const ID_SHAPE: Record<RefKind, RegExp> = {
  user: /^U[A-Z0-9]{12}$/,
  team: /^T[A-Z0-9]{12}$/,
  schedule: /^S[A-Z0-9]{12}$/,
  chain: /^F[A-Z0-9]{12}$/,
  integration: /^C[A-Z0-9]{12}$/,
  userGroup: /^G[A-Z0-9]{12}$/,
  webhook: /^WH[A-Z0-9]{12}$/,
  shift: /^O[A-Z0-9]{12}$/,
};

export const KIND_WORDS: Record<RefKind, { one: string; many: string; finder: string }> = {
  user: { one: 'user', many: 'users', finder: 'list_users' },
  team: { one: 'team', many: 'teams', finder: 'list_teams' },
  schedule: { one: 'schedule', many: 'schedules', finder: 'list_schedules' },
  chain: { one: 'escalation chain', many: 'escalation chains', finder: 'list_escalation_chains' },
  integration: { one: 'integration', many: 'integrations', finder: 'list_integrations' },
  userGroup: { one: 'user group', many: 'user groups', finder: 'list_user_groups' },
  webhook: { one: 'webhook', many: 'webhooks', finder: 'list_webhooks' },
  shift: { one: 'on-call shift', many: 'on-call shifts', finder: 'list_on_call_shifts' },
};

export const describeEntry = (e: Entry) => `${e.name} (${e.id})`;

/** Edit distance, for suggestions; bounded so long strings stay cheap. */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  return editDistance(a, b);
}

const spellings = (e: Entry) => [e.name, ...e.aliases].map((s) => s.toLowerCase()).filter(Boolean);

/** The closest entries to `text`: containing it first, then within a few edits. */
export function suggestions(entries: readonly Entry[], text: string, max = 3): Entry[] {
  const wanted = text.toLowerCase().replace(/^@/, '');
  if (!wanted) return [];
  const scored: Array<[number, Entry]> = [];
  for (const entry of entries) {
    let best = 99;
    for (const s of spellings(entry)) {
      const score = s.includes(wanted) || wanted.includes(s) ? 0 : distance(wanted, s);
      if (score < best) best = score;
    }
    if (best <= Math.max(2, Math.floor(wanted.length / 3))) scored.push([best, entry]);
  }
  return scored.sort((a, b) => a[0] - b[0] || a[1].name.localeCompare(b[1].name)).slice(0, max).map(([, e]) => e);
}

/**
 * One value of an id argument, as an id; throws a 400 naming the field when it cannot be. With
 * `strict`, an id-shaped value the index does not know (after a reload) is refused too.
 */
export async function resolveRef(
  index: DirectoryIndex,
  kind: RefKind,
  value: string,
  field: string,
  strict = false,
): Promise<string> {
  const byId = await index.byId(kind);
  if (byId.has(value)) return value;
  const words = KIND_WORDS[kind];
  if (ID_SHAPE[kind].test(value)) {
    if (!strict || !(await index.loadedOk(kind)) || (await index.reloaded(kind)).has(value)) return value;
    throw new ApiError(400, {
      [field]: [`There is no ${words.one} with id ${value}; nobody would be notified through it. ${words.finder} shows them all.`],
    });
  }
  const entries = await index.entries(kind);
  if (!entries.length) return value; // nothing to look names up in: let the backend judge it
  const spellings = await index.bySpelling(kind);
  const wanted = value.trim().toLowerCase();
  const matches = [...new Set([...(spellings.get(wanted) ?? []), ...(spellings.get(wanted.replace(/^@/, '')) ?? [])])];
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length > 1) {
    throw new ApiError(400, {
      [field]: [`"${value}" matches ${matches.length} ${words.many}: ${matches.slice(0, 10).map(describeEntry).join(', ')}; give one of their ids.`],
    });
  }
  const near = suggestions(entries, value);
  const hint = near.length ? ` Did you mean ${near.map(describeEntry).join(', ')}?` : '';
  throw new ApiError(400, {
    [field]: [`There is no ${words.one} "${value}" (by id, name${kind === 'user' ? ', username or email' : ''}).${hint} ${words.finder} shows them all.`],
  });
}

/** Resolve every id-holding argument of a tool call; other arguments are returned unchanged. */
export async function resolveArgs(
  index: DirectoryIndex,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { ...args };
  for (const [path, kind] of Object.entries(ARG_REFS)) {
    const [key, nested] = path.split('.') as [string, string | undefined];
    if (!(key in out)) continue;
    if (nested) {
      const holder = out[key];
      if (holder && typeof holder === 'object' && !Array.isArray(holder) && nested in holder) {
        const inner = { ...(holder as Record<string, unknown>) };
        inner[nested] = await resolveValue(index, kind, inner[nested], `${key}.${nested}`);
        out[key] = inner;
      }
      continue;
    }
    out[key] = await resolveValue(index, kind, out[key], key, DROPPED_IF_UNKNOWN.has(key));
  }
  return out;
}

async function resolveValue(
  index: DirectoryIndex,
  kind: RefKind,
  value: unknown,
  field: string,
  strict = false,
): Promise<unknown> {
  if (typeof value === 'string') {
    // "null" is the team filter's word for "no team", not a name.
    if (value === '' || (value === 'null' && kind === 'team')) return value;
    return resolveRef(index, kind, value, field, strict);
  }
  if (Array.isArray(value)) {
    return Promise.all(
      value.map(async (item, i) => {
        if (item && typeof item === 'object' && !Array.isArray(item) && typeof (item as { id?: unknown }).id === 'string') {
          // create_escalation's users: [{ id, important }]
          return { ...item, id: await resolveRef(index, kind, (item as { id: string }).id, `${field}[${i}].id`, strict) };
        }
        return resolveValue(index, kind, item, `${field}[${i}]`, strict);
      }),
    );
  }
  return value;
}
