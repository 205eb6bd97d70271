/**
 * Gaps in a schedule: stretches of a window in which nobody is on call, from the schedule's final
 * shifts (layers, overrides and taken swaps already resolved by the backend), each told apart as
 * intended by the schedule or not (`coverage/layer-hours.ts` reads the layers' days and hours).
 *
 * A gap is intentional when either
 * - no layer with people is meant to run then: every active one is between its occurrences (a
 *   business-hours layer leaves nights and weekends empty by design), or
 * - the only layers meant to run then have nobody in them: a layer kept empty on purpose (OnCall
 *   drops empty groups from `rolling_users` on save, so a layer with no users is how an
 *   organisation writes "nobody, on purpose").
 * Otherwise it is a real gap, with the reason when the layers tell it: a layer with people should
 * run then but none of them can be notified (removed, or without notification rights), or no
 * layer with people is active then. Holes shorter than a minute are not reported, as in OnCall.
 */
import type { OnCallBackend } from '../../api/backend.js';
import { collectAll } from '../../api/pagination.js';
import type { FinalShift } from '../../api/types.js';
import { isoZ } from '../oncall/schedule-answer.js';
import { finalShiftsIn, type Window } from './coverage/final-shifts.js';
import { coverageOf, describeHours, type LayerHours, layerHours } from './coverage/layer-hours.js';
import { MINUTE } from './coverage/local-time.js';

export interface ScheduleGap {
  start: string;
  end: string;
  intentional: boolean;
  reason?: string;
}

/** Holes in the union of the items' intervals inside [from, to), as real instants. */
export function holesOf(items: readonly FinalShift[], window: Window): Array<{ start: number; end: number }> {
  const spans = items
    .map((i) => ({
      s: Math.max(Date.parse(i.shift_start), window.from),
      e: Math.min(Date.parse(i.shift_end), window.to),
    }))
    .filter(({ s, e }) => e > s)
    .sort((x, y) => x.s - y.s);
  const holes: Array<{ start: number; end: number }> = [];
  let covered = window.from;
  for (const { s, e } of spans) {
    if (s > covered) holes.push({ start: covered, end: s });
    covered = Math.max(covered, e);
  }
  if (covered < window.to) holes.push({ start: covered, end: window.to });
  return holes.filter((h) => h.end - h.start >= MINUTE);
}

export async function findScheduleGaps(
  backend: OnCallBackend,
  scheduleId: string,
  window: { from: number; to: number },
  signal?: AbortSignal,
): Promise<ScheduleGap[]> {
  const items = await finalShiftsIn(backend, scheduleId, window, signal);
  const holes = holesOf(items, window);
  if (!holes.length) return [];
  const layers = await layersOf(backend, scheduleId, signal);
  return holes.map((h) => ({ start: isoZ(h.start), end: isoZ(h.end), ...classify(layers, h.start, h.end) }));
}

/** The schedule's layers (overrides leave no gaps: an override with nobody claims nothing). */
async function layersOf(backend: OnCallBackend, scheduleId: string, signal?: AbortSignal): Promise<LayerHours[]> {
  const schedule = await backend.schedules.get(scheduleId);
  signal?.throwIfAborted();
  const shifts = await collectAll((page) => backend.onCallShifts.list({ schedule_id: scheduleId, page }));
  return shifts.filter((s) => s.type !== 'override').map((s) => layerHours(s, schedule.time_zone));
}

export function classify(layers: readonly LayerHours[], from: number, to: number): Omit<ScheduleGap, 'start' | 'end'> {
  const staffed = layers.filter((l) => l.users.length);
  const empty = layers.filter((l) => !l.users.length);
  const states = staffed.map((l) => ({ layer: l, coverage: coverageOf(l, from, to) }));
  const running = states.filter((s) => s.coverage === 'runs');
  if (running.length) {
    const names = running.map((s) => `"${s.layer.shift.name}" (${s.layer.shift.id})`).join(', ');
    return {
      intentional: false,
      reason: `${names} should cover this time, but nobody from it can be notified then (users removed, or without notification rights)`,
    };
  }
  if (states.some((s) => s.coverage === 'unknown')) return { intentional: false };
  const emptyRunning = empty.filter((l) => coverageOf(l, from, to) === 'runs');
  if (emptyRunning.length) {
    const names = emptyRunning.map((l) => `"${l.shift.name}" (${l.shift.id})`).join(', ');
    return { intentional: true, reason: `layer ${names} covers it with nobody in it, on purpose` };
  }
  const between = states.filter((s) => s.coverage === 'between_occurrences');
  if (between.length) {
    return {
      intentional: true,
      reason: `outside the hours of every layer: ${between.map((s) => describeHours(s.layer)).join('; ')}`,
    };
  }
  return {
    intentional: false,
    reason: staffed.length ? 'no layer with people is active then (rotations ended or not started)' : 'the schedule has no layers with people',
  };
}
