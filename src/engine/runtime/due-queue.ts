/**
 * The runtime's pending work: one entry per alert group, at the instant its earliest work is due,
 * in a binary heap, so the next due group is found in O(1) and rescheduling one costs O(log n)
 * however many groups escalate at once.
 *
 * Equal instants go in the order the groups became pending: the state's map order (creation
 * order) at start, then as groups gain work (a new group, an unacknowledged one); a group keeps its
 * place while it has work and loses it when its work is done. That is the order the runtime's
 * earlier scan over its set of pending groups met them, so OnCall's outcomes that depend on it (a
 * round robin shared by groups due at one instant) do not change. A rescheduled group gets a new
 * entry and its old one goes stale: stale entries are dropped as they reach the top (lazy
 * deletion), and the heap is compacted when they outnumber the live ones.
 */

interface Entry {
  at: number;
  /** When the group became pending: the tie-break at equal instants. */
  order: number;
  id: string;
}

const before = (a: Entry, b: Entry) => a.at < b.at || (a.at === b.at && a.order < b.order);

export class DueQueue {
  private heap: Entry[] = [];
  /** The live entry of each queued group. */
  private readonly live = new Map<string, Entry>();
  /** When each queued group became pending, for ties. */
  private readonly orders = new Map<string, number>();
  private nextOrder = 0;

  /** Queue a group at `at`, or take it out with `null` (its work is done). */
  set(id: string, at: number | null): void {
    const current = this.live.get(id);
    if (current && current.at === at) return;
    if (at === null) {
      this.live.delete(id);
      this.orders.delete(id);
      this.compactIfStale();
      return;
    }
    if (!this.orders.has(id)) this.orders.set(id, this.nextOrder++);
    const entry: Entry = { at, order: this.orders.get(id)!, id };
    this.live.set(id, entry);
    this.push(entry);
    this.compactIfStale();
  }

  /** The group due first and when, or undefined when nothing is queued. */
  peek(): { id: string; at: number } | undefined {
    this.dropStale();
    const top = this.heap[0];
    return top && { id: top.id, at: top.at };
  }

  get size(): number {
    return this.live.size;
  }

  has(id: string): boolean {
    return this.live.has(id);
  }

  private dropStale(): void {
    while (this.heap.length && this.live.get(this.heap[0]!.id) !== this.heap[0]) this.pop();
  }

  private compactIfStale(): void {
    if (this.heap.length <= 64 || this.heap.length <= 2 * this.live.size) return;
    this.heap = [...this.live.values()].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (!heap.length) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < heap.length && before(heap[l]!, heap[best]!)) best = l;
      if (r < heap.length && before(heap[r]!, heap[best]!)) best = r;
      if (best === i) break;
      [heap[i], heap[best]] = [heap[best]!, heap[i]!];
      i = best;
    }
  }
}
