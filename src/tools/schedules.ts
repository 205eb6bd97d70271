import * as z from 'zod';
import { pageSchema } from '../api/pagination.js';
import { FinalShift, OnCallShift, Schedule, ShiftSwap, WEEKDAY_CODES } from '../api/types.js';
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
import { formatFinalShiftSummary } from './summaries.js';
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
} from './params.js';

const namesForSchedules = ['users', 'teams'] as const;
const namesForSwaps = ['users', 'schedules', 'scheduleZones'] as const;

export const listSchedules = defineTool({
  name: 'list_schedules',
  toolset: 'schedules',
  title: 'List schedules and who is on call in each',
  description:
    'On-call schedules with their time zone and who is on call in each right now. Filter by part of the name '
    + '(case-insensitive) or team. list_schedule_shifts shows who is on call over a period.',
  input: z.object({
    name: z.string().optional().describe('Part of the schedule name, case-insensitive: "primary" finds "Primary Rotation".'),
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
  description: 'One schedule: time zone, its on-call shifts (layers, rotations, overrides) and who is on call now.',
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

export const listScheduleShifts = defineTool({
  name: 'list_schedule_shifts',
  toolset: 'schedules',
  title: 'Who is on call in a schedule over a period',
  description:
    'The final schedule between two dates: rotations, layers, overrides and taken swaps resolved, one item per person '
    + 'and stretch, clipped to the period (at most 365 days). The text sums up each person (hours, stretches, first '
    + 'and last) and lists the first stretches; the structured content has them all.',
  input: z.object({
    schedule_id: ScheduleId,
    start_date: z.string().describe('Start, UTC: YYYY-MM-DD or YYYY-MM-DDTHH:MM.'),
    end_date: z.string().describe('End, UTC: YYYY-MM-DD or YYYY-MM-DDTHH:MM; at most 365 days after start_date.'),
  }),
  output: pageSchema(FinalShift),
  annotations: READ_ONLY,
  run: ({ schedule_id, ...query }, { backend }) => backend.schedules.finalShifts(schedule_id, query),
  async text(page, { args, names }) {
    const book = await names.book('schedules', 'scheduleZones');
    const zone = book.scheduleZones.get(args.schedule_id) ?? null;
    const name = book.schedules.get(args.schedule_id);
    const scheduleLabel = name ? `"${name}" (${args.schedule_id})` : args.schedule_id;
    const period = { scheduleLabel, start: utcArgument(args.start_date), end: utcArgument(args.end_date), zone };
    if (!page.results.length) {
      return `Nobody is on call in ${scheduleLabel} from ${formatInstant(period.start, zone)} to ${formatInstant(period.end, zone)}.`;
    }
    return formatFinalShiftSummary(page.results, period, (start) => `The rest: the same call with start_date=${start}.`);
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
    channel_id: z.string().nullable().optional().describe('Slack channel id for shift notices, or null.'),
    user_group_id: z.string().nullable().optional().describe('Slack user group kept in sync with who is on call.'),
  })
  .describe('Slack settings.');

const scheduleFields = {
  name: z.string().describe('Schedule name (need not be unique).'),
  time_zone: z.string().describe('IANA time zone shifts are shown in and default to, e.g. Europe/Berlin.'),
  team_id: TeamId,
  shifts: z
    .array(z.string())
    .describe('All on-call shift ids ("O…") of the schedule; replaces the list. Shifts must belong to the same team.'),
  enable_web_overrides: z
    .boolean()
    .describe('calendar: allow override shifts in `shifts` (they win over every layer).'),
  slack: SlackInput,
};
const optionalScheduleFields = allOptional(scheduleFields);

export const createSchedule = defineTool({
  name: 'create_schedule',
  toolset: 'schedules',
  title: 'Create a schedule',
  description:
    'Create a schedule. Use type calendar to manage its shifts through the API (web schedules cannot be changed '
    + 'after creation). Create the shifts first with create_on_call_shift, then list them in `shifts`.',
  input: z.object({
    type: z.enum(['calendar', 'web']).describe('calendar (editable through the API) or web.'),
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
    'Change a calendar schedule: name, time zone, team, its shifts (the whole list), overrides, Slack. Fields left '
    + 'out stay. Web schedules cannot be changed through the API.',
  input: z.object({ schedule_id: ScheduleId, ...optionalScheduleFields }),
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
    'Delete a schedule. Escalation steps that notified its on-call people are left without a schedule and notify '
    + 'nobody until changed: the answer lists them (the human is asked first when the client can ask). Its shifts '
    + 'are kept.',
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
  description: 'The shift definitions behind schedules: rotations, recurring layers and overrides. Filter by schedule.',
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
  name: z.string().describe('Shift name, unique in the organisation.'),
  type: z
    .enum(['rolling_users', 'recurrent_event', 'single_event', 'override'])
    .describe(
      'rolling_users: a rotation through groups of people; recurrent_event: the same people on a repeating '
      + 'pattern; single_event: once; override: replaces everyone else for its time.',
    ),
  start: LocalDateTime.describe('First occurrence start, wall clock YYYY-MM-DDTHH:MM:SS in time_zone.'),
  duration: z.number().int().min(1).meta({ maximum: undefined }).describe('Length of each occurrence, seconds.'),
  time_zone: z.string().nullable().describe('IANA zone of the wall-clock times (null: the schedule\'s zone).'),
  level: z.number().int().min(0).meta({ maximum: undefined }).describe('Layer priority: higher levels win.'),
  rotation_start: LocalDateTime.describe('When the rotation takes effect (default start).'),
  until: z.string().nullable().describe('Last occurrence start, YYYY-MM-DDTHH:MM:SS, inclusive (null: forever).'),
  frequency: z.enum(['hourly', 'daily', 'weekly', 'monthly']).describe('How it repeats (not for single_event or override).'),
  interval: z.number().int().min(1).meta({ maximum: undefined }).describe('Repeat every N frequency units (per turn).'),
  week_start: Weekday.describe('First day of the week (required for weekly): rotation turns change there.'),
  by_day: z.array(Weekday).describe('Only on these weekdays, e.g. ["MO","TU","WE","TH","FR"].'),
  by_month: z.array(z.number().int().min(1).max(12)).describe('Only in these months (1-12).'),
  by_monthday: z.array(z.number().int().min(-31).max(31)).describe('Only on these days of the month (1..31, -1 = last).'),
  users: z.array(z.string()).describe('single_event, recurrent_event, override: user ids ("U…") on call together.'),
  rolling_users: z
    .array(z.array(z.string()))
    .describe('rolling_users: groups of user ids in turn order, e.g. [["U1"],["U2","U3"]].'),
  start_rotation_from_user_index: z
    .number()
    .int()
    .min(0)
    .meta({ maximum: undefined })
    .describe('rolling_users: which group is on first (0-based). Required for rolling_users.'),
  team_id: TeamId,
};
const optionalShiftFields = allOptional(shiftFields);

export const createOnCallShift = defineTool({
  name: 'create_on_call_shift',
  toolset: 'schedules',
  title: 'Create an on-call shift (rotation, layer or override)',
  description:
    'Create a shift definition, then add its id to a calendar schedule\'s `shifts` with update_schedule. Times are '
    + 'wall clock in time_zone and keep their local time across daylight saving.',
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
  description: 'Change a shift definition. Fields left out stay; fields its type does not use are cleared.',
  input: z.object({ on_call_shift_id: ShiftId, ...optionalShiftFields }),
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
  description: 'Delete a shift definition; it is removed from every schedule that used it.',
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
  description: 'Requests to give away on-call time, by default those starting from now. Taken ones change who is on call.',
  input: z.object({
    schedule_id: ScheduleId.optional(),
    beneficiary: UserId.optional().describe('Only requests by this user ("U…").'),
    benefactor: UserId.optional().describe('Only requests taken by this user ("U…").'),
    starting_after: ZonedDateTime.optional().describe('Only swaps starting at or after this instant (default now).'),
    open_only: z.boolean().optional().describe('Only requests nobody has taken yet.'),
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

export const createShiftSwap = defineTool({
  name: 'create_shift_swap',
  toolset: 'schedules',
  title: 'Ask for someone to take your on-call time',
  description:
    'Open a swap request: the beneficiary gives away their on-call time in a schedule between swap_start and '
    + 'swap_end. Nothing changes until someone takes it (take_shift_swap).',
  input: z.object({
    schedule: ScheduleId,
    swap_start: ZonedDateTime.describe('Start, in the future, with zone, e.g. 2026-12-24T09:00:00Z.'),
    swap_end: ZonedDateTime.describe('End, after swap_start.'),
    beneficiary: UserId.describe('User giving the time away ("U…").'),
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
  description: 'The benefactor takes an open swap request: from then on they are on call instead of the beneficiary.',
  input: z.object({
    shift_swap_id: z.string().min(1).describe('Swap request id ("SSR…"), see list_shift_swaps.'),
    benefactor: UserId.describe('User taking over the time ("U…").'),
  }),
  output: ShiftSwap,
  annotations: UPDATE,
  run: ({ shift_swap_id, benefactor }, { backend }) => backend.shiftSwaps.take(shift_swap_id, { benefactor }),
  async text(s, { names }) {
    return `Taken: ${formatSwap(s, await names.book(...namesForSwaps))}`;
  },
});
