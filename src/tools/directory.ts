import * as z from 'zod';
import { pageSchema } from '../api/pagination.js';
import { SlackChannel, Team, User, UserGroup, Webhook } from '../api/types.js';
import { continuePage } from './budget.js';
import { defineTool, READ_ONLY } from './define.js';
import { formatPage, formatTeam, formatUser, formatUserGroup, formatWebhook, formatWhoami } from './format.js';
import { activeFilters, byName, filteredPage, filteredText, type TextFilter } from './name-filter.js';
import { id, Page, PerPage, TeamFilter, UserId } from './params.js';

export const listUsers = defineTool({
  name: 'list_users',
  toolset: 'directory',
  title: 'List users',
  description:
    'Users with ids, roles, time zones and teams.',
  input: z.object({
    username: z.string().optional().describe('Part of it, any case.'),
    email: z.string().optional().describe('Part of it, any case, e.g. @example.com.'),
    page: Page.optional(),
    perpage: PerPage.optional(),
  }),
  output: pageSchema(User),
  annotations: READ_ONLY,
  async run({ username, email, ...args }, { backend, index: directory }) {
    const filters = userFilters(username, email);
    if (!filters.length) return backend.users.list(args);
    return filteredPage({
      directory,
      kind: 'user',
      filters,
      page: args.page,
      perpage: args.perpage,
      defaultPerPage: 100,
      get: (id) => backend.users.get(id),
      list: (page) => backend.users.list({ ...args, page }),
      idOf: (u) => u.id,
    });
  },
  async text(page, { args, names }) {
    const book = await names.book('teams');
    const filters = userFilters(args.username, args.email);
    return filteredText(page, 'users', (u) => formatUser(u, book), filters, names.index, 'user', formatPage);
  },
  continuation: ({ out, cut }) => continuePage(out, cut),
});

function userFilters(username: string | undefined, email: string | undefined): Array<TextFilter<User>> {
  return activeFilters<User>([
    username === undefined ? undefined : { argument: 'username', text: username, ofEntry: (e) => e.name, ofItem: (u) => u.username },
    email === undefined ? undefined : { argument: 'email', text: email, ofEntry: (e) => e.aliases[0] ?? '', ofItem: (u) => u.email },
  ]);
}

export const getUser = defineTool({
  name: 'get_user',
  toolset: 'directory',
  title: 'Get a user',
  description: 'One user: username, email, role, time zone, Slack identity, phone verification, teams.',
  input: z.object({ user_id: UserId }),
  output: User,
  annotations: READ_ONLY,
  run: ({ user_id }, { backend }) => backend.users.get(user_id),
  async text(user, { names }) {
    return formatUser(user, await names.book('teams'));
  },
});

export const whoami = defineTool({
  name: 'whoami',
  toolset: 'directory',
  title: 'Who this server acts as',
  description:
    'The API token\'s user: every page, acknowledgement and edit here is made as them.',
  input: z.object({}),
  output: User,
  annotations: READ_ONLY,
  run: (_args, { backend }) => backend.users.current(),
  async text(user, { names }) {
    return formatWhoami(user, await names.book('teams'));
  },
});

export const listTeams = defineTool({
  name: 'list_teams',
  toolset: 'directory',
  title: 'List teams',
  description: 'Teams with their ids.',
  input: z.object({
    name: z.string().optional().describe('Part of the name, any case.'),
    page: Page.optional(),
    perpage: PerPage.optional(),
  }),
  output: pageSchema(Team),
  annotations: READ_ONLY,
  async run({ name, ...args }, { backend, index: directory }) {
    const filters = activeFilters([byName<Team>(name)]);
    if (!filters.length) return backend.teams.list(args);
    return filteredPage({
      directory,
      kind: 'team',
      filters,
      page: args.page,
      perpage: args.perpage,
      defaultPerPage: 50,
      get: (id) => backend.teams.get(id),
      list: (page) => backend.teams.list({ ...args, page }),
      idOf: (t) => t.id,
    });
  },
  text: (page, { args, names }) =>
    filteredText(page, 'teams', formatTeam, activeFilters([byName<Team>(args.name)]), names.index, 'team', formatPage),
  continuation: ({ out, cut }) => continuePage(out, cut),
});

export const listUserGroups = defineTool({
  name: 'list_user_groups',
  toolset: 'directory',
  title: 'List user groups',
  description: 'Slack user groups (for notify_user_group steps) with their ids.',
  input: z.object({
    slack_handle: z.string().optional().describe('Exact Slack handle, without "@".'),
    page: Page.optional(),
    perpage: PerPage.optional(),
  }),
  output: pageSchema(UserGroup),
  annotations: READ_ONLY,
  run: (args, { backend }) => backend.userGroups.list(args),
  text: (page) => formatPage(page, 'user groups', formatUserGroup),
  continuation: ({ out, cut }) => continuePage(out, cut),
});

export const listWebhooks = defineTool({
  name: 'list_webhooks',
  toolset: 'directory',
  title: 'List outgoing webhooks',
  description:
    'Outgoing webhooks (for trigger_webhook steps) with ids; credentials masked.',
  input: z.object({
    name: z.string().optional().describe('Part of the name, any case.'),
    team_id: TeamFilter.optional(),
    page: Page.optional(),
    perpage: PerPage.optional(),
  }),
  output: pageSchema(Webhook),
  annotations: READ_ONLY,
  async run({ name, ...args }, { backend, index: directory }) {
    const filters = activeFilters([byName<Webhook>(name)]);
    if (!filters.length) return backend.webhooks.list(args);
    return filteredPage({
      directory,
      kind: 'webhook',
      filters,
      team: args.team_id,
      teamOf: (w) => w.team,
      page: args.page,
      perpage: args.perpage,
      defaultPerPage: 50,
      get: (id) => backend.webhooks.get(id),
      list: (page) => backend.webhooks.list({ ...args, page }),
      idOf: (w) => w.id,
    });
  },
  text: (page, { args, names }) =>
    filteredText(page, 'webhooks', formatWebhook, activeFilters([byName<Webhook>(args.name)]), names.index, 'webhook', formatPage),
  continuation: ({ out, cut }) => continuePage(out, cut),
});

export const getTeam = defineTool({
  name: 'get_team',
  toolset: 'directory',
  title: 'Get a team',
  description: 'One team: id, name, e-mail.',
  input: z.object({ team_id: id('Team id or name.') }),
  output: Team,
  annotations: READ_ONLY,
  run: ({ team_id }, { backend }) => backend.teams.get(team_id),
  text: (team) => formatTeam(team),
});

export const listSlackChannels = defineTool({
  name: 'list_slack_channels',
  toolset: 'directory',
  title: 'List Slack channels',
  description: 'The Slack channels routes and schedules can post to, by name, with the ids they take.',
  input: z.object({
    channel_name: z.string().optional().describe('Exact channel name.'),
    page: Page.optional(),
    perpage: PerPage.optional(),
  }),
  output: pageSchema(SlackChannel),
  annotations: READ_ONLY,
  run: (args, { backend }) => backend.organization.slackChannels(args),
  text: (page) =>
    page.count
      ? formatPage(page, 'Slack channels', (c) => `${c.slack_id} #${c.name}`)
      : 'No Slack channels: Slack is not connected to this organisation, or has no channel by that name.',
  continuation: ({ out, cut }) => continuePage(out, cut),
});
