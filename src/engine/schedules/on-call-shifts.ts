/**
 * On-call shifts (semantics.md §2) with OnCall's public-API validation and messages: type,
 * frequency and week_start checks, the per-type field corrections, rolling user groups, and ours:
 * times that fall in a DST gap or fold are refused, naming the field.
 */
import { IANAZone } from 'luxon';
import { badRequest, notFound } from '../../api/errors.js';
import { fieldError } from '../core/validation.js';
import type { OnCallBackend, ShiftBody } from '../../api/backend.js';
import type { OnCallShift } from '../../api/types.js';
import { type EngineContext, teamFilter } from '../core/context.js';
import { paginate, queryStrings } from '../core/pagination.js';
import { validateShift } from './math/index.js';
import { toDefinition } from './schedule-resolver.js';
import {
  type ShiftFrequency,
  type ShiftRecord,
  type ShiftType,
  type State,
  WEEKDAYS,
  type Weekday,
} from '../core/state.js';
import { MAX_WINDOW_SECONDS } from '../core/bounds.js';
import { asBody, type Body, FieldErrors, has, MSG, parseInteger, readInteger, readRelatedId, readString } from '../core/validation.js';

export const SHIFT_PATH = '/api/v1/on_call_shifts/';
const SHIFT_TYPES: readonly ShiftType[] = ['single_event', 'recurrent_event', 'rolling_users', 'override'];
const FREQUENCIES: readonly ShiftFrequency[] = ['hourly', 'daily', 'weekly', 'monthly'];
const LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

/** Fields each type does not use: hidden in output, reset on write. */
const UNUSED_BY_TYPE: Record<ShiftType, readonly (keyof OnCallShift)[]> = {
  single_event: [
    'frequency',
    'interval',
    'until',
    'by_day',
    'by_month',
    'by_monthday',
    'week_start',
    'rolling_users',
    'start_rotation_from_user_index',
  ],
  recurrent_event: ['rolling_users', 'start_rotation_from_user_index'],
  rolling_users: ['users'],
  override: [
    'level',
    'frequency',
    'interval',
    'until',
    'by_day',
    'by_month',
    'by_monthday',
    'week_start',
    'rolling_users',
    'start_rotation_from_user_index',
  ],
};

export function representShift(shift: ShiftRecord): OnCallShift {
  const out: Record<string, unknown> = {
    id: shift.id,
    team_id: shift.team_id,
    name: shift.name,
    type: shift.type,
    time_zone: shift.time_zone,
    level: shift.level,
    start: shift.start,
    duration: shift.duration,
    rotation_start: shift.rotation_start,
    frequency: shift.frequency,
    interval: shift.interval,
    until: shift.until,
    week_start: shift.week_start,
    by_day: shift.by_day,
    by_month: shift.by_month,
    by_monthday: shift.by_monthday,
    users: [...shift.users],
    rolling_users: shift.rolling_users?.map((g) => [...g]) ?? null,
    start_rotation_from_user_index: shift.start_rotation_from_user_index,
  };
  for (const field of UNUSED_BY_TYPE[shift.type]) delete out[field];
  if (shift.frequency !== 'weekly') delete out.week_start;
  return out as OnCallShift;
}

/** `YYYY-MM-DDTHH:MM:SS` with a real calendar date and time. */
export function isLocalDateTime(value: unknown): value is string {
  const m = typeof value === 'string' ? LOCAL_DATETIME.exec(value) : null;
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
}

/** A rotation repeating less often than every 1000 days, weeks or months repeats beyond any calendar. */
const MAX_INTERVAL = 1000;

const DATETIME_FORMAT = 'Invalid datetime format, should be "yyyy-mm-dd\'T\'hh:mm:ss"';

