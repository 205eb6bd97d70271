/**
 * The organisation as lint reads it: one list read per resource (through the shared directory
 * index where it already holds the kind), then per-object reads (final shifts, a person's rules, a
 * webhook's responses) on demand, each at most once per call. Only `OnCallBackend` reads, so lint
 * runs the same on the embedded engine, a live OnCall and a dry-run sandbox.
 */
import type { OnCallBackend } from '../../../api/backend.js';
import { collectAll } from '../../../api/pagination.js';
import type {
  EscalationChain,
  EscalationPolicy,
  Integration,
  PersonalNotificationRule,
  Route,
  Webhook,
  WebhookResponse,
} from '../../../api/types.js';
import type { DirectoryIndex, Entry } from '../../lookup/directory-index.js';
import { type LoadedSchedule, loadStretches } from '../../oncall/schedule-answer.js';
import { findScheduleGaps, type ScheduleGap } from '../schedule-gaps.js';

const DAY = 86_400_000;

export interface Org {
  backend: OnCallBackend;
  now: number;
  days: number;
  window: { from: number; to: number };
  integrations: Integration[];
  routes: Route[];
  chains: EscalationChain[];
  /** Steps by chain id, in position order. */
  steps: Map<string, EscalationPolicy[]>;
  webhooks: Webhook[];
  users: ReadonlyMap<string, Entry>;
  userList: readonly Entry[];
  teams: ReadonlyMap<string, Entry>;
  schedules: ReadonlyMap<string, Entry>;
  groups: ReadonlyMap<string, Entry>;
  /** Whether a directory kind loaded (absence from an unloaded one proves nothing). */
  loaded: { users: boolean; schedules: boolean; groups: boolean; teams: boolean };
  /** The schedule's final shifts over the window; null when unreadable. */
  shifts(scheduleId: string): Promise<LoadedSchedule | null>;
  gaps(scheduleId: string): Promise<ScheduleGap[] | null>;
  /** Someone's notification rules (both lists); null when this token cannot read them. */
  rules(userId: string): Promise<PersonalNotificationRule[] | null>;
  /** A webhook's latest responses, newest first; null when unreadable. */
  responses(webhookId: string): Promise<WebhookResponse[] | null>;
  /** Things the rules could not read, said once each. */
  unchecked: Set<string>;
}

function memo<T>(load: (id: string) => Promise<T>): (id: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (id) => {
    let hit = cache.get(id);
    if (!hit) cache.set(id, (hit = load(id)));
    return hit;
  };
}

const orNull = async <T>(p: Promise<T>): Promise<T | null> => {
  try {
    return await p;
  } catch {
    return null;
  }
};

export async function loadOrg(
  backend: OnCallBackend,
  index: DirectoryIndex,
  days: number,
  signal?: AbortSignal,
): Promise<Org> {
  const now = backend.now();
  const window = { from: now, to: now + days * DAY };
  const lists = await Promise.all([
    collectAll((page) => backend.integrations.list({ page, perpage: 100 })),
    collectAll((page) => backend.routes.list({ page, perpage: 100 })),
    collectAll((page) => backend.escalationChains.list({ page, perpage: 100 })),
    collectAll((page) => backend.escalationPolicies.list({ page, perpage: 100 })),
    orNull(collectAll((page) => backend.webhooks.list({ page, perpage: 100 }))),
    index.byId('user'),
    index.entries('user'),
    index.byId('team'),
    index.byId('schedule'),
    index.byId('userGroup'),
  ]);
  const [integrations, routes, chains, policies, webhooks, users, userList, teams, schedules, groups] = lists;
  const loaded = {
    users: await index.loadedOk('user'),
    schedules: await index.loadedOk('schedule'),
    groups: await index.loadedOk('userGroup'),
    teams: await index.loadedOk('team'),
  };
  const steps = new Map<string, EscalationPolicy[]>(chains.map((c) => [c.id, []]));
  for (const p of [...policies].sort((a, b) => a.position - b.position)) {
    const list = steps.get(p.escalation_chain_id);
    if (list) list.push(p);
    else steps.set(p.escalation_chain_id, [p]);
  }
  const unchecked = new Set<string>();
  if (webhooks === null) unchecked.add('webhooks: this token cannot list them');
  return {
    backend,
    now,
    days,
    window,
    integrations,
    routes,
    chains,
    steps,
    webhooks: webhooks ?? [],
    users,
    userList,
    teams,
    schedules,
    groups,
    loaded,
    unchecked,
    shifts: memo((id) => orNull(loadStretches(backend, id, now, days))),
    gaps: memo((id) => orNull(findScheduleGaps(backend, id, window, signal))),
    rules: memo((id) =>
      orNull(collectAll((page) => backend.personalNotificationRules.list({ user_id: id, page, perpage: 100 }))),
    ),
    responses: memo(async (id) => orNull(backend.webhooks.responses(id, { perpage: 5 }).then((p) => p.results))),
  };
}
