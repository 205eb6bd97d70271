/**
 * What a delete leaves behind. OnCall deletes a chain, a schedule or an integration without a word
 * about what pointed at it: routes that escalate to nobody, steps that notify nobody. The delete
 * tools find those through the backend's list endpoints BEFORE deleting, put them in the question
 * to the human (when the client can ask) and in the answer.
 */
import * as z from 'zod';
import type { OnCallBackend } from '../api/backend.js';
import { collectAll } from '../api/pagination.js';
import { notifiesAnyone, targetOf } from '../api/step-types.js';
import type { EscalationPolicy, Route } from '../api/types.js';
import { ToolError } from './errors.js';
import type { ToolContext } from './define.js';

export const RouteRef = z.object({
  route_id: z.string(),
  integration_id: z.string(),
  escalation_chain_id: z.string().nullable().describe('Its chain before the delete'),
  is_the_last_route: z.boolean().describe('The integration\'s default route'),
  routing_regex: z.string().nullable(),
  position: z.number(),
});
export type RouteRef = z.infer<typeof RouteRef>;

export const StepRef = z.object({
  policy_id: z.string(),
  escalation_chain_id: z.string(),
  position: z.number(),
  type: z.string().nullable(),
});
export type StepRef = z.infer<typeof StepRef>;

export const routeRef = (r: Route): RouteRef => ({
  route_id: r.id,
  integration_id: r.integration_id,
  escalation_chain_id: r.escalation_chain_id,
  is_the_last_route: r.is_the_last_route,
  routing_regex: r.routing_regex,
  position: r.position,
});

const stepRef = (p: EscalationPolicy): StepRef => ({
  policy_id: p.id,
  escalation_chain_id: p.escalation_chain_id,
  position: p.position,
  type: p.type,
});

const allRoutes = (backend: OnCallBackend) => collectAll((page) => backend.routes.list({ page }));

/** Routes of every integration that escalate through `chainId`. */
export async function routesUsingChain(backend: OnCallBackend, chainId: string): Promise<RouteRef[]> {
  return (await allRoutes(backend)).filter((r) => r.escalation_chain_id === chainId).map(routeRef);
}

/** Steps that notify whoever is (or is next) on call in `scheduleId`. */
export async function stepsUsingSchedule(backend: OnCallBackend, scheduleId: string): Promise<StepRef[]> {
  const policies = await collectAll((page) => backend.escalationPolicies.list({ page }));
  return policies.filter((p) => targetOf(p, 'schedule') === scheduleId).map(stepRef);
}

/** The escalation steps that trigger this webhook. */
export async function stepsUsingWebhook(backend: OnCallBackend, webhookId: string): Promise<StepRef[]> {
  const policies = await collectAll((page) => backend.escalationPolicies.list({ page }));
  return policies.filter((p) => targetOf(p, 'webhook') === webhookId).map(stepRef);
}

/** An integration's routes, and the chains that no other integration's route uses. */
export async function integrationImpact(
  backend: OnCallBackend,
  integrationId: string,
): Promise<{ routes: RouteRef[]; chainsNoLongerUsed: string[] }> {
  const routes = await allRoutes(backend);
  const own = routes.filter((r) => r.integration_id === integrationId);
  const others = routes.filter((r) => r.integration_id !== integrationId);
  const usedElsewhere = new Set(others.map((r) => r.escalation_chain_id));
  const chains = [...new Set(own.map((r) => r.escalation_chain_id).filter((c): c is string => c !== null))];
  return { routes: own.map(routeRef), chainsNoLongerUsed: chains.filter((c) => !usedElsewhere.has(c)) };
}

/** Without this step, does its chain still notify anyone, and which routes use that chain. */
export async function stepImpact(
  backend: OnCallBackend,
  policy: EscalationPolicy,
): Promise<{ chainNotifiesNobody: boolean; routes: RouteRef[] }> {
  if (!notifiesAnyone(policy.type)) return { chainNotifiesNobody: false, routes: [] };
  const chainId = policy.escalation_chain_id;
  const steps = await collectAll((page) => backend.escalationPolicies.list({ escalation_chain_id: chainId, page }));
  const others = steps.filter((p) => p.id !== policy.id && notifiesAnyone(p.type));
  if (others.length) return { chainNotifiesNobody: false, routes: [] };
  return { chainNotifiesNobody: true, routes: await routesUsingChain(backend, chainId) };
}

/**
 * Ask the human before a delete (when the client can ask); a refusal deletes nothing. Without the
 * capability the delete goes ahead, as the tool's destructive annotation lets the client decide.
 */
export async function confirmDelete(ctx: ToolContext, question: () => Promise<string>): Promise<void> {
  const answer = await ctx.confirm(question);
  if (answer === 'declined' || answer === 'cancelled') {
    throw new ToolError(
      `NOT DELETED: the human ${answer === 'declined' ? 'declined' : 'did not confirm'} the delete; nothing was changed.`,
    );
  }
  if (ctx.signal.aborted) throw new ToolError('NOT DELETED: the call was cancelled before the delete; nothing was changed.');
}
