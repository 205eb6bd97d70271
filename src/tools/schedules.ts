import * as z from 'zod';
import { pageSchema } from '../api/pagination.js';
import { FinalShift, integer, OnCallShift, Schedule, ShiftSwap, WEEKDAY_CODES } from '../api/types.js';
import { continuePage } from './budget.js';
import { CREATE, DESTRUCTIVE, defineTool, READ_ONLY, UPDATE } from './define.js';
import { confirmDelete, StepRef, stepsUsingSchedule } from './delete-impact.js';
import {
  formatInstant,
  formatPage,
  formatSchedule,
  formatScheduleDeleted,
  formatScheduleDeleteQuestion,
  formatShift,
  formatSwap,
} from './format.js';
import { activeFilters, byName, filteredPage, filteredText } from './name-filter.js';
import { formatFinalShiftSummary, perPerson, PersonOnCall } from './summaries.js';
import {
  LocalDateTime,
  Page,
  PerPage,
  ScheduleId,
  ShiftId,
  TeamFilter,
  TeamId,
  UserId,
  ZonedDateTime,
  allOptional,
  asIn,
  id,
  orNull,
} from './params.js';

const namesForSchedules = ['users', 'teams'] as const;
const namesForSwaps = ['users', 'schedules', 'scheduleZones'] as const;

export const listSchedules = defineTool({
  name: 'list_schedules',
  toolset: 'schedules',
  title: 'List schedules and who is on call in each',
  description:
    'Schedules with their time zone and who is on call in each now.',
  input: z.object({
    name: z.string().optional().describe('Part of the name, any case.'),
    team_id: TeamFilter.optional(),
    page: Page.optional(),
    perpage: PerPage.optional(),
  }),
  output: pageSchema(Schedule),
  annotations: READ_ONLY,
  async run({ name, ...args }, { backend, index: directory }) {
    const filters = activeFilters([byName<Schedule>(name)]);
    if (!filters.length) return backend.schedules.list(args);
    return filteredPage({
      directory,
      kind: 'schedule',
      filters,
      team: args.team_id,
      teamOf: (s) => s.team_id,
      page: args.page,
      perpage: args.perpage,
      defaultPerPage: 50,
      get: (id) => backend.schedules.get(id),
      list: (page) => backend.schedules.list({ ...args, page }),
      idOf: (s) => s.id,
    });
  },
  async text(page, { args, names }) {
    const book = await names.book(...namesForSchedules);
    const filters = activeFilters([byName<Schedule>(args.name)]);
    return filteredText(page, 'schedules', (s) => formatSchedule(s, book), filters, names.index, 'schedule', formatPage);
  },
  continuation: ({ out, cut }) => continuePage(out, cut),
});

export const getSchedule = defineTool({
  name: 'get_schedule',
  toolset: 'schedules',
  title: 'Get a schedule',
  description: 'A schedule: time zone, shifts, who is on call now.',
  input: z.object({ schedule_id: ScheduleId }),
  output: Schedule,
  annotations: READ_ONLY,
  run: ({ schedule_id }, { backend }) => backend.schedules.get(schedule_id),
  async text(s, { names }) {
    const book = await names.book(...namesForSchedules, 'shifts');
    const shifts = (s.shifts ?? []).map((id) => (book.shifts.has(id) ? `"${book.shifts.get(id)}" (${id})` : id));
    return `${formatSchedule(s, book)}${shifts.length ? `\nShifts: ${shifts.join(', ')} (list_on_call_shifts shows them)` : ''}`;
  },
});

/** Final shifts an answer holds; the rest of a long period is counted and summed, not listed. */
const MAX_FINAL_SHIFTS = 1000;

