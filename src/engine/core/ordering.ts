/**
 * OnCall's ordering rules for escalation policies, routes and notification rules (semantics.md
 * §1.4). `order` is the stored value itself, unique within its group, gaps allowed, never
 * renumbered on delete. A move shifts the range between old and new position; `manual_order`
 * swaps instead.
 */
import { badRequest } from '../../api/errors.js';

export interface Ordered {
  order: number;
}

export const MAX_ORDER = 2147483647;

/** The order an appended item gets: max + 1, or 0 in an empty group. */
export function appendOrder(group: readonly Ordered[]): number {
  let max = -1;
  for (const item of group) if (item.order > max) max = item.order;
  return max + 1;
}

/**
 * Resolve a requested position to a target order, or throw OnCall's 400 before anything changes
 * (our fix: a create with an invalid position creates nothing).
 *
 * - create: `-1` means append; otherwise the item is appended, then moved (or swapped) to p.
 * - update: `-1` means the current max order of the group (manual_order does not allow -1).
 */
export function resolvePosition(
  group: readonly Ordered[],
  position: number,
  opts: { manualOrder: boolean; creating: boolean },
): number | 'append' {
  let target = position;
  if (position === -1 && !opts.manualOrder) {
    if (opts.creating) return 'append';
    target = appendOrder(group) - 1;
  }
  if (!Number.isInteger(target) || target < 0 || target > MAX_ORDER) {
    throw badRequest('Invalid value for position field');
  }
  return target;
}

/** Move `item` to order `p`, shifting the items between its old and new order by one. */
export function moveTo(group: readonly Ordered[], item: Ordered, p: number): void {
  const o = item.order;
  if (p === o) return;
  for (const other of group) {
    if (other === item) continue;
    if (o < p && other.order > o && other.order <= p) other.order -= 1;
    else if (o > p && other.order >= p && other.order < o) other.order += 1;
  }
  item.order = p;
}

/** `manual_order`: trade order values with whichever item holds `p`, or just take `p`. */
export function swapTo(group: readonly Ordered[], item: Ordered, p: number): void {
  const holder = group.find((other) => other !== item && other.order === p);
  if (holder) holder.order = item.order;
  item.order = p;
}

/** Place an item that is already in `group` at its target (a no-op for 'append'). */
export function place(
  group: readonly Ordered[],
  item: Ordered,
  target: number | 'append',
  manualOrder: boolean,
): void {
  if (target === 'append') return;
  if (manualOrder) swapTo(group, item, target);
  else moveTo(group, item, target);
}
