/**
 * What a config write can change about who gets paged: the routes and chains whose next alert a
 * dry run previews before and after. Each write tool that takes `dry_run` has an entry here; the
 * entry is asked on the copy twice, before the write (`result` undefined) and after it, and the
 * union is previewed, so a created object (found only after) and a deleted one (found only before)
 * are both shown.
 */
import type { OnCallBackend } from '../../api/backend.js';
import { ApiError } from '../../api/errors.js';
import { collectAll } from '../../api/pagination.js';
import { targetOf } from '../../api/step-types.js';

export interface Subject {
  kind: 'route' | 'escalation_chain';
  id: string;
}

type Args = Record<string, unknown>;
type Result = Record<string, unknown> | undefined;
export type SubjectsOf = (args: Args, backend: OnCallBackend, result: Result) => Promise<Subject[]>;

const chain = (id: unknown): Subject[] => (typeof id === 'string' ? [{ kind: 'escalation_chain', id }] : []);
const route = (id: unknown): Subject[] => (typeof id === 'string' ? [{ kind: 'route', id }] : []);

/** A lookup that is allowed to find nothing: the object does not exist (yet, or any more). */
async function orNothing<T>(lookup: () => Promise<T>): Promise<T | undefined> {
  try {
    return await lookup();
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return undefined;
    throw err;
  }
}

/** A chain, with the routes that escalate through it: deleting it changes their pages. */
async function chainWithRoutes(backend: OnCallBackend, chainId: unknown): Promise<Subject[]> {
  if (typeof chainId !== 'string') return [];
  const routes = await collectAll((page) => backend.routes.list({ page }));
  const using = routes.filter((r) => r.escalation_chain_id === chainId).flatMap((r) => route(r.id));
  return using.length ? using : chain(chainId);
}

/** The chains with a step that notifies from one of these schedules. */
async function chainsPagingFrom(backend: OnCallBackend, scheduleIds: readonly string[]): Promise<Subject[]> {
  if (!scheduleIds.length) return [];
  const policies = await collectAll((page) => backend.escalationPolicies.list({ page }));
  const wanted = new Set(scheduleIds);
  return [...new Set(policies.filter((p) => wanted.has(targetOf(p, 'schedule') ?? '')).map((p) => p.escalation_chain_id))]
    .flatMap(chain);
}

/** The schedules whose `shifts` hold this shift. */
async function schedulesWithShift(backend: OnCallBackend, shiftId: unknown): Promise<string[]> {
  if (typeof shiftId !== 'string') return [];
  const schedules = await collectAll((page) => backend.schedules.list({ page }));
  return schedules.filter((s) => (s.shifts ?? []).includes(shiftId)).map((s) => s.id);
}

const policyChain = async (backend: OnCallBackend, policyId: unknown, result: Result) => {
  if (result && typeof result.escalation_chain_id === 'string') return chain(result.escalation_chain_id);
  if (typeof policyId !== 'string') return [];
  return chain((await orNothing(() => backend.escalationPolicies.get(policyId)))?.escalation_chain_id);
};

const swapSchedule = async (backend: OnCallBackend, swapId: unknown): Promise<string[]> => {
  if (typeof swapId !== 'string') return [];
  const swap = await orNothing(() => backend.shiftSwaps.get(swapId, { starting_after: '2000-01-01T00:00:00Z' }));
  return swap ? [swap.schedule] : [];
};

/** Every write tool that takes `dry_run`, and what its change can repage. */
export const DRY_RUN_SUBJECTS: Readonly<Record<string, SubjectsOf>> = {
  create_escalation_chain: async (_args, _b, result) => chain(result?.id),
  update_escalation_chain: async (args) => chain(args.escalation_chain_id),
  delete_escalation_chain: async (args, backend, result) =>
    (result ? [] : chainWithRoutes(backend, args.escalation_chain_id)),
  create_escalation_policy: async (args) => chain(args.escalation_chain_id),
  update_escalation_policy: async (args, backend, result) => policyChain(backend, args.escalation_policy_id, result),
  delete_escalation_policy: async (args, backend, result) => policyChain(backend, args.escalation_policy_id, result),
  create_route: async (_args, _b, result) => route(result?.id),
  update_route: async (args) => route(args.route_id),
  delete_route: async (args) => route(args.route_id),
  create_schedule: async () => [],
  update_schedule: async (args, backend) => chainsPagingFrom(backend, [args.schedule_id as string]),
  delete_schedule: async (args, backend, result) =>
    (result ? [] : chainsPagingFrom(backend, [args.schedule_id as string])),
  create_on_call_shift: async () => [],
  update_on_call_shift: async (args, backend) =>
    chainsPagingFrom(backend, await schedulesWithShift(backend, args.on_call_shift_id)),
  delete_on_call_shift: async (args, backend, result) =>
    (result ? [] : chainsPagingFrom(backend, await schedulesWithShift(backend, args.on_call_shift_id))),
  create_shift_swap: async (args, backend) => chainsPagingFrom(backend, [args.schedule as string]),
  take_shift_swap: async (args, backend) => chainsPagingFrom(backend, await swapSchedule(backend, args.shift_swap_id)),
  update_shift_swap: async (args, backend) =>
    chainsPagingFrom(backend, await swapSchedule(backend, args.shift_swap_id)),
  delete_shift_swap: async (args, backend, result) =>
    (result ? [] : chainsPagingFrom(backend, await swapSchedule(backend, args.shift_swap_id))),
  take_shift: async (args, backend) => chainsPagingFrom(backend, [args.schedule_id as string]),
};
