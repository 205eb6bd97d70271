/**
 * The final schedule (semantics.md §3.1): occurrences → swaps → user filtering →
 * layer resolution, plus gap events.
 *
 * Layering: events are grouped by (override?, priority). Groups are resolved from the strongest
 * (overrides before primary layers, then higher priority first); each group keeps only the time no
 * stronger group has claimed, then claims what it kept. Events of one group never clip each other:
 * overlapping shifts of the same priority are on call together (E25, E26). Empty events (nobody
 * left after filtering) claim nothing (E27). Equivalently: at instant t the on-call set is the
 * union of the users of the non-empty events covering t in the strongest group present at t.
 *
 * Swaps and user filtering act on each event alone, so they are run group by group. That lets
 * `finalEvents` expand a group only once the stronger ones are resolved, and skip the occurrences
 * they already cover: those would be clipped away entirely, claim nothing new, and hide no gap.
 */
import { expandPrepared, prepareShift } from './expand.js';
import { type Interval, subtract, union, unionWith } from './intervals.js';
import { applySwaps } from './swaps.js';
import type { FinalEvent, FinalEventsInput, Occurrence, ResolveOptions, SwapNote } from './types.js';
import { MINUTE } from './wallclock.js';

/** Holes shorter than this are not reported as gaps (semantics.md §3.1). */
const MIN_GAP = MINUTE;

interface WorkEvent extends Occurrence {
  swaps: SwapNote[];
  /** Position of the source occurrence in the input, so empty events keep the input order. */
  seq: number;
}

function toWork(o: Occurrence, seq: number): WorkEvent {
  return {
    shiftId: o.shiftId,
    start: o.start,
    end: o.end,
    users: o.users,
    priority: o.priority,
    isOverride: o.isOverride,
    swaps: [],
    seq,
  };
}

