import * as z from 'zod';
import { pageSchema } from '../api/pagination.js';
import { ALERT_GROUP_ACTIONS, AlertGroup, ResolutionNote, Simulation, TimelineItem } from '../api/types.js';
import { continuePage } from './budget.js';
import { defineTool, READ_ONLY, UPDATE } from './define.js';
import { ALERT_GROUP_NAMES, formatAlertGroup, formatPage, formatTimeline } from './format.js';
import { DETAIL_HEADER_LINES, formatSimulationDetail, formatSimulationSummary } from './summaries.js';
import { ChainId, IntegrationId, Page, PerPage, RouteId, TeamFilter, UserId, ZonedDateTime } from './params.js';

const AlertGroupId = z
  .string()
  .min(1)
  .describe('Alert group id: "I" + 12 characters. list_alert_groups shows them.');

export const createEscalation = defineTool({
  name: 'create_escalation',
  toolset: 'paging',
  title: 'Page people or a team (notifies real humans)',
  description:
    'PAGES REAL PEOPLE: sends them phone calls, SMS, push and other notifications now. Page users (each important '
    + 'or not) or a team into a new alert group, or add users to an existing one (alert_group_id). Confirm with the '
    + 'human first.',
  input: z.object({
    title: z.string().optional().describe('What is happening (new alert group only). Default: "<you> is paging … to join escalation".'),
    message: z.string().optional().describe('More detail for the people paged (new alert group only).'),
    source_url: z.string().optional().describe('Link to more context, e.g. an issue (new alert group only).'),
    users: z
      .array(
        z.object({
          id: UserId,
          important: z.boolean().describe('true: use their important notification rules (phone, loud).'),
        }),
      )
      .optional()
      .describe('People to page. Not together with team.'),
    team: z.string().optional().describe('Team id ("T…") to page through its Direct Paging integration. Not with users.'),
    important_team_escalation: z.boolean().optional().describe('Page the team through its important route.'),
    alert_group_id: AlertGroupId.optional().describe('Add the users to this existing alert group instead.'),
  }),
  output: AlertGroup,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  run: (args, { backend }) => backend.escalation.create(args),
  async text(g, { names, args }) {
    const book = await names.book(...ALERT_GROUP_NAMES);
    const paged = (args.users ?? []).map((u) => `${book.users.get(u.id) ?? u.id}${u.important ? ' (important)' : ''}`);
    const team = args.team ? book.teams.get(args.team) : undefined;
    const who = paged.length ? `Paged ${paged.join(', ')}` : `Paged team ${team ? `${team} (${args.team})` : args.team}`;
    return `${who} in ${formatAlertGroup(g, book)}. get_alert_group shows who is being notified.`;
  },
});

export const listAlertGroups = defineTool({
  name: 'list_alert_groups',
  toolset: 'paging',
  title: 'List alert groups',
  description:
    'Alert groups (incidents raised by integrations or pages), newest first. Filter by state (new = firing, '
    + 'acknowledged, resolved, silenced), team, integration, route or start time range.',
  input: z.object({
    state: z.enum(['new', 'acknowledged', 'resolved', 'silenced']).optional().describe('new means firing.'),
    team_id: TeamFilter.optional(),
    integration_id: IntegrationId.optional(),
    route_id: RouteId.optional(),
    started_at: z
      .string()
      .optional()
      .describe('UTC range YYYY-MM-DDTHH:MM:SS_YYYY-MM-DDTHH:MM:SS, inclusive.'),
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
    'One alert group: state, its last alert\'s payload, resolution notes, and its timeline: every escalation step, '
    + 'who was notified by which channel and when, acknowledgements.',
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
    'Change an alert group\'s state: acknowledge (stops escalation), unacknowledge (restarts it), resolve, unresolve, '
    + 'silence for `delay` seconds (-1 or 0: forever) or unsilence. Acts as the API token\'s user.',
  input: z.object({
    alert_group_id: AlertGroupId,
    action: z.enum(ALERT_GROUP_ACTIONS).describe('What to do.'),
    delay: z
      .number()
      .int()
      .min(-1)
      .meta({ maximum: undefined })
      .optional()
      .describe('silence only: seconds, or -1 / 0 for forever.'),
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
    'Without changing anything or notifying anyone: how an alert group escalating through this chain from `at` '
    + '(default now) would go: the first cycle step by step (who is notified by which channel, when), how the repeats '
    + 'go, and who is notified how often in all. detail: true lists every timeline entry.',
  input: z.object({
    escalation_chain_id: ChainId,
    at: ZonedDateTime.optional().describe('When the alert group would start, e.g. 2026-03-28T03:00:00Z (default now).'),
    important: z.boolean().optional().describe('Use everyone\'s important notification rules, as for an important page.'),
    detail: z.boolean().optional().describe('List every timeline entry with its time instead of the summary.'),
    offset: z
      .number()
      .int()
      .min(0)
      .meta({ maximum: undefined })
      .optional()
      .describe('With detail: start the list at this entry (0-based), to read a long timeline in parts.'),
  }),
  output: Simulation,
  annotations: READ_ONLY,
  run: ({ escalation_chain_id, at, important }, { backend }) =>
    backend.escalationChains.simulate(escalation_chain_id, { at, important }),
  async text(out, { args, names }) {
    const book = await names.book('users', 'chains');
    return args.detail ? formatSimulationDetail(out, book, args.offset ?? 0) : formatSimulationSummary(out, book);
  },
  continuation({ args, cut }) {
    if (!args.detail) return 'detail=true with offset lists the timeline in parts.';
    const shown = Math.max(0, cut.kept.length - DETAIL_HEADER_LINES);
    return `The rest: the same call with detail=true, offset=${(args.offset ?? 0) + shown}.`;
  },
});
