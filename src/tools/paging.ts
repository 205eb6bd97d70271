import * as z from 'zod';
import type { EscalationBody } from '../api/backend.js';
import { ApiError, describeErrorBody } from '../api/errors.js';
import { pageSchema } from '../api/pagination.js';
import { ALERT_GROUP_ACTIONS, AlertGroup, ResolutionNote, Simulation, TimelineItem } from '../api/types.js';
import { actingUser } from './acting-user.js';
import { continuePage } from './budget.js';
import { defineTool, READ_ONLY, type ToolContext, UPDATE } from './define.js';
import { outcomeUnknown, pageOutcomeUnknown, retryWhen, ToolError } from './errors.js';
import {
  ALERT_GROUP_NAMES,
  formatAlertGroup,
  formatInstant,
  formatPage,
  formatPageConfirmation,
  formatPageResult,
  type PageTarget,
  formatTimeline,
} from './format.js';
import type { DirectoryIndex } from './lookup/directory-index.js';
import { resolveRef } from './lookup/resolve.js';
import type { Names } from './names.js';
import { Delivery, deliveryOf, type PagePlan, planAfterSending, planBeforeSending } from './page-forecast.js';
import { ledgerFor } from './page-ledger.js';
import { DETAIL_HEADER_LINES, formatSimulationDetail, formatSimulationSummary } from './summaries.js';
import { AlertGroupId, ChainId, IntegrationId, Page, PerPage, RouteId, TeamFilter, UserId, ZonedDateTime } from './params.js';