/** DRF DurationField input: seconds as a number or numeric string, or `[DD ]HH:MM:SS`. */
function parseDuration(raw: unknown): number | undefined {
  const n = parseInteger(raw);
  if (n !== undefined) return n;
  if (typeof raw === 'number' && Number.isFinite(raw)) return Math.trunc(raw);
  if (typeof raw !== 'string') return undefined;
  const m = /^(?:(\d+) )?(\d{1,2}):(\d{1,2}):(\d{1,2})$/.exec(raw.trim());
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

interface ParsedShift {
  name?: string;
  type?: ShiftType;
  team_id?: string | null;
  time_zone?: string | null;
  level?: number;
  start?: string;
  duration?: number;
  rotation_start?: string;
  until?: string | null;
  frequency?: ShiftFrequency | null;
  interval?: number | null;
  week_start?: Weekday;
  by_day?: Weekday[] | null;
  by_month?: number[] | null;
  by_monthday?: number[] | null;
  users?: string[];
  rolling_users?: string[][] | null;
  start_rotation_from_user_index?: number | null;
  source?: ShiftRecord['source'];
}

function userIds(state: State, raw: unknown[]): string[] {
  return raw.filter((id): id is string => typeof id === 'string' && state.users.has(id));
}

/**
 * Parse a shift body. Format problems of start/rotation_start/until, the type, frequency,
 * week_start and the day/month lists are OnCall's short-circuit `{"detail": …}`; the rest collect.
 */
function parseShift(state: State, body: Body, errors: FieldErrors, creating: boolean, exceptId?: string): ParsedShift {
  const out: ParsedShift = {};
  out.source = body.source === 'web' || body.source === 'terraform' ? body.source : 'api';
  for (const field of ['start', 'rotation_start', 'until'] as const) {
    const value = body[field];
    if (value !== undefined && value !== null && !isLocalDateTime(value)) throw badRequest(DATETIME_FORMAT);
  }

  const name = readString(errors, body, 'name', { required: creating });
  if (name) {
    for (const other of state.shifts.values()) {
      if (other.name === name && other.id !== exceptId) throw badRequest('On-call shift with this name already exists');
    }
    out.name = name;
  }
  if (has(body, 'type')) {
    if (!SHIFT_TYPES.includes(body.type as ShiftType)) throw badRequest('Invalid shift type');
    out.type = body.type as ShiftType;
  } else if (creating) errors.add('type', MSG.required);

  const team = readRelatedId(errors, body, 'team_id', (id) => state.teams.has(id), { nullable: true, nullString: true });
  if (team !== undefined) out.team_id = team;
  if (has(body, 'time_zone')) {
    const tz = body.time_zone;
    if (tz === null) out.time_zone = null;
    else if (typeof tz !== 'string' || !IANAZone.isValidZone(tz)) errors.add('time_zone', 'Invalid timezone');
    else out.time_zone = tz === 'Etc/UTC' ? 'UTC' : tz;
  }
  const level = readInteger(errors, body, 'level');
  if (level !== undefined && level !== null) out.level = level;

  if (has(body, 'start')) out.start = body.start as string;
  else if (creating) errors.add('start', MSG.required);
  if (has(body, 'rotation_start')) out.rotation_start = body.rotation_start as string;
  if (has(body, 'until')) out.until = (body.until as string | null) ?? null;
  if (has(body, 'duration')) {
    const seconds = parseDuration(body.duration);
    if (seconds === undefined) {
      errors.add('duration', 'Duration has wrong format. Use one of these formats instead: [DD] [HH:[MM:]]ss[.uuuuuu].');
    } else if (seconds <= 0) errors.add('duration', 'Duration must be positive.');
    else if (seconds > MAX_WINDOW_SECONDS) {
      errors.add('duration', `Duration must be at most ${MAX_WINDOW_SECONDS} seconds (a year); split longer cover into several shifts.`);
    } else out.duration = seconds;
  } else if (creating) errors.add('duration', MSG.required);

  if (has(body, 'frequency')) {
    if (body.frequency === null) out.frequency = null;
    else if (!FREQUENCIES.includes(body.frequency as ShiftFrequency)) throw badRequest('Invalid frequency type');
    else out.frequency = body.frequency as ShiftFrequency;
  }
  if (has(body, 'interval') && body.interval !== null) {
    if (typeof body.interval !== 'number' || !Number.isInteger(body.interval) || body.interval <= 0) {
      throw badRequest('Invalid value for interval');
    }
    if (body.interval > MAX_INTERVAL) {
      throw badRequest(`Invalid value for interval: at most ${MAX_INTERVAL} (the shift would next repeat centuries from now)`);
    }
    out.interval = body.interval;
  } else if (has(body, 'interval')) out.interval = null;
  if (has(body, 'week_start')) {
    if (!WEEKDAYS.includes(body.week_start as Weekday)) {
      throw badRequest(
        'Invalid day format for week start field. Should be one of the following: \'MO\', \'TU\', \'WE\', \'TH\', \'FR\', \'SA\', \'SU\'',
      );
    }
    out.week_start = body.week_start as Weekday;
  }
  const list = (field: 'by_day' | 'by_month' | 'by_monthday'): unknown[] | null | undefined => {
    if (!has(body, field)) return undefined;
    if (body[field] === null) return null;
    if (!Array.isArray(body[field])) {
      errors.add(field, MSG.notAList(body[field]));
      return undefined;
    }
    return body[field] as unknown[];
  };
  const byDay = list('by_day');
  if (byDay?.some((d) => !WEEKDAYS.includes(d as Weekday))) {
    throw badRequest('Invalid day value in by_day field. Valid values: \'MO\', \'TU\', \'WE\', \'TH\', \'FR\', \'SA\', \'SU\'');
  }
  if (byDay !== undefined) out.by_day = byDay?.length ? (byDay as Weekday[]) : null;
  const byMonth = list('by_month');
  if (byMonth?.some((m) => typeof m !== 'number' || !Number.isInteger(m) || m < 1 || m > 12)) {
    throw badRequest('Invalid month value in by_month field. Valid values: from 1 to 12');
  }
  if (byMonth !== undefined) out.by_month = byMonth?.length ? (byMonth as number[]) : null;
  const byMonthday = list('by_monthday');
  if (byMonthday?.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d === 0 || d < -31 || d > 31)) {
    throw badRequest('Invalid monthday value in by_monthday field. Valid values: from 1 to 31 and from -31 to -1');
  }
  if (byMonthday !== undefined) out.by_monthday = byMonthday?.length ? (byMonthday as number[]) : null;

  // Unknown user ids are dropped, as OnCall's user fields do; null means none (the Terraform case).
  if (has(body, 'users')) {
    if (body.users !== null && !Array.isArray(body.users)) errors.add('users', MSG.notAList(body.users));
    else out.users = userIds(state, (body.users as unknown[] | null) ?? []);
  }
  if (has(body, 'rolling_users')) {
    const raw = body.rolling_users;
    if (raw !== null && (!Array.isArray(raw) || raw.some((g) => !Array.isArray(g)))) {
      errors.add('rolling_users', 'Expected a list of lists of user ids.');
    } else {
      const groups = ((raw as unknown[][] | null) ?? []).map((g) => userIds(state, g)).filter((g) => g.length);
      out.rolling_users = groups.length ? groups : null;
    }
  }
  const index = readInteger(errors, body, 'start_rotation_from_user_index', { nullable: true, min: 0 });
  if (index !== undefined) out.start_rotation_from_user_index = index;
  return out;
}

