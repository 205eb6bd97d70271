/**
 * A schedule's final shifts over a window, every page, for the coverage answers. The window is
 * widened to whole minutes (what the endpoint takes) and capped at the endpoint's year.
 */
import type { OnCallBackend } from '../../../api/backend.js';
import { collectAll } from '../../../api/pagination.js';
import type { FinalShift } from '../../../api/types.js';
import { isoZ } from '../../oncall/schedule-answer.js';
import { MINUTE } from './local-time.js';

/** The final-shifts endpoint takes `YYYY-MM-DDTHH:MM`, UTC. */
const minuteParam = (ms: number) => new Date(ms).toISOString().slice(0, 16);

export interface Window {
  from: number;
  to: number;
}

/** Final shifts overlapping [from, to), clipped to it; items of zero length left out. */
export async function finalShiftsIn(
  backend: OnCallBackend,
  scheduleId: string,
  window: Window,
  signal?: AbortSignal,
): Promise<FinalShift[]> {
  const from = Math.floor(window.from / MINUTE) * MINUTE;
  const to = Math.ceil(window.to / MINUTE) * MINUTE;
  const items = await collectAll((page) => {
    signal?.throwIfAborted();
    const query = { start_date: minuteParam(from), end_date: minuteParam(to), page };
    return backend.schedules.finalShifts(scheduleId, query);
  });
  const out: FinalShift[] = [];
  for (const item of items) {
    const start = Math.max(Date.parse(item.shift_start), window.from);
    const end = Math.min(Date.parse(item.shift_end), window.to);
    if (!(end > start)) continue;
    out.push({ ...item, shift_start: isoZ(start), shift_end: isoZ(end) });
  }
  return out;
}
