/**
 * Who a page notifies, how and when: what `create_escalation` must say first, so that an alert
 * group nobody hears about is never mistaken for a page.
 *
 * Two sources, both through the backend interface:
 * - the embedded engine and oncall-mcp's REST API run a simulation of the chain on the same
 *   runtime (`escalationChains.simulate`, nothing changes) and keep the alert group's timeline,
 *   which shows the direct pages and the notifications already sent;
 * - a live OnCall has neither (simulate answers 501, the timeline is empty): then the chain's steps
 *   (`escalationPolicies.list`) are described in order with their delays, and who is on call now
 *   in the schedules they use. Who exactly a step reaches is decided by OnCall when it runs.
 *
 * The same plan is made before sending (for the human's confirmation, from the team's Direct
 * Paging route) and after (from the alert group OnCall created).
 */
import * as z from 'zod';
import type { EscalationBody, OnCallBackend } from '../api/backend.js';
import { ApiError } from '../api/errors.js';
import { collectAll } from '../api/pagination.js';
import { notifiesAnyone, stepFacts } from '../api/step-types.js';
import type { AlertGroup, EscalationPolicy, Route, TimelineItem, User } from '../api/types.js';
import { integer } from '../api/types.js';
import type { DirectoryIndex } from './lookup/directory-index.js';
import { previewChain } from './oncall/chain-preview.js';

/** Notifications listed at most; the rest are counted. */
export const MAX_NOTICES = 12;

export const Notice = z.object({
  at: z.string().describe('When (UTC); on a live OnCall, when the step is due'),
  user_id: z.string().nullable().describe('Who; null when the step decides when it runs (round robin, group, channel)'),
  channel: z.string().nullable().describe('How: slack, sms, phone_call, email…; null: by the person\'s own notification rules'),
  important: z.boolean(),
  policy_id: z.string().nullable().describe('The escalation step (E…); null for a direct page or a person\'s own rules'),
  text: z.string().describe('What causes it'),
});
export type Notice = z.infer<typeof Notice>;

export const PagedUser = z.object({
  user_id: z.string(),
  important: z.boolean(),
  can_be_notified: z.boolean().nullable().describe('false: OnCall will not notify them (role, no permission); null: unknown'),
  reason: z.string().nullable(),
});
export type PagedUser = z.infer<typeof PagedUser>;

export const Delivery = z.object({
  sent: z.boolean().describe('false: this call sent nothing; it returned an earlier page (see duplicate)'),
  duplicate: z
    .object({ by: z.enum(['idempotency_key', 'identical_page']), first_at: z.string() })
    .nullable()
    .describe('Set when this call folded into an earlier page'),
  nobody_notified: z.boolean().describe('true: NOBODY will be notified by this page'),
  reasons: z.array(z.string()).describe('Why nobody (or somebody) will not be notified, or what could not be known'),
  escalation_chain_id: z.string().nullable().describe('The chain the new alert group escalates through, or null'),
  forecast: z
    .enum(['simulation', 'chain_steps', 'none'])
    .describe('simulation: predicted on the same engine; chain_steps: the chain\'s configuration (live OnCall)'),
  first_notifications: z.array(Notice).describe(`The first notifications (first pass of the chain), at most ${MAX_NOTICES}`),
  more_notifications: integer().describe('Further notifications of the first pass not listed'),
  held_back_by: z.array(z.string()).describe('Steps before the first notification of the chain (waits, a closed time gate)'),
  deliveries_visible: z.boolean().describe('false on a live OnCall: its API shows neither notification rules nor deliveries'),
  chain_repeats: z.boolean().describe('The chain starts again from its first step until someone acknowledges'),
  users: z.array(PagedUser).describe('The people paged directly'),
});
export type Delivery = z.infer<typeof Delivery>;

/** What a chain will do for an alert group starting at `start`. */
export interface ChainForecast {
  chainId: string;
  source: 'simulation' | 'chain_steps';
  start: string;
  notices: Notice[];
  more: number;
  repeats: boolean;
  /** Steps that hold the first notification back (waits, a closed time gate), in order. */
  before: string[];
  /** Non-empty when the chain notifies nobody: why. */
  nobody: string[];
  /** The chain's steps (live OnCall only), for the text. */
  steps?: EscalationPolicy[];
}

