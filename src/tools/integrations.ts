import * as z from 'zod';
import { ApiError } from '../api/errors.js';
import { collectAll, pageSchema } from '../api/pagination.js';
import { Integration, Route } from '../api/types.js';
import { continuePage } from './budget.js';
import { CREATE, DESTRUCTIVE, defineTool, READ_ONLY, UPDATE } from './define.js';
import { confirmDelete, integrationImpact, RouteRef } from './delete-impact.js';
import {
  formatInstant,
  formatIntegration,
  formatIntegrationDeleted,
  formatIntegrationDeleteQuestion,
  formatIntegrationWithRoutes,
  formatPage,
} from './format.js';
import { activeFilters, byName, filteredPage, filteredText } from './name-filter.js';
import {
  DefaultRouteInput,
  IntegrationId,
  Page,
  PerPage,
  TeamFilter,
  TeamId,
  TemplatesInput,
  allOptional,
  asIn,
  nestTemplates,
  orNull,
} from './params.js';

/** Types the API can create (legacy, maintenance and direct paging ones cannot be). */
const CREATABLE_TYPES = [
  'grafana_alerting',
  'alertmanager',
  'webhook',
  'formatted_webhook',
  'grafana',
  'inbound_email',
  'manual',
  'kapacitor',
  'elastalert',
  'zabbix',
] as const;

const editable = {
  name: z.string().describe('Unique in its team.'),
  description_short: orNull('Up to 250 characters; "" = none.'),
  team_id: TeamId,
  templates: TemplatesInput,
  default_route: DefaultRouteInput,
};
const optionalEditable = allOptional(editable);

/** The API's body: the flat `templates` argument nested as OnCall takes it. */
const body = <T extends { templates?: Record<string, string | null> | undefined }>({ templates, ...rest }: T) =>
  templates === undefined ? rest : { ...rest, templates: nestTemplates(templates) };

/** The integration's own fields: an error on any other field came from `default_route`. */
const INTEGRATION_FIELDS = new Set(['name', 'description_short', 'team_id', 'type', 'templates', 'default_route', 'detail', 'non_field_errors']);

/**
 * OnCall answers a bad default route in the route's own shape (`{"slack": {...}}`, docs/semantics.md
 * §1.2), which would tell the agent about a `slack` argument it never passed; the tool puts those
 * errors back under the argument it did pass.
 */
async function namingDefaultRoute<T>(args: { default_route?: unknown }, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (args.default_route === undefined || !(err instanceof ApiError) || typeof err.body !== 'object') throw err;
    const keys = Object.keys(err.body);
    if (!keys.length || keys.some((k) => INTEGRATION_FIELDS.has(k))) throw err;
    throw new ApiError(err.status, { default_route: err.body }, err.missing);
  }
}

export const listIntegrations = defineTool({
  name: 'list_integrations',
  toolset: 'integrations',
  title: 'List integrations',
  description:
    'Alert sources (Alertmanager, Grafana, webhooks, email…) with default chains; text masks tokens in URLs.',
  input: z.object({
    name: z.string().optional().describe('Part of the name, any case.'),
    team_id: TeamFilter.optional(),
    page: Page.optional(),
    perpage: PerPage.optional(),
  }),
  output: pageSchema(Integration),
  annotations: READ_ONLY,
  async run({ name, ...args }, { backend, index: directory }) {
    const filters = activeFilters([byName<Integration>(name)]);
    if (!filters.length) return backend.integrations.list(args);
    return filteredPage({
      directory,
      kind: 'integration',
      filters,
      team: args.team_id,
      teamOf: (i) => i.team_id,
      page: args.page,
      perpage: args.perpage,
      defaultPerPage: 50,
      get: (id) => backend.integrations.get(id),
      list: (page) => backend.integrations.list({ ...args, page }),
      idOf: (i) => i.id,
    });
  },
  async text(page, { args, names }) {
    const book = await names.book('teams', 'chains');
    const filters = activeFilters([byName<Integration>(args.name)]);
    return filteredText(page, 'integrations', (i) => formatIntegration(i, book), filters, names.index, 'integration', formatPage);
  },
  continuation: ({ out, cut }) => continuePage(out, cut),
});