/** The cross-field rules OnCall checks when saving, then its per-type corrections. */
function finish(
  shift: ShiftRecord,
  parsed: ParsedShift,
  creating: boolean,
  previousFrequency: ShiftFrequency | null,
): void {
  const frequencyChanged = creating || shift.frequency !== previousFrequency;
  if (frequencyChanged && shift.type !== 'single_event' && shift.type !== 'override') {
    if (shift.frequency === null) throw badRequest('Field \'frequency\' is required for this on-call shift type');
    if (shift.frequency === 'weekly' && parsed.week_start === undefined) {
      throw badRequest('Field \'week_start\' is required for frequency type \'weekly\'');
    }
  }
  if (shift.type === 'rolling_users' && shift.start_rotation_from_user_index === null) {
    throw badRequest('Field \'start_rotation_from_user_index\' is required for this on-call shift type');
  }
  if (shift.type === 'rolling_users' && shift.frequency === 'daily') {
    if (shift.by_monthday?.length) {
      throw badRequest(
        'Day limits are temporarily disabled for on-call shifts with type \'rolling_users\' and frequency \'daily\'',
      );
    }
    if (shift.by_day?.length && (shift.interval ?? 1) > shift.by_day.length) {
      throw badRequest('Interval must be less than or equal to the number of selected days');
    }
  }
  // Per-type corrections: unused fields are reset.
  for (const field of UNUSED_BY_TYPE[shift.type]) {
    if (field === 'users') shift.users = [];
    else if (field === 'level') shift.level = 0;
    else if (field !== 'week_start') (shift as unknown as Record<string, unknown>)[field] = null;
  }
  if (shift.frequency !== null && shift.interval === null) shift.interval = 1;
  // Overrides are one group of `users` (OnCall's API overrides would produce nothing: we fix that).
  if (shift.type === 'override') shift.rotation_start = shift.start;
}

