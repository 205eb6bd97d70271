import * as z from 'zod';
import { integer } from './types.js';

/**
 * OnCall's page-number pagination envelope (key order as the API sends it). `next`/`previous`
 * are absolute URLs or null.
 */
export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
  page_size: number;
  current_page_number: number;
  total_pages: number;
}

export interface PageQuery {
  page?: number | undefined;
  perpage?: number | undefined;
}

/** The zod schema of a page of `item`, used as a tool's outputSchema. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    count: integer(),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    results: z.array(item),
    page_size: integer(),
    current_page_number: integer(),
    total_pages: integer(),
  });
}

/**
 * Fetch every page of a list endpoint, one after another, and return the items.
 * Works on any backend because it only follows `total_pages`.
 */
export async function collectAll<T>(fetchPage: (page: number) => Promise<Page<T>>): Promise<T[]> {
  const first = await fetchPage(1);
  const items = [...first.results];
  for (let page = 2; page <= first.total_pages; page++) {
    const next = await fetchPage(page);
    items.push(...next.results);
  }
  return items;
}
