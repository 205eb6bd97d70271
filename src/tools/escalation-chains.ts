import * as z from 'zod';
import { collectAll, pageSchema } from '../api/pagination.js';
import { EscalationChain, EscalationPolicy, integer } from '../api/types.js';
import { continuePage } from './budget.js';
import { CREATE, DESTRUCTIVE, defineTool, READ_ONLY, UPDATE } from './define.js';
import { confirmDelete, RouteRef, routesUsingChain } from './delete-impact.js';
import {
  formatChain,
  formatChainDeleted,
  formatChainDeleteQuestion,
  formatChainWithPolicies,
  formatPage,
} from './format.js';
import { activeFilters, byName, filteredPage, filteredText } from './name-filter.js';
import { ChainId, Page, PerPage, TeamFilter, TeamId } from './params.js';

const ChainName = z.string().describe('Chain name, unique in the organisation, at most 100 characters.');

export const listEscalationChains = defineTool({
  name: 'list_escalation_chains',
  toolset: 'chains',
  title: 'List escalation chains',
  description:
    'Escalation chains (who gets notified, in which order, when an alert group escalates), in creation order. '
    + 'Filter by part of the name (case-insensitive) or team. Use get_escalation_chain to see a chain\'s steps.',
  input: z.object({
    name: z.string().optional().describe('Part of the chain name, case-insensitive: "sre" finds "SRE critical".'),
    team_id: TeamFilter.optional(),
    page: Page.optional(),
    perpage: PerPage.optional(),
  }),
  output: pageSchema(EscalationChain),
  annotations: READ_ONLY,
  async run({ name, ...args }, { backend, index: directory }) {
    const filters = activeFilters([byName<EscalationChain>(name)]);
    if (!filters.length) return backend.escalationChains.list(args);
    return filteredPage({
      directory,
      kind: 'chain',
      filters,
      team: args.team_id,
      teamOf: (c) => c.team_id,
      page: args.page,
      perpage: args.perpage,
      defaultPerPage: 50,
      get: (id) => backend.escalationChains.get(id),
      list: (page) => backend.escalationChains.list({ ...args, page }),
      idOf: (c) => c.id,
    });
  },
  async text(page, { args, names }) {
    const book = await names.book('teams');
    const filters = activeFilters([byName<EscalationChain>(args.name)]);
    return filteredText(page, 'escalation chains', (c) => formatChain(c, book), filters, names.index, 'chain', formatPage);
  },
  continuation: ({ out, cut }) => continuePage(out, cut),
});

const ChainWithPolicies = EscalationChain.extend({
  policies: z.array(EscalationPolicy).describe('The chain\'s steps in execution order'),
});

export const getEscalationChain = defineTool({
  name: 'get_escalation_chain',
  toolset: 'chains',
  title: 'Get an escalation chain with its steps',
  description:
    'One escalation chain with all its policies (steps) in execution order, with names for the people, '
    + 'teams, groups and webhooks they use. Find ids with list_escalation_chains.',
  input: z.object({ escalation_chain_id: ChainId }),
  output: ChainWithPolicies,
  annotations: READ_ONLY,
  async run({ escalation_chain_id }, { backend }) {
    const chain = await backend.escalationChains.get(escalation_chain_id);
    const policies = await collectAll((page) =>
      backend.escalationPolicies.list({ escalation_chain_id, page }),
    );
    return { ...chain, policies: policies.sort((a, b) => a.position - b.position) };
  },
  async text(chain, { names }) {
    return formatChainWithPolicies(chain, await names.book('users', 'teams', 'userGroups', 'webhooks', 'schedules'));
  },
});

export const createEscalationChain = defineTool({
  name: 'create_escalation_chain',
  toolset: 'chains',
  title: 'Create an escalation chain',
  description:
    'Create an empty escalation chain. Add steps with create_escalation_policy; point routes at it to use it.',
  input: z.object({ name: ChainName, team_id: TeamId.optional() }),
  output: EscalationChain,
  annotations: CREATE,
  run: (args, { backend }) => backend.escalationChains.create(args),
  async text(chain, { names }) {
    return `Created ${formatChain(chain, await names.book('teams'))}. It has no steps yet: add them with create_escalation_policy.`;
  },
});

export const updateEscalationChain = defineTool({
  name: 'update_escalation_chain',
  toolset: 'chains',
  title: 'Rename an escalation chain or change its team',
  description: 'Change the name and/or team of an escalation chain. Fields left out stay as they are.',
  input: z.object({ escalation_chain_id: ChainId, name: ChainName.optional(), team_id: TeamId.optional() }),
  output: EscalationChain,
  annotations: UPDATE,
  run: ({ escalation_chain_id, ...body }, { backend }) =>
    backend.escalationChains.update(escalation_chain_id, body),
  async text(chain, { names }) {
    return `Updated ${formatChain(chain, await names.book('teams'))}.`;
  },
});

export const deleteEscalationChain = defineTool({
  name: 'delete_escalation_chain',
  toolset: 'chains',
  title: 'Delete an escalation chain',
  description:
    'Delete an escalation chain and all of its steps. Routes that used it keep existing but escalate to nobody '
    + 'until given another chain: the answer lists them (and the human is asked first when the client can ask). '
    + 'Cannot be undone.',
  input: z.object({ escalation_chain_id: ChainId }),
  output: EscalationChain.extend({
    deleted: z.literal(true),
    policies_deleted: integer().describe('How many steps were deleted with the chain'),
    routes_left_without_chain: z.array(RouteRef).describe('Routes that used the chain: they now escalate to nobody'),
  }),
  annotations: DESTRUCTIVE,
  async run({ escalation_chain_id }, ctx) {
    const { backend } = ctx;
    const chain = await backend.escalationChains.get(escalation_chain_id);
    const [policies, routes] = await Promise.all([
      collectAll((page) => backend.escalationPolicies.list({ escalation_chain_id, page })),
      routesUsingChain(backend, escalation_chain_id),
    ]);
    await confirmDelete(ctx, async () =>
      formatChainDeleteQuestion(chain, policies.length, routes, await ctx.names.book('integrations')),
    );
    await backend.escalationChains.delete(escalation_chain_id);
    return { ...chain, deleted: true as const, policies_deleted: policies.length, routes_left_without_chain: routes };
  },
  async text(out, { names }) {
    return formatChainDeleted(out, await names.book('integrations'));
  },
});
