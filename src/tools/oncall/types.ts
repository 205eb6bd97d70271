/**
 * The shapes of on-call answers: who is on call through a schedule or an escalation chain, and why
 * nobody is when nobody is. `who_is_on_call` returns them as its structured output; the paging
 * tools can reuse the chain preview's to say who a page will notify.
 */
import * as z from 'zod';
import { integer } from '../../api/types.js';
import { Unreachable } from './reachability.js';

export const TARGET_KINDS = ['team', 'schedule', 'escalation_chain', 'integration', 'user'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const Ref = z.object({
  kind: z.enum(TARGET_KINDS),
  id: z.string(),
  name: z.string(),
});
export type Ref = z.infer<typeof Ref>;

/** Why an answer is empty, or what limits it: a stable `code` and a sentence for a human. */
export const Reason = z.object({
  code: z.enum([
    'schedule_gap',
    'schedule_empty',
    'gap_after',
    'beyond_window',
    'no_steps',
    'no_notify_step',
    'nobody_resolved',
    'no_schedule_step',
    'time_gate_closed',
    'time_gate_closes',
    'alert_count_gate',
    'round_robin',
    'unlisted_people',
    'cannot_be_notified',
    'no_chain',
    'maintenance',
    'no_shifts',
    'nothing_for_team',
    'not_all_checked',
  ]),
  message: z.string(),
});
export type Reason = z.infer<typeof Reason>;
export type ReasonCode = Reason['code'];

export const OnCallPerson = z.object({
  id: z.string().describe('User id (U…)'),
  username: z.string(),
  how: z.string().describe('Why this person: "on call in …", "next in the round robin", "member of team …"'),
  maybe: z.boolean().optional().describe('True when only one of the people marked so is notified (a round robin whose next is unknown)'),
});
export type OnCallPerson = z.infer<typeof OnCallPerson>;

export const PreviewStep = z.object({
  position: integer(),
  policy_id: z.string(),
  type: z.string().nullable(),
  at: z.string().nullable().describe('When the step would run for an alert at `at`; null if not reached in the first cycle'),
  important: z.boolean(),
  notifies: z.array(OnCallPerson),
  note: z.string().nullable().describe('What the step does at that moment: a gate open or closed, a gap, a round robin'),
});
export type PreviewStep = z.infer<typeof PreviewStep>;

/** One source of the answer: a schedule, or an escalation chain (with its steps in order). */
export const Via = z.object({
  kind: z.enum(['schedule', 'escalation_chain']),
  id: z.string(),
  name: z.string(),
  time_zone: z.string().nullable(),
  now: z.array(OnCallPerson).describe('Schedule: on call at `at`. Chain: who it notifies first for an alert at `at`'),
  now_at: z.string().nullable().describe('Chain: when those first notifications go out'),
  until: z.string().nullable(),
  next: z.array(OnCallPerson),
  from: z.string().nullable(),
  next_until: z.string().nullable(),
  unlisted: z.array(z.string()).describe('Notified too, but not listed by the API: a Slack user group, a channel'),
  reasons: z.array(Reason),
  steps: z.array(PreviewStep).optional().describe('Chain: its steps in order, with timing and resolved targets'),
});
export type Via = z.infer<typeof Via>;

export const RouteSummary = z.object({
  id: z.string(),
  position: integer(),
  is_the_last_route: z.boolean(),
  routing_type: z.string(),
  routing_regex: z.string().nullable(),
  escalation_chain_id: z.string().nullable(),
});

export const WhoIsOnCall = z.object({
  target: Ref,
  at: z.string().describe('The instant the answer is for (UTC)'),
  time_zone: z.string().nullable().describe('The zone local times are shown in beside UTC'),
  now: z.array(OnCallPerson.extend({ via: Ref, until: z.string().nullable() })),
  until: z.string().nullable().describe('When the first of them goes off call'),
  next: z.array(OnCallPerson.extend({ via: Ref, from: z.string(), until: z.string().nullable() })),
  from: z.string().nullable().describe('When the next people come on'),
  via: z.array(Via),
  routes: z.array(RouteSummary).optional().describe('Integration: its routes, tried in order'),
  reasons: z.array(Reason).describe('Why the answer is empty, or what limits it'),
  unreachable: z.array(Unreachable).describe('People on call now whose own notification rules may not reach them'),
  also_matches: z.array(Ref).describe('Other objects the target text matches; ask with one of their ids'),
});
export type WhoIsOnCall = z.infer<typeof WhoIsOnCall>;
