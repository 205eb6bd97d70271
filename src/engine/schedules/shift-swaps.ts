/**
 * Shift swap requests (semantics.md §3.1). Only taken swaps that have not expired change who is
 * on call (the resolver applies them before layering); open ones past their start are past due.
 */
import { ApiError, badRequest, notFound } from '../../api/errors.js';
import type { OnCallBackend } from '../../api/backend.js';
import type { ShiftSwap } from '../../api/types.js';
import type { EngineContext } from '../core/context.js';
import { paginate, queryStrings } from '../core/pagination.js';
import type { State, SwapRecord } from '../core/state.js';
import { isoZ, parseZonedInstant } from '../core/time-format.js';
import { asBody, type Body, FieldErrors, has, MSG, parseBoolean, readRelatedId, readString } from '../core/validation.js';

export const SWAP_PATH = '/api/v1/shift_swaps/';

export function swapStatus(swap: SwapRecord, now: number): ShiftSwap['status'] {
  if (swap.deleted) return 'deleted';
  if (swap.benefactor) return 'taken';
  return now > swap.swap_start ? 'past_due' : 'open';
}

export function representSwap(swap: SwapRecord, now: number): ShiftSwap {
  return {
    id: swap.id,
    created_at: isoZ(swap.created_at),
    updated_at: isoZ(swap.updated_at),
    status: swapStatus(swap, now),
    schedule: swap.schedule,
    swap_start: isoZ(swap.swap_start),
    swap_end: isoZ(swap.swap_end),
    description: swap.description,
    beneficiary: swap.beneficiary,
    benefactor: swap.benefactor,
  };
}

const ZONED_FORMAT = 'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].';

function readInstant(errors: FieldErrors, body: Body, field: string): number | undefined {
  if (!has(body, field)) {
    errors.add(field, MSG.required);
    return undefined;
  }
  const ms = parseZonedInstant(body[field]);
  if (ms === undefined) errors.add(field, ZONED_FORMAT);
  return ms;
}

function readUser(state: State, body: Body, field: 'beneficiary' | 'benefactor'): string {
  const id = body[field];
  if (id === undefined || id === null || id === '') throw badRequest(`${field} user ID is required`);
  if (typeof id !== 'string' || !state.users.has(id)) throw badRequest(`Invalid ${field} user ID`);
  return id;
}

/** OnCall's serializer check, as a whole-object error: a start in the past, or an end before it. */
function checkTimes(start: number, end: number, now: number): void {
  if (now > start) throw new ApiError(400, { non_field_errors: ['swap_start must be a datetime in the future'] });
  if (start > end) throw new ApiError(400, { non_field_errors: ['swap_end must occur after swap_start'] });
}

