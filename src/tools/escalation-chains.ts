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
import { asIn, ChainId, Page, PerPage, TeamFilter, TeamId } from './params.js';

const ChainName = z.string().describe('Unique in the organisation, up to 100 characters.');

export const listEscalationChains = defineTool({
  name: 'list_escalation_chains',
  toolset: 'chains',
  title: 'List escalation chains',
  description:
    'Escalation chains: who is notified in which order as an alert escalates. get_escalation_chain shows steps.',
  input: z.object({
    name: z.string().optional().describe('Part of the name, any case.'),
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
    'A chain and its steps in order, naming who and what each step notifies.',
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
    'Create an empty escalation chain; add steps with create_escalation_policy.',
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
  description: 'Rename a chain or change its team; fields as in create_escalation_chain.',
  input: z.object({ escalation_chain_id: ChainId, ...asIn({ name: ChainName, team_id: TeamId }) }),
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
    'Delete a chain and its steps. Routes using it then escalate to nobody; the answer lists them.',
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
