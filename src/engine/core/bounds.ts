/**
 * Bounds on values from outside, checked before anything changes. A value the engine cannot hold
 * (an instant past year 9999, a payload too deep to serialise) would otherwise be applied in memory
 * and then break every later read or save. Where OnCall bounds a value (its database's integer
 * columns, Python's datetime range, Django's 1 MiB request body) the same bound applies here.
 */
import { ApiError } from '../../api/errors.js';
import { MAX_BODY_BYTES, MAX_JSON_DEPTH, valueTooDeep } from '../../api/input-limits.js';

/** An alert is a request body: the same cap (also for alerts from data files and tests). */
export const MAX_PAYLOAD_BYTES = MAX_BODY_BYTES;
/** Python's datetime.min and datetime.max: OnCall cannot hold an instant outside them. */
export const MIN_INSTANT_MS = Date.parse('0001-01-01T00:00:00Z');
export const MAX_INSTANT_MS = Date.parse('9999-12-31T23:59:59Z');
/** The largest value of the integer columns OnCall stores numbers in. */
export const MAX_INT32 = 2 ** 31 - 1;
export const MIN_INT32 = -(2 ** 31);
/** Maintenance and timed silences: longer than a year is a mistake, not a plan. */
export const MAX_WINDOW_SECONDS = 365 * 24 * 3600;

/**
 * An upper estimate of a JSON value's serialised size, walked without recursion and stopping once
 * past `limit` (call it on values already known to nest within MAX_JSON_DEPTH).
 */
export function estimatedJsonBytes(value: unknown, limit: number): number {
  let bytes = 0;
  const stack: unknown[] = [value];
  while (stack.length && bytes <= limit) {
    const node = stack.pop();
    if (node !== null && typeof node === 'object') {
      bytes += 2;
      for (const [key, item] of Object.entries(node as Record<string, unknown>)) {
        bytes += key.length + 4;
        stack.push(item);
      }
    } else {
      bytes += typeof node === 'string' ? node.length + 2 : String(node).length;
    }
  }
  return bytes;
}

/** An alert payload OnCall would take: at most 1 MiB and 100 levels deep. */
export function checkAlertPayload(payload: unknown): void {
  if (valueTooDeep(payload, MAX_JSON_DEPTH)) {
    throw new ApiError(400, { detail: `The alert payload is nested more than ${MAX_JSON_DEPTH} levels deep; flatten it.` });
  }
  if (estimatedJsonBytes(payload, MAX_PAYLOAD_BYTES) > MAX_PAYLOAD_BYTES) {
    throw new ApiError(413, { detail: `The alert payload is larger than ${MAX_PAYLOAD_BYTES} bytes; send a smaller one.` });
  }
}

/** A number of seconds for a window that ends at `now + seconds`: whole, positive, at most a year. */
export function boundedWindowSeconds(seconds: number): boolean {
  return Number.isSafeInteger(seconds) && seconds > 0 && seconds <= MAX_WINDOW_SECONDS;
}
