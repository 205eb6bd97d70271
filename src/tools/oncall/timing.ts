/**
 * An escalation's timing and time gates as the tools predict them from the API alone (the same
 * rules the embedded engine runs): the first step 1 s after the alert, 5 s after each step that
 * acts, a wait's own delay, a closed time gate waiting for its window (UTC time of day).
 */

export const SECOND = 1000;
export const DAY = 86_400_000;
export const FIRST_STEP_DELAY = 1 * SECOND;
export const STEP_GAP = 5 * SECOND;
/** What a wait without a duration waits, in seconds. */
export const DEFAULT_WAIT = 300;
/** How far `notify_next_on_call_from_schedule` looks ahead. */
export const NEXT_ON_CALL_LOOKAHEAD = 14 * DAY;
/** How far an on-call answer looks ahead first; long enough for weekly and fortnightly rotations. */
export const LOOKAHEAD_DAYS = 30;

/** `09:00:00Z` (or `09:00`) as seconds of the day; undefined when unset or unreadable. */
export function secondsOfDay(text: string | null | undefined): number | undefined {
  const m = text ? /^(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(text) : null;
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0) : undefined;
}

/** `09:00:00Z` → `09:00`. */
export const shortTime = (text: string) => text.replace(/Z$/, '').replace(/:00$/, '');

/** Whether a window of UTC time of day (`from` up to `to`, across midnight when `from > to`) holds `at`. */
export function gateOpen(from: number, to: number, at: number): boolean {
  const now = Math.floor((at % DAY) / SECOND);
  if (from < to) return from <= now && now < to;
  if (from > to) return now >= from || now < to;
  return now === from;
}

/** The next instant after `at` at the given time of day. */
export function nextTimeOfDay(seconds: number, at: number): number {
  const today = at - (at % DAY) + seconds * SECOND;
  return today > at ? today : today + DAY;
}
