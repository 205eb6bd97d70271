/**
 * `take_shift`: make someone the one on call in a schedule from now until a given instant ("take my
 * shift now"), with the public API alone, on the embedded engine and on a live OnCall alike:
 * - a calendar schedule gets a one-off shift for that person one level above its other shifts
 *   (higher levels win), added to its `shifts`: they are on call alone, gaps included;
 * - in a web schedule (its shifts cannot be edited through the API) or when `replacing` names one
 *   person, a shift swap request is opened for that person's time and taken by the user, so only
 *   that person's time moves, as OnCall's own swaps do.
 * Then the final schedule is read back: the answer says where the user is on call and where, and
 * why, they are not. A step that fails undoes the one before it, so nothing is left half-done.
 */
import * as z from 'zod';
import type { OnCallBackend } from '../api/backend.js';
import { collectAll } from '../api/pagination.js';
import type { FinalShift, Schedule } from '../api/types.js';
import { CREATE, defineTool, type ToolContext } from './define.js';
import { ToolError } from './errors.js';
import { formatInstant } from './format.js';
import { unreachablePeople } from './oncall/reachability.js';
import { ScheduleId, UserId, ZonedDateTime } from './params.js';

const MINUTE = 60_000;
/** Longer than this is a rotation change, not taking a shift. */
const MAX_DAYS = 31;
/**
 * OnCall refuses a swap that starts in the past; a request to a live OnCall arrives a little after
 * "now", so its swap starts this much later (the embedded engine's clock is exact).
 */
const LIVE_LEAD_MS = 15_000;

const Stretch = z.object({ from: z.string(), to: z.string() });

const isoZ = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** `final_shifts` takes UTC `YYYY-MM-DDTHH:MM`. */
const minuteOf = (ms: number) => new Date(ms).toISOString().slice(0, 16);

export const TakenShift = z.object({
  schedule_id: z.string(),
  user_id: z.string(),
  how: z.enum(['layer', 'swap']).describe('layer: a one-off shift above the others; swap: a shift swap request, taken'),
  from: z.string(),
  until: z.string(),
  on_call_shift_id: z.string().nullable().describe('layer: the shift created'),
  shift_swap_id: z.string().nullable().describe('swap: the request created and taken'),
  replaced_user_ids: z.array(z.string()).describe('Whose on-call time the user took'),
  verified: z.boolean().describe('true: the final schedule has the user on call for the whole stretch'),
  on_call: z.array(Stretch).describe('Where the final schedule now has the user on call, within the stretch'),
  not_on_call: z.array(Stretch).describe('Where it does not (swap: where the replaced person was not on call)'),
  warnings: z.array(z.string()),
});
export type TakenShift = z.infer<typeof TakenShift>;

interface Span {
  from: number;
  to: number;
}

/** The user's stretches in final shifts, merged and clipped to [from, to]. */
function stretchesOf(finals: readonly FinalShift[], userId: string, from: number, to: number): Span[] {
  const spans = finals
    .filter((f) => f.user_pk === userId)
    .map((f) => ({ from: Math.max(from, Date.parse(f.shift_start)), to: Math.min(to, Date.parse(f.shift_end)) }))
    .filter((s) => s.to > s.from)
    .sort((a, b) => a.from - b.from);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else merged.push({ ...s });
  }
  return merged;
}

function gapsOf(spans: readonly Span[], from: number, to: number): Span[] {
  const gaps: Span[] = [];
  let at = from;
  for (const s of spans) {
    if (s.from > at) gaps.push({ from: at, to: s.from });
    at = Math.max(at, s.to);
  }
  if (at < to) gaps.push({ from: at, to });
  return gaps;
}

const finalShifts = (backend: OnCallBackend, scheduleId: string, from: number, to: number) =>
  collectAll((page) =>
    backend.schedules.finalShifts(scheduleId, { start_date: minuteOf(from), end_date: minuteOf(to + MINUTE), page }));

function parseUntil(until: string, now: number): number {
  const ms = /(Z|[+-]\d{2}:?\d{2})$/i.test(until) ? Date.parse(until) : Number.NaN;
  if (Number.isNaN(ms)) throw new ToolError(`until: "${until}" is not an ISO instant with its zone. Fix: e.g. until=${isoZ(now + 4 * 3_600_000)}.`);
  if (ms <= now + MINUTE) throw new ToolError(`until: ${isoZ(ms)} is not after now (${isoZ(now)}); a shift taken now must end at least a minute from now.`);
  if (ms > now + MAX_DAYS * 86_400_000) {
    throw new ToolError(`until: more than ${MAX_DAYS} days ahead; for that long, change the rotation (update_on_call_shift) instead of taking a shift.`);
  }
  return ms;
}

