/**
 * The runtime's due-work heap against a model: after random reschedules and removals, draining it
 * (peek, then take the group out) gives the groups in due order, groups due at the same instant in
 * the order they first became pending, as the runtime's earlier scan over its pending set did.
 */
import { describe, expect, it } from 'vitest';
import { DueQueue } from '../../src/engine/runtime/due-queue.js';

/** A small deterministic generator, so a failure can be replayed. */
function lcg(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
}

function drain(q: DueQueue): string[] {
  const out: string[] = [];
  for (let top = q.peek(); top; top = q.peek()) {
    out.push(top.id);
    q.set(top.id, null);
  }
  return out;
}

describe('DueQueue', () => {
  it('drains in due order, ties in the order groups became pending', () => {
    const q = new DueQueue();
    q.set('c', 30);
    q.set('a', 10);
    q.set('b', 10);
    q.set('d', 20);
    q.set('a', 30); // rescheduled: keeps its place, so it comes after c, which became pending first
    expect(drain(q)).toEqual(['b', 'd', 'c', 'a']);
  });

  it('a group taken out and queued again goes behind the groups already pending', () => {
    const q = new DueQueue();
    q.set('x', 5);
    q.set('y', 5);
    q.set('x', null);
    q.set('x', 5);
    expect(drain(q)).toEqual(['y', 'x']);
  });

  it('matches a model after 5,000 random operations (stale entries and compaction included)', () => {
    for (const seed of [1, 7, 42]) {
      const rand = lcg(seed);
      const q = new DueQueue();
      const model = new Map<string, { at: number; order: number }>();
      let order = 0;
      for (let i = 0; i < 5000; i++) {
        const id = `g${rand(200)}`;
        if (rand(4) === 0) {
          q.set(id, null);
          model.delete(id);
        } else {
          const at = rand(50);
          q.set(id, at);
          const known = model.get(id);
          model.set(id, { at, order: known ? known.order : order++ });
        }
        if (i % 500 === 0) {
          const top = q.peek();
          const expected = [...model.entries()].sort((a, b) => a[1].at - b[1].at || a[1].order - b[1].order)[0];
          expect(top?.id).toBe(expected?.[0]);
        }
      }
      expect(q.size).toBe(model.size);
      const expected = [...model.entries()]
        .sort((a, b) => a[1].at - b[1].at || a[1].order - b[1].order)
        .map(([id]) => id);
      expect(drain(q)).toEqual(expected);
    }
  });
});