export const createEscalation = defineTool({
  name: 'create_escalation',
  toolset: 'paging',
  title: 'Page people or a team (notifies real humans)',
  description:
    'PAGES REAL PEOPLE. Page users or a team into a new alert group, or add users to one; the answer says first '
    + 'who is notified, or NOBODY. Confirm with the human first.',
  input: z.object({
    title: z.string().optional().describe('What is happening.'),
    message: z.string().optional().describe('More detail.'),
    source_url: z.string().optional().describe('Link to context.'),
    users: z
      .array(
        z.object({
          id: UserId.optional().describe('Id, username or email.'),
          username: z.string().min(1).meta({ minLength: undefined }).optional().describe('Or the username.'),
          important: z.boolean().describe('Their important (loud) rules.'),
        }),
      )
      .optional()
      .describe('People to page; not with team.'),
    team: z.string().optional().describe('Team id or name (via its Direct Paging); not with users.'),
    important_team_escalation: z.boolean().optional().describe('Via the team\'s important route.'),
    alert_group_id: AlertGroupId.optional().describe('Add the users to this alert group (no title etc.).'),
    idempotency_key: z
      .string()
      .min(1)
      .max(200)
      .meta({ minLength: undefined })
      .optional()
      .describe(
        'Reused within 10 min: returns that page, sends nothing.',
      ),
    force: z
      .boolean()
      .optional()
      .describe('Send even if an identical page went out in the last 60 s.'),
  }),
  output: AlertGroup.extend({ delivery: Delivery.describe('Who this page notifies, how and when; read it first') }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async run(args, ctx) {
    const body = await pageBody(args, ctx.names.index);
    const ledger = ledgerFor<AlertGroup & { delivery: Delivery }>(ctx.backend);
    const answer = await ledger.once(
      { key: args.idempotency_key, fingerprint: fingerprintOf(body), force: args.force ?? false },
      () => sendPage(body, ctx),
    );
    switch (answer.kind) {
      case 'sent':
        return answer.value;
      case 'duplicate':
        return {
          ...answer.value,
          delivery: {
            ...answer.value.delivery,
            sent: false,
            duplicate: { by: answer.by, first_at: isoOf(answer.firstAt) },
          },
        };
      case 'duplicate_unknown':
        throw new ToolError(
          `NOT SENT AGAIN: ${answer.by === 'idempotency_key' ? `a page with idempotency_key "${args.idempotency_key}"` : 'an identical page'} `
          + `at ${formatInstant(isoOf(answer.firstAt), null)} may have been delivered (its outcome is unknown). Check `
          + `list_alert_groups for it; to send anyway, ${answer.by === 'idempotency_key' ? 'use a new idempotency_key' : 'pass force: true'}.`,
        );
      case 'key_reused':
        throw new ToolError(
          `NOT SENT: idempotency_key "${args.idempotency_key}" was already used in the last 10 minutes for a different page `
          + '(other people, team, title or message). Use a new key for a new page.',
        );
    }
  },
  async text(out, { names, args }) {
    const book = await names.book(...ALERT_GROUP_NAMES, 'chains', 'schedules', 'userGroups');
    const duplicate = out.delivery.duplicate
      ? { by: out.delivery.duplicate.by, firstAt: out.delivery.duplicate.first_at, key: args.idempotency_key }
      : undefined;
    const members = out.delivery.nobody_notified && args.team ? await teamMembers(names) : new Map<string, string[]>();
    // The people as resolved (a username became an id), in the order given.
    const target = { ...args, users: out.delivery.users.map((u) => ({ id: u.user_id, important: u.important })) };
    return formatPageResult(out, { names: book, args: targetArgs(target), members }, duplicate);
  },
});

type PageArgs = {
  title?: string | undefined;
  message?: string | undefined;
  source_url?: string | undefined;
  users?: Array<{ id?: string | undefined; username?: string | undefined; important: boolean }> | undefined;
  team?: string | undefined;
  important_team_escalation?: boolean | undefined;
  alert_group_id?: string | undefined;
};

/** The API body: users named by `username` become ids (the wrapper already resolved `id`s). */
async function pageBody(args: PageArgs, index: DirectoryIndex): Promise<EscalationBody> {
  const { users, ...rest } = args;
  const body: EscalationBody = {};
  for (const key of ['title', 'message', 'source_url', 'team', 'important_team_escalation', 'alert_group_id'] as const) {
    if (rest[key] !== undefined) (body as Record<string, unknown>)[key] = rest[key];
  }
  if (users) {
    body.users = await Promise.all(
      users.map(async (u, i) => {
        const byName = u.username === undefined ? undefined : await resolveRef(index, 'user', u.username, `users[${i}].username`, true);
        if (u.id === undefined && byName === undefined) {
          throw new ApiError(400, { [`users[${i}]`]: ['Give the person\'s id or username (list_users shows both).'] });
        }
        if (u.id !== undefined && byName !== undefined && u.id !== byName) {
          throw new ApiError(400, { [`users[${i}]`]: [`id ${u.id} and username "${u.username}" are different people; give one of them.`] });
        }
        return { id: (u.id ?? byName)!, important: u.important };
      }),
    );
  }
  return body;
}

/** What makes two pages the same: their targets and words, in a fixed order. */
function fingerprintOf(body: EscalationBody): string {
  return JSON.stringify([
    body.team ?? null,
    body.important_team_escalation ?? false,
    [...(body.users ?? [])].sort((a, b) => a.id.localeCompare(b.id)).map((u) => [u.id, u.important]),
    body.alert_group_id ?? null,
    body.title ?? null,
    body.message ?? null,
    body.source_url ?? null,
  ]);
}

const isoOf = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const NOT_SENT_CANCELLED = 'NOT SENT: the call was cancelled before the page went out; nobody was paged.';

/**
 * Ask the human (when the client can), then send, then find out what OnCall did with it. Nothing
 * goes out after a cancellation; anything that fails after the page went out is said in the text,
 * never turned into an error (the page exists).
 */
async function sendPage(body: EscalationBody, ctx: ToolContext): Promise<AlertGroup & { delivery: Delivery }> {
  const { backend, names, signal } = ctx;
  if (signal.aborted) throw new ToolError(NOT_SENT_CANCELLED);
  const answer = await ctx.confirm(() => confirmationText(body, ctx));
  if (answer === 'declined' || answer === 'cancelled') {
    throw new ToolError(
      `NOT SENT: the human ${answer === 'declined' ? 'declined' : 'did not confirm'} the page; nobody was paged and no alert group was created.`,
    );
  }
  if (signal.aborted) throw new ToolError(NOT_SENT_CANCELLED);
  let group: AlertGroup;
  try {
    group = await backend.escalation.create(body);
  } catch (err) {
    if (outcomeUnknown(err)) throw pageOutcomeUnknown(err);
    // A throttled request is refused before OnCall's view runs, so nothing went out. The client
    // never retries a POST (it could page twice): the agent is told, with the wait OnCall asked for.
    if (err instanceof ApiError && err.status === 429) {
      throw new ToolError(
        `NOT SENT: OnCall refused the page for now (HTTP 429: ${describeErrorBody(err.body).join('; ')}); nobody was paged `
        + `and no alert group was created. ${retryWhen(err) ?? 'Wait, then retry.'}`,
      );
    }
    throw err;
  }
  let delivery: Delivery;
  try {
    delivery = deliveryOf(await planAfterSending(backend, names.index, body, group));
  } catch (err) {
    const plan = emptyPlan(body);
    plan.unknowns.push(`who it notifies could not be read (${err instanceof Error ? err.message : String(err)})`);
    delivery = deliveryOf(plan);
  }
  return { ...group, delivery };
}

async function confirmationText(body: EscalationBody, ctx: ToolContext): Promise<string> {
  const { backend, names } = ctx;
  let plan;
  try {
    plan = await planBeforeSending(backend, names.index, body);
  } catch (err) {
    plan = emptyPlan(body);
    plan.unknowns.push(`who it would notify could not be read (${err instanceof Error ? err.message : String(err)})`);
  }
  const delivery = deliveryOf(plan);
  const [book, user] = await Promise.all([names.book('users', 'teams', 'chains', 'schedules', 'userGroups'), actingUser(backend)]);
  const members = delivery.nobody_notified && body.team ? await teamMembers(names) : new Map<string, string[]>();
  const base = plan.chain?.start ?? new Date().toISOString();
  return formatPageConfirmation(delivery, base, {
    names: book,
    args: targetArgs(body),
    members,
    preview: { title: body.title ?? null, actsAs: user?.username ?? null },
  });
}

function emptyPlan(body: EscalationBody): PagePlan {
  return {
    kind: body.alert_group_id ? 'responders' : body.team ? 'team' : 'users',
    teamId: body.team ?? null,
    integrationId: null,
    routeId: null,
    chainId: null,
    noEscalation: null,
    chain: null,
    users: (body.users ?? []).map((u) => ({
      user_id: u.id,
      important: u.important,
      can_be_notified: null,
      reason: null,
    })),
    userNotices: [],
    timelineKnown: false,
    unknowns: [],
  };
}

function targetArgs(args: {
  team?: string | null | undefined;
  users?: Array<{ id?: string | undefined; important: boolean }> | undefined;
  alert_group_id?: string | null | undefined;
}): PageTarget {
  return {
    team: args.team ?? undefined,
    users: args.users?.map((u) => ({ id: u.id ?? '', important: u.important })),
    alert_group_id: args.alert_group_id ?? undefined,
  };
}

/** Team id → member usernames, from the directory index (no extra request per call). */
async function teamMembers(names: Names): Promise<Map<string, string[]>> {
  const members = new Map<string, string[]>();
  for (const user of await names.index.entries('user')) {
    for (const team of user.teamIds ?? []) members.set(team, [...(members.get(team) ?? []), user.name]);
  }
  return members;
}

export const listAlertGroups = defineTool({
  name: 'list_alert_groups',
  toolset: 'paging',
  title: 'List alert groups',
  description:
    'Alert groups (incidents), newest first, with their state.',
  input: z.object({
    state: z.enum(['new', 'acknowledged', 'resolved', 'silenced']).optional().describe('new = firing.'),
    team_id: TeamFilter.optional(),
    integration_id: IntegrationId.optional(),
    route_id: RouteId.optional(),
    started_at: z
      .string()
      .optional()
      .describe('UTC range YYYY-MM-DDTHH:MM:SS_YYYY-MM-DDTHH:MM:SS.'),
    page: Page.optional(),
    perpage: PerPage.optional(),
  }),
  output: pageSchema(AlertGroup),
  annotations: READ_ONLY,
  run: (args, { backend }) => backend.alertGroups.list(args),
  async text(page, { names }) {
    const book = await names.book(...ALERT_GROUP_NAMES);
    return formatPage(page, 'alert groups', (g) => formatAlertGroup(g, book));
  },
  continuation: ({ out, cut }) => continuePage(out, cut),
});

export const getAlertGroup = defineTool({
  name: 'get_alert_group',
  toolset: 'paging',
  title: 'Get an alert group with its timeline',
  description:
    'An alert group: state, last payload, notes and timeline (who was notified how and when).',
  input: z.object({ alert_group_id: AlertGroupId }),
  output: AlertGroup.extend({
    timeline: z.array(TimelineItem).describe('Oldest first'),
    resolution_notes: z.array(ResolutionNote),
  }),
  annotations: READ_ONLY,
  async run({ alert_group_id }, { backend }) {
    const group = await backend.alertGroups.get(alert_group_id);
    const timeline = await backend.alertGroups.timeline(alert_group_id);
    const notes = await backend.resolutionNotes.list({ alert_group_id });
    return { ...group, timeline, resolution_notes: notes.results };
  },
  async text(out, { names }) {
    const book = await names.book(...ALERT_GROUP_NAMES);
    const lines = [formatAlertGroup(out, book)];
    if (out.timeline.length) lines.push('Timeline:', ...formatTimeline(out.timeline));
    for (const note of out.resolution_notes) lines.push(`Note by ${book.users.get(note.author ?? '') ?? 'API'}: ${note.text}`);
    return lines.join('\n');
  },
});

export const updateAlertGroup = defineTool({
  name: 'update_alert_group',
  toolset: 'paging',
  title: 'Acknowledge, resolve or silence an alert group',
  description:
    'Acknowledge (stops escalating), resolve or silence an alert group, or undo that.',
  input: z.object({
    alert_group_id: AlertGroupId,
    action: z.enum(ALERT_GROUP_ACTIONS).describe('What to do.'),
    delay: z
      .number()
      .int()
      .min(-1)
      .meta({ maximum: undefined })
      .optional()
      .describe('silence: seconds; -1 or 0 = forever.'),
  }),
  output: AlertGroup,
  annotations: UPDATE,
  async run({ alert_group_id, action, delay }, { backend }) {
    await backend.alertGroups.action(alert_group_id, action, delay === undefined ? undefined : { delay });
    return backend.alertGroups.get(alert_group_id);
  },
  async text(g, { names, args }) {
    return `${args.action}: ${formatAlertGroup(g, await names.book(...ALERT_GROUP_NAMES))}`;
  },
});

export const simulateEscalation = defineTool({
  name: 'simulate_escalation',
  toolset: 'paging',
  title: 'Simulate an escalation (who would be notified, how, when)',
  description:
    'How an escalation through a chain from `at` would go: who is notified how and when. Sends nothing.',
  input: z.object({
    escalation_chain_id: ChainId,
    at: ZonedDateTime.optional().describe('Start, ISO with zone (default now).'),
    important: z.boolean().optional().describe('Everyone\'s important notification rules.'),
    detail: z.boolean().optional().describe('Every entry, not a summary.'),
    offset: z
      .number()
      .int()
      .min(0)
      .meta({ maximum: undefined })
      .optional()
      .describe('With detail: first entry, 0-based.'),
  }),
  output: Simulation,
  annotations: READ_ONLY,
  // A simulation runs the whole escalation (all repeats) in one go: the client hears when it
  // starts and ends, as nothing can be reported from inside it.
  async run({ escalation_chain_id, at, important }, { backend, progress }) {
    progress('simulating the escalation');
    const simulation = await backend.escalationChains.simulate(escalation_chain_id, { at, important });
    progress(`simulated: ${simulation.timeline.length} timeline entries`);
    return simulation;
  },
  async text(out, { args, names }) {
    const book = await names.book('users', 'chains');
    const text = args.detail ? formatSimulationDetail(out, book, args.offset ?? 0) : formatSimulationSummary(out, book);
    return out.computed ? `${out.computed}\n\n${text}` : text;
  },
  continuation({ args, cut }) {
    if (!args.detail) return 'detail=true with offset lists the timeline in parts.';
    const shown = Math.max(0, cut.kept.length - DETAIL_HEADER_LINES);
    return `The rest: the same call with detail=true, offset=${(args.offset ?? 0) + shown}.`;
  },
});