/** A calendar schedule: a one-off shift one level above every shift it has; undone if it cannot be added. */
interface Take {
  userId: string;
  from: number;
  to: number;
}

async function takeByLayer(backend: OnCallBackend, schedule: Schedule, username: string, { userId, from, to }: Take) {
  const shifts = await Promise.all((schedule.shifts ?? []).map((id) => backend.onCallShifts.get(id)));
  const level = Math.max(0, ...shifts.map((s) => s.level ?? 0)) + 1;
  const shift = await backend.onCallShifts.create({
    name: `Taken by ${username} ${isoZ(from)} to ${isoZ(to)}`,
    type: 'single_event',
    team_id: schedule.team_id ?? null,
    time_zone: 'UTC',
    level,
    start: isoZ(from).slice(0, 19),
    duration: Math.round((to - from) / 1000),
    users: [userId],
  });
  try {
    await backend.schedules.update(schedule.id, { shifts: [...(schedule.shifts ?? []), shift.id] }, 'patch');
  } catch (err) {
    await backend.onCallShifts.delete(shift.id).catch(() => {
      throw new ToolError(
        `NOT TAKEN: the shift ${shift.id} was created but could not be added to the schedule (${String(err)}), `
        + `and removing it failed too: delete it with delete_on_call_shift on_call_shift_id=${shift.id}.`,
      );
    });
    throw err;
  }
  return shift.id;
}

/** A shift swap for `from`'s time, taken by the user; withdrawn if it cannot be taken. */
async function takeBySwap(backend: OnCallBackend, scheduleId: string, replacing: string, { userId, from, to }: Take) {
  const swap = await backend.shiftSwaps.create({
    schedule: scheduleId,
    swap_start: isoZ(from),
    swap_end: isoZ(to),
    beneficiary: replacing,
    description: 'Taken now with take_shift (oncall-mcp)',
  });
  try {
    await backend.shiftSwaps.take(swap.id, { benefactor: userId });
  } catch (err) {
    await backend.shiftSwaps.delete(swap.id).catch(() => {
      throw new ToolError(
        `NOT TAKEN: swap request ${swap.id} was opened but could not be taken (${String(err)}), and withdrawing it failed: `
        + `withdraw it with delete_shift_swap shift_swap_id=${swap.id}.`,
      );
    });
    throw err;
  }
  return swap.id;
}

async function takeShiftNow(
  args: { user_id: string; schedule_id: string; until: string; replacing?: string | undefined },
  { backend, index }: ToolContext,
): Promise<TakenShift> {
  const now = backend.now();
  const to = parseUntil(args.until, now);
  const [schedule, user] = await Promise.all([
    backend.schedules.get(args.schedule_id),
    backend.users.get(args.user_id),
  ]);
  const bySwap = args.replacing !== undefined || schedule.type !== 'calendar';
  // A swap must start in the future when it arrives (see LIVE_LEAD_MS); times are whole seconds.
  const from = Math.ceil((now + (bySwap && backend.kind === 'http' ? LIVE_LEAD_MS : 0)) / 1000) * 1000;
  const before = await finalShifts(backend, schedule.id, from, to);
  const overlaps = (f: FinalShift, a: number, b: number) =>
    Date.parse(f.shift_end) > a && Date.parse(f.shift_start) < b;
  const othersIn = (shifts: readonly FinalShift[], a: number, b: number) =>
    [...new Set(shifts.filter((f) => f.user_pk !== user.id && overlaps(f, a, b)).map((f) => f.user_pk))];
  const others = othersIn(before, from, to);
  const window = `between ${formatInstant(isoZ(from), null)} and ${formatInstant(isoZ(to), null)}`;
  if (!gapsOf(stretchesOf(before, user.id, from, to), from, to).length) {
    throw new ToolError(`NOTHING TO TAKE: ${user.username} is already on call in "${schedule.name}" for the whole stretch ${window}. Nothing was changed.`);
  }

  let replaced: string[] = [];
  let shiftId: string | null = null;
  let swapId: string | null = null;
  if (bySwap) {
    const replacing = args.replacing ?? (others.length === 1 ? others[0] : undefined);
    if (replacing === undefined) {
      const why = schedule.type === 'calendar'
        ? ''
        : ` A ${schedule.type} schedule's shifts cannot be changed through OnCall's API, so the time is taken by a shift swap, which needs the person whose time it is.`;
      const named = await index.nameMap('user');
      throw new ToolError(
        others.length
          ? `WHOSE SHIFT? ${others.map((id) => named.get(id) ?? id).join(', ')} are on call in "${schedule.name}" ${window}.${why} Fix: say whose time to take with replacing=<user>. Nothing was changed.`
          : `NOBODY TO TAKE OVER FROM: nobody is on call in "${schedule.name}" ${window}.${why} Fix: add a shift to the schedule in the OnCall web UI. Nothing was changed.`,
      );
    }
    if (!others.includes(replacing)) {
      const name = (await index.nameMap('user')).get(replacing) ?? replacing;
      throw new ToolError(`replacing: ${name} is not on call in "${schedule.name}" ${window}, so there is no time of theirs to take. Nothing was changed.`);
    }
    swapId = await takeBySwap(backend, schedule.id, replacing, { userId: user.id, from, to });
    replaced = [replacing];
  } else {
    shiftId = await takeByLayer(backend, schedule, user.username, { userId: user.id, from, to });
    replaced = others;
  }

  const afterShifts = await finalShifts(backend, schedule.id, from, to);
  const onCall = stretchesOf(afterShifts, user.id, from, to);
  const gaps = gapsOf(onCall, from, to);
  const warnings: string[] = [];
  // Anyone else the final schedule still has on call at some point of the stretch (an override
  // beats every layer): a human who took the shift must know they are not alone on it.
  const stillOn = othersIn(afterShifts, from, to);
  if (!bySwap && stillOn.length) {
    const named = await index.nameMap('user');
    warnings.push(`${stillOn.map((id) => named.get(id) ?? id).join(', ')} still on call beside them in the stretch (an override beats every layer)`);
  }
  const { unreachable } = await unreachablePeople(backend, index, [{ id: user.id, username: user.username }]);
  for (const u of unreachable) warnings.push(`${u.username} may not hear a page: ${u.problems.join('; ')}`);
  return {
    schedule_id: schedule.id,
    user_id: user.id,
    how: bySwap ? 'swap' : 'layer',
    from: isoZ(from),
    until: isoZ(to),
    on_call_shift_id: shiftId,
    shift_swap_id: swapId,
    replaced_user_ids: replaced,
    verified: gaps.length === 0,
    on_call: onCall.map((s) => ({ from: isoZ(s.from), to: isoZ(s.to) })),
    not_on_call: gaps.map((s) => ({ from: isoZ(s.from), to: isoZ(s.to) })),
    warnings,
  };
}

