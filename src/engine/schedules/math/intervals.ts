/**
 * Half-open time intervals [start, end) in epoch ms, and the few set operations layer resolution
 * needs. A "union" here is always sorted by start and disjoint, with touching intervals merged.
 */

export type Interval = [start: number, end: number];

function byStart(a: Interval, b: Interval): number {
  return a[0] - b[0];
}

/** Appends to a union under construction; `start` must not precede the last start appended. */
function extend(out: Interval[], start: number, end: number): void {
  const last = out[out.length - 1];
  if (last && start <= last[1]) last[1] = Math.max(last[1], end);
  else out.push([start, end]);
}

/** The union of any intervals. */
export function union(intervals: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [start, end] of [...intervals].sort(byStart)) extend(out, start, end);
  return out;
}

/**
 * A union plus more intervals. Only the additions are sorted, so a layer's claims cost their own
 * number, not that of everything stronger layers claimed before.
 */
export function unionWith(base: readonly Interval[], added: readonly Interval[]): Interval[] {
  if (added.length === 0) return [...base];
  const more = [...added].sort(byStart);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < base.length || j < more.length) {
    const a = base[i];
    const b = more[j];
    const next = a && (!b || a[0] <= b[0]) ? (i++, a) : (j++, b!);
    extend(out, next[0], next[1]);
  }
  return out;
}

/** Index of the first interval of a union that ends after `t` (its length when none does). */
export function firstEndingAfter(claimed: readonly Interval[], t: number): number {
  let lo = 0;
  let hi = claimed.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (claimed[mid]![1] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** [start, end) minus a union: the pieces left over. */
export function subtract(start: number, end: number, claimed: readonly Interval[]): Interval[] {
  const pieces: Interval[] = [];
  let cursor = start;
  for (let i = firstEndingAfter(claimed, start); i < claimed.length && cursor < end; i++) {
    const [claimedStart, claimedEnd] = claimed[i]!;
    if (claimedStart >= end) break;
    if (claimedStart > cursor) pieces.push([cursor, claimedStart]);
    cursor = Math.max(cursor, claimedEnd);
  }
  if (cursor < end) pieces.push([cursor, end]);
  return pieces;
}
