/**
 * Problems that would make a shift expand wrongly or not at all, each naming the `ShiftDefinition`
 * field at fault. The API layer turns them into OnCall-style error bodies; expansion itself never
 * throws.
 *
 * `start`, `rotationStart` and `until` are all wall-clock values in the shift's zone (the spec's
 * recommendation in semantics.md §2.1; OSS reads `until` and `rotation_start` with a UTC label). A value in a
 * DST gap (a time that never happens) or fold (one that happens twice) is rejected: OSS expansion
 * fails on it (pytz `is_dst=None`), and we would otherwise have to guess which instant was meant.
 */
import { weekdayIndex } from './expand.js';
import type { ShiftDefinition, ShiftProblem } from './types.js';
import { classifyWallClock, isValidZone, parseWallClock } from './wallclock.js';

const TIME_FIELDS = ['start', 'rotationStart', 'until'] as const;
const WEEKDAY_LIST = 'MO, TU, WE, TH, FR, SA or SU';

function timeProblem(field: (typeof TIME_FIELDS)[number], text: string, zone: string | null): ShiftProblem | null {
  const wall = parseWallClock(text);
  if (wall === null) return { field, message: `${field} must be a date-time in the format YYYY-MM-DDTHH:MM:SS.` };
  if (zone === null) return null;
  switch (classifyWallClock(wall, zone)) {
    case 'gap':
      return { field, message: `${field} ${text} does not exist in ${zone}: clocks skip it for daylight saving.` };
    case 'fold':
      return { field, message: `${field} ${text} is ambiguous in ${zone}: it happens twice as daylight saving ends.` };
    case 'ok':
      return null;
  }
}

export function validateShift(shift: ShiftDefinition): ShiftProblem[] {
  const problems: ShiftProblem[] = [];
  const zone = shift.source === 'web' ? 'UTC' : shift.timeZone || 'UTC';
  const zoneOk = isValidZone(zone);
  if (!zoneOk) problems.push({ field: 'timeZone', message: `${shift.timeZone} is not a known IANA time zone.` });

  for (const field of TIME_FIELDS) {
    const text = shift[field];
    if (text === null) {
      if (field === 'start') problems.push({ field, message: 'start is required.' });
      continue;
    }
    const problem = timeProblem(field, text, zoneOk ? zone : null);
    if (problem) problems.push(problem);
  }

  if (!Number.isFinite(shift.duration) || shift.duration <= 0) {
    problems.push({ field: 'duration', message: 'duration must be a positive number of seconds.' });
  }
  const interval = shift.interval;
  if (shift.frequency !== null && interval !== null && !(Number.isInteger(interval) && interval >= 1)) {
    problems.push({ field: 'interval', message: 'interval must be a positive integer.' });
  }
  if (shift.byDay?.some((d) => weekdayIndex(d) < 0)) {
    problems.push({ field: 'byDay', message: `byDay values must be ${WEEKDAY_LIST}.` });
  }
  if (weekdayIndex(shift.weekStart) < 0) {
    problems.push({ field: 'weekStart', message: `weekStart must be ${WEEKDAY_LIST}.` });
  }
  if (shift.byMonth?.some((m) => !Number.isInteger(m) || m < 1 || m > 12)) {
    problems.push({ field: 'byMonth', message: 'byMonth values must be integers from 1 to 12.' });
  }
  if (shift.byMonthday?.some((d) => !Number.isInteger(d) || d === 0 || d < -31 || d > 31)) {
    problems.push({ field: 'byMonthday', message: 'byMonthday values must be integers from -31 to 31, except 0.' });
  }
  return problems;
}