const stretch = (s: { from: string; to: string }) => `${formatInstant(s.from, null)}–${formatInstant(s.to, null)}`;

export const takeShift = defineTool({
  name: 'take_shift',
  toolset: 'schedules',
  title: 'Take the on-call shift from now',
  description:
    'Put a user on call in a schedule from now until a time (a one-off top layer, or a taken swap), then check the final schedule.',
  input: z.object({
    user_id: UserId.describe('Who takes over: user id, username or email.'),
    schedule_id: ScheduleId,
    until: ZonedDateTime.describe('End, ISO with zone (at most 31 days ahead).'),
    replacing: UserId.optional().describe('Take only this person\'s time (a swap); default: everyone\'s.'),
  }),
  output: TakenShift,
  annotations: { ...CREATE, idempotentHint: false },
  run: (args, ctx) => takeShiftNow(args, ctx),
  async text(out, { names }) {
    const book = await names.book('users', 'schedules');
    const who = book.users.get(out.user_id) ?? out.user_id;
    const where = `"${book.schedules.get(out.schedule_id) ?? out.schedule_id}" (${out.schedule_id})`;
    const replaced = out.replaced_user_ids.map((id) => book.users.get(id) ?? id);
    const how = out.how === 'layer'
      ? `a one-off shift ${out.on_call_shift_id} above the schedule's other shifts${replaced.length ? `, in place of ${replaced.join(', ')}` : ''}`
      : `swap request ${out.shift_swap_id}, taken by ${who}${replaced.length ? ` from ${replaced.join(', ')}` : ''}`;
    const lines = [
      out.verified
        ? `${who} is on call in ${where} from ${formatInstant(out.from, null)} until ${formatInstant(out.until, null)}, checked in the final schedule.`
        : `TAKEN ONLY IN PART: ${who} is on call in ${where} ${out.on_call.length ? out.on_call.map(stretch).join(', ') : 'at no time'} of ${stretch({ from: out.from, to: out.until })}.`,
      `Made with ${how}.`,
    ];
    if (out.not_on_call.length) {
      lines.push(`Not on call ${out.not_on_call.map(stretch).join(', ')}${out.how === 'swap' ? ': the person replaced was not on call then' : ''}.`);
    }
    for (const w of out.warnings) lines.push(`Warning: ${w}.`);
    if (out.how === 'layer' && out.on_call_shift_id) lines.push(`To undo: delete_on_call_shift on_call_shift_id=${out.on_call_shift_id}.`);
    if (out.how === 'swap' && out.shift_swap_id) {
      lines.push(`A swap cannot be withdrawn once its time has begun: to hand the time back, ${replaced.join(', ') || 'the person replaced'} can take_shift.`);
    }
    return lines.join('\n');
  },
});
