/**
 * Schedules (semantics.md §3.3): web and calendar schedules with their shifts, `on_call_now`,
 * and the final shifts of a window. iCal schedules need their calendar downloaded, which the
 * embedded engine does not do; it says so rather than pretending.
 *
 * One deliberate difference: a calendar schedule with `enable_web_overrides` accepts override
 * shifts in its `shifts`, so overrides can be made through the API at all (OnCall only makes them
 * in its web UI).
 */
import { IANAZone } from 'luxon';
import { ApiError, badRequest, notFound } from '../../api/errors.js';
import type { OnCallBackend } from '../../api/backend.js';
import type { FinalShift, Schedule } from '../../api/types.js';
import { type EngineContext, teamFilter } from '../core/context.js';
import { paginate, queryStrings } from '../core/pagination.js';
import type { FinalEvent } from './math/index.js';
import { scheduleInputs } from './schedule-memo.js';
import { deepFreeze, eventsAround, scheduleOnCallAt } from './schedule-resolver.js';
import type { ScheduleRecord, State } from '../core/state.js';
import { isoZ } from '../core/time-format.js';
import { asBody, type Body, FieldErrors, has, MSG, readBoolean, readRelatedId, readString } from '../core/validation.js';

export const SCHEDULE_PATH = '/api/v1/schedules/';
const DAY = 86_400_000;

export function representSchedule(ctx: EngineContext, schedule: ScheduleRecord): Schedule {
  const base = {
    id: schedule.id,
    team_id: schedule.team_id,
    name: schedule.name,
    type: schedule.type,
  };
  const onCallNow = scheduleOnCallAt(ctx.state, schedule, ctx.clock.now());
  const slack = { ...schedule.slack };
  if (schedule.type === 'ical') {
    return {
      ...base,
      ical_url_primary: schedule.ical_url_primary,
      ical_url_overrides: schedule.ical_url_overrides,
      on_call_now: onCallNow,
      slack,
    };
  }
  const out: Schedule = {
    ...base,
    time_zone: schedule.time_zone,
    on_call_now: onCallNow,
    shifts: [...schedule.shifts],
    slack,
  };
  if (schedule.type === 'calendar') {
    out.ical_url_overrides = schedule.ical_url_overrides;
    out.enable_web_overrides = schedule.enable_web_overrides;
  }
  return out;
}

/** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`, as UTC (the formats final_shifts accepts). */
function parseDateParam(errors: FieldErrors, field: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') {
    errors.add(field, MSG.required);
    return undefined;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(raw);
  const ms = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0)) : Number.NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).getUTCDate() !== +m[3]!) {
    errors.add(field, 'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm, YYYY-MM-DD.');
    return undefined;
  }
  return ms;
}

export function schedules(ctx: EngineContext): OnCallBackend['schedules'] {
  const { state } = ctx;
  const get = (id: string) => {
    const schedule = state.schedules.get(id);
    if (!schedule) throw notFound('schedule', id);
    return schedule;
  };

  /** Parse the fields shared by create and update into a copy of `target`. */
  const parse = (body: Body, target: ScheduleRecord, creating: boolean): ScheduleRecord => {
    const errors = new FieldErrors();
    const next: ScheduleRecord = { ...target, shifts: [...target.shifts], slack: { ...target.slack } };
    const name = readString(errors, body, 'name', { required: creating, maxLength: 512 });
    if (name) next.name = name;
    const team = readRelatedId(errors, body, 'team_id', (id) => state.teams.has(id), { nullable: true, nullString: true });
    if (team !== undefined) next.team_id = team;
    if (next.type !== 'ical') {
      if (has(body, 'time_zone')) {
        const tz = body.time_zone;
        if (typeof tz !== 'string' || !IANAZone.isValidZone(tz)) errors.add('time_zone', 'Invalid timezone');
        else next.time_zone = tz;
      } else if (creating) errors.add('time_zone', MSG.required);
    }
    if (next.type === 'calendar') {
      const overrides = readString(errors, body, 'ical_url_overrides', { nullable: true });
      if (overrides !== undefined) next.ical_url_overrides = overrides;
      const web = readBoolean(errors, body, 'enable_web_overrides');
      if (web !== undefined && web !== null) next.enable_web_overrides = web;
    }
    if (has(body, 'slack')) applySlack(state, body.slack, next, errors);
    errors.throwIfAny();
    if (has(body, 'shifts')) next.shifts = checkShifts(state, body.shifts, next);
    return next;
  };

  return {
    async list(query) {
      const byTeam = teamFilter(state, query.team_id);
      const items = [...state.schedules.values()]
        .filter((s) => query.name === undefined || s.name === query.name)
        .filter((s) => !byTeam || byTeam(s.team_id));
      const request = { path: SCHEDULE_PATH, query: queryStrings(query), defaultSize: 50 };
      return paginate(items, ctx.publicUrl, request, (s) => representSchedule(ctx, s));
    },

    async get(id) {
      return representSchedule(ctx, get(id));
    },

    async create(raw) {
      const body = asBody(raw);
      if (!has(body, 'type')) throw new ApiError(400, { type: [MSG.required] });
      if (!['web', 'calendar', 'ical'].includes(body.type as string)) throw new ApiError(400, { type: ['Invalid type'] });
      if (body.type === 'ical') {
        throw badRequest(
          'iCal schedules are not supported by the embedded engine; create a calendar schedule and add its shifts',
        );
      }
      const schedule = parse(body, blankSchedule(ctx.newId('S'), body.type as 'web' | 'calendar'), true);
      state.schedules.set(schedule.id, schedule);
      ctx.commit(['schedules']);
      return representSchedule(ctx, schedule);
    },

    async update(id, raw) {
      const current = get(id);
      if (current.type === 'web') throw badRequest('Web schedule update is not enabled through API');
      const next = parse(asBody(raw), current, false);
      Object.assign(current, next);
      ctx.commit(['schedules']);
      return representSchedule(ctx, current);
    },

    async delete(id) {
      get(id);
      state.schedules.delete(id);
      for (const policy of state.policies.values()) if (policy.scheduleId === id) policy.scheduleId = null;
      for (const swap of state.swaps.values()) if (swap.schedule === id) swap.deleted = true;
      ctx.commit(['schedules', 'policies', 'swaps']);
    },

    async finalShifts(id, query) {
      const schedule = get(id);
      const errors = new FieldErrors();
      const from = parseDateParam(errors, 'start_date', query.start_date);
      const to = parseDateParam(errors, 'end_date', query.end_date);
      errors.throwIfAny();
      if (from! > to!) throw new ApiError(400, { non_field_errors: ['start_date must be less than or equal to end_date'] });
      if (to! - from! > 365 * DAY) {
        throw new ApiError(400, {
          non_field_errors: ['The difference between start_date and end_date must be less than one year (365 days)'],
        });
      }
      const results = finalShiftItems(state, schedule, from!, to!, ctx.clock.now());
      // OnCall returns every item on one mocked page. The list is the frozen one kept for this
      // window: nothing edits a page's results, and a reader may reuse what it derived from it.
      return {
        count: results.length,
        next: null,
        previous: null,
        results: results as FinalShift[],
        page_size: 50,
        current_page_number: 1,
        total_pages: 1,
      };
    },
  };
}

