/**
 * What an escalation chain would do for an alert at an instant, read from the API alone (its
 * steps, the schedules' final shifts, the directory): every step in order with when it would run
 * and whom it would notify, the time gates open or closed (and when they open), and the first
 * notifications. It follows the engine's timing (semantics.md §4): the first step 1 s after the
 * alert, 5 s after each non-wait step, a wait's own delay, a closed time gate waiting for its window.
 *
 * It changes nothing. Who a round robin picks next is not in the API's step shape; it comes from
 * `current_oncall` when the backend has it (Cloud IRM, the engine) and the answer is unambiguous,
 * otherwise the step says "one of …". Slack user groups and channels are resolved in Slack: the
 * API does not list their members, so they are reported as notified but unlisted, never as nobody.
 */
import type { OnCallBackend } from '../../api/backend.js';
import { collectAll } from '../../api/pagination.js';
import { notifiesAnyone, targets } from '../../api/step-types.js';
import type { ChainOnCall, EscalationPolicy } from '../../api/types.js';
import { formatInstant } from '../format.js';
import type { DirectoryIndex, Entry } from '../lookup/directory-index.js';
import { type Candidates, knownStep, type PreviewWalk, TOOL_STEPS } from '../step-types.js';
import { isoZ, type LoadedSchedule, loadStretches } from './schedule-answer.js';
import type { Stretch } from './stretches.js';
import { FIRST_STEP_DELAY, LOOKAHEAD_DAYS, NEXT_ON_CALL_LOOKAHEAD, STEP_GAP } from './timing.js';
import type { OnCallPerson, PreviewStep, Reason, Via } from './types.js';

export interface ChainRef {
  id: string;
  name: string;
}

export interface PreviewOptions {
  /** The zone local times are shown in beside UTC (a schedule's, the team's). */
  zone?: string | null;
}

// ---- what the preview reads before it walks ----

export interface Loaded {
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

/**
 * The steps `current_oncall` reads for the chain at `now`: from the first acting step up to the next
 * wait, leading waits skipped, a closed time gate, the alert-count gate, resolve and repeat ending
 * it (the engine's rule, so its answer can be matched to steps).
 */
function currentOncallBatch(policies: readonly EscalationPolicy[], now: number): EscalationPolicy[] {
  const batch: EscalationPolicy[] = [];
  for (const p of policies) {
    if (p.type === null) continue;
    // A step type this server does not know: its effect cannot be read, so it is passed over.
    const part = knownStep(p.type) ? TOOL_STEPS[p.type].batch(p, now) : 'pass';
    if (part === 'pass') continue;
    if (part === 'wait') {
      if (batch.length) break;
      continue;
    }
    if (part === 'stop') break;
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
  // A Slack user group or channel may name anyone: the answer cannot be matched to a step.
  if (batch.some((p) => p.type !== null && knownStep(p.type)?.candidates === 'unlisted')) return picks;
  let current: ChainOnCall;
  try {
    current = await backend.escalationChains.currentOncall(robins[0]!.escalation_chain_id);
  } catch {
    return picks; // self-hosted OnCall has no current_oncall: the step says "one of …"
  }
  const answered = new Set(current.users.map((u) => u.id));
  // Its own cache: the preview's windows start at `at`, which may be far from now.
  const atNow = new Map<string, LoadedSchedule | null>();
  const reads: Candidates = {
    loaded,
    schedulePeople: async (id) => (await stretchesFor(backend, atNow, id, now))?.people.keys() ?? [],
  };
  for (const robin of robins) {
    const others = new Set<string>();
    for (const p of batch) {
      if (p === robin || p.type === null) continue;
      const named = knownStep(p.type)?.candidates;
      if (!named || named === 'unlisted') continue;
      for (const id of await named(p, reads)) others.add(id);
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
  const used = policies.filter((p) => targets(p.type, 'schedule')).map((p) => p.notify_on_call_from_schedule);
  await Promise.all(
    [...new Set(used)].filter((id): id is string => !!id).map((id) => stretchesFor(backend, stretches, id, at)),
  );
  const base = { policies, users, userEntries, schedules, groups, webhooks, teams, stretches };
  return { ...base, roundRobinNext: await roundRobinPicks(backend, base, backend.now()) };
}

// ---- the walk ----

export interface Walked {
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
    const c: PreviewWalk = {
      loaded,
      t,
      step,
      w,
      next: t + STEP_GAP,
      people,
      when,
      halt: (why) => {
        halted ??= why;
      },
    };
    if (p.type === null) step.note = 'no type set: does nothing';
    else if (!knownStep(p.type)) step.note = `${p.type as string}: a step type this server does not know, not previewed`;
    else TOOL_STEPS[p.type].preview(p, c);
    const next = c.next;
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
  const firstSchedule = loaded.policies.find((p) => targets(p.type, 'schedule'))?.notify_on_call_from_schedule;
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
      && notifiesAnyone(w.step.type)
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
  else if (!loaded.policies.some((p) => notifiesAnyone(p.type))) {
    reason('no_notify_step', `${Label} has no step that notifies anyone (${loaded.policies.map((p) => p.type ?? 'unset').join(', ')}): an alert routed to it notifies nobody.`);
  } else if (firstIndex < 0 && pause) {
    reason('alert_count_gate', `${Label} ${pause.step.note} at step [${pause.step.position}] before notifying anyone: a single alert notifies nobody.`);
  } else if (firstIndex < 0) {
    const notes = walked.filter((w) => notifiesAnyone(w.step.type) && w.step.note).map((w) => `[${w.step.position}] ${w.step.note}`);
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
    } else if (loaded.policies.some((p) => notifiesAnyone(p.type))) {
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
