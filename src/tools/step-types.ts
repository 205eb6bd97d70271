/**
 * The tools' table of step types: for each type, how the tools word it (`describePolicy`, the
 * `type` parameter), what its target argument must name, and how the chain preview reads it from
 * the API alone (its part in `current_oncall`'s first batch, whom it may name there, what it does
 * for an alert at an instant). `TOOL_STEPS` is a `Record<PolicyType, …>`, so a type added to
 * `POLICY_TYPES` does not compile until it is here; the facts every layer shares (its fields, its
 * target field, whether it notifies people) are the API's table, `STEP_FACTS`.
 *
 * The preview follows the embedded engine's rules (`oncall/timing.ts`), which are OnCall's, so on
 * a live OnCall it predicts what OnCall will do.
 */
import { formatSeconds } from '../api/durations.js';
import type { STEP_FACTS, TargetKind } from '../api/step-types.js';
import type { EscalationPolicy, PolicyType } from '../api/types.js';
import type { Entry } from './lookup/directory-index.js';
import type { Loaded, Walked } from './oncall/chain-preview.js';
import { type Stretch, viewAt } from './oncall/stretches.js';
import {
  DEFAULT_WAIT,
  gateOpen,
  LOOKAHEAD_DAYS,
  NEXT_ON_CALL_LOOKAHEAD,
  nextTimeOfDay,
  SECOND,
  secondsOfDay,
  shortTime,
} from './oncall/timing.js';
import type { PreviewStep } from './oncall/types.js';

/** Names for the ids a step holds, as the tool text shows them. */
export interface StepWords {
  /** `alice, bob`, or `(nobody)`. */
  users(ids: readonly string[]): string;
  /** `"Primary" (S…)` for a schedule, `name (id)` for the others, `(not set)` without an id. */
  ref(kind: Exclude<TargetKind, 'user'>, id: string | null | undefined): string;
}

/**
 * A step's part in `current_oncall`'s first batch, as the engine reads it: `pass` is gone through
 * (an open time gate), `wait` ends a batch that has begun and is skipped before one, `stop` ends
 * it (the escalation stops or holds there), `act` belongs to it.
 */
export type BatchPart = 'pass' | 'wait' | 'stop' | 'act';

/** What the preview's walk offers the step it has reached. */
export interface PreviewWalk {
  readonly loaded: Loaded;
  /** When the step runs. */
  readonly t: number;
  readonly step: PreviewStep;
  readonly w: Walked;
  /** When the next step runs: 5 s after this one unless the step sets it. */
  next: number;
  /** Add people it notifies (who cannot be notified go to `w.blocked`). */
  people(ids: readonly string[], how: string, maybe?: boolean): void;
  /** An instant as the preview shows it (UTC and the zone's local time). */
  when(ms: number): string;
  /** The escalation stops or holds here: later steps say `why` instead of a time (the first halt wins). */
  halt(why: string): void;
}

/** What a step's share of a `current_oncall` answer may draw on. */
export interface Candidates {
  readonly loaded: Omit<Loaded, 'roundRobinNext'>;
  /** Everyone on call in a schedule around now, within the window the preview reads. */
  schedulePeople(scheduleId: string): Promise<Iterable<string>>;
}

export interface ToolStep {
  /** What the step does, in words: `notify persons: alice, bob (important)`. */
  describe(p: EscalationPolicy, words: StepWords): string;
  /** Another name people know the type by, for the `type` parameter's description. */
  alias?: string;
  batch(p: EscalationPolicy, now: number): BatchPart;
  /**
   * Whom the step could contribute to a `current_oncall` answer (to tell a round robin's pick from
   * the rest), or `unlisted` when Slack resolves them and the API cannot say.
   */
  candidates: 'unlisted' | ((p: EscalationPolicy, c: Candidates) => Iterable<string> | Promise<Iterable<string>>);
  /** Fill in the step's note, notifications and timing for an alert that reaches it at `c.t`. */
  preview(p: EscalationPolicy, c: PreviewWalk): void;
}

/**
 * A type with a target field (`STEP_FACTS`) must also say what that target must name: the tools
 * refuse a call that would leave it unset (OnCall accepts it, and the step notifies nobody).
 */
