/**
 * Handovers: instants where the people on call change with no gap between them. A handover is
 * outside working hours when, for someone handing over or taking over, it falls outside 09:00–18:00
 * Monday to Friday on their own clock (the assumption the answer states; OnCall knows nobody's
 * working hours): handing over at 18:00 ends the outgoing person's day, so it is within it, and
 * taking over at 09:00 starts the incoming one's. People on call on both sides hand nothing over.
 */
import type { Stretch } from '../../oncall/stretches.js';
import { DAY, HOUR, wallClock, weekdayOf } from './local-time.js';

export const WORK_FROM_HOUR = 9;
export const WORK_TO_HOUR = 18;

export interface Handover {
  at: number;
  outgoing: string[];
  incoming: string[];
}

export function handoversOf(stretches: readonly Stretch[]): Handover[] {
  const out: Handover[] = [];
  for (let i = 1; i < stretches.length; i++) {
    const before = stretches[i - 1]!;
    const after = stretches[i]!;
    if (before.end !== after.start) continue;
    const outgoing = before.users.filter((u) => !after.users.includes(u));
    const incoming = after.users.filter((u) => !before.users.includes(u));
    if (outgoing.length || incoming.length) out.push({ at: after.start, outgoing, incoming });
  }
  return out;
}

export function withinWorkingHours(at: number, zone: string, side: 'outgoing' | 'incoming'): boolean {
  // The outgoing person's day is (09:00, 18:00], the incoming one's [09:00, 18:00).
  const wall = wallClock(at - (side === 'outgoing' ? 1 : 0), zone);
  const hour = (wall % DAY) / HOUR;
  return weekdayOf(wall) < 5 && hour >= WORK_FROM_HOUR && hour < WORK_TO_HOUR;
}
