/**
 * What an escalation chain would do for an alert at an instant, read from the API alone (its
 * steps, the schedules' final shifts, the directory): every step in order with when it would run
 * and whom it would notify, the time gates open or closed (and when they open), and the first
 * notifications. It follows the engine's timing (oncall-engine.md §3): the first step 1 s after the
 * alert, 5 s after each non-wait step, a wait's own delay, a closed time gate waiting for its window.
 *
 * It changes nothing. Who a round robin picks next is not in the API's step shape; it comes from
 * `current_oncall` when the backend has it (Cloud IRM, the engine) and the answer is unambiguous,
 * otherwise the step says "one of …". Slack user groups and channels are resolved in Slack: the
 * API does not list their members, so they are reported as notified but unlisted, never as nobody.
 */
import type { OnCallBackend } from '../../api/backend.js';
import { formatSeconds } from '../../api/durations.js';
import { collectAll } from '../../api/pagination.js';
import type { ChainOnCall, EscalationPolicy } from '../../api/types.js';
import { formatInstant } from '../format.js';
import type { DirectoryIndex, Entry } from '../lookup/directory-index.js';
import { isoZ, type LoadedSchedule, loadStretches, LOOKAHEAD_DAYS } from './schedule-answer.js';
import { type Stretch, viewAt } from './stretches.js';
import type { OnCallPerson, PreviewStep, Reason, Via } from './types.js';

const SECOND = 1000;
const DAY = 86_400_000;
const FIRST_STEP_DELAY = 1 * SECOND;
const STEP_GAP = 5 * SECOND;
const DEFAULT_WAIT = 300;
/** How far `notify_next_on_call_from_schedule` looks ahead. */
const NEXT_ON_CALL_LOOKAHEAD = 14 * DAY;

export const NOTIFY_TYPES: ReadonlySet<string> = new Set([
  'notify_persons',
  'notify_person_next_each_time',
  'notify_on_call_from_schedule',
  'notify_next_on_call_from_schedule',
  'notify_user_group',
  'notify_team_members',
  'notify_whole_channel',
]);
const SCHEDULE_TYPES: ReadonlySet<string> = new Set(['notify_on_call_from_schedule', 'notify_next_on_call_from_schedule']);

export interface ChainRef {
  id: string;
  name: string;
}

export interface PreviewOptions {
  /** The zone local times are shown in beside UTC (a schedule's, the team's). */
  zone?: string | null;
}

// ---- time gates (UTC time of day, oncall-engine.md §3.4) ----

function secondsOfDay(text: string | null | undefined): number | undefined {
  const m = text ? /^(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(text) : null;
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0) : undefined;
}

const shortTime = (text: string) => text.replace(/Z$/, '').replace(/:00$/, '');

export function gateOpen(from: number, to: number, at: number): boolean {
  const now = Math.floor((at % DAY) / SECOND);
  if (from < to) return from <= now && now < to;
  if (from > to) return now >= from || now < to;
  return now === from;
}

/** The next instant after `at` at the given time of day. */
function nextTimeOfDay(seconds: number, at: number): number {
  const today = at - (at % DAY) + seconds * SECOND;
  return today > at ? today : today + DAY;
}

// ---- what the preview reads before it walks ----

interface Loaded {
  policies: EscalationPolicy[];
  users: ReadonlyMap<string, Entry>;
  userEntries: readonly Entry[];
  schedules: ReadonlyMap<string, Entry>;
  groups: ReadonlyMap<string, Entry>;
  webhooks: ReadonlyMap<string, Entry>;
  teams: ReadonlyMap<string, Entry>;
  stretches: Map<string, LoadedSchedule | null>;
  /** Round-robin policy id → who it picks next, when known. */
  roundRobinNext: Map<string, string>;
}

const canBeNotified = (entry: Entry | undefined) => entry !== undefined && entry.role !== 'viewer' && entry.role !== 'none';