type WithTarget<T extends PolicyType> = T extends keyof typeof STEP_FACTS
  ? (typeof STEP_FACTS)[T]['target'] extends null
      ? { target?: never }
      : { target: string }
  : { target?: string }; // not in STEP_FACTS yet: that table's own error says so

export type ToolSteps = { [T in PolicyType]: ToolStep & WithTarget<T> };

const imp = (p: EscalationPolicy) => (p.important ? ' (important)' : '');
const acts = (): BatchPart => 'act';
const none = () => [];
const FAILS = 'the step fails and the escalation goes on';

/** The round robin's queue: by username, then id, in code-point order (the engine's order). */
function roundRobinQueue(users: ReadonlyMap<string, Entry>, ids: readonly string[]): Entry[] {
  return ids
    .map((id) => users.get(id))
    .filter((e): e is Entry => e !== undefined)
    .sort((a, b) => (a.name !== b.name ? (a.name < b.name ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Both schedule steps: who is on call in the schedule then, or who comes on next. */
function previewSchedule(p: EscalationPolicy, c: PreviewWalk, next: boolean): void {
  const { step, t, when } = c;
  const id = p.notify_on_call_from_schedule;
  if (!id) {
    step.note = `no schedule set: ${FAILS}`;
    return;
  }
  const s = c.loaded.stretches.get(id) ?? null;
  const name = c.loaded.schedules.get(id)?.name ?? id;
  if (!s) {
    step.note = `schedule "${name}" (${id}) could not be read: it may have been deleted`;
    return;
  }
  if (t + NEXT_ON_CALL_LOOKAHEAD >= s.to) {
    step.note = `whoever is on call in "${name}" then (${when(t)} is beyond the ${LOOKAHEAD_DAYS} days looked at)`;
    return;
  }
  const view = viewAt(s.stretches, t);
  let stretch: Stretch | undefined;
  if (!next) {
    stretch = view.current;
    step.note = stretch
      ? `on call in "${name}" until ${stretch.end < s.to ? when(stretch.end) : `after ${when(s.to)}`}`
      : `nobody on call in "${name}" (a gap${view.next ? ` until ${when(view.next.start)}` : ''}): ${FAILS}`;
  } else {
    const now = view.current?.users ?? [];
    stretch = s.stretches.find(
      (x) => x.start > t && x.start <= t + NEXT_ON_CALL_LOOKAHEAD && x.users.join() !== now.join(),
    );
    step.note = stretch
      ? `next on call in "${name}", from ${when(stretch.start)}`
      : `nobody comes on next in "${name}" within 14 days: ${FAILS}`;
  }
  if (stretch) c.people(stretch.users, next ? `next on call in "${name}"` : `on call in "${name}"`);
  c.w.schedule = { id, stretch, loaded: s };
}

const scheduleCandidates = (p: EscalationPolicy, c: Candidates) =>
  p.notify_on_call_from_schedule ? c.schedulePeople(p.notify_on_call_from_schedule) : [];

export const TOOL_STEPS: ToolSteps = {
  wait: {
    describe: (p) => (p.duration == null ? 'wait (duration not set: 5m default)' : `wait ${formatSeconds(p.duration)}`),
    batch: () => 'wait',
    candidates: none,
    preview(p, c) {
      const seconds = p.duration ?? DEFAULT_WAIT;
      c.step.note = p.duration == null ? 'duration not set: waits the 5m default' : `waits ${formatSeconds(seconds)}`;
      c.next = c.t + seconds * SECOND;
      c.w.holds = true;
    },
  },

  notify_persons: {
    describe: (p, words) => `notify persons: ${words.users(p.persons_to_notify ?? [])}${imp(p)}`,
    target: 'at least one user (id, username or email; list_users)',
    batch: acts,
    candidates: (p) => p.persons_to_notify ?? [],
    preview(p, c) {
      c.people(p.persons_to_notify ?? [], 'named in the step');
      c.step.note = (p.persons_to_notify ?? []).length
        ? 'notify the people named in the step'
        : `names nobody: ${FAILS}`;
    },
  },

  notify_person_next_each_time: {
    describe: (p, words) =>
      `round robin, one each time: ${words.users(p.persons_to_notify_next_each_time ?? [])}${imp(p)}`,
    alias: 'round robin',
    target: 'at least one user to take turns (id, username or email; list_users)',
    batch: acts,
    candidates: (p) => p.persons_to_notify_next_each_time ?? [],
    preview(p, c) {
      const { step, loaded } = c;
      const queue = roundRobinQueue(loaded.users, p.persons_to_notify_next_each_time ?? []);
      const pick = loaded.roundRobinNext.get(p.id);
      const names = queue.map((e) => e.name).join(', ');
      if (!queue.length) step.note = `round robin of nobody: ${FAILS}`;
      else if (queue.length === 1) {
        c.people([queue[0]!.id], 'the round robin\'s only person');
        step.note = `round robin of ${names} alone`;
      } else if (pick) {
        c.people([pick], `next in the round robin of ${names}`);
        step.note = `round robin of ${names}: ${loaded.users.get(pick)?.name ?? pick} is next`;
      } else {
        c.people(queue.map((e) => e.id), `round robin: one of ${names}`, true);
        step.note = `round robin: one of ${names}, in turn (who is next depends on earlier alerts)`;
        c.w.uncertain = queue.map((e) => e.name);
      }
    },
  },

  notify_on_call_from_schedule: {
    describe: (p, words) =>
      `notify who is on call in schedule ${words.ref('schedule', p.notify_on_call_from_schedule)}${imp(p)}`,
    target: 'a schedule (id or name; list_schedules)',
    batch: acts,
    candidates: scheduleCandidates,
    preview: (p, c) => previewSchedule(p, c, false),
  },

  notify_next_on_call_from_schedule: {
    describe: (p, words) =>
      `notify who is next on call in schedule ${words.ref('schedule', p.notify_on_call_from_schedule)}${imp(p)}`,
    target: 'a schedule (id or name; list_schedules)',
    batch: acts,
    candidates: scheduleCandidates,
    preview: (p, c) => previewSchedule(p, c, true),
  },

  notify_user_group: {
    describe: (p, words) => `notify user group ${words.ref('userGroup', p.group_to_notify)}${imp(p)}`,
    target: 'a user group (id or @handle; list_user_groups)',
    batch: acts,
    candidates: 'unlisted',
    preview(p, c) {
      const group = p.group_to_notify ? c.loaded.groups.get(p.group_to_notify) : undefined;
      const label = group ? group.name : (p.group_to_notify ?? '(not set)');
      if (!p.group_to_notify) c.step.note = `no user group set: ${FAILS}`;
      else {
        c.w.unlisted.push(`the members of Slack user group ${label}`);
        c.step.note = `the members of Slack user group ${label} (Slack resolves them; the API does not list them)`;
      }
    },
  },

  notify_team_members: {
    describe: (p, words) => `notify all members of team ${words.ref('team', p.team_to_notify)}${imp(p)}`,
    target: 'a team (id or name; list_teams)',
    batch: acts,
    candidates: (p, c) =>
      c.loaded.userEntries.filter((u) => p.team_to_notify && u.teamIds?.includes(p.team_to_notify)).map((u) => u.id),
    preview(p, c) {
      const team = p.team_to_notify;
      if (!team) {
        c.step.note = `no team set: ${FAILS}`;
        return;
      }
      const teamName = c.loaded.teams.get(team)?.name ?? team;
      c.people(c.loaded.userEntries.filter((u) => u.teamIds?.includes(team)).map((u) => u.id), `member of team ${teamName}`);
      c.step.note = `every member of team ${teamName}`;
    },
  },

  trigger_webhook: {
    describe: (p, words) => `trigger webhook ${words.ref('webhook', p.action_to_trigger)}`,
    target: 'a webhook (id or name; list_webhooks)',
    batch: acts,
    candidates: none,
    preview(p, c) {
      const hook = p.action_to_trigger ? c.loaded.webhooks.get(p.action_to_trigger) : undefined;
      c.step.note = p.action_to_trigger
        ? `webhook "${hook?.name ?? p.action_to_trigger}" (notifies no person)`
        : `no webhook set: ${FAILS}`;
    },
  },

  resolve: {
    describe: () => 'resolve the alert group (escalation stops)',
    batch: () => 'stop',
    candidates: none,
    preview(_p, c) {
      c.step.note = 'resolves the alert group: the escalation stops';
      c.halt('never (the chain resolves the alert group before)');
      c.w.holds = true;
    },
  },

  notify_whole_channel: {
    describe: () => 'notify everyone in the route\'s Slack channel',
    batch: acts,
    candidates: 'unlisted',
    preview(_p, c) {
      c.w.unlisted.push('everyone in the route\'s Slack channel');
      c.step.note = 'everyone in the route\'s Slack channel (Slack resolves them)';
    },
  },

  notify_if_time_from_to: {
    describe: (p) =>
      `continue only between ${p.notify_if_time_from ?? '?'} and ${p.notify_if_time_to ?? '?'} UTC (else wait for the window)`,
    batch(p, now) {
      const from = secondsOfDay(p.notify_if_time_from);
      const to = secondsOfDay(p.notify_if_time_to);
      return from !== undefined && to !== undefined && !gateOpen(from, to, now) ? 'stop' : 'pass';
    },
    candidates: none,
    preview(p, c) {
      const { w, t } = c;
      const from = secondsOfDay(p.notify_if_time_from);
      const to = secondsOfDay(p.notify_if_time_to);
      if (from === undefined || to === undefined) {
        c.step.note = `time window not set: ${FAILS}`;
        return;
      }
      const window = `${shortTime(p.notify_if_time_from!)}–${shortTime(p.notify_if_time_to!)} UTC`;
      w.gateWindow = window;
      if (gateOpen(from, to, t)) {
        w.gateClosesAt = from === to ? t + SECOND : nextTimeOfDay(to, t);
        w.gateReopensAt = nextTimeOfDay(from, w.gateClosesAt);
        c.step.note = `time gate ${window} is open (until ${c.when(w.gateClosesAt)}): the escalation goes on`;
      } else {
        w.gateOpensAt = nextTimeOfDay(from, t);
        c.next = w.gateOpensAt;
        w.holds = true;
        c.step.note = `time gate ${window} is closed: the escalation waits until ${c.when(w.gateOpensAt)}`;
      }
    },
  },

  notify_if_num_alerts_in_window: {
    describe: (p) =>
      `continue only after more than ${p.num_alerts_in_window ?? '?'} alerts in ${p.num_minutes_in_window ?? '?'} min (else pause)`,
    batch: () => 'stop',
    candidates: none,
    preview(p, c) {
      const threshold = p.num_alerts_in_window;
      const minutes = p.num_minutes_in_window;
      if (threshold == null || minutes == null) {
        c.step.note = `alert-count condition not set: ${FAILS}`;
        return;
      }
      if (threshold >= 1) {
        c.step.note = `pauses until more than ${threshold} alerts arrive within ${minutes} min (one alert is not enough)`;
        c.halt(`only after more than ${threshold} alerts within ${minutes} min`);
        c.w.pauses = true;
        c.w.holds = true;
      } else c.step.note = `more than ${threshold} alerts within ${minutes} min: goes on`;
    },
  },

  repeat_escalation: {
    describe: () => 'repeat from the first step (at most 5 times)',
    batch: () => 'stop',
    candidates: none,
    preview(_p, c) {
      c.step.note = 'repeats from the first step, up to 5 times';
      c.halt('only after the chain has repeated 5 times');
      c.w.holds = true;
    },
  },

  declare_incident: {
    describe: (p) => `declare an incident${p.severity ? ` (severity ${p.severity})` : ''}`,
    batch: acts,
    candidates: none,
    preview(p, c) {
      c.step.note = `declares an incident${p.severity ? ` (severity ${p.severity})` : ''} if Grafana Incident is enabled (not on a default route)`;
    },
  },
};

/**
 * The table entry of a step type read from upstream, or undefined for a type OnCall added after
 * this table was written (the API's step type is an open vocabulary): callers say so instead of
 * failing.
 */
export function knownStep(type: string): ToolStep | undefined {
  return (TOOL_STEPS as Partial<Record<string, ToolStep>>)[type];
}