/** Everything the text of a page needs, before or after sending. */
export interface PagePlan {
  kind: 'team' | 'users' | 'responders';
  teamId: string | null;
  integrationId: string | null;
  routeId: string | null;
  chainId: string | null;
  /** Why the new alert group does not escalate (no chain on its route, maintenance), or null. */
  noEscalation: string | null;
  chain: ChainForecast | null;
  users: PagedUser[];
  /** Direct-page notifications already recorded on the alert group (engine timeline). */
  userNotices: Notice[];
  /** False on a live OnCall: nothing recorded is visible. */
  timelineKnown: boolean;
  /** Could not be determined (an upstream failure while looking): said, never hidden. */
  unknowns: string[];
}

const NOT_NOTIFIED_ROLES: ReadonlySet<string> = new Set(['viewer', 'none']);

/** What the chain will do: a simulation where the backend has one, else its steps. */
export async function forecastChain(
  backend: OnCallBackend,
  index: DirectoryIndex,
  chainId: string,
  at: string | undefined,
): Promise<ChainForecast> {
  try {
    const sim = await backend.escalationChains.simulate(chainId, { at, important: false });
    return fromSimulation(chainId, sim.started_at, sim.timeline);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 501)) throw err;
  }
  return fromSteps(backend, index, chainId, at ?? new Date().toISOString());
}

const stepLabel = (item: TimelineItem) => item.text.split(': notifying ')[0] ?? item.text;

function fromSimulation(chainId: string, start: string, timeline: readonly TimelineItem[]): ChainForecast {
  const notices: Notice[] = [];
  const steps: TimelineItem[] = [];
  const failures: string[] = [];
  let more = 0;
  let repeats = false;
  let anyone = false;
  let step: TimelineItem | undefined;
  for (const item of timeline) {
    if (item.step === 'repeat_escalation') {
      repeats = true;
      continue;
    }
    const isStep = item.policy_id !== undefined && item.user_id === undefined;
    if (isStep) {
      step = item;
      if (!repeats) steps.push(item);
    }
    if (item.event === 'escalation_failed' && !repeats) failures.push(item.text);
    // A step that notifies a channel as a whole has no personal notifications to show for it.
    const channelWide = stepFacts(item.step)?.notifies === 'channel' && item.event === 'escalation_triggered';
    if (item.event !== 'notification' && !channelWide) continue;
    anyone = true;
    if (repeats) continue; // the first pass is what a human needs to know; repeats are said in one word
    if (notices.length >= MAX_NOTICES) {
      more += 1;
      continue;
    }
    const fromStep = step !== undefined && step.at === item.at;
    notices.push({
      at: item.at,
      user_id: item.user_id ?? null,
      channel: item.channel ?? (channelWide ? 'slack' : null),
      important: item.important ?? false,
      policy_id: fromStep ? (step?.policy_id ?? null) : null,
      text: channelWide ? item.text : fromStep && step ? stepLabel(step) : 'their own notification rules',
    });
  }
  const first = notices[0]?.at;
  const before = first === undefined ? [] : steps.filter((s) => s.at < first && s.event !== 'escalation_failed').map((s) => s.text);
  const nobody = anyone ? [] : failures.length ? [...new Set(failures)] : [steps.length ? 'none of its steps notifies anyone' : 'the chain has no steps'];
  return { chainId, source: 'simulation', start, notices, more, repeats, before, nobody };
}

/**
 * A live OnCall (no simulation): the shared chain preview (`oncall/chain-preview.ts`, the same one
 * who_is_on_call uses) walks the chain's steps with OnCall's timing, time gates and schedules, and
 * its first pass becomes the forecast.
 */
async function fromSteps(
  backend: OnCallBackend,
  index: DirectoryIndex,
  chainId: string,
  start: string,
): Promise<ChainForecast> {
  const name = (await index.byId('chain')).get(chainId)?.name ?? chainId;
  const via = await previewChain(backend, index, { id: chainId, name }, Date.parse(start));
  const steps = via.steps ?? [];
  const notices: Notice[] = [];
  let more = 0;
  const add = (notice: Notice) => {
    if (notices.length >= MAX_NOTICES) more += 1;
    else notices.push(notice);
  };
  for (const step of steps) {
    if (step.at === null) continue;
    const base = { at: step.at, channel: null, important: step.important, policy_id: step.policy_id };
    for (const person of step.notifies) add({ ...base, user_id: person.id, text: person.how });
  }
  // A Slack user group or channel: notified, though the API does not list who is in it.
  for (const who of via.unlisted) {
    add({ at: via.now_at ?? start, user_id: null, channel: null, important: false, policy_id: null, text: who });
  }
  notices.sort((a, b) => a.at.localeCompare(b.at));
  const first = notices[0]?.at;
  const holdsBack = (s: (typeof steps)[number]) =>
    s.at !== null && (first === undefined || s.at < first) && s.type !== null && !notifiesAnyone(s.type);
  const before = steps.filter(holdsBack).map((s) => s.note ?? s.type!);
  const repeats = steps.some((s) => s.type === 'repeat_escalation');
  const nobody = notices.length ? [] : via.reasons.map((r) => r.message);
  const policies = await collectAll((page) => backend.escalationPolicies.list({ escalation_chain_id: chainId, page }));
  policies.sort((a, b) => a.position - b.position);
  return { chainId, source: 'chain_steps', start, notices, more, repeats, before, nobody, steps: policies };
}

