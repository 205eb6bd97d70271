import * as z from 'zod';
import { pageSchema } from '../api/pagination.js';
import { Route } from '../api/types.js';
import { CREATE, DESTRUCTIVE, defineTool, READ_ONLY, UPDATE } from './define.js';
import { continuePage } from './budget.js';
import { formatPage, formatRouteLine, integrationRef } from './format.js';
import {
  allOptional,
  IntegrationId,
  Page,
  PerPage,
  RouteId,
  SlackRoutingInput,
  TelegramRoutingInput,
} from './params.js';

const routeFields = {
  routing_type: z
    .enum(['regex', 'jinja2'])
    .describe(
      'regex: Python regex searched in the alert payload as JSON (e.g. "severity": "critical"). jinja2: template '
      + 'that renders true/1/ok to match, e.g. {{ payload.labels.team == "db" }}. Default regex.',
    ),
  routing_regex: z.string().describe('The regex or Jinja2 template (at most 1024 characters).'),
  position: z
    .number()
    .int()
    .min(-1)
    .max(2147483647)
    .describe(
      'Order among the non-default routes: 0 = tried first, -1 = last (still before the default route).',
    ),
  slack: SlackRoutingInput,
  telegram: TelegramRoutingInput,
};
const optionalRouteFields = allOptional(routeFields);

const DeletedRoute = Route.extend({ deleted: z.literal(true) });

/** A plain nullable string: ChainId's minLength would turn `nullable` into an anyOf. */
const Chain = z
  .string()
  .nullable()
  .describe(
    'Chain the matching alerts escalate through ("F…", see list_escalation_chains), or null for none.',
  );

export const listRoutes = defineTool({
  name: 'list_routes',
  toolset: 'integrations',
  title: 'List routes',
  description:
    'Routes decide which escalation chain an alert follows. Listed by integration, in the order they are tried, '
    + 'each integration\'s default route last.',
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
    'Send the alerts of an integration that match an expression to an escalation chain. Routes are tried in order; '
    + 'the first match wins; the default route takes the rest.',
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
    'Change a route\'s expression, chain, position or chat settings. Only what you send changes. The default '
    + 'route\'s chain and chat settings can change, not its expression.',
  input: z.object({ route_id: RouteId, escalation_chain_id: Chain.optional(), ...optionalRouteFields }),
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
  description:
    'Delete a non-default route; its alerts fall through to the next routes. Default routes cannot be deleted.',
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
