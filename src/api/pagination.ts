import * as z from 'zod';

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
    count: z.number().int().describe('Total number of matching objects across all pages'),
    next: z.string().nullable().describe('URL of the next page, or null on the last page'),
    previous: z.string().nullable().describe('URL of the previous page, or null on page 1'),
    results: z.array(item),
    page_size: z.number().int(),
    current_page_number: z.number().int(),
    total_pages: z.number().int(),
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
