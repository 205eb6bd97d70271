/**
 * `handoff_brief`: what the person coming on call needs from the shift that is ending (or just
 * ended, when nobody is on call now): the alert groups of that shift and how they stand, who was
 * paged and who answered, the swaps and overrides of the next shift, and who is next and when.
 * Backend reads only: final shifts around now (the on-call stretch, as `oncall/stretches.ts`
 * defines it), the schedule's shifts, swap requests, alert groups and their timelines.
 */
import * as z from 'zod';
import type { OnCallBackend } from '../../api/backend.js';
import { collectAll } from '../../api/pagination.js';
import type { AlertGroup, OnCallShift, ShiftSwap, User } from '../../api/types.js';
import { defineTool, READ_ONLY } from '../define.js';
import { isoZ } from '../oncall/schedule-answer.js';
import { peopleOf, type Stretch, stretchesOf } from '../oncall/stretches.js';
import { finalShiftsIn } from './coverage/final-shifts.js';
import { formatHandoff } from './coverage/handoff-text.js';
import { incidentsFor } from './coverage/incidents.js';
import { DAY, fromWallClock, parseWallClock } from './coverage/local-time.js';
import { schedulesAsked, StartArg, windowOf } from './coverage/window-args.js';

/** How far back the ending shift's start and ahead the next shift's end are looked for. */
export const LOOK_DAYS = 31;
/** Alert groups listed per shift; the count says how many more there were. */
const MAX_GROUPS = 50;
/** The list filter's words for groups not resolved (`new` is what the output calls firing). */
const OPEN_STATES = ['new', 'acknowledged', 'silenced'];

const Person = z.object({ user_id: z.string(), username: z.string() });
type Person = z.infer<typeof Person>;

const Shift = z.object({
  start: z.string(),
  end: z.string(),
  start_before_window: z.boolean().describe(`Started more than ${LOOK_DAYS} days before: start is where the look-back ends`),
  end_after_window: z.boolean().describe(`Lasts more than ${LOOK_DAYS} days ahead: end is where the look-ahead ends`),
  people: z.array(Person),
});

const Page = Person.extend({ at: z.string(), channel: z.string().nullable(), important: z.boolean() });

const HandoffGroup = z.object({
  id: z.string(),
  title: z.string().nullable(),
  state: z.string(),
  created_at: z.string(),
  carried_over: z.boolean().describe('Created before the shift and still open when it started'),
  acknowledged_by: Person.nullable(),
  acknowledged_at: z.string().nullable(),
  resolved_by: Person.nullable(),
  resolved_at: z.string().nullable(),
  pages: z.array(Page).nullable().describe('Notifications sent, from the timeline; null when the backend publishes none'),
});

const Override = z.object({
  id: z.string(),
  name: z.string(),
  start: z.string(),
  end: z.string(),
  people: z.array(Person),
});

const Swap = z.object({
  id: z.string(),
  status: z.string(),
  swap_start: z.string(),
  swap_end: z.string(),
  beneficiary: Person,
  benefactor: Person.nullable(),
  description: z.string().nullable(),
});

export const ScheduleHandoff = z.object({
  schedule_id: z.string(),
  name: z.string(),
  time_zone: z.string().nullable(),
  at: z.string(),
  shift: Shift.nullable().describe('The shift ending (on call at `at`) or, if nobody is, the last one before'),
  shift_status: z.enum(['ending', 'ended', 'none']),
  alert_groups: z.array(HandoffGroup),
  alert_groups_total: z.number().int(),
  counted_from: z.object({ chains: z.array(z.string()), routes: z.array(z.string()) }),
  next: Shift.nullable(),
  upcoming: z.array(Shift).describe('Shifts from the next one up to the horizon, in order (at most 6)'),
  horizon: z.string().nullable().describe('End of the next shift or 24 hours from `at`, whichever is later'),
  upcoming_swaps: z.array(Swap).describe('Swap requests overlapping the time from the next shift to the horizon'),
  upcoming_overrides: z.array(Override).describe('Overrides overlapping the time from the next shift to the horizon'),
});
export type ScheduleHandoff = z.infer<typeof ScheduleHandoff>;

export const handoffBrief = defineTool({
  name: 'handoff_brief',
  toolset: 'schedules',
  title: 'Handoff brief for the shift ending now',
  description:
    'For the shift ending now: its alert groups (acknowledged by whom, still open), pages and who answered, the next shift\'s swaps and overrides, who is next.',
  input: z.object({
    schedule_id: z.string().optional().describe('Schedule id or name.'),
    team_id: z.string().optional().describe('Team id or name: each of its schedules.'),
    at: StartArg.optional(),
  }),
  output: z.object({ schedules: z.array(ScheduleHandoff) }),
  annotations: READ_ONLY,
  async run({ schedule_id, team_id, at }, { backend, signal }) {
    const now = windowOf(at, 0, backend.now(), 'at').from;
    const schedules = await schedulesAsked(backend, schedule_id ? [schedule_id] : undefined, team_id, 'schedule_id');
    const everyone = await collectAll((page) => backend.users.list({ page }));
    const users = new Map<string, User>(everyone.map((u) => [u.id, u]));
    const out: ScheduleHandoff[] = [];
    for (const s of schedules) {
      const info = { id: s.id, name: s.name, time_zone: s.time_zone ?? null };
      out.push(await handoffFor(backend, info, now, users, signal));
    }
    return { schedules: out };
  },
  text: (out) => out.schedules.map(formatHandoff).join('\n\n'),
});