/** Uncovered stretches of [windowStart, windowEnd) lasting at least a minute (semantics.md §3.1). */
function holes(covered: readonly Interval[], windowStart: number, windowEnd: number): Interval[] {
  const out: Interval[] = [];
  let cursor = windowStart;
  for (const [start, end] of covered) {
    if (end <= cursor) continue;
    if (start >= windowEnd) break;
    if (start > cursor) out.push([cursor, start]);
    cursor = end;
  }
  if (cursor < windowEnd) out.push([cursor, windowEnd]);
  return out.filter(([start, end]) => end - start >= MIN_GAP);
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

/** Output order (semantics.md §3.1): start, then shift id (gaps, having none, first), then end. */
function compareFinal(a: FinalEvent, b: FinalEvent): number {
  if (a.start !== b.start) return a.start - b.start;
  const ia = a.shiftIds[0] ?? '';
  const ib = b.shiftIds[0] ?? '';
  if (ia !== ib) return ia < ib ? -1 : 1;
  return a.end - b.end;
}

interface Layer {
  isOverride: boolean;
  priority: number;
}

/** Layer groups, strongest first: overrides before primary layers, then priority descending. */
function layerGroups<T>(items: readonly T[], layerOf: (item: T) => Layer): T[][] {
  const groups = new Map<string, { layer: Layer; items: T[] }>();
  for (const item of items) {
    const layer = layerOf(item);
    const key = `${layer.isOverride}:${layer.priority}`;
    const group = groups.get(key);
    if (group) group.items.push(item);
    else groups.set(key, { layer, items: [item] });
  }
  return [...groups.values()]
    .sort(({ layer: x }, { layer: y }) => Number(y.isOverride) - Number(x.isOverride) || y.priority - x.priority)
    .map((g) => g.items);
}

/** The allowed users, de-duplicated; the array itself when it needs neither change (the usual case). */
function allowedUsers(users: string[], allowed: (userId: string) => boolean): string[] {
  const seen = users.length > 8 ? new Set<string>() : null;
  for (let i = 0; i < users.length; i++) {
    const u = users[i]!;
    const repeated = seen ? seen.has(u) : users.indexOf(u) < i;
    if (repeated || !allowed(u)) return [...new Set(users.filter((x) => allowed(x)))];
    seen?.add(u);
  }
  return users;
}

const overlaps = (start: number, end: number, windowStart: number, windowEnd: number) =>
  start < windowEnd && end > windowStart;

/** Layer resolution in progress: groups are added strongest first. */
class Layering {
  private claims: Interval[] = [];
  private readonly out: FinalEvent[] = [];
  private readonly empty: WorkEvent[] = [];
  private readonly windowStart: number;
  private readonly windowEnd: number;
  private readonly allowed: (userId: string) => boolean;

  constructor(private readonly options: ResolveOptions) {
    this.windowStart = options.windowStart;
    this.windowEnd = Math.max(options.windowEnd, options.windowStart + 1);
    this.allowed = options.isUserAllowed ?? (() => true);
  }

  /** Union of everything the groups added so far kept, inside the window or not. */
  get claimed(): readonly Interval[] {
    return this.claims;
  }

  /** One (override?, priority) group, weaker than every group added before. */
  add(group: readonly WorkEvent[]): void {
    const kept: Interval[] = [];
    for (const e of applySwaps(group, this.options.swaps ?? [], this.options.now)) {
      // Users are filtered after swaps, so a seat handed to a benefactor is judged by the benefactor.
      const users = allowedUsers(e.users, this.allowed);
      if (users.length === 0) {
        this.empty.push({ ...e, users });
        continue;
      }
      const event = users === e.users ? e : { ...e, users };
      for (const piece of subtract(e.start, e.end, this.claims)) {
        kept.push(piece);
        if (overlaps(piece[0], piece[1], this.windowStart, this.windowEnd)) this.out.push(toFinal(event, piece, false));
      }
    }
    // Pieces outside the window claim too, so an event straddling a window bound is clipped
    // correctly on both sides (OSS drops those pieces first; inside the window nothing differs).
    this.claims = unionWith(this.claims, kept);
  }

  /**
   * The sorted final events. Gaps are holes in the union of the raw occurrences (empty ones
   * included: an empty shift hides a gap, semantics.md §3.1). That union is what was claimed plus the empty
   * events, as swaps only split events; `raw` is needed only when that does not hold (an
   * occurrence that does not end after it starts claims nothing, yet the union of the raw
   * occurrences still splits a hole at it).
   */
  finish(raw: readonly Occurrence[] | null): FinalEvent[] {
    const { windowStart, windowEnd, out } = this;
    if (this.options.withEmpty) {
      const empty = [...this.empty].sort((a, b) => a.seq - b.seq);
      for (const e of empty) {
        if (overlaps(e.start, e.end, windowStart, windowEnd)) out.push(toFinal(e, [e.start, e.end], true));
      }
    }
    if (this.options.withGaps ?? true) {
      const covered = raw
        ? union(raw.map((o): Interval => [o.start, o.end]))
        : unionWith(this.claims, this.empty.map((e): Interval => [e.start, e.end]));
      for (const hole of holes(covered, windowStart, windowEnd)) out.push(gapEvent(hole));
    }
    return out.sort(compareFinal);
  }
}

/**
 * Resolves already expanded occurrences (from shifts, or from any other source such as an
 * imported calendar) into the final events that overlap the window, sorted per semantics.md §3.1. Pieces are
 * not trimmed to the window: an event that straddles a bound keeps its real start and end.
 */
export function resolveOccurrences(occurrences: readonly Occurrence[], options: ResolveOptions): FinalEvent[] {
  const layering = new Layering(options);
  const work = occurrences.map(toWork);
  for (const group of layerGroups(work, (e) => e)) layering.add(group);
  return layering.finish(occurrences.some((o) => !(o.end > o.start)) ? occurrences : null);
}

/** The final schedule of a set of shifts over [windowStart, windowEnd) (epoch ms). */
export function finalEvents(input: FinalEventsInput): FinalEvent[] {
  const { windowStart, windowEnd } = input;
  const prepared = (input.prepared ?? input.shifts.map(prepareShift)).flatMap((p) => p ?? []);
  if (input.withEmpty) {
    // Empty events are listed even where a stronger layer covers them, so nothing may be skipped.
    const occurrences = prepared.flatMap((p) => expandPrepared(p, windowStart, windowEnd));
    return resolveOccurrences(occurrences, input);
  }
  const layering = new Layering(input);
  const layerOf = ({ shift }: (typeof prepared)[number]): Layer => ({
    isOverride: shift.type === 'override',
    priority: shift.level,
  });
  for (const group of layerGroups(prepared, layerOf)) {
    // `seq` only orders the empty events listed by `withEmpty`, which this path never lists.
    const occurrences = group.flatMap((p) => expandPrepared(p, windowStart, windowEnd, layering.claimed));
    layering.add(occurrences.map((o) => toWork(o, 0)));
  }
  return layering.finish(null);
}