export function blankShift(id: string): ShiftRecord {
  return {
    id,
    name: '',
    team_id: null,
    type: 'single_event',
    source: 'api',
    time_zone: null,
    level: 0,
    start: '',
    duration: 0,
    rotation_start: '',
    until: null,
    frequency: null,
    interval: null,
    week_start: 'SU',
    by_day: null,
    by_month: null,
    by_monthday: null,
    users: [],
    rolling_users: null,
    start_rotation_from_user_index: null,
  };
}

/** Our fix: a wall-clock time that does not exist, or exists twice, in the zone is refused. */
export function checkWallClock(state: State, shift: ShiftRecord): void {
  const apiField = { start: 'start', rotationStart: 'rotation_start', until: 'until' } as const;
  for (const problem of validateShift(toDefinition(state, shift))) {
    if (problem.field in apiField) throw fieldError(apiField[problem.field as keyof typeof apiField], problem.message);
  }
}

/** A new shift from an API body (or a data file entry), with every rule applied; throws ApiError. */
export function buildShift(state: State, raw: unknown, id: string): ShiftRecord {
  const body = asBody(raw);
  const errors = new FieldErrors();
  const parsed = parseShift(state, body, errors, true, id);
  errors.throwIfAny();
  const shift = blankShift(id);
  applyParsed(shift, parsed);
  if (!parsed.rotation_start) shift.rotation_start = shift.start;
  finish(shift, parsed, true, null);
  checkWallClock(state, shift);
  return shift;
}

function applyParsed(shift: ShiftRecord, parsed: ParsedShift): void {
  for (const [key, value] of Object.entries(parsed)) {
    if (value !== undefined) (shift as unknown as Record<string, unknown>)[key] = value;
  }
}

export function onCallShifts(ctx: EngineContext): OnCallBackend['onCallShifts'] {
  const { state } = ctx;
  const get = (id: string) => {
    const shift = state.shifts.get(id);
    if (!shift) throw notFound('on_call_shift', id);
    return shift;
  };

  return {
    async list(query) {
      const byTeam = teamFilter(state, query.team_id);
      const schedule = query.schedule_id === undefined ? undefined : state.schedules.get(query.schedule_id);
      const items = [...state.shifts.values()]
        .filter((s) => query.name === undefined || s.name === query.name)
        .filter((s) => !byTeam || byTeam(s.team_id))
        .filter((s) => query.schedule_id === undefined || (schedule?.shifts.includes(s.id) ?? false))
        .map(representShift);
      return paginate(items, ctx.publicUrl, { path: SHIFT_PATH, query: queryStrings(query), defaultSize: 50 });
    },

    async get(id) {
      return representShift(get(id));
    },

    async create(raw: ShiftBody) {
      const shift = buildShift(state, raw, ctx.newId('O'));
      state.shifts.set(shift.id, shift);
      ctx.commit(['shifts']);
      return representShift(shift);
    },

    async update(id, raw: ShiftBody) {
      const current = get(id);
      const body = asBody(raw);
      const errors = new FieldErrors();
      const parsed = parseShift(state, body, errors, false, id);
      errors.throwIfAny();
      // Work on a copy so a rule that fails leaves the shift as it was.
      const next: ShiftRecord = { ...current, users: [...current.users] };
      applyParsed(next, parsed);
      finish(next, parsed, false, current.frequency);
      checkWallClock(state, next);
      Object.assign(current, next);
      ctx.commit(['shifts']);
      return representShift(current);
    },

    async delete(id) {
      get(id);
      state.shifts.delete(id);
      for (const schedule of state.schedules.values()) schedule.shifts = schedule.shifts.filter((s) => s !== id);
      ctx.commit(['shifts', 'schedules']);
    },
  };
}
