/**
 * Who is on call in a schedule at an instant, until when, who is next and from when, and why
 * nobody is when nobody is: built on `schedules.finalShifts` alone (rotations, layers, overrides and
 * taken swaps already resolved by the backend), so it works on the engine and on a live OnCall.
 */
import type { OnCallBackend } from '../../api/backend.js';
import { formatInstant } from '../format.js';
import { type Person, peopleOf, personalStretches, type Stretch, stretchesOf, viewAt } from './stretches.js';
import { LOOKAHEAD_DAYS } from './timing.js';
import type { OnCallPerson, Reason, Via } from './types.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
// How far an answer looks ahead first; in timing.ts, which the chain preview's step table reads too.
export { LOOKAHEAD_DAYS };
/** The final-shifts endpoint's widest window. */
export const MAX_LOOKAHEAD_DAYS = 365;

export interface ScheduleRef {
  id: string;
  name: string;
  timeZone: string | null;
}

/** `2026-03-24T12:00:00Z`: the instant format of every on-call answer. */
export const isoZ = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** The final-shifts endpoint takes minutes (`YYYY-MM-DDTHH:MM`, UTC). */
const minuteParam = (ms: number) => new Date(ms).toISOString().slice(0, 16);

export interface LoadedSchedule {
  stretches: readonly Stretch[];
  people: ReadonlyMap<string, Person>;
  /** The window the stretches cover: [from, to). */
  from: number;
  to: number;
}

/** The schedule's stretches from the minute of `at` over `days` days. */
export async function loadStretches(
  backend: OnCallBackend,
  scheduleId: string,
  at: number,
  days: number,
): Promise<LoadedSchedule> {
  const from = Math.floor(at / MINUTE) * MINUTE;
  const to = from + days * DAY;
  const page = await backend.schedules.finalShifts(scheduleId, {
    start_date: minuteParam(from),
    end_date: minuteParam(to),
  });
  return { stretches: stretchesOf(page.results), people: peopleOf(page.results), from, to };
}

const personOf = (loaded: LoadedSchedule, id: string, how: string): OnCallPerson => ({
  id,
  username: loaded.people.get(id)?.username ?? id,
  how,
});

/**
 * The answer for one schedule. Looks `LOOKAHEAD_DAYS` ahead, and once more over the endpoint's
 * widest window when that did not show where the current stretch ends or who comes next.
 */
export async function answerForSchedule(backend: OnCallBackend, schedule: ScheduleRef, at: number): Promise<Via> {
  let loaded = await loadStretches(backend, schedule.id, at, LOOKAHEAD_DAYS);
  let view = viewAt(loaded.stretches, at);
  if (!view.next || (view.current && view.current.end >= loaded.to)) {
    loaded = await loadStretches(backend, schedule.id, at, MAX_LOOKAHEAD_DAYS);
    view = viewAt(loaded.stretches, at);
  }
  const zone = schedule.timeZone;
  const when = (ms: number) => formatInstant(isoZ(ms), zone);
  const how = `on call in "${schedule.name}"`;
  const { current, next } = view;
  const reasons: Reason[] = [];
  const days = Math.round((loaded.to - loaded.from) / DAY);
  if (!current && next) {
    reasons.push({
      code: 'schedule_gap',
      message: `Nobody is on call in "${schedule.name}" at ${when(at)}: a gap in the schedule until ${when(next.start)}.`,
    });
  } else if (!current) {
    reasons.push({
      code: 'schedule_empty',
      message: `Nobody is on call in "${schedule.name}" from ${when(at)} for the next ${days} days: it has no shifts then.`,
    });
  } else if (current.end >= loaded.to) {
    reasons.push({
      code: 'beyond_window',
      message: `The same people stay on call in "${schedule.name}" past ${when(loaded.to)}, the end of the ${days} days looked at.`,
    });
  } else if (!next) {
    reasons.push({
      code: 'gap_after',
      message: `After ${when(current.end)} nobody is on call in "${schedule.name}" for the rest of the ${days} days looked at.`,
    });
  } else if (next.start > current.end) {
    reasons.push({
      code: 'gap_after',
      message: `After ${when(current.end)} nobody is on call in "${schedule.name}" until ${when(next.start)}: a gap in the schedule.`,
    });
  }
  return {
    kind: 'schedule',
    id: schedule.id,
    name: schedule.name,
    time_zone: zone,
    now: current ? current.users.map((id) => personOf(loaded, id, how)) : [],
    now_at: null,
    until: current && current.end < loaded.to ? isoZ(current.end) : null,
    next: next ? next.users.map((id) => personOf(loaded, id, how)) : [],
    from: next ? isoZ(next.start) : null,
    next_until: next && next.end < loaded.to ? isoZ(next.end) : null,
    unlisted: [],
    reasons,
  };
}

/** One person's current and next shift in one schedule, within `LOOKAHEAD_DAYS`. */
export async function shiftsOfUser(
  backend: OnCallBackend,
  schedule: ScheduleRef,
  user: Person,
  at: number,
): Promise<Via> {
  const loaded = await loadStretches(backend, schedule.id, at, LOOKAHEAD_DAYS);
  const mine = personalStretches(loaded.stretches, user.id);
  const current = mine.find((s) => s.start <= at && at < s.end);
  const next = mine.find((s) => s.start > at);
  const person = { id: user.id, username: user.username, how: `on call in "${schedule.name}"` };
  const bounded = (ms: number) => (ms < loaded.to ? isoZ(ms) : null);
  return {
    kind: 'schedule',
    id: schedule.id,
    name: schedule.name,
    time_zone: schedule.timeZone,
    now: current ? [person] : [],
    now_at: null,
    until: current ? bounded(current.end) : null,
    next: next ? [person] : [],
    from: next ? isoZ(next.start) : null,
    next_until: next ? bounded(next.end) : null,
    unlisted: [],
    reasons: [],
  };
}
