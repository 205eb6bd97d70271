/**
 * Limits on JSON from outside: its size, and how deeply it may nest. `JSON.parse` itself copes
 * with deep input, but everything after it (templates, the Python-style rendering of payloads, `JSON.stringify` when
 * persisting, schema validation) walks values recursively, and a 20,000-level alert would overflow
 * the stack there, or worse, half-way through a change. Real payloads nest a handful of levels.
 */

/** Deepest nesting accepted (objects and arrays together). */
export const MAX_JSON_DEPTH = 100;

/** Django's DATA_UPLOAD_MAX_MEMORY_SIZE: the largest request body (and so alert) OnCall reads. */
export const MAX_BODY_BYTES = 1024 * 1024;

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether JSON text nests deeper than `max`, read in one pass before parsing (no allocation, no
 * recursion). Brackets inside strings do not count. Invalid JSON is left to the parser to report.
 */
export function jsonTextTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/**
 * Whether an already parsed value nests deeper than `max` (for bodies a library parsed first),
 * walked with an explicit stack so the check itself cannot overflow.
 */
export function valueTooDeep(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** The message for a body over the cap: names the limit and what to do. */
export const tooDeepMessage = (max = MAX_JSON_DEPTH) =>
  `JSON nested more than ${max} levels deep; send a flatter payload.`;
