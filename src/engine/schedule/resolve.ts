/**
 * The final schedule (oncall-engine.md §2.2–§2.6): occurrences → swaps → user filtering →
 * layer resolution, plus gap events.
 *
 * Layering: events are grouped by (override?, priority). Groups are resolved from the strongest
 * (overrides before primary layers, then higher priority first); each group keeps only the time no
 * stronger group has claimed, then claims what it kept. Events of one group never clip each other:
 * overlapping shifts of the same priority are on call together (E25, E26). Empty events (nobody
 * left after filtering) claim nothing (E27). Equivalently: at instant t the on-call set is the
 * union of the users of the non-empty events covering t in the strongest group present at t.
 */
import { expandShift } from './expand.js';
import { applySwaps } from './swaps.js';
import type { FinalEvent, FinalEventsInput, Occurrence, ResolveOptions, SwapNote } from './types.js';
import { MINUTE } from './wallclock.js';

/** Holes shorter than this are not reported as gaps (§2.2). */
const MIN_GAP = MINUTE;

interface WorkEvent extends Occurrence {
  swaps: SwapNote[];
}

type Interval = [start: number, end: number];

/** Sorted, disjoint union; touching intervals merge. */
function union(intervals: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** [start, end) minus a sorted disjoint union: the pieces left over. */
function subtract(start: number, end: number, claimed: readonly Interval[]): Interval[] {
  // Binary search for the first claimed interval that ends after `start`.
  let lo = 0;
  let hi = claimed.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (claimed[mid]![1] <= start) lo = mid + 1;
    else hi = mid;
  }
  const pieces: Interval[] = [];
  let cursor = start;
  for (let i = lo; i < claimed.length && cursor < end; i++) {
    const [claimedStart, claimedEnd] = claimed[i]!;
    if (claimedStart >= end) break;
    if (claimedStart > cursor) pieces.push([cursor, claimedStart]);
    cursor = Math.max(cursor, claimedEnd);
  }
  if (cursor < end) pieces.push([cursor, end]);
  return pieces;
}

/** Uncovered stretches of [windowStart, windowEnd) lasting at least a minute (§2.2 step 3). */
function gaps(occurrences: readonly Occurrence[], windowStart: number, windowEnd: number): Interval[] {
  const holes: Interval[] = [];
  let cursor = windowStart;
  for (const [start, end] of union(occurrences.map((o): Interval => [o.start, o.end]))) {
    if (end <= cursor) continue;
    if (start >= windowEnd) break;
    if (start > cursor) holes.push([cursor, start]);
    cursor = end;
  }
  if (cursor < windowEnd) holes.push([cursor, windowEnd]);
  return holes.filter(([start, end]) => end - start >= MIN_GAP);
}

function toFinal(e: WorkEvent, [start, end]: Interval, isEmpty: boolean): FinalEvent {
  return {
    start,
    end,
    users: [...e.users],
    shiftIds: [e.shiftId],
    priority: e.priority,
    isOverride: e.isOverride,
    isGap: false,
    isEmpty,
    swaps: [...e.swaps],
  };
}

function gapEvent([start, end]: Interval): FinalEvent {
  return {
    start, end, users: [], shiftIds: [], priority: 0, isOverride: false, isGap: true, isEmpty: false, swaps: [],
  };
}

/** Output order (§2.5): start, then shift id (gaps, having none, first), then end. */
function compareFinal(a: FinalEvent, b: FinalEvent): number {
  if (a.start !== b.start) return a.start - b.start;
  const ia = a.shiftIds[0] ?? '';
  const ib = b.shiftIds[0] ?? '';
  if (ia !== ib) return ia < ib ? -1 : 1;
  return a.end - b.end;
}

/** Layer groups, strongest first: overrides before primary layers, then priority descending. */
function layerGroups(events: readonly WorkEvent[]): WorkEvent[][] {
  const groups = new Map<string, WorkEvent[]>();
  for (const e of events) {
    const key = `${e.isOverride}:${e.priority}`;
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  const strength = (g: WorkEvent[]) => g[0]!;
  return [...groups.values()].sort((a, b) => {
    const [x, y] = [strength(a), strength(b)];
    return Number(y.isOverride) - Number(x.isOverride) || y.priority - x.priority;
  });
}

const overlaps = (start: number, end: number, windowStart: number, windowEnd: number) =>
  start < windowEnd && end > windowStart;

/**
 * Resolves already expanded occurrences (from shifts, or from any other source such as an
 * imported calendar) into the final events that overlap the window, sorted per §2.5. Pieces are
 * not trimmed to the window: an event that straddles a bound keeps its real start and end.
 */
export function resolveOccurrences(occurrences: readonly Occurrence[], options: ResolveOptions): FinalEvent[] {
  const { windowStart } = options;
  const windowEnd = Math.max(options.windowEnd, windowStart + 1);
  const allowed = options.isUserAllowed ?? (() => true);

  const work = occurrences.map((o): WorkEvent => ({ ...o, users: [...o.users], swaps: [] }));
  const swapped = applySwaps(work, options.swaps ?? [], options.now);

  // Users are filtered after swaps, so a seat handed to a benefactor is judged by the benefactor.
  const active: WorkEvent[] = [];
  const empty: WorkEvent[] = [];
  for (const e of swapped) {
    const users = [...new Set(e.users.filter((u) => allowed(u)))];
    (users.length > 0 ? active : empty).push({ ...e, users });
  }

  const out: FinalEvent[] = [];
  let claimed: Interval[] = [];
  for (const group of layerGroups(active)) {
    const kept: Interval[] = [];
    for (const e of group) {
      for (const piece of subtract(e.start, e.end, claimed)) {
        kept.push(piece);
        if (overlaps(piece[0], piece[1], windowStart, windowEnd)) out.push(toFinal(e, piece, false));
      }
    }
    // Pieces outside the window claim too, so an event straddling a window bound is clipped
    // correctly on both sides (OSS drops those pieces first; inside the window nothing differs).
    claimed = union([...claimed, ...kept]);
  }

  if (options.withEmpty) {
    for (const e of empty) {
      if (overlaps(e.start, e.end, windowStart, windowEnd)) out.push(toFinal(e, [e.start, e.end], true));
    }
  }
  // Gaps come from the raw occurrences, empty ones included: an empty shift hides a gap (§2.6).
  if (options.withGaps ?? true) out.push(...gaps(occurrences, windowStart, windowEnd).map(gapEvent));
  return out.sort(compareFinal);
}

/** The final schedule of a set of shifts over [windowStart, windowEnd) (epoch ms). */
export function finalEvents(input: FinalEventsInput): FinalEvent[] {
  const occurrences = input.shifts.flatMap((shift) => expandShift(shift, input.windowStart, input.windowEnd));
  return resolveOccurrences(occurrences, input);
}