export const getIntegration = defineTool({
  name: 'get_integration',
  toolset: 'integrations',
  title: 'Get an integration and how it routes alerts',
  description: 'An integration: templates, maintenance, and its routes in order with their chains.',
  input: z.object({ integration_id: IntegrationId }),
  output: Integration.extend({
    routes: z.array(Route).describe('Routes in routing order; the default route last'),
  }),
  annotations: READ_ONLY,
  async run({ integration_id }, { backend }) {
    const integration = await backend.integrations.get(integration_id);
    const routes = await collectAll((page) => backend.routes.list({ integration_id, page }));
    return { ...integration, routes };
  },
  async text(out, { names }) {
    return formatIntegrationWithRoutes(out, await names.book('teams', 'chains'));
  },
});

export const createIntegration = defineTool({
  name: 'create_integration',
  toolset: 'integrations',
  title: 'Create an integration',
  description:
    'Create an alert source; it gets a default route and a URL (link) or email address for alerts.',
  input: z.object({ type: z.enum(CREATABLE_TYPES).describe('Integration type.'), ...optionalEditable }),
  output: Integration,
  annotations: CREATE,
  run: (args, { backend }) => namingDefaultRoute(args, () => backend.integrations.create(body(args))),
  async text(i, { names }) {
    return `Created ${formatIntegration(i, await names.book('teams', 'chains'))}`;
  },
});

export const updateIntegration = defineTool({
  name: 'update_integration',
  toolset: 'integrations',
  title: 'Change an integration',
  description: 'Change an integration; fields as in create_integration, only those sent change.',
  input: z.object({ integration_id: IntegrationId, ...asIn(editable) }),
  output: Integration,
  annotations: UPDATE,
  run: ({ integration_id, ...args }, { backend }) =>
    namingDefaultRoute(args, () => backend.integrations.update(integration_id, body(args))),
  async text(i, { names }) {
    return `Updated ${formatIntegration(i, await names.book('teams', 'chains'))}`;
  },
});

export const deleteIntegration = defineTool({
  name: 'delete_integration',
  toolset: 'integrations',
  title: 'Delete an integration',
  description:
    'Delete an integration and its routes (listed in the answer); its alert groups stay.',
  input: z.object({ integration_id: IntegrationId }),
  output: Integration.extend({
    deleted: z.literal(true),
    routes_deleted: z.array(RouteRef).describe('Its routes, deleted with it'),
    chains_no_longer_used: z.array(z.string()).describe('Chains (F…) that no remaining route escalates through'),
  }),
  annotations: DESTRUCTIVE,
  async run({ integration_id }, ctx) {
    const { backend } = ctx;
    const integration = await backend.integrations.get(integration_id);
    const impact = await integrationImpact(backend, integration_id);
    await confirmDelete(ctx, async () =>
      formatIntegrationDeleteQuestion(integration, impact.routes, impact.chainsNoLongerUsed, await ctx.names.book('chains')),
    );
    await backend.integrations.delete(integration_id);
    return {
      ...integration,
      deleted: true as const,
      routes_deleted: impact.routes,
      chains_no_longer_used: impact.chainsNoLongerUsed,
    };
  },
  async text(i, { names }) {
    return formatIntegrationDeleted(i, await names.book('chains'));
  },
});

export const setIntegrationMaintenance = defineTool({
  name: 'set_integration_maintenance',
  toolset: 'integrations',
  title: 'Put an integration in maintenance or debug mode, or end it',
  description:
    'maintenance: collect alerts without escalating; debug: escalate silently (nobody is paged); off: normal again.',
  input: z.object({
    integration_id: IntegrationId,
    mode: z.enum(['maintenance', 'debug', 'off']).describe('off ends either mode.'),
    duration: z
      .number()
      .int()
      .min(1)
      .meta({ maximum: undefined })
      .optional()
      .describe('Seconds until it ends; required unless off.'),
  }),
  output: Integration,
  annotations: UPDATE,
  run: ({ integration_id, mode, duration }, { backend }) =>
    mode === 'off'
      ? backend.integrations.stopMaintenance(integration_id)
      : backend.integrations.startMaintenance(integration_id, {
          mode,
          ...(duration === undefined ? {} : { duration }),
        }),
  text: (i) =>
    i.maintenance_mode
      ? `${i.id} "${i.name}" is in ${i.maintenance_mode} mode from ${formatInstant(i.maintenance_started_at ?? '', null)} until `
      + `${formatInstant(i.maintenance_end_at ?? '', null)}.`
      : `${i.id} "${i.name}" is not in maintenance: alerts escalate normally.`,
});
