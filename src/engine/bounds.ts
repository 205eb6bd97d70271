/**
 * Bounds on values from outside, checked before anything changes. A value the engine cannot hold
 * (an instant past year 9999, a payload too deep to serialise) would otherwise be applied in memory
 * and then break every later read or save. Where OnCall bounds a value (its database's integer
 * columns, Python's datetime range, Django's 1 MiB request body) the same bound applies here.
 */
import { ApiError } from '../api/errors.js';

/** Django's DATA_UPLOAD_MAX_MEMORY_SIZE: the largest request body (and so alert) OnCall reads. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
/** Nesting deeper than any real alert source sends; well inside what JSON.stringify can recurse. */
export const MAX_PAYLOAD_DEPTH = 100;
/** Python's datetime.min and datetime.max: OnCall cannot hold an instant outside them. */
export const MIN_INSTANT_MS = Date.parse('0001-01-01T00:00:00Z');
export const MAX_INSTANT_MS = Date.parse('9999-12-31T23:59:59Z');
/** The largest value of the integer columns OnCall stores numbers in. */
export const MAX_INT32 = 2 ** 31 - 1;
export const MIN_INT32 = -(2 ** 31);
/** Maintenance and timed silences: longer than a year is a mistake, not a plan. */
export const MAX_WINDOW_SECONDS = 365 * 24 * 3600;

/**
 * The nesting depth of a JSON value and an upper estimate of its serialised size, walked without
 * recursion so a value nested 100,000 deep cannot overflow the stack here.
 */
export function measureJson(
  value: unknown,
  limits: { depth: number; bytes: number },
): { depth: number; bytes: number } {
  let maxDepth = 0;
  let bytes = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node !== null && typeof node === 'object') {
      if (depth > maxDepth) maxDepth = depth;
      if (maxDepth > limits.depth || bytes > limits.bytes) break; // already over: stop walking
      bytes += 2;
      if (Array.isArray(node)) {
        for (const item of node) {
          bytes += 1;
          stack.push([item, depth + 1]);
        }
      } else {
        for (const [key, item] of Object.entries(node as Record<string, unknown>)) {
          bytes += key.length + 4;
          stack.push([item, depth + 1]);
        }
      }
    } else if (typeof node === 'string') {
      bytes += node.length + 2;
    } else {
      bytes += String(node).length;
    }
  }
  return { depth: maxDepth, bytes };
}

/** An alert payload OnCall would take: at most 1 MiB and 100 levels deep. */
export function checkAlertPayload(payload: unknown): void {
  const { depth, bytes } = measureJson(payload, { depth: MAX_PAYLOAD_DEPTH, bytes: MAX_PAYLOAD_BYTES });
  if (depth > MAX_PAYLOAD_DEPTH) {
    throw new ApiError(400, { detail: `The alert payload is nested more than ${MAX_PAYLOAD_DEPTH} levels deep; flatten it.` });
  }
  if (bytes > MAX_PAYLOAD_BYTES) {
    throw new ApiError(413, { detail: `The alert payload is larger than ${MAX_PAYLOAD_BYTES} bytes; send a smaller one.` });
  }
}

/** A number of seconds for a window that ends at `now + seconds`: whole, positive, at most a year. */
export function boundedWindowSeconds(seconds: number): boolean {
  return Number.isSafeInteger(seconds) && seconds > 0 && seconds <= MAX_WINDOW_SECONDS;
}
