import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors.js';
import {
  appendOrder,
  moveTo,
  type Ordered,
  place,
  resolvePosition,
  swapTo,
} from '../../src/engine/core/ordering.js';

const group = (...orders: number[]) => orders.map((order, i) => ({ id: String.fromCharCode(97 + i), order }));
const orders = (items: Array<Ordered & { id: string }>) =>
  Object.fromEntries(items.map((i) => [i.id, i.order]));

describe('ordering (semantics.md §1.4)', () => {
  it('appends at max + 1, or 0 in an empty group, keeping gaps', () => {
    expect(appendOrder([])).toBe(0);
    expect(appendOrder(group(0, 2, 7))).toBe(8);
  });

  it('moving down shifts the range (o, p] up by one', () => {
    const g = group(0, 1, 2, 3);
    moveTo(g, g[0]!, 2);
    expect(orders(g)).toEqual({ a: 2, b: 0, c: 1, d: 3 });
  });

  it('moving up shifts the range [p, o) down by one', () => {
    const g = group(0, 1, 2, 3);
    moveTo(g, g[3]!, 1);
    expect(orders(g)).toEqual({ a: 0, b: 2, c: 3, d: 1 });
  });

  it('moving past the end leaves a gap and moves nobody else beyond the range', () => {
    const g = group(0, 1, 2);
    const added = { id: 'n', order: appendOrder(g) };
    g.push(added);
    moveTo(g, added, 10);
    expect(orders(g)).toEqual({ a: 0, b: 1, c: 2, n: 10 });
  });

  it('manual_order swaps with the holder of p, or just takes p', () => {
    const g = group(0, 1, 2);
    swapTo(g, g[0]!, 2);
    expect(orders(g)).toEqual({ a: 2, b: 1, c: 0 });
    swapTo(g, g[1]!, 9);
    expect(orders(g)).toEqual({ a: 2, b: 9, c: 0 });
  });

  it('resolves -1: append on create, current max on update', () => {
    const g = group(0, 4, 2);
    expect(resolvePosition(g, -1, { manualOrder: false, creating: true })).toBe('append');
    expect(resolvePosition(g, -1, { manualOrder: false, creating: false })).toBe(4);
  });

  it.each([
    [-2, false],
    [-1, true],
    [2147483648, false],
  ])('rejects position %d (manual_order %s) with OnCall\'s detail', (p, manualOrder) => {
    const attempt = () => resolvePosition(group(0), p, { manualOrder, creating: true });
    expect(attempt).toThrow(ApiError);
    try {
      attempt();
    } catch (err) {
      expect((err as ApiError).body).toEqual({ detail: 'Invalid value for position field' });
    }
  });

  it('place() is a no-op for append and honours manual order', () => {
    const g = group(0, 1);
    place(g, g[1]!, 'append', false);
    expect(orders(g)).toEqual({ a: 0, b: 1 });
    place(g, g[1]!, 0, true);
    expect(orders(g)).toEqual({ a: 1, b: 0 });
  });
});
