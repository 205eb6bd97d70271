import * as z from 'zod';
import type { EscalationPolicyBody } from '../api/backend.js';
import { ApiError } from '../api/errors.js';
import { pageSchema } from '../api/pagination.js';
import { facts, type StepFacts, TARGET_FIELDS, targetFields } from '../api/step-types.js';
import { EscalationPolicy, RoundRobinUser } from '../api/types.js';
import { CREATE, DESTRUCTIVE, defineTool, READ_ONLY, UPDATE } from './define.js';
import { continuePage } from './budget.js';
import { confirmDelete, RouteRef, stepImpact } from './delete-impact.js';
import { chainOf, formatPage, formatPolicy, formatPolicyLine, formatStepDeleted, formatStepDeleteQuestion } from './format.js';
import { allOptional, asIn, ChainId, Page, PerPage, PolicyId, PolicyType, policyFields } from './params.js';
import { TOOL_STEPS } from './step-types.js';

/** The fields a step keeps only when they belong to its type. */
const TYPE_FIELDS = [
  'important',
  'duration',
  'persons_to_notify',
  'persons_to_notify_next_each_time',
  'notify_on_call_from_schedule',
  'group_to_notify',
  'team_to_notify',
  'action_to_trigger',
  'notify_if_time_from',
  'notify_if_time_to',
  'num_alerts_in_window',
  'num_minutes_in_window',
  'severity',
] as const;

/**
 * OnCall silently discards fields of other step types and unknown user ids. An agent should
 * know, so the text says what was not applied.
 */
function notApplied(
  sent: Partial<Record<(typeof TYPE_FIELDS)[number], unknown>>,
  out: EscalationPolicy,
): string[] {
  const notes: string[] = [];
  const ignored = TYPE_FIELDS.filter((f) => sent[f] !== undefined && !(f in out));
  if (ignored.length) notes.push(`Ignored (not used by type ${out.type}): ${ignored.join(', ')}.`);
  for (const f of targetFields('user', true)) {
    const asked = sent[f];
    const kept = out[f];
    if (Array.isArray(asked) && Array.isArray(kept)) {
      const dropped = asked.filter((id) => !kept.includes(id));
      if (dropped.length)
        notes.push(`Unknown user ids dropped from ${f}: ${dropped.join(', ')} (list_users shows ids).`);
    }
  }
  return notes;
}

/** The fields that say whom (or what) a step acts on (`STEP_FACTS`' targets). */
type TargetField = NonNullable<StepFacts['target']>['field'];

const isEmpty = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

/** notify_persons and round robin keep one list in OnCall: switching between them carries it over. */
const SHARED_LIST: Partial<Record<TargetField, TargetField>> = {
  persons_to_notify: 'persons_to_notify_next_each_time',
  persons_to_notify_next_each_time: 'persons_to_notify',
};

/**
 * Refuse a notify step that this call would leave notifying nobody: a create without its target,
 * an update that empties it, or one that changes the type without a target the step keeps. OnCall
 * accepts such a step and answers success, yet the step notifies nobody; an agent must not be able
 * to create one by accident, so the tools refuse it, naming the field and what it must name
 * (`TOOL_STEPS`' `target`).
 */
function requireTargets(body: Pick<EscalationPolicyBody, TargetField | 'type'>, current?: EscalationPolicy): void {
  const type = body.type ?? current?.type;
  const target = type ? facts(type).target : null;
  if (!type || !target) return;
  const what = TOOL_STEPS[type].target;
  const sent = body[target.field];
  const changesType = body.type !== undefined && body.type !== current?.type;
  if (sent === undefined && !changesType) return; // this call leaves the targets as they are
  const shared = SHARED_LIST[target.field];
  const kept = current?.[target.field] ?? (shared ? current?.[shared] : undefined);
  if (!isEmpty(sent === undefined ? kept : sent)) return;
  const how = current && sent === undefined ? ' in the same call that sets the type' : '';
  throw new ApiError(400, {
    [target.field]: [`A ${type} step needs ${what}${how}; without one it would notify nobody.`],
  });
}

const optionalPolicyFields = allOptional(policyFields);

const namesForPolicies = ['users', 'teams', 'userGroups', 'webhooks', 'schedules', 'chains'] as const;
const namesForDelete = [...namesForPolicies, 'integrations'] as const;

export const listEscalationPolicies = defineTool({
  name: 'list_escalation_policies',
  toolset: 'chains',
  title: 'List escalation policies (steps)',
  description:
    'Escalation steps by chain and position; get_escalation_chain shows one chain\'s with names.',
  input: z.object({
    escalation_chain_id: ChainId.optional(),
    page: Page.optional(),
    perpage: PerPage.optional(),
  }),
  output: pageSchema(EscalationPolicy),
  annotations: READ_ONLY,
  run: (args, { backend }) => backend.escalationPolicies.list(args),
  async text(page, { names }) {
    const book = await names.book(...namesForPolicies);
    return formatPage(
      page,
      'escalation policies',
      (p) => `${chainOf(book, p.escalation_chain_id)} ${formatPolicyLine(p, book)}`,
    );
  },
  continuation: ({ out, cut }) => continuePage(out, cut),
});