/** The paged people: whether OnCall will notify them at all (a viewer is never notified). */
async function describeUsers(
  backend: OnCallBackend,
  users: readonly { id: string; important: boolean }[],
): Promise<PagedUser[]> {
  return Promise.all(
    users.map(async (u) => {
      let user: User | undefined;
      try {
        user = await backend.users.get(u.id);
      } catch {
        user = undefined;
      }
      const blocked = user && NOT_NOTIFIED_ROLES.has(user.role);
      return {
        user_id: u.id,
        important: u.important,
        can_be_notified: user ? !blocked : null,
        reason: blocked ? `role ${user!.role}: OnCall notifies no ${user!.role === 'none' ? 'user without a role' : 'viewer'}` : null,
      };
    }),
  );
}

/** What the timeline says happened to each paged person since their latest page. */
function userNoticesFrom(timeline: readonly TimelineItem[], users: PagedUser[]): Notice[] {
  const notices: Notice[] = [];
  for (const u of users) {
    let from = -1;
    timeline.forEach((item, i) => {
      if (item.event === 'direct_paging' && item.user_id === u.user_id) from = i;
    });
    if (from < 0) continue;
    for (const item of timeline.slice(from + 1)) {
      if (item.user_id !== u.user_id) continue;
      const base = { at: item.at, user_id: u.user_id, important: item.important ?? u.important, policy_id: null };
      if (item.event === 'notification') {
        notices.push({ ...base, channel: item.channel ?? null, text: 'direct page' });
      } else if (item.event === 'personal_wait') {
        notices.push({ ...base, channel: null, text: item.text });
      } else if (item.event === 'escalation_failed') {
        u.can_be_notified = false;
        u.reason ??= item.text;
      }
    }
  }
  return notices;
}

const importantRoute = (r: Route) => !r.is_the_last_route && (r.routing_regex ?? '').includes('payload.oncall.important');

/**
 * Before sending: the route a team page will take (the team's Direct Paging integration; its
 * "important" route for an important page, else the default route) and what its chain will do.
 */
export async function planBeforeSending(
  backend: OnCallBackend,
  index: DirectoryIndex,
  body: EscalationBody,
): Promise<PagePlan> {
  const users = await describeUsers(backend, body.users ?? []);
  const plan: PagePlan = {
    kind: body.alert_group_id ? 'responders' : body.team ? 'team' : 'users',
    teamId: body.alert_group_id ? null : (body.team ?? null),
    integrationId: null,
    routeId: null,
    chainId: null,
    noEscalation: null,
    chain: null,
    users,
    userNotices: [],
    timelineKnown: false,
    unknowns: [],
  };
  if (plan.kind === 'responders') return plan;
  const teamId = body.team ?? null;
  const integration = (await collectAll((page) => backend.integrations.list({ page }))).find(
    (i) => i.type === 'direct_paging' && i.team_id === teamId,
  );
  if (!integration) {
    plan.noEscalation = 'its Direct Paging integration does not exist yet; OnCall creates it without an escalation chain';
    return plan;
  }
  plan.integrationId = integration.id;
  const routes = await collectAll((page) => backend.routes.list({ integration_id: integration.id, page }));
  const route = (body.important_team_escalation ? routes.find(importantRoute) : undefined)
    ?? routes.find((r) => r.is_the_last_route);
  const chainId = route?.escalation_chain_id ?? null;
  await followRoute(backend, index, plan, route?.id ?? null, chainId, integration.maintenance_mode, undefined);
  return plan;
}