/**
 * One item per user per final event, clipped to [from, to]. Kept per schedule and window until a
 * write changes the schedule (schedule-memo.ts): the list and its items are shared, frozen. The
 * events come from the whole days around the window, so windows a minute apart (who is on call
 * from now, over the next days) share them and only the clipping is redone.
 */
export function finalShiftItems(
  state: State,
  schedule: ScheduleRecord,
  from: number,
  to: number,
  now: number,
): readonly FinalShift[] {
  const inputs = scheduleInputs(state, schedule);
  return inputs.derive(`final shifts ${from} ${to} ${inputs.phase(now)}`, () =>
    deepFreeze(buildFinalShiftItems(state, eventsAround(inputs, from, to, now).events, from, to)),
  );
}

function buildFinalShiftItems(state: State, events: readonly FinalEvent[], from: number, to: number): FinalShift[] {
  // One event's end is usually the next one's start, and every user of an event shares its times.
  const printed = new Map<number, string>();
  const iso = (ms: number) => {
    let text = printed.get(ms);
    if (text === undefined) printed.set(ms, (text = isoZ(ms)));
    return text;
  };
  const items: Array<{ start: number; end: number; item: FinalShift }> = [];
  for (const event of events) {
    if (event.isGap || event.isEmpty) continue;
    const start = Math.max(event.start, from);
    const end = Math.min(event.end, to);
    if (end <= start) continue;
    for (const userId of event.users) {
      const user = state.users.get(userId);
      if (!user) continue;
      items.push({
        start,
        end,
        item: {
          user_pk: user.id,
          user_email: user.email,
          user_username: user.username,
          shift_start: iso(start),
          shift_end: iso(end),
        },
      });
    }
  }
  // By start (the instant: the same order as its printed form, cheaper to compare), username, end.
  items.sort(
    (a, b) => a.start - b.start || a.item.user_username.localeCompare(b.item.user_username) || a.end - b.end,
  );
  return items.map((i) => i.item);
}

export function blankSchedule(id: string, type: ScheduleRecord['type']): ScheduleRecord {
  return {
    id,
    name: '',
    team_id: null,
    type,
    time_zone: null,
    shifts: [],
    ical_url_primary: null,
    ical_url_overrides: null,
    enable_web_overrides: false,
    slack: { channel_id: null, user_group_id: null },
  };
}

function applySlack(state: State, raw: unknown, next: ScheduleRecord, errors: FieldErrors): void {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    errors.add('slack', MSG.notADict(raw));
    return;
  }
  const slack = raw as Body;
  const org = state.organization;
  if (!org.slack_team_id && (slack.channel_id || slack.user_group_id)) {
    throw badRequest('Slack isn\'t connected to this workspace');
  }
  if (has(slack, 'channel_id')) {
    const id = typeof slack.channel_id === 'string' ? slack.channel_id.toUpperCase() : null;
    if (id && !org.slack_channels.some((c) => c.slack_id.toUpperCase() === id)) throw badRequest('Slack channel does not exist');
    next.slack.channel_id = id;
  }
  if (has(slack, 'user_group_id')) {
    const id = typeof slack.user_group_id === 'string' ? slack.user_group_id.toUpperCase() : null;
    if (id && ![...state.userGroups.values()].some((g) => g.slack.id.toUpperCase() === id)) {
      throw badRequest('Slack user group does not exist');
    }
    next.slack.user_group_id = id;
  }
}

/** The `shifts` of a schedule: known ids (others dropped, as OnCall does), same team, overrides per type. */
function checkShifts(state: State, raw: unknown, schedule: ScheduleRecord): string[] {
  if (raw === null) return [];
  if (!Array.isArray(raw)) throw new ApiError(400, { shifts: [MSG.notAList(raw)] });
  const ids = [...new Set(raw.filter((id): id is string => typeof id === 'string' && state.shifts.has(id)))];
  for (const id of ids) {
    const shift = state.shifts.get(id)!;
    if (shift.team_id !== schedule.team_id) throw badRequest('Shifts must be assigned to the same team as the schedule');
    if (schedule.type === 'calendar' && shift.type === 'override' && !schedule.enable_web_overrides) {
      throw badRequest('Shifts of type override are not supported in this schedule');
    }
  }
  return ids;
}
