import { describe, expect, it } from 'vitest';
import { paginate } from '../../src/engine/core/pagination.js';

const items = Array.from({ length: 7 }, (_, i) => i + 1);
const base = 'https://oncall.example.com/prefix';
const request = (query: Record<string, string | undefined>) => ({
  path: '/api/v1/alert_groups/',
  query,
  defaultSize: 50,
});

describe('pagination envelope (semantics.md §1.3)', () => {
  it('has the envelope keys in API order', () => {
    const page = paginate(items, base, request({}));
    expect(Object.keys(page)).toEqual([
      'count',
      'next',
      'previous',
      'results',
      'page_size',
      'current_page_number',
      'total_pages',
    ]);
    expect(page).toMatchObject({ count: 7, next: null, previous: null, page_size: 50, total_pages: 1 });
  });

  it('builds absolute links with sorted parameters and no page on the link to page 1', () => {
    const second = paginate(items, base, request({ perpage: '2', page: '2', name: 'x' }));
    expect(second.results).toEqual([3, 4]);
    expect(second.next).toBe(`${base}/api/v1/alert_groups/?name=x&page=3&perpage=2`);
    expect(second.previous).toBe(`${base}/api/v1/alert_groups/?name=x&perpage=2`);
  });

  it('returns the last page when asked past the end', () => {
    const page = paginate(items, base, request({ perpage: '3', page: '99' }));
    expect(page.current_page_number).toBe(3);
    expect(page.results).toEqual([7]);
    expect(page.next).toBeNull();
  });

  it.each([
    ['0', 1],
    ['-3', 1],
    ['abc', 1],
  ])('treats page=%s as page 1', (raw, expected) => {
    expect(paginate(items, base, request({ page: raw, perpage: '2' })).current_page_number).toBe(expected);
  });

  it('falls back to the default size for a bad perpage, and caps the reported size at 100', () => {
    expect(paginate(items, base, request({ perpage: 'x' })).page_size).toBe(50);
    const big = paginate(
      Array.from({ length: 300 }, (_, i) => i),
      base,
      request({ perpage: '250' }),
    );
    expect(big.results).toHaveLength(250);
    expect(big.page_size).toBe(100);
    expect(big.total_pages).toBe(2);
  });

  it('reports an empty result as one empty page', () => {
    expect(paginate([], base, request({ page: '4' }))).toEqual({
      count: 0,
      next: null,
      previous: null,
      results: [],
      page_size: 50,
      current_page_number: 1,
      total_pages: 1,
    });
  });
});
