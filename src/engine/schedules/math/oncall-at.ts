/**
 * Who is on call at one instant (semantics.md §3.2).
 *
 * Deliberate deviation from OSS: intervals are half-open, [start, end). OSS keeps an event at t
 * only when start < t < end, so at an exact handover (or a first start) nobody is on call (E2,
 * E24). Here the incoming people are on call at the handover instant and the outgoing ones are
 * not, so the answer is never empty merely because t is a boundary.
 */
import { finalEvents } from './resolve.js';
import type { OnCallAtInput } from './types.js';

/** User ids on call at `at` (epoch ms), de-duplicated, in final-schedule order. Swaps included. */
export function onCallAt(input: OnCallAtInput): string[] {
  const events = finalEvents({
    shifts: input.shifts,
    ...(input.prepared ? { prepared: input.prepared } : {}),
    swaps: input.swaps ?? [],
    windowStart: input.at,
    windowEnd: input.at,
    // `now` only decides whether an untaken swap is past due, and untaken swaps change nobody.
    now: input.at,
    isUserAllowed: input.isUserAllowed,
    withGaps: false,
  });
  const users = new Set<string>();
  for (const e of events) {
    if (e.start <= input.at && input.at < e.end) for (const u of e.users) users.add(u);
  }
  return [...users];
}