async function handoffFor(
  backend: OnCallBackend,
  schedule: { id: string; name: string; time_zone: string | null },
  now: number,
  users: ReadonlyMap<string, User>,
  signal?: AbortSignal,
): Promise<ScheduleHandoff> {
  const window = { from: now - LOOK_DAYS * DAY, to: now + LOOK_DAYS * DAY };
  const items = await finalShiftsIn(backend, schedule.id, window, signal);
  const stretches = stretchesOf(items);
  const names = peopleOf(items);
  const person = (id: string): Person => ({
    user_id: id,
    username: users.get(id)?.username ?? names.get(id)?.username ?? id,
  });
  const shiftOf = (s: Stretch) => ({
    start: isoZ(s.start),
    end: isoZ(s.end),
    start_before_window: s.start <= window.from,
    end_after_window: s.end >= window.to,
    people: s.users.map(person),
  });

  const current = stretches.find((s) => s.start <= now && now < s.end);
  const before = current ?? stretches.filter((s) => s.end <= now).at(-1);
  const next = stretches.find((s) => s.start >= (current ? current.end : now));

  const empty = { groups: [] as AlertGroup[], chains: [] as string[], routes: [] as string[] };
  let found = empty;
  if (before) {
    const until = Math.min(before.end, now);
    const shiftWindow = { from: before.start, to: until + 1000 };
    const incidents = (await incidentsFor(backend, [schedule.id], shiftWindow, signal)).get(schedule.id)!;
    const routes = incidents.routes.map((r) => r.id);
    // Groups opened before the shift and still open are the incoming person's too.
    const openLists = routes.flatMap((route) => OPEN_STATES.map((state) =>
      collectAll((page) => backend.alertGroups.list({ route_id: route, state, page }))));
    const carried = (await Promise.all(openLists)).flat().filter((g) => Date.parse(g.created_at) < before.start);
    const during = incidents.groups.filter((g) => Date.parse(g.created_at) <= until);
    found = { groups: [...carried, ...during], chains: incidents.chains, routes };
  }
  const groups = found.groups.sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  const shown = groups.slice(0, MAX_GROUPS);
  const timelines = await Promise.all(shown.map((g) => backend.alertGroups.timeline(g.id)));
  const alertGroups = shown.map((g, i) => ({
    id: g.id,
    title: g.title,
    state: g.state,
    created_at: g.created_at,
    carried_over: before ? Date.parse(g.created_at) < before.start : false,
    acknowledged_by: g.acknowledged_by ? person(g.acknowledged_by) : null,
    acknowledged_at: g.acknowledged_at,
    resolved_by: g.resolved_by ? person(g.resolved_by) : null,
    resolved_at: g.resolved_at,
    // Every group's own history has at least its registration: none at all means the backend keeps
    // no timelines (a live OnCall), so who was paged is unknown, not "nobody".
    pages: timelines[i]!.length
      ? timelines[i]!
          .filter((t) => t.event === 'notification' && t.user_id)
          .map((t) => ({
            ...person(t.user_id!),
            at: t.at,
            channel: t.channel ?? null,
            important: t.important ?? false,
          }))
      : null,
  }));

  let swaps: ScheduleHandoff['upcoming_swaps'] = [];
  let overrides: ScheduleHandoff['upcoming_overrides'] = [];
  // An override or swap inside the next person's day splits it into shorter stretches, so the
  // next shift alone could hide them: look to the later of its end and a day ahead.
  const horizon = next ? Math.max(next.end, now + DAY) : null;
  const upcoming = next ? stretches.filter((s) => s.start >= next.start && s.start < horizon!).slice(0, 6) : [];
  if (next) {
    const end = horizon!;
    const requests: ShiftSwap[] = await collectAll((page) =>
      backend.shiftSwaps.list({ schedule_id: schedule.id, starting_after: isoZ(window.from), page }));
    swaps = requests
      .filter((r) => r.status !== 'deleted' && Date.parse(r.swap_start) < end && Date.parse(r.swap_end) > next.start)
      .map((r) => ({
        id: r.id,
        status: r.status,
        swap_start: r.swap_start,
        swap_end: r.swap_end,
        beneficiary: person(r.beneficiary),
        benefactor: r.benefactor ? person(r.benefactor) : null,
        description: r.description,
      }));
    const shifts: OnCallShift[] = await collectAll((page) =>
      backend.onCallShifts.list({ schedule_id: schedule.id, page }));
    overrides = shifts
      .filter((s) => s.type === 'override')
      .map((s) => {
        const start = fromWallClock(parseWallClock(s.start), s.time_zone || schedule.time_zone || 'UTC');
        return { shift: s, start, end: start + s.duration * 1000 };
      })
      .filter((o) => o.start < end && o.end > next.start)
      .map((o) => ({
        id: o.shift.id,
        name: o.shift.name,
        start: isoZ(o.start),
        end: isoZ(o.end),
        people: (o.shift.users ?? []).map(person),
      }));
  }

  return {
    schedule_id: schedule.id,
    name: schedule.name,
    time_zone: schedule.time_zone,
    at: isoZ(now),
    shift: before ? shiftOf(before) : null,
    shift_status: current ? 'ending' : before ? 'ended' : 'none',
    alert_groups: alertGroups,
    alert_groups_total: groups.length,
    counted_from: { chains: found.chains, routes: found.routes },
    next: next ? shiftOf(next) : null,
    upcoming: upcoming.map(shiftOf),
    horizon: horizon === null ? null : isoZ(horizon),
    upcoming_swaps: swaps,
    upcoming_overrides: overrides,
  };
}
