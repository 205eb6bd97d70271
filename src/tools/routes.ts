import * as z from 'zod';
import { pageSchema } from '../api/pagination.js';
import { Route } from '../api/types.js';
import { CREATE, DESTRUCTIVE, defineTool, READ_ONLY, UPDATE } from './define.js';
import { continuePage } from './budget.js';
import { formatPage, formatRouteLine, integrationRef } from './format.js';
import {
  allOptional,
  asIn,
  IntegrationId,
  Page,
  PerPage,
  RouteId,
  orNull,
  SlackRoutingInput,
  TelegramRoutingInput,
} from './params.js';

const routeFields = {
  routing_type: z
    .enum(['regex', 'jinja2'])
    .describe(
      'regex (default): Python regex searched in the payload JSON; jinja2: matches when it renders true.',
    ),
  routing_regex: z.string().describe('E.g. "severity": "critical".'),
  position: z
    .number()
    .int()
    .min(-1)
    .max(2147483647)
    .meta({ maximum: undefined })
    .describe('0 first, -1 last (before the default).'),
  slack: SlackRoutingInput,
  telegram: TelegramRoutingInput,
};
const optionalRouteFields = allOptional(routeFields);

const DeletedRoute = Route.extend({ deleted: z.literal(true) });

const Chain = orNull('Chain id or name; "" = none.');

export const listRoutes = defineTool({
  name: 'list_routes',
  toolset: 'integrations',
  title: 'List routes',
  description:
    'Routes pick the chain an alert follows: by integration, in the order tried, default last.',
  input: z.object({
    integration_id: IntegrationId.optional(),
    routing_regex: z.string().optional().describe('Exact expression.'),
    page: Page.optional(),
    perpage: PerPage.optional(),
  }),
  output: pageSchema(Route),
  annotations: READ_ONLY,
  run: (args, { backend }) => backend.routes.list(args),
  async text(page, { names }) {
    const book = await names.book('chains', 'integrations');
    return formatPage(page, 'routes', (r) => `${integrationRef(book, r.integration_id)} ${formatRouteLine(r, book)}`);
  },
  continuation: ({ out, cut }) => continuePage(out, cut),
});

export const createRoute = defineTool({
  name: 'create_route',
  toolset: 'integrations',
  title: 'Add a route to an integration',
  description:
    'Send an integration\'s alerts that match to a chain; the first matching route wins.',
  input: z.object({
    integration_id: IntegrationId,
    escalation_chain_id: Chain,
    ...optionalRouteFields,
    routing_regex: routeFields.routing_regex,
  }),
  output: Route,
  annotations: CREATE,
  run: (args, { backend }) => backend.routes.create(args),
  async text(r, { names }) {
    const book = await names.book('chains', 'integrations');
    return `Created route on ${integrationRef(book, r.integration_id)}: ${formatRouteLine(r, book)}`;
  },
});

export const updateRoute = defineTool({
  name: 'update_route',
  toolset: 'integrations',
  title: 'Change a route',
  description:
    'Change a route; fields as in create_route, only those sent change (a default route has no expression).',
  input: z.object({ route_id: RouteId, ...asIn({ escalation_chain_id: Chain, ...routeFields }) }),
  output: Route,
  annotations: UPDATE,
  run: ({ route_id, ...body }, { backend }) => backend.routes.update(route_id, body),
  async text(r, { names }) {
    const book = await names.book('chains', 'integrations');
    return `Updated route on ${integrationRef(book, r.integration_id)}: ${formatRouteLine(r, book)}`;
  },
});

export const deleteRoute = defineTool({
  name: 'delete_route',
  toolset: 'integrations',
  title: 'Delete a route',
  description: 'Delete a non-default route; its alerts fall through to the next.',
  input: z.object({ route_id: RouteId }),
  output: DeletedRoute,
  annotations: DESTRUCTIVE,
  async run({ route_id }, { backend }) {
    const route = await backend.routes.get(route_id);
    await backend.routes.delete(route_id);
    // The catchall (backend keys) types every extra key as a backend; `deleted` is declared, so it validates.
    return { ...route, deleted: true } as z.output<typeof DeletedRoute>;
  },
  async text(r, { names }) {
    const book = await names.book('chains', 'integrations');
    return `Deleted route of ${integrationRef(book, r.integration_id)}: ${formatRouteLine(r, book)}`;
  },
});