export function shiftSwaps(ctx: EngineContext): OnCallBackend['shiftSwaps'] {
  const { state } = ctx;
  const startingAfter = (raw: string | undefined): number => {
    if (raw === undefined) return ctx.clock.now();
    const parsed = parseZonedInstant(raw);
    if (parsed === undefined) throw new ApiError(400, { starting_after: [ZONED_FORMAT] });
    return parsed;
  };
  /**
   * OnCall's detail views look a swap up in the list's query set (swaps starting at or after
   * `starting_after`, default now), so a request that has started is 404 by id: it can no longer
   * be fetched, changed, withdrawn or taken (semantics.md §3.1).
   */
  const get = (id: string, after = ctx.clock.now()) => {
    const swap = state.swaps.get(id);
    if (!swap || swap.deleted || swap.swap_start < after) throw notFound('shift_swap', id);
    return swap;
  };

  return {
    async list(query) {
      const now = ctx.clock.now();
      const after = startingAfter(query.starting_after);
      const openOnly = query.open_only !== undefined && parseBoolean(query.open_only) === true;
      const items = [...state.swaps.values()]
        .filter((s) => !s.deleted && s.swap_start >= after)
        .filter((s) => query.schedule_id === undefined || s.schedule === query.schedule_id)
        .filter((s) => query.beneficiary === undefined || s.beneficiary === query.beneficiary)
        .filter((s) => query.benefactor === undefined || s.benefactor === query.benefactor)
        .filter((s) => !openOnly || swapStatus(s, now) === 'open')
        .sort((a, b) => a.swap_start - b.swap_start)
        .map((s) => representSwap(s, now));
      return paginate(items, ctx.publicUrl, { path: SWAP_PATH, query: queryStrings(query), defaultSize: 50 });
    },

    async get(id, query) {
      return representSwap(get(id, startingAfter(query?.starting_after)), ctx.clock.now());
    },

    async create(raw) {
      const body = asBody(raw);
      const beneficiary = readUser(state, body, 'beneficiary');
      const errors = new FieldErrors();
      const schedule = readRelatedId(errors, body, 'schedule', (id) => state.schedules.has(id), { required: true });
      const start = readInstant(errors, body, 'swap_start');
      const end = readInstant(errors, body, 'swap_end');
      const description = readString(errors, body, 'description', { nullable: true, allowBlank: true, maxLength: 3000 });
      errors.throwIfAny();
      const now = ctx.clock.now();
      checkTimes(start!, end!, now);
      const swap: SwapRecord = {
        id: ctx.newId('SSR'),
        schedule: schedule!,
        swap_start: start!,
        swap_end: end!,
        description: description ?? null,
        beneficiary,
        benefactor: null,
        created_at: now,
        updated_at: now,
        deleted: false,
      };
      state.swaps.set(swap.id, swap);
      ctx.commit(['swaps']);
      return representSwap(swap, now);
    },

    async update(id, raw, mode = 'patch') {
      const swap = get(id);
      const body = asBody(raw);
      const partial = mode === 'patch';
      const errors = new FieldErrors();
      // beneficiary, benefactor and status are read-only: a swap never changes hands by update.
      const schedule = partial && !has(body, 'schedule')
        ? undefined
        : readRelatedId(errors, body, 'schedule', (sid) => state.schedules.has(sid), { required: true });
      const start = partial && !has(body, 'swap_start') ? undefined : readInstant(errors, body, 'swap_start');
      const end = partial && !has(body, 'swap_end') ? undefined : readInstant(errors, body, 'swap_end');
      const description = readString(errors, body, 'description', { nullable: true, allowBlank: true, maxLength: 3000 });
      errors.throwIfAny();
      const now = ctx.clock.now();
      if (partial && (start === undefined) !== (end === undefined)) {
        throw new ApiError(400, {
          non_field_errors: ['when doing a partial update on time related fields, both start and end times must be specified'],
        });
      }
      if (start !== undefined && end !== undefined) checkTimes(start, end, now);
      if (schedule) swap.schedule = schedule;
      if (start !== undefined) swap.swap_start = start;
      if (end !== undefined) swap.swap_end = end;
      if (description !== undefined) swap.description = description;
      swap.updated_at = now;
      ctx.commit(['swaps']);
      return representSwap(swap, now);
    },

    async delete(id) {
      const swap = get(id);
      // Kept, as OnCall keeps it: a deleted request changes nobody's shifts and is listed nowhere.
      swap.deleted = true;
      swap.updated_at = ctx.clock.now();
      ctx.commit(['swaps']);
    },

    async take(id, raw) {
      const swap = get(id);
      const benefactor = readUser(state, asBody(raw), 'benefactor');
      const now = ctx.clock.now();
      if (swapStatus(swap, now) !== 'open') {
        throw badRequest('The shift swap request is not in a state which allows it to be taken');
      }
      if (benefactor === swap.beneficiary) {
        throw badRequest('A shift swap request cannot be created and taken by the same user');
      }
      swap.benefactor = benefactor;
      swap.updated_at = now;
      ctx.commit(['swaps']);
      return representSwap(swap, now);
    },
  };
}
