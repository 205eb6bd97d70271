/**
 * What one lint call looks at: the whole organisation, or a team, an integration, a chain or a
 * schedule (found by name or id like `who_is_on_call`'s target), and everything those lead to: an
 * integration's routes, the chains they send alerts to, the schedules and webhooks those chains'
 * steps name.
 */
import { ApiError } from '../../../api/errors.js';
import { targetOf } from '../../../api/step-types.js';
import type { EscalationChain, Integration, Route, Webhook } from '../../../api/types.js';
import type { DirectoryIndex } from '../../lookup/directory-index.js';
import { findTarget } from '../../oncall/target.js';
import type { Org } from './org.js';

export interface Scope {
  ref: { kind: string; id: string; name: string } | null;
  integrations: Integration[];
  routes: Route[];
  chains: EscalationChain[];
  /** Chains any route of the organisation sends alerts to (a chain no route uses pages nobody by itself). */
  routed: ReadonlySet<string>;
  /** Schedules the scope's chains notify from. */
  schedules: string[];
  webhooks: Webhook[];
}

export async function scopeOf(org: Org, index: DirectoryIndex, text: string | undefined): Promise<Scope> {
  const routed = new Set(org.routes.map((r) => r.escalation_chain_id).filter((x): x is string => x !== null));
  const around = (ref: Scope['ref'], integrations: Integration[], chainIds: Set<string>, teamId?: string): Scope => {
    const ids = new Set(integrations.map((i) => i.id));
    const routes = org.routes.filter((r) => ids.has(r.integration_id));
    for (const r of routes) if (r.escalation_chain_id) chainIds.add(r.escalation_chain_id);
    const chains = org.chains.filter((c) => chainIds.has(c.id));
    const steps = chains.flatMap((c) => org.steps.get(c.id) ?? []);
    const schedules = [...new Set(steps.map((p) => targetOf(p, 'schedule')).filter((x): x is string => !!x))];
    const hooks = new Set(steps.map((p) => targetOf(p, 'webhook')).filter((x): x is string => !!x));
    const webhooks = org.webhooks.filter((w) => hooks.has(w.id) || (teamId !== undefined && w.team === teamId));
    return { ref, integrations, routes, chains, routed, schedules, webhooks };
  };
  if (text === undefined || !text.trim()) {
    const whole = around(null, org.integrations, new Set(org.chains.map((c) => c.id)));
    return { ...whole, webhooks: org.webhooks };
  }
  const found = await findTarget(index, text);
  const ref = { kind: found.kind, id: found.entry.id, name: found.entry.name };
  switch (found.kind) {
    case 'team': {
      const chains = new Set(org.chains.filter((c) => c.team_id === ref.id).map((c) => c.id));
      return around(ref, org.integrations.filter((i) => i.team_id === ref.id), chains, ref.id);
    }
    case 'integration':
      return around(ref, org.integrations.filter((i) => i.id === ref.id), new Set());
    case 'escalation_chain':
      return around(ref, [], new Set([ref.id]));
    case 'schedule': {
      const chains = [...org.steps].filter(([, steps]) => steps.some((p) => targetOf(p, 'schedule') === ref.id));
      const scope = around(ref, [], new Set(chains.map(([id]) => id)));
      return { ...scope, schedules: [ref.id] };
    }
    case 'user':
      throw new ApiError(400, {
        scope: [`"${text}" is a user; lint checks a team, an integration, an escalation chain or a schedule (or, left out, the whole organisation).`],
      });
  }
}