export const getEscalationPolicy = defineTool({
  name: 'get_escalation_policy',
  toolset: 'chains',
  title: 'Get an escalation policy (step)',
  description: 'One escalation step: chain, position, type and its fields.',
  input: z.object({ escalation_policy_id: PolicyId }),
  output: EscalationPolicy,
  annotations: READ_ONLY,
  run: ({ escalation_policy_id }, { backend }) => backend.escalationPolicies.get(escalation_policy_id),
  async text(p, { names }) {
    return formatPolicy(p, await names.book(...namesForPolicies));
  },
});

export const createEscalationPolicy = defineTool({
  name: 'create_escalation_policy',
  toolset: 'chains',
  title: 'Add a step to an escalation chain',
  description:
    'Add a step to a chain (default: last), with the fields its `type` uses. Steps without a wait between fire together.',
  input: z.object({ escalation_chain_id: ChainId, type: PolicyType, ...optionalPolicyFields }),
  output: EscalationPolicy,
  annotations: CREATE,
  async run(args, { backend }) {
    requireTargets(args);
    return backend.escalationPolicies.create(args);
  },
  async text(p, { args, names }) {
    const book = await names.book(...namesForPolicies);
    return [`Created ${formatPolicy(p, book)}`, ...notApplied(args, p)].join('\n');
  },
});

export const updateEscalationPolicy = defineTool({
  name: 'update_escalation_policy',
  toolset: 'chains',
  title: 'Change an escalation policy (step)',
  description:
    'Change a step; fields as in create_escalation_policy, left out ones stay. A new type clears the old fields; '
    + '`type` without `important` sets it false.',
  input: z.object({ escalation_policy_id: PolicyId, ...asIn({ type: PolicyType, ...policyFields }) }),
  output: EscalationPolicy,
  annotations: UPDATE,
  async run({ escalation_policy_id, ...body }, { backend }) {
    const touchesTargets = body.type !== undefined || TARGET_FIELDS.some((f) => body[f] !== undefined);
    if (touchesTargets) requireTargets(body, await backend.escalationPolicies.get(escalation_policy_id));
    return backend.escalationPolicies.update(escalation_policy_id, body);
  },
  async text(p, { args, names }) {
    const book = await names.book(...namesForPolicies);
    return [`Updated ${formatPolicy(p, book)}`, ...notApplied(args, p)].join('\n');
  },
});

export const deleteEscalationPolicy = defineTool({
  name: 'delete_escalation_policy',
  toolset: 'chains',
  title: 'Remove a step from an escalation chain',
  description:
    'Delete a step; others keep their positions. If none notifies anyone now, the answer lists the chain\'s routes.',
  input: z.object({ escalation_policy_id: PolicyId }),
  output: EscalationPolicy.extend({
    deleted: z.literal(true),
    chain_notifies_nobody: z.boolean().describe('true: it was the chain\'s last step that notifies anyone'),
    routes_using_chain: z.array(RouteRef).describe('When the chain now notifies nobody: the routes escalating through it'),
  }),
  annotations: DESTRUCTIVE,
  async run({ escalation_policy_id }, ctx) {
    const { backend } = ctx;
    const policy = await backend.escalationPolicies.get(escalation_policy_id);
    const impact = await stepImpact(backend, policy);
    await confirmDelete(ctx, async () => {
      const book = await ctx.names.book(...namesForDelete);
      return formatStepDeleteQuestion(policy, impact.chainNotifiesNobody, impact.routes, book);
    });
    await backend.escalationPolicies.delete(escalation_policy_id);
    return {
      ...policy,
      deleted: true as const,
      chain_notifies_nobody: impact.chainNotifiesNobody,
      routes_using_chain: impact.routes,
    };
  },
  async text(p, { names }) {
    return formatStepDeleted(p, await names.book(...namesForDelete));
  },
});

export const advanceRoundRobin = defineTool({
  name: 'advance_round_robin',
  toolset: 'chains',
  title: 'Skip to the next person of a round robin',
  description:
    'Round-robin step: skip whoever is up next without notifying, and return who is up now.',
  input: z.object({ escalation_policy_id: PolicyId }),
  output: RoundRobinUser,
  annotations: { ...CREATE, idempotentHint: false },
  run: ({ escalation_policy_id }, { backend }) =>
    backend.escalationPolicies.advanceRoundRobin(escalation_policy_id),
  text: (r, { args }) =>
    `Round robin ${args.escalation_policy_id} advanced: ${r.username} (${r.user_id}) is now next.`,
});
