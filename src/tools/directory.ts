import * as z from 'zod';
import { pageSchema } from '../api/pagination.js';
import { Team, User, UserGroup, Webhook } from '../api/types.js';
import { defineTool, READ_ONLY } from './define.js';
import { formatPage, formatTeam, formatUser, formatUserGroup, formatWebhook, formatWhoami } from './format.js';
import { Page, PerPage, TeamFilter, UserId } from './params.js';

export const listUsers = defineTool({
  name: 'list_users',
  toolset: 'directory',
  title: 'List users',
  description:
    'Users of the organisation with their ids (needed by escalation steps and paging), roles, time zones and '
    + 'teams. Filter by username or email (exact, case-insensitive).',
  input: z.object({
    username: z.string().optional().describe('Exact username, case-insensitive, e.g. "alice".'),
    email: z.string().optional().describe('Exact email, case-insensitive.'),
    page: Page.optional(),
    perpage: PerPage.optional(),
  }),
  output: pageSchema(User),
  annotations: READ_ONLY,
  run: (args, { backend }) => backend.users.list(args),
  async text(page, { names }) {
    const book = await names.book('teams');
    return formatPage(page, 'users', (u) => formatUser(u, book));
  },
});

export const getUser = defineTool({
  name: 'get_user',
  toolset: 'directory',
  title: 'Get a user',
  description: 'One user by id: username, email, role, time zone, Slack identity, phone verification, teams.',
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
    'The user the API token belongs to (OnCall\'s users/current): every page, acknowledgement and edit made through '
    + 'this server is attributed to them. Username, email, role (what they may do), teams.',
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
  description: 'Teams of the organisation with their ids. Filter by exact name.',
  input: z.object({
    name: z.string().optional().describe('Exact team name.'),
    page: Page.optional(),
    perpage: PerPage.optional(),
  }),
  output: pageSchema(Team),
  annotations: READ_ONLY,
  run: (args, { backend }) => backend.teams.list(args),
  text: (page) => formatPage(page, 'teams', formatTeam),
});

export const listUserGroups = defineTool({
  name: 'list_user_groups',
  toolset: 'directory',
  title: 'List user groups',
  description: 'Slack user groups that notify_user_group steps can notify, with their ids ("G…").',
  input: z.object({
    slack_handle: z.string().optional().describe('Exact Slack handle, without "@".'),
    page: Page.optional(),
    perpage: PerPage.optional(),
  }),
  output: pageSchema(UserGroup),
  annotations: READ_ONLY,
  run: (args, { backend }) => backend.userGroups.list(args),
  text: (page) => formatPage(page, 'user groups', formatUserGroup),
});

export const listWebhooks = defineTool({
  name: 'list_webhooks',
  toolset: 'directory',
  title: 'List outgoing webhooks',
  description:
    'Outgoing webhooks that trigger_webhook steps can call, with their ids ("WH…"). Credentials are masked.',
  input: z.object({
    name: z.string().optional().describe('Exact webhook name.'),
    team_id: TeamFilter.optional(),
    page: Page.optional(),
    perpage: PerPage.optional(),
  }),
  output: pageSchema(Webhook),
  annotations: READ_ONLY,
  run: (args, { backend }) => backend.webhooks.list(args),
  text: (page) => formatPage(page, 'webhooks', formatWebhook),
});
