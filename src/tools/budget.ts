/**
 * The text budget: every text block a tool returns is at most TEXT_BUDGET bytes, so one call
 * cannot flood an agent's context. A cut is never silent: the text ends with a line that says how
 * much was left out and which arguments get the rest. Each tool declares that continuation (it
 * knows its arguments); a tool that declares none points to its structured content, which is never
 * cut (it is the API shape, and pages are already bounded).
 */
import type { Page } from '../api/pagination.js';

/** About 8 KB of UTF-8: a few screens, small beside a model's context, large for one answer. */
export const TEXT_BUDGET = 8192;

/** What a tool's continuation sees: the lines kept and the lines the cut left out. */
export interface CutLines {
  kept: readonly string[];
  dropped: readonly string[];
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Cut one line that alone is over `room` bytes, on a character boundary. */
function shorten(line: string, room: number): string {
  const ellipsis = ' …';
  let out = line.slice(0, Math.max(0, room));
  while (out && bytes(out) + bytes(ellipsis) > room) out = out.slice(0, -1);
  return `${out}${ellipsis}`;
}

/**
 * `text` within `budget` bytes, whole lines first. `footer` lines (notes that must survive, such as
 * "tokens are masked") are always kept. When lines are left out, the last line, after the notes,
 * is `[Cut at 8 KB: N more lines left out. <continuation>]`.
 */
export function fitText(
  text: string,
  continuation: (cut: CutLines) => string,
  { budget = TEXT_BUDGET, footer = [] as readonly string[] } = {},
): string {
  const tail = footer.length ? `\n${footer.join('\n')}` : '';
  if (bytes(text) + bytes(tail) <= budget) return `${text}${tail}`;
  const lines = text.split('\n');
  // Reserve room for the continuation line: measure it for the worst case (everything but line 1 cut).
  const reserve = (cut: CutLines) => `[Cut at ${Math.round(budget / 1024)} KB: ${cut.dropped.length} more line${cut.dropped.length === 1 ? '' : 's'} left out. ${continuation(cut)}]`;
  const worst = bytes(reserve({ kept: lines.slice(0, 1), dropped: lines.slice(1) })) + 1;
  let room = budget - bytes(tail) - worst;
  const kept: string[] = [];
  for (const line of lines) {
    const size = bytes(line) + 1;
    if (size > room) {
      // A single line longer than what is left (a long payload, say) is shortened, if it is the first.
      if (!kept.length) kept.push(shorten(line, room - 1));
      break;
    }
    kept.push(line);
    room -= size;
  }
  const dropped = lines.slice(kept.length);
  // The continuation is the very last line, after the notes.
  return [...kept, ...footer, reserve({ kept, dropped })].join('\n');
}

/** The continuation of tools that declare none: their structured content holds everything. */
export const STRUCTURED_CONTINUATION = 'The structured content has all of it.';

/**
 * The continuation of a list tool whose text shows a page as a header line and one line per item:
 * a smaller `perpage` whose pages fit, and the page that starts at (or just before) the first item
 * the text left out.
 */
export function continuePage(page: Page<unknown>, cut: CutLines): string {
  const shown = Math.max(1, cut.kept.length - 1); // the first line is the header
  const perpage = Math.max(1, Math.floor(shown / 10) * 10 || shown);
  const firstLeftOut = (page.current_page_number - 1) * page.page_size + shown; // 0-based, overall
  const next = Math.floor(firstLeftOut / perpage) + 1;
  return `The rest: the same call with perpage=${perpage}, page=${next} (it starts at item ${(next - 1) * perpage + 1}).`;
}
