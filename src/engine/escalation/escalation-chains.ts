/** Escalation chains (semantics.md §4). */

import type { OnCallBackend } from '../../api/backend.js';
import { ApiError } from '../../api/errors.js';
import type { EscalationChain } from '../../api/types.js';
import { adjacentOnCall, currentOnCall, parseDays } from './chain-on-call.js';
import { type EngineContext, getOr404, teamFilter } from '../core/context.js';
import { paginate, queryStrings } from '../core/pagination.js';
import { simulateEscalation } from '../simulation.js';
import type { ChainRecord } from '../core/state.js';
import { asBody, FieldErrors, readRelatedId, readString } from '../core/validation.js';

export const CHAIN_PATH = '/api/v1/escalation_chains/';

export function representChain(chain: ChainRecord): EscalationChain {
  return { id: chain.id, name: chain.name, team_id: chain.team_id };
}

export function escalationChains(ctx: EngineContext): OnCallBackend['escalationChains'] {
  const { state } = ctx;

  const uniqueName = (name: string, exceptId?: string) => {
    for (const chain of state.chains.values()) {
      if (chain.name === name && chain.id !== exceptId) {
        throw new ApiError(400, {
          non_field_errors: ['The fields organization, name must make a unique set.'],
        });
      }
    }
  };

  const readTeam = (errors: FieldErrors, body: Record<string, unknown>) =>
    readRelatedId(errors, body, 'team_id', (id) => state.teams.has(id), { nullable: true, nullString: true });

  return {
    async list(query) {
      const byTeam = teamFilter(state, query.team_id);
      const items = [...state.chains.values()]
        .filter((c) => query.name === undefined || c.name === query.name)
        .filter((c) => !byTeam || byTeam(c.team_id))
        .map(representChain);
      return paginate(items, ctx.publicUrl, {
        path: CHAIN_PATH,
        query: queryStrings(query),
        defaultSize: 50,
      });
    },

    async get(id) {
      return representChain(getOr404(state.chains, 'escalation_chain', id));
    },

    async create(raw) {
      const body = asBody(raw);
      const errors = new FieldErrors();
      const name = readString(errors, body, 'name', { required: true, maxLength: 100 });
      const teamId = readTeam(errors, body);
      errors.throwIfAny();
      uniqueName(name!);
      const chain: ChainRecord = { id: ctx.newId('F'), name: name!, team_id: teamId ?? null };
      state.chains.set(chain.id, chain);
      ctx.commit(['chains']);
      return representChain(chain);
    },

    async update(id, raw, mode = 'patch') {
      const chain = getOr404(state.chains, 'escalation_chain', id);
      const body = asBody(raw);
      const errors = new FieldErrors();
      const name = readString(errors, body, 'name', { required: mode === 'put', maxLength: 100 });
      const teamId = readTeam(errors, body);
      errors.throwIfAny();
      if (name !== undefined && name !== null) uniqueName(name, id);
      if (name !== undefined && name !== null) chain.name = name;
      if (teamId !== undefined) chain.team_id = teamId;
      ctx.commit(['chains']);
      return representChain(chain);
    },

    async currentOncall(id) {
      getOr404(state.chains, 'escalation_chain', id);
      return currentOnCall(state, id, ctx.clock.now());
    },

    async previousOncall(id, window) {
      getOr404(state.chains, 'escalation_chain', id);
      return adjacentOnCall(state, id, ctx.clock.now(), parseDays(window.days), 'previous');
    },

    async nextOncall(id, window) {
      getOr404(state.chains, 'escalation_chain', id);
      return adjacentOnCall(state, id, ctx.clock.now(), parseDays(window.days), 'next');
    },

    async simulate(id, options) {
      return simulateEscalation(state, id, options, ctx.clock.now());
    },

    async delete(id) {
      getOr404(state.chains, 'escalation_chain', id);
      state.chains.delete(id);
      for (const [policyId, policy] of state.policies) {
        if (policy.chainId === id) state.policies.delete(policyId);
      }
      // Routes that used the chain stay, escalating to nobody until given another chain.
      for (const route of state.routes.values()) if (route.chainId === id) route.chainId = null;
      ctx.commit(['chains', 'policies', 'routes']);
    },
  };
}