/** The round robin's queue: by username, then id, in code-point order (oncall-engine.md §3.3). */
function roundRobinQueue(users: ReadonlyMap<string, Entry>, ids: readonly string[]): Entry[] {
  return ids
    .map((id) => users.get(id))
    .filter((e): e is Entry => e !== undefined)
    .sort((a, b) => (a.name !== b.name ? (a.name < b.name ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The steps `current_oncall` reads for the chain at `now`: from the first acting step up to the next
 * wait, leading waits skipped, a closed time gate, the alert-count gate, resolve and repeat ending
 * it (the engine's rule, so its answer can be matched to steps).
 */
function currentOncallBatch(policies: readonly EscalationPolicy[], now: number): EscalationPolicy[] {
  const batch: EscalationPolicy[] = [];
  for (const p of policies) {
    if (p.type === null) continue;
    if (p.type === 'wait') {
      if (batch.length) break;
      continue;
    }
    if (p.type === 'resolve' || p.type === 'repeat_escalation' || p.type === 'notify_if_num_alerts_in_window') break;
    if (p.type === 'notify_if_time_from_to') {
      const from = secondsOfDay(p.notify_if_time_from);
      const to = secondsOfDay(p.notify_if_time_to);
      if (from !== undefined && to !== undefined && !gateOpen(from, to, now)) break;
      continue;
    }
    batch.push(p);
  }
  return batch;
}

async function stretchesFor(
  backend: OnCallBackend,
  cache: Map<string, LoadedSchedule | null>,
  scheduleId: string,
  at: number,
): Promise<LoadedSchedule | null> {
  const cached = cache.get(scheduleId);
  if (cached !== undefined && (cached === null || (cached.from <= at && at + NEXT_ON_CALL_LOOKAHEAD < cached.to))) {
    return cached;
  }
  try {
    const loaded = await loadStretches(backend, scheduleId, at, LOOKAHEAD_DAYS);
    cache.set(scheduleId, loaded);
    return loaded;
  } catch {
    cache.set(scheduleId, null); // a deleted or unreadable schedule: the step says so
    return null;
  }
}

/**
 * Who each round robin of the current batch picks next, from `current_oncall`: its answer is the
 * union of the batch's people, so a queue member it names is the round robin's pick only when no
 * other step of the batch could have named them too.
 */
async function roundRobinPicks(
  backend: OnCallBackend,
  loaded: Omit<Loaded, 'roundRobinNext'>,
  now: number,
): Promise<Map<string, string>> {
  const picks = new Map<string, string>();
  const batch = currentOncallBatch(loaded.policies, now);
  const robins = batch.filter((p) => p.type === 'notify_person_next_each_time');
  if (!robins.length) return picks;
  if (batch.some((p) => p.type === 'notify_user_group' || p.type === 'notify_whole_channel')) return picks;
  let current: ChainOnCall;
  try {
    current = await backend.escalationChains.currentOncall(robins[0]!.escalation_chain_id);
  } catch {
    return picks; // self-hosted OnCall has no current_oncall: the step says "one of …"
  }
  const answered = new Set(current.users.map((u) => u.id));
  // Its own cache: the preview's windows start at `at`, which may be far from now.
  const atNow = new Map<string, LoadedSchedule | null>();
  for (const robin of robins) {
    const others = new Set<string>();
    for (const p of batch) {
      if (p === robin) continue;
      if (p.type === 'notify_persons') for (const id of p.persons_to_notify ?? []) others.add(id);
      if (p.type === 'notify_person_next_each_time') for (const id of p.persons_to_notify_next_each_time ?? []) others.add(id);
      if (p.type === 'notify_team_members') {
        for (const u of loaded.userEntries) {
          if (p.team_to_notify && u.teamIds?.includes(p.team_to_notify)) others.add(u.id);
        }
      }
      if (p.type && SCHEDULE_TYPES.has(p.type) && p.notify_on_call_from_schedule) {
        const s = await stretchesFor(backend, atNow, p.notify_on_call_from_schedule, now);
        for (const id of s?.people.keys() ?? []) others.add(id);
      }
    }
    const queue = robin.persons_to_notify_next_each_time ?? [];
    const candidates = queue.filter((id) => answered.has(id) && !others.has(id));
    if (candidates.length === 1) picks.set(robin.id, candidates[0]!);
  }
  return picks;
}

async function load(
  backend: OnCallBackend,
  index: DirectoryIndex,
  chainId: string,
  at: number,
): Promise<Loaded> {
  const [policies, users, userEntries, schedules, groups, webhooks, teams] = await Promise.all([
    collectAll((page) => backend.escalationPolicies.list({ escalation_chain_id: chainId, page })),
    index.byId('user'),
    index.entries('user'),
    index.byId('schedule'),
    index.byId('userGroup'),
    index.byId('webhook'),
    index.byId('team'),
  ]);
  policies.sort((a, b) => a.position - b.position);
  const stretches = new Map<string, LoadedSchedule | null>();
  const used = policies.filter((p) => p.type && SCHEDULE_TYPES.has(p.type)).map((p) => p.notify_on_call_from_schedule);
  await Promise.all(
    [...new Set(used)].filter((id): id is string => !!id).map((id) => stretchesFor(backend, stretches, id, at)),
  );
  const base = { policies, users, userEntries, schedules, groups, webhooks, teams, stretches };
  return { ...base, roundRobinNext: await roundRobinPicks(backend, base, backend.now()) };
}

// ---- the walk ----

interface Walked {
  step: PreviewStep;
  /** The escalation stops or waits after this step (a wait, a closed gate, a pause, the end). */
  holds: boolean;
  /** A closed time gate: when it opens. */
  gateOpensAt?: number;
  /** An open time gate: when it closes, and when it opens again after that. */
  gateClosesAt?: number;
  gateReopensAt?: number;
  /** A time gate's window, `08:00–17:00 UTC`. */
  gateWindow?: string;
  pauses?: boolean;
  unlisted: string[];
  blocked: string[];
  uncertain?: string[];
  schedule?: { id: string; stretch: Stretch | undefined; loaded: LoadedSchedule | null };
}

function walk(loaded: Loaded, at: number, zone: string | null): Walked[] {
  const when = (ms: number) => formatInstant(isoZ(ms), zone);
  const out: Walked[] = [];
  let t = at + FIRST_STEP_DELAY;
  let halted: string | null = null;
  for (const p of loaded.policies) {
    const step: PreviewStep = {
      position: p.position,
      policy_id: p.id,
      type: p.type,
      at: halted ? null : isoZ(t),
      important: p.important ?? false,
      notifies: [],
      note: null,
    };
    const w: Walked = { step, holds: false, unlisted: [], blocked: [] };
    out.push(w);
    // Steps after a pause, a resolve or a repeat still say what they would do, without a time.
    const haltedBefore = halted;
    const people = (ids: readonly string[], how: string, maybe = false) => {
      for (const id of ids) {
        const entry = loaded.users.get(id);
        if (!canBeNotified(entry)) {
          w.blocked.push(entry ? `${entry.name} (${entry.role})` : id);
          continue;
        }
        if (step.notifies.some((n) => n.id === id)) continue;
        step.notifies.push({ id, username: entry!.name, how, ...(maybe ? { maybe } : {}) });
      }
    };
    const scheduleName = (id: string) => loaded.schedules.get(id)?.name ?? id;
    let next = t + STEP_GAP;
    switch (p.type) {
      case null:
        step.note = 'no type set: does nothing';
        break;
      case 'wait': {
        const seconds = p.duration ?? DEFAULT_WAIT;
        step.note = p.duration == null ? 'duration not set: waits the 5m default' : `waits ${formatSeconds(seconds)}`;
        next = t + seconds * SECOND;
        w.holds = true;
        break;
      }
      case 'notify_persons':
        people(p.persons_to_notify ?? [], 'named in the step');
        step.note = (p.persons_to_notify ?? []).length
          ? 'notify the people named in the step'
          : 'names nobody: the step fails and the escalation goes on';
        break;
      case 'notify_person_next_each_time': {
        const queue = roundRobinQueue(loaded.users, p.persons_to_notify_next_each_time ?? []);
        const pick = loaded.roundRobinNext.get(p.id);
        const names = queue.map((e) => e.name).join(', ');
        if (!queue.length) step.note = 'round robin of nobody: the step fails and the escalation goes on';
        else if (queue.length === 1) {
          people([queue[0]!.id], 'the round robin\'s only person');
          step.note = `round robin of ${names} alone`;
        } else if (pick) {
          people([pick], `next in the round robin of ${names}`);
          step.note = `round robin of ${names}: ${loaded.users.get(pick)?.name ?? pick} is next`;
        } else {
          people(queue.map((e) => e.id), `round robin: one of ${names}`, true);
          step.note = `round robin: one of ${names}, in turn (who is next depends on earlier alerts)`;
          w.uncertain = queue.map((e) => e.name);
        }
        break;
      }
      case 'notify_on_call_from_schedule':
      case 'notify_next_on_call_from_schedule': {
        const id = p.notify_on_call_from_schedule;
        if (!id) {
          step.note = 'no schedule set: the step fails and the escalation goes on';
          break;
        }
        const s = loaded.stretches.get(id) ?? null;
        const name = scheduleName(id);
        if (!s) {
          step.note = `schedule "${name}" (${id}) could not be read: it may have been deleted`;
          break;
        }
        if (t + NEXT_ON_CALL_LOOKAHEAD >= s.to) {
          step.note = `whoever is on call in "${name}" then (${when(t)} is beyond the ${LOOKAHEAD_DAYS} days looked at)`;
          break;
        }
        const view = viewAt(s.stretches, t);
        let stretch: Stretch | undefined;
        if (p.type === 'notify_on_call_from_schedule') {
          stretch = view.current;
          step.note = stretch
            ? `on call in "${name}" until ${stretch.end < s.to ? when(stretch.end) : `after ${when(s.to)}`}`
            : `nobody on call in "${name}" (a gap${view.next ? ` until ${when(view.next.start)}` : ''}): the step fails and the escalation goes on`;
        } else {
          const now = view.current?.users ?? [];
          stretch = s.stretches.find(
            (x) => x.start > t && x.start <= t + NEXT_ON_CALL_LOOKAHEAD && x.users.join() !== now.join(),
          );
          step.note = stretch
            ? `next on call in "${name}", from ${when(stretch.start)}`
            : `nobody comes on next in "${name}" within 14 days: the step fails and the escalation goes on`;
        }
        if (stretch) people(stretch.users, p.type === 'notify_on_call_from_schedule' ? `on call in "${name}"` : `next on call in "${name}"`);
        w.schedule = { id, stretch, loaded: s };
        break;
      }
      case 'notify_user_group': {
        const group = p.group_to_notify ? loaded.groups.get(p.group_to_notify) : undefined;
        const label = group ? group.name : (p.group_to_notify ?? '(not set)');
        if (!p.group_to_notify) step.note = 'no user group set: the step fails and the escalation goes on';
        else {
          w.unlisted.push(`the members of Slack user group ${label}`);
          step.note = `the members of Slack user group ${label} (Slack resolves them; the API does not list them)`;
        }
        break;
      }
      case 'notify_team_members': {
        const team = p.team_to_notify;
        if (!team) {
          step.note = 'no team set: the step fails and the escalation goes on';
          break;
        }
        const teamName = loaded.teams.get(team)?.name ?? team;
        people(loaded.userEntries.filter((u) => u.teamIds?.includes(team)).map((u) => u.id), `member of team ${teamName}`);
        step.note = `every member of team ${teamName}`;
        break;
      }
      case 'notify_whole_channel':
        w.unlisted.push('everyone in the route\'s Slack channel');
        step.note = 'everyone in the route\'s Slack channel (Slack resolves them)';
        break;
      case 'trigger_webhook': {
        const hook = p.action_to_trigger ? loaded.webhooks.get(p.action_to_trigger) : undefined;
        step.note = p.action_to_trigger
          ? `webhook "${hook?.name ?? p.action_to_trigger}" (notifies no person)`
          : 'no webhook set: the step fails and the escalation goes on';
        break;
      }
      case 'resolve':
        step.note = 'resolves the alert group: the escalation stops';
        halted ??= 'never (the chain resolves the alert group before)';
        w.holds = true;
        break;
      case 'notify_if_time_from_to': {
        const from = secondsOfDay(p.notify_if_time_from);
        const to = secondsOfDay(p.notify_if_time_to);
        if (from === undefined || to === undefined) {
          step.note = 'time window not set: the step fails and the escalation goes on';
          break;
        }
        const window = `${shortTime(p.notify_if_time_from!)}–${shortTime(p.notify_if_time_to!)} UTC`;
        w.gateWindow = window;
        if (gateOpen(from, to, t)) {
          w.gateClosesAt = from === to ? t + SECOND : nextTimeOfDay(to, t);
          w.gateReopensAt = nextTimeOfDay(from, w.gateClosesAt);
          step.note = `time gate ${window} is open (until ${when(w.gateClosesAt)}): the escalation goes on`;
        } else {
          w.gateOpensAt = nextTimeOfDay(from, t);
          next = w.gateOpensAt;
          w.holds = true;
          step.note = `time gate ${window} is closed: the escalation waits until ${when(w.gateOpensAt)}`;
        }
        break;
      }
      case 'notify_if_num_alerts_in_window': {
        const threshold = p.num_alerts_in_window;
        const minutes = p.num_minutes_in_window;
        if (threshold == null || minutes == null) {
          step.note = 'alert-count condition not set: the step fails and the escalation goes on';
          break;
        }
        if (threshold >= 1) {
          step.note = `pauses until more than ${threshold} alerts arrive within ${minutes} min (one alert is not enough)`;
          halted ??= `only after more than ${threshold} alerts within ${minutes} min`;
          w.pauses = true;
          w.holds = true;
        } else step.note = `more than ${threshold} alerts within ${minutes} min: goes on`;
        break;
      }
      case 'repeat_escalation':
        step.note = 'repeats from the first step, up to 5 times';
        halted ??= 'only after the chain has repeated 5 times';
        w.holds = true;
        break;
      case 'declare_incident':
        step.note = `declares an incident${p.severity ? ` (severity ${p.severity})` : ''} if Grafana Incident is enabled (not on a default route)`;
        break;
    }
    t = next;
    if (haltedBefore) {
      step.note = `${haltedBefore}: ${step.note ?? step.type ?? 'unset'}`;
      w.holds = false;
      w.unlisted = [];
    }
  }
  return out;
}

const dedupe = (people: OnCallPerson[]) => people.filter((p, i) => people.findIndex((q) => q.id === p.id) === i);

/** The preview of a chain for an alert at `at`, as one source of an on-call answer. */
export async function previewChain(
  backend: OnCallBackend,
  index: DirectoryIndex,
  chain: ChainRef,
  at: number,
  options: PreviewOptions = {},
): Promise<Via> {
  const loaded = await load(backend, index, chain.id, at);
  // Local times in the zone of the first schedule the chain uses, unless the caller knows better.
  const firstSchedule = loaded.policies.find((p) => p.type && SCHEDULE_TYPES.has(p.type))?.notify_on_call_from_schedule;
  const zone = options.zone ?? (firstSchedule ? loaded.schedules.get(firstSchedule)?.timeZone : null) ?? null;
  const when = (ms: number) => formatInstant(isoZ(ms), zone);
  const walked = walk(loaded, at, zone);
  const reasons: Reason[] = [];
  const reason = (code: Reason['code'], message: string) => {
    if (!reasons.some((r) => r.code === code && r.message === message)) reasons.push({ code, message });
  };
  const label = `chain "${chain.name}"`;
  const Label = `Chain "${chain.name}"`;

  // The first batch: the first notify step that reaches someone, and the steps after it that run
  // before the escalation next holds.
  const firstIndex = walked.findIndex(
    (w) =>
      w.step.at !== null
      && w.step.type !== null
      && NOTIFY_TYPES.has(w.step.type)
      && (w.step.notifies.length > 0 || w.unlisted.length > 0),
  );
  const batch: Walked[] = [];
  if (firstIndex >= 0) {
    for (const w of walked.slice(firstIndex)) {
      batch.push(w);
      if (w.holds) break;
    }
  }
  const before = firstIndex >= 0 ? walked.slice(0, firstIndex) : walked.filter((w) => w.step.at !== null);
  const closedGate = before.find((w) => w.gateOpensAt !== undefined);
  const openGate = before.find((w) => w.gateClosesAt !== undefined);
  const pause = before.find((w) => w.pauses);
  const first = dedupe(batch.flatMap((w) => w.step.notifies));
  const firstAt = firstIndex >= 0 ? walked[firstIndex]!.step.at : null;
  const unlisted = [...new Set(batch.flatMap((w) => w.unlisted))];

  if (!loaded.policies.length) reason('no_steps', `${Label} has no steps: an alert routed to it notifies nobody.`);
  else if (!loaded.policies.some((p) => p.type && NOTIFY_TYPES.has(p.type))) {
    reason('no_notify_step', `${Label} has no step that notifies anyone (${loaded.policies.map((p) => p.type ?? 'unset').join(', ')}): an alert routed to it notifies nobody.`);
  } else if (firstIndex < 0 && pause) {
    reason('alert_count_gate', `${Label} ${pause.step.note} at step [${pause.step.position}] before notifying anyone: a single alert notifies nobody.`);
  } else if (firstIndex < 0) {
    const notes = walked.filter((w) => w.step.type && NOTIFY_TYPES.has(w.step.type) && w.step.note).map((w) => `[${w.step.position}] ${w.step.note}`);
    reason('nobody_resolved', `${Label} would notify nobody for an alert at ${when(at)}: ${notes.join('; ')}.`);
  }
  if (closedGate && firstIndex >= 0) {
    reason('time_gate_closed', `An alert at ${when(at)} notifies nobody yet: step [${closedGate.step.position}] of ${label} is a time gate (${closedGate.gateWindow}), closed then; the escalation waits until ${when(closedGate.gateOpensAt!)} before its first notification.`);
  }
  if (openGate && !closedGate && firstIndex >= 0) {
    reason('time_gate_closes', `Step [${openGate.step.position}] of ${label} is a time gate (${openGate.gateWindow}), open until ${when(openGate.gateClosesAt!)}; an alert after that waits until ${when(openGate.gateReopensAt!)} before anyone is notified.`);
  }
  for (const w of batch) {
    if (w.uncertain) reason('round_robin', `Step [${w.step.position}] notifies one of ${w.uncertain.join(', ')} in turn; who is next depends on earlier alerts (current_oncall names them only while the step would run right now).`);
  }
  if (unlisted.length) reason('unlisted_people', `${Label} also notifies ${unlisted.join(' and ')}: Slack resolves who they are.`);
  const blocked = [...new Set(walked.flatMap((w) => w.blocked))];
  if (blocked.length) reason('cannot_be_notified', `${blocked.join(', ')} cannot be notified (viewers and users without a role are skipped, or the user no longer exists).`);

  // Until when the first notifications stay the same, and who comes next: through the first
  // schedule the batch (or else the chain) uses.
  const ends = batch.flatMap((w) => {
    const end = w.schedule?.stretch?.end;
    return end !== undefined && w.schedule?.loaded && end < w.schedule.loaded.to ? [end] : [];
  });
  if (openGate?.gateClosesAt && !closedGate) ends.push(openGate.gateClosesAt);
  const waiting = closedGate !== undefined && firstIndex >= 0;
  let next: OnCallPerson[] = [];
  let from: string | null = null;
  let nextUntil: string | null = null;
  if (waiting) {
    next = first;
    from = firstAt;
  } else {
    const scheduled = batch.find((w) => w.schedule?.loaded) ?? walked.find((w) => w.schedule?.loaded);
    if (scheduled?.schedule?.loaded) {
      const s = scheduled.schedule.loaded;
      const base = scheduled.step.at ? Date.parse(scheduled.step.at) : at;
      const after = scheduled.schedule.stretch?.end ?? base;
      const coming = s.stretches.find((x) => x.start >= after && x.start > base);
      if (coming) {
        const name = loaded.schedules.get(scheduled.schedule.id)?.name ?? scheduled.schedule.id;
        next = coming.users.map((id) => ({ id, username: s.people.get(id)?.username ?? id, how: `on call in "${name}"` }));
        from = isoZ(coming.start);
        nextUntil = coming.end < s.to ? isoZ(coming.end) : null;
      }
    } else if (loaded.policies.some((p) => p.type && NOTIFY_TYPES.has(p.type))) {
      reason('no_schedule_step', `${Label} uses no schedule, so who it notifies does not change with shifts (a round robin moves with each alert): there is no "next" shift to show.`);
    }
  }

  return {
    kind: 'escalation_chain',
    id: chain.id,
    name: chain.name,
    time_zone: zone,
    now: waiting ? [] : first,
    now_at: waiting ? null : firstAt,
    until: !waiting && first.length && ends.length ? isoZ(Math.min(...ends)) : null,
    next,
    from,
    next_until: nextUntil,
    unlisted: waiting ? [] : unlisted,
    reasons,
    steps: walked.map((w) => w.step),
  };
}