/** After sending: what OnCall did with the page, from the alert group it answered with. */
export async function planAfterSending(
  backend: OnCallBackend,
  index: DirectoryIndex,
  body: EscalationBody,
  group: AlertGroup,
): Promise<PagePlan> {
  const plan: PagePlan = {
    kind: body.alert_group_id ? 'responders' : body.team ? 'team' : 'users',
    teamId: body.alert_group_id ? null : (body.team ?? null),
    integrationId: group.integration_id,
    routeId: group.route_id,
    chainId: null,
    noEscalation: null,
    chain: null,
    users: [],
    userNotices: [],
    timelineKnown: false,
    unknowns: [],
  };
  const [users, timeline] = await Promise.all([
    describeUsers(backend, body.users ?? []),
    backend.alertGroups.timeline(group.id).catch((err: unknown) => {
      plan.unknowns.push(`its timeline could not be read (${err instanceof Error ? err.message : String(err)})`);
      return [] as TimelineItem[];
    }),
  ]);
  plan.users = users;
  plan.timelineKnown = timeline.length > 0;
  plan.userNotices = userNoticesFrom(timeline, users);
  if (plan.kind === 'responders') return plan;
  // The engine says itself when the group will not escalate (no chain, maintenance).
  const stopped = timeline.find((i) => i.event === 'escalation_finished' && i.text.startsWith('No escalation'));
  let chainId: string | null = null;
  let maintenance: string | null = null;
  try {
    const [route, integration] = await Promise.all([
      group.route_id ? backend.routes.get(group.route_id) : Promise.resolve(undefined),
      backend.integrations.get(group.integration_id),
    ]);
    chainId = route?.escalation_chain_id ?? null;
    maintenance = integration.maintenance_mode;
  } catch (err) {
    plan.unknowns.push(`its route could not be read (${err instanceof Error ? err.message : String(err)})`);
    return plan;
  }
  await followRoute(backend, index, plan, group.route_id, chainId, maintenance, group.created_at);
  if (stopped && !plan.noEscalation) plan.noEscalation = `the engine holds its escalation (${stopped.text})`;
  return plan;
}

async function followRoute(
  backend: OnCallBackend,
  index: DirectoryIndex,
  plan: PagePlan,
  routeId: string | null,
  chainId: string | null,
  maintenance: string | null,
  at: string | undefined,
): Promise<void> {
  plan.routeId = routeId;
  plan.chainId = chainId;
  if (maintenance) {
    plan.noEscalation = `its Direct Paging integration is in ${maintenance} mode, which holds escalations`;
    return;
  }
  if (!chainId) {
    plan.noEscalation = 'the route of its Direct Paging integration has no escalation chain';
    return;
  }
  try {
    plan.chain = await forecastChain(backend, index, chainId, at);
  } catch (err) {
    plan.unknowns.push(`what chain ${chainId} will do could not be read (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Whether anyone at all will hear about it; unknown counts as someone (never claim "nobody" on a guess). */
export function nobodyNotified(plan: PagePlan): boolean {
  if (plan.unknowns.length) return false;
  const chainReaches = plan.chain !== null && plan.chain.nobody.length === 0;
  const usersReached = plan.users.some((u) => u.can_be_notified !== false);
  return !chainReaches && !usersReached;
}

/**
 * The reasons, one per cause, for the structured answer: for a team page what stops its chain; for
 * people, who of them will not be notified; and whatever could not be found out.
 */
export function nobodyReasons(plan: PagePlan): string[] {
  const reasons: string[] = [];
  if (plan.kind === 'team') {
    if (plan.noEscalation) reasons.push(plan.noEscalation);
    else if (plan.chain?.nobody.length) reasons.push(`chain ${plan.chain.chainId} notifies nobody: ${plan.chain.nobody.join('; ')}`);
  }
  for (const u of plan.users) if (u.can_be_notified === false) reasons.push(`${u.user_id}: ${u.reason ?? 'cannot be notified'}`);
  return [...reasons, ...plan.unknowns.map((u) => `unknown: ${u}`)];
}

/** The structured delivery report of a page just sent. */
export function deliveryOf(plan: PagePlan): Delivery {
  const notices = [...plan.userNotices, ...(plan.chain?.notices ?? [])].sort((a, b) => a.at.localeCompare(b.at));
  return {
    sent: true,
    duplicate: null,
    nobody_notified: nobodyNotified(plan),
    reasons: nobodyReasons(plan),
    escalation_chain_id: plan.chainId,
    forecast: plan.chain?.source ?? 'none',
    first_notifications: notices.slice(0, MAX_NOTICES),
    more_notifications: Math.max(0, notices.length - MAX_NOTICES) + (plan.chain?.more ?? 0),
    held_back_by: plan.chain?.before ?? [],
    deliveries_visible: plan.timelineKnown,
    chain_repeats: plan.chain?.repeats ?? false,
    users: plan.users,
  };
}
