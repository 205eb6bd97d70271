/**
 * OnCall's page-number pagination (semantics.md §1.3): lenient `page`/`perpage`, the last page when
 * asked past the end, absolute next/previous links from the public base URL with query parameters
 * re-encoded in alphabetical order and no `page` on the link to page 1.
 */
import type { Page } from '../../api/pagination.js';
import { parseInteger } from './validation.js';

/** DRF reports at most this page size, even though larger pages really are returned. */
const REPORTED_MAX_PAGE_SIZE = 100;

export interface PageRequest {
  /** The list path under the base URL, e.g. `/api/v1/escalation_chains/`. */
  path: string;
  /** Every query parameter of the request (filters included), as strings. */
  query: Record<string, string | undefined>;
  defaultSize: number;
}

/**
 * A page of `items`. `represent`, when given, turns only the returned items into their API shape,
 * so listing page 1 of 10,000 alert groups does not build 10,000 representations.
 */
export function paginate<T, R = T>(
  items: readonly T[],
  baseUrl: string,
  request: PageRequest,
  represent?: (item: T) => R,
): Page<R> {
  const perpage = positiveInt(request.query.perpage) ?? request.defaultSize;
  const totalPages = Math.max(1, Math.ceil(items.length / perpage));
  const page = Math.min(positiveInt(request.query.page) ?? 1, totalPages);
  const link = (target: number) => pageLink(baseUrl, request, target);
  return {
    count: items.length,
    next: page < totalPages ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results: items
      .slice((page - 1) * perpage, page * perpage)
      .map((item) => (represent ? represent(item) : (item as unknown as R))),
    page_size: Math.min(perpage, REPORTED_MAX_PAGE_SIZE),
    current_page_number: page,
    total_pages: totalPages,
  };
}

function positiveInt(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = parseInteger(raw);
  return n !== undefined && n >= 1 ? n : undefined;
}

function pageLink(baseUrl: string, request: PageRequest, page: number): string {
  const params = new URLSearchParams();
  const entries = Object.entries({ ...request.query, page: page === 1 ? undefined : String(page) })
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, value] of entries) params.append(key, value);
  const qs = params.toString();
  return `${baseUrl.replace(/\/+$/, '')}${request.path}${qs ? `?${qs}` : ''}`;
}

/** Turn a typed query object into the string map `paginate` links with. */
export function queryStrings(query: object): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) out[key] = String(value);
  }
  return out;
}