export const listScheduleShifts = defineTool({
  name: 'list_schedule_shifts',
  toolset: 'schedules',
  title: 'Who is on call in a schedule over a period',
  description:
    'Who is on call when between two dates (up to 365 days), everything resolved; the text sums up each person.',
  input: z.object({
    schedule_id: ScheduleId,
    start_date: z.string().describe('UTC YYYY-MM-DD or YYYY-MM-DDTHH:MM.'),
    end_date: z.string().describe('UTC YYYY-MM-DD or YYYY-MM-DDTHH:MM.'),
  }),
  output: pageSchema(FinalShift).extend({
    per_person: z.array(PersonOnCall).describe('Each person\'s time on call over the whole period, most first'),
    results_not_shown: integer().describe(`Final shifts past the first ${MAX_FINAL_SHIFTS} (count has them all): a later start_date lists them`),
  }),
  annotations: READ_ONLY,
  async run({ schedule_id, ...query }, { backend }) {
    const page = await backend.schedules.finalShifts(schedule_id, query);
    // A year of a layered schedule is thousands of final shifts: the answer holds the first part
    // and everyone's totals, so its size does not grow with the period.
    return {
      ...page,
      results: page.results.slice(0, MAX_FINAL_SHIFTS),
      per_person: perPerson(page.results),
      results_not_shown: Math.max(0, page.results.length - MAX_FINAL_SHIFTS),
    };
  },
  async text(page, { args, names }) {
    const book = await names.book('schedules', 'scheduleZones');
    const zone = book.scheduleZones.get(args.schedule_id) ?? null;
    const name = book.schedules.get(args.schedule_id);
    const scheduleLabel = name ? `"${name}" (${args.schedule_id})` : args.schedule_id;
    const period = { scheduleLabel, start: utcArgument(args.start_date), end: utcArgument(args.end_date), zone };
    if (!page.results.length) {
      return `Nobody is on call in ${scheduleLabel} from ${formatInstant(period.start, zone)} to ${formatInstant(period.end, zone)}.`;
    }
    const rest = (start: string) => `The rest: the same call with start_date=${start}.`;
    return formatFinalShiftSummary(page.results, page.per_person, period, rest, page.results_not_shown === 0);
  },
  continuation: ({ args }) => {
    // A shorter period fits: half of it, from the same start.
    const start = Date.parse(utcArgument(args.start_date));
    const end = Date.parse(utcArgument(args.end_date));
    const middle = new Date(start + Math.max(3_600_000, Math.floor((end - start) / 2))).toISOString().slice(0, 16);
    return `The rest: a shorter period, e.g. end_date=${middle}, then start_date=${middle}.`;
  },
});

