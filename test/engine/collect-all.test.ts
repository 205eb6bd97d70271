import { describe, expect, it } from 'vitest';
import { collectAll, type Page } from '../../src/api/pagination.js';

function pages(total: number, perPage: number) {
  let inFlight = 0;
  let peak = 0;
  const calls: number[] = [];
  const fetchPage = async (page: number): Promise<Page<number>> => {
    calls.push(page);
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, 5 + ((page * 7) % 5)));
    inFlight -= 1;
    const start = (page - 1) * perPage;
    return {
      count: total,
      next: null,
      previous: null,
      results: Array.from({ length: Math.max(0, Math.min(perPage, total - start)) }, (_, i) => start + i),
      page_size: perPage,
      current_page_number: page,
      total_pages: Math.max(1, Math.ceil(total / perPage)),
    };
  };
  return { fetchPage, calls, peak: () => peak };
}

describe('collectAll', () => {
  it('fetches page 1, then the rest with at most N in flight, keeping page order', async () => {
    const p = pages(95, 10);
    const items = await collectAll(p.fetchPage, { concurrency: 3 });
    expect(items).toEqual(Array.from({ length: 95 }, (_, i) => i));
    expect(p.calls[0]).toBe(1);
    expect([...p.calls].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(p.peak()).toBe(3);
  });

  it('one page means one request; concurrency 1 is sequential', async () => {
    const single = pages(4, 10);
    expect(await collectAll(single.fetchPage)).toEqual([0, 1, 2, 3]);
    expect(single.calls).toEqual([1]);
    const sequential = pages(30, 10);
    await collectAll(sequential.fetchPage, { concurrency: 1 });
    expect(sequential.peak()).toBe(1);
    expect(sequential.calls).toEqual([1, 2, 3]);
  });
});