/** A start_date / end_date argument (UTC, a date or date and time) as an ISO instant. */
function utcArgument(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : /Z$|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`;
}

const SlackInput = z
  .object({
    channel_id: orNull('Channel for shift notices; "" = none.').optional(),
    user_group_id: orNull('Group kept to who is on call; "" = none.').optional(),
  })
  .describe('Slack.');

const scheduleFields = {
  name: z.string().describe('Need not be unique.'),
  time_zone: z.string().describe('IANA zone shifts default to, e.g. Europe/Berlin.'),
  team_id: TeamId,
  shifts: z
    .array(z.string())
    .describe('Every shift (ids or names; same team); replaces the list.'),
  enable_web_overrides: z
    .boolean()
    .describe('Allow override shifts in `shifts`.'),
  slack: SlackInput,
};
const optionalScheduleFields = allOptional(scheduleFields);

export const createSchedule = defineTool({
  name: 'create_schedule',
  toolset: 'schedules',
  title: 'Create a schedule',
  description:
    'Create a schedule (only calendar ones can change later). Create its shifts first (create_on_call_shift).',
  input: z.object({
    type: z.enum(['calendar', 'web']).describe('calendar: editable here.'),
    ...optionalScheduleFields,
    name: scheduleFields.name,
    time_zone: scheduleFields.time_zone,
  }),
  output: Schedule,
  annotations: CREATE,
  run: (args, { backend }) => backend.schedules.create(args),
  async text(s, { names }) {
    return `Created ${formatSchedule(s, await names.book(...namesForSchedules))}`;
  },
});

export const updateSchedule = defineTool({
  name: 'update_schedule',
  toolset: 'schedules',
  title: 'Change a schedule',
  description:
    'Change a calendar schedule; fields as in create_schedule, left out ones stay.',
  input: z.object({ schedule_id: ScheduleId, ...asIn(scheduleFields) }),
  output: Schedule,
  annotations: UPDATE,
  run: ({ schedule_id, ...body }, { backend }) => backend.schedules.update(schedule_id, body),
  async text(s, { names }) {
    return `Updated ${formatSchedule(s, await names.book(...namesForSchedules))}`;
  },
});

export const deleteSchedule = defineTool({
  name: 'delete_schedule',
  toolset: 'schedules',
  title: 'Delete a schedule',
  description:
    'Delete a schedule (its shifts stay); the answer lists steps left notifying nobody.',
  input: z.object({ schedule_id: ScheduleId }),
  output: Schedule.extend({
    deleted: z.literal(true),
    steps_left_without_schedule: z.array(StepRef).describe('Steps that used the schedule: they now notify nobody'),
  }),
  annotations: DESTRUCTIVE,
  async run({ schedule_id }, ctx) {
    const { backend } = ctx;
    const schedule = await backend.schedules.get(schedule_id);
    const steps = await stepsUsingSchedule(backend, schedule_id);
    await confirmDelete(ctx, async () => formatScheduleDeleteQuestion(schedule, steps, await ctx.names.book('chains')));
    await backend.schedules.delete(schedule_id);
    return { ...schedule, deleted: true as const, steps_left_without_schedule: steps };
  },
  async text(s, { names }) {
    return formatScheduleDeleted(s, await names.book('chains'));
  },
});

export const listOnCallShifts = defineTool({
  name: 'list_on_call_shifts',
  toolset: 'schedules',
  title: 'List on-call shifts (rotations, layers, overrides)',
  description: 'Shifts behind schedules: rotations, layers, overrides.',
  input: z.object({
    schedule_id: ScheduleId.optional(),
    name: z.string().optional().describe('Exact shift name.'),
    team_id: TeamFilter.optional(),
    page: Page.optional(),
    perpage: PerPage.optional(),
  }),
  output: pageSchema(OnCallShift),
  annotations: READ_ONLY,
  run: (args, { backend }) => backend.onCallShifts.list(args),
  async text(page, { names }) {
    const book = await names.book('users');
    return formatPage(page, 'on-call shifts', (s) => formatShift(s, book));
  },
  continuation: ({ out, cut }) => continuePage(out, cut),
});

const Weekday = z.enum(WEEKDAY_CODES);

const shiftFields = {
  name: z.string().describe('Unique in the organisation.'),
  type: z
    .enum(['rolling_users', 'recurrent_event', 'single_event', 'override'])
    .describe(
      'rolling_users: groups take turns (rolling_users); recurrent_event: the same users repeat; single_event: '
      + 'once; override: replaces everyone (these three: users).',
    ),
  start: LocalDateTime.describe('First start, wall clock YYYY-MM-DDTHH:MM:SS in time_zone.'),
  duration: z.number().int().min(1).meta({ maximum: undefined }).describe('Seconds per occurrence.'),
  time_zone: orNull('IANA zone; "" = the schedule\'s.'),
  level: z.number().int().min(0).meta({ maximum: undefined }).describe('Layer priority: higher wins.'),
  rotation_start: LocalDateTime.describe('Takes effect from (default start).'),
  until: orNull('Last start, same format; "" = forever.'),
  frequency: z.enum(['hourly', 'daily', 'weekly', 'monthly']).describe('Not for single_event, override.'),
  interval: z.number().int().min(1).meta({ maximum: undefined }).describe('Every N frequencies (per turn).'),
  week_start: Weekday.describe('Where turns change; weekly: required.'),
  by_day: z.array(Weekday).describe('Only these weekdays.'),
  by_month: z.array(z.number().int().min(1).max(12)).describe('Only these months.'),
  by_monthday: z.array(z.number().int().min(-31).max(31)).describe('Only these days (-1 = last).'),
  users: z.array(z.string()).describe('Users on call together.'),
  rolling_users: z.array(z.array(z.string())).describe('Groups of users, in turn order.'),
  start_rotation_from_user_index: z
    .number()
    .int()
    .min(0)
    .meta({ maximum: undefined })
    .describe('First group, 0-based; required.'),
  team_id: TeamId,
};
const optionalShiftFields = allOptional(shiftFields);

export const createOnCallShift = defineTool({
  name: 'create_on_call_shift',
  toolset: 'schedules',
  title: 'Create an on-call shift (rotation, layer or override)',
  description:
    'Create a shift, then add it to a schedule\'s `shifts` (update_schedule). Times are wall clock, kept across DST.',
  input: z.object({
    ...optionalShiftFields,
    name: shiftFields.name,
    type: shiftFields.type,
    start: shiftFields.start,
    duration: shiftFields.duration,
  }),
  output: OnCallShift,
  annotations: CREATE,
  run: (args, { backend }) => backend.onCallShifts.create(args),
  async text(s, { names }) {
    return `Created ${formatShift(s, await names.book('users'))}`;
  },
});

export const updateOnCallShift = defineTool({
  name: 'update_on_call_shift',
  toolset: 'schedules',
  title: 'Change an on-call shift',
  description: 'Change a shift; fields as in create_on_call_shift, left out ones stay, ones its type ignores clear.',
  input: z.object({ on_call_shift_id: ShiftId, ...asIn(shiftFields) }),
  output: OnCallShift,
  annotations: UPDATE,
  run: ({ on_call_shift_id, ...body }, { backend }) => backend.onCallShifts.update(on_call_shift_id, body),
  async text(s, { names }) {
    return `Updated ${formatShift(s, await names.book('users'))}`;
  },
});

export const deleteOnCallShift = defineTool({
  name: 'delete_on_call_shift',
  toolset: 'schedules',
  title: 'Delete an on-call shift',
  description: 'Delete a shift; it leaves every schedule that used it.',
  input: z.object({ on_call_shift_id: ShiftId }),
  output: OnCallShift.extend({ deleted: z.literal(true) }),
  annotations: DESTRUCTIVE,
  async run({ on_call_shift_id }, { backend }) {
    const shift = await backend.onCallShifts.get(on_call_shift_id);
    await backend.onCallShifts.delete(on_call_shift_id);
    return { ...shift, deleted: true as const };
  },
  text: (s) => `Deleted on-call shift ${s.id} "${s.name}".`,
});

export const listShiftSwaps = defineTool({
  name: 'list_shift_swaps',
  toolset: 'schedules',
  title: 'List shift swap requests',
  description: 'Requests to give away on-call time (default: from now on).',
  input: z.object({
    schedule_id: ScheduleId.optional(),
    beneficiary: UserId.optional().describe('Asked by this user.'),
    benefactor: UserId.optional().describe('Taken by this user.'),
    starting_after: ZonedDateTime.optional().describe('Default now.'),
    open_only: z.boolean().optional().describe('Not taken yet.'),
    page: Page.optional(),
    perpage: PerPage.optional(),
  }),
  output: pageSchema(ShiftSwap),
  annotations: READ_ONLY,
  run: (args, { backend }) => backend.shiftSwaps.list(args),
  async text(page, { names }) {
    const book = await names.book(...namesForSwaps);
    return formatPage(page, 'shift swap requests', (s) => formatSwap(s, book));
  },
  continuation: ({ out, cut }) => continuePage(out, cut),
});

/** Far enough back to find any request by id, started or not (OnCall's lookup starts from `starting_after`). */
const ANY_START = '2000-01-01T00:00:00Z';

export const getShiftSwap = defineTool({
  name: 'get_shift_swap',
  toolset: 'schedules',
  title: 'Get a shift swap request',
  description: 'One swap request by id, also after its time began; says whether it can still change.',
  input: z.object({ shift_swap_id: id('Swap request id (SSR…).') }),
  output: ShiftSwap,
  annotations: READ_ONLY,
  run: ({ shift_swap_id }, { backend }) => backend.shiftSwaps.get(shift_swap_id, { starting_after: ANY_START }),
  async text(s, { names, backend }) {
    const line = formatSwap(s, await names.book(...namesForSwaps));
    const started = Date.parse(s.swap_start) <= backend.now();
    const state = started
      ? 'Its time has begun: it can no longer be changed, withdrawn or taken.'
      : s.status === 'open'
        ? 'Open: take_shift_swap gives it to someone; update_shift_swap or delete_shift_swap change or withdraw it.'
        : 'Taken: delete_shift_swap gives the shifts back to the person who asked.';
    return `${line}\n${state}`;
  },
});

export const createShiftSwap = defineTool({
  name: 'create_shift_swap',
  toolset: 'schedules',
  title: 'Ask for someone to take your on-call time',
  description:
    'Ask for someone to take the beneficiary\'s on-call time in a schedule between two instants.',
  input: z.object({
    schedule: ScheduleId,
    swap_start: ZonedDateTime.describe('Start (future), ISO with zone.'),
    swap_end: ZonedDateTime.describe('End, ISO with zone.'),
    beneficiary: UserId.describe('User giving the time away.'),
    description: z.string().optional().describe('Why, for whoever takes it.'),
  }),
  output: ShiftSwap,
  annotations: CREATE,
  run: (args, { backend }) => backend.shiftSwaps.create(args),
  async text(s, { names }) {
    return `Opened ${formatSwap(s, await names.book(...namesForSwaps))}`;
  },
});

export const takeShiftSwap = defineTool({
  name: 'take_shift_swap',
  toolset: 'schedules',
  title: 'Take a shift swap request',
  description: 'Take an open swap request: the benefactor is on call instead.',
  input: z.object({
    shift_swap_id: id('Swap request id (SSR…).'),
    benefactor: UserId.describe('User taking over the time.'),
  }),
  output: ShiftSwap,
  annotations: UPDATE,
  run: ({ shift_swap_id, benefactor }, { backend }) => backend.shiftSwaps.take(shift_swap_id, { benefactor }),
  async text(s, { names }) {
    return `Taken: ${formatSwap(s, await names.book(...namesForSwaps))}`;
  },
});

export const updateShiftSwap = defineTool({
  name: 'update_shift_swap',
  toolset: 'schedules',
  title: 'Change a shift swap request',
  description: 'Move a swap request\'s times (both together) or change its description; who asked stays.',
  input: z.object({
    shift_swap_id: id('Swap request id (SSR…).'),
    swap_start: ZonedDateTime.optional(),
    swap_end: ZonedDateTime.optional(),
    description: z.string().optional().describe('Shown to whoever could take it.'),
  }),
  output: ShiftSwap,
  annotations: UPDATE,
  run: ({ shift_swap_id, ...body }, { backend }) => backend.shiftSwaps.update(shift_swap_id, body, 'patch'),
  async text(s, { names }) {
    return `Updated: ${formatSwap(s, await names.book(...namesForSwaps))}`;
  },
});

export const deleteShiftSwap = defineTool({
  name: 'delete_shift_swap',
  toolset: 'schedules',
  title: 'Withdraw a shift swap request',
  description: 'Withdraw a swap request. If it was taken, the shifts go back to the person who asked.',
  input: z.object({ shift_swap_id: id('Swap request id (SSR…).') }),
  output: ShiftSwap.extend({ deleted: z.literal(true) }),
  annotations: DESTRUCTIVE,
  async run({ shift_swap_id }, ctx) {
    const swap = await ctx.backend.shiftSwaps.get(shift_swap_id);
    await confirmDelete(ctx, async () => `Withdraw this swap request? ${formatSwap(swap, await ctx.names.book(...namesForSwaps))}`);
    await ctx.backend.shiftSwaps.delete(shift_swap_id);
    return { ...swap, deleted: true as const };
  },
  async text(s, { names }) {
    const book = await names.book(...namesForSwaps);
    const back = s.benefactor ? ' The shifts it covered are back with the person who asked.' : '';
    return `Withdrawn: ${formatSwap(s, book)}.${back}`;
  },
});
