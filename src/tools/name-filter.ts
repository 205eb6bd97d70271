/**
 * Name filters on list tools: case-insensitive substring matches ("grafana" finds
 * "Grafana :blush:"), where OnCall's own `name` filter is exact. The matching ids come from the
 * shared directory index (no full listing per call); only the objects of the page asked for are
 * fetched. The page envelope is built honestly: `count` is the number of matches, and there are no
 * `next`/`previous` links, since no API URL returns this page.
 */
import { ApiError } from '../api/errors.js';
import { collectAll, type Page } from '../api/pagination.js';
import type { DirectoryIndex, Entry, RefKind } from './lookup/directory-index.js';
import { KIND_WORDS, suggestions } from './lookup/resolve.js';

/** One filter: the argument, its text, and which spellings of an entry (or fields of an item) it reads. */
export interface TextFilter<T> {
  argument: string;
  text: string;
  ofEntry: (e: Entry) => string;
  ofItem: (item: T) => string;
}

export interface FilteredList<T> {
  directory: DirectoryIndex;
  kind: RefKind;
  filters: ReadonlyArray<TextFilter<T>>;
  /** A team filter as the list tools take it: a team id, or "null" for no team. */
  team?: string | undefined;
  teamOf?: (item: T) => string | null;
  page?: number | undefined;
  perpage?: number | undefined;
  defaultPerPage: number;
  get: (id: string) => Promise<T>;
  list: (page: number) => Promise<Page<T>>;
  idOf: (item: T) => string;
}

const contains = (haystack: string, needle: string) => haystack.toLowerCase().includes(needle.toLowerCase());

/** The filters that were given (an empty text filters nothing). */
export function activeFilters<T>(filters: ReadonlyArray<TextFilter<T> | undefined>): Array<TextFilter<T>> {
  return filters.filter((f): f is TextFilter<T> => !!f && f.text !== '');
}

/** The page of objects matching every filter, in the list's order. */
export async function filteredPage<T>(q: FilteredList<T>): Promise<Page<T>> {
  const perpage = q.perpage ?? q.defaultPerPage;
  if (q.team && q.team !== 'null' && (await q.directory.loadedOk('team')) && !(await q.directory.byId('team')).has(q.team)) {
    // What OnCall's team filter answers for a team it does not know (an unfiltered list would too).
    throw new ApiError(400, { team_id: ['Select a valid choice. That choice is not one of the available choices.'] });
  }
  const teamOk = (teamIds: readonly string[]) =>
    q.team === undefined || (q.team === 'null' ? teamIds.length === 0 : teamIds.includes(q.team));
  let ids: string[] | undefined;
  let items: T[] | undefined;
  if (await q.directory.loadedOk(q.kind)) {
    ids = (await q.directory.entries(q.kind))
      .filter((e) => q.filters.every((f) => contains(f.ofEntry(e), f.text)) && teamOk(e.teamIds ?? []))
      .map((e) => e.id);
  } else {
    // The index could not load this kind (a permission, say): read the list itself.
    items = (await collectAll(q.list)).filter((item) => {
      const team = q.teamOf?.(item) ?? null;
      return q.filters.every((f) => contains(f.ofItem(item), f.text)) && teamOk(team ? [team] : []);
    });
    ids = items.map(q.idOf);
  }
  const total = Math.max(1, Math.ceil(ids.length / perpage));
  const current = Math.min(Math.max(1, q.page ?? 1), total); // a page past the end is the last, as OnCall does
  const slice = ids.slice((current - 1) * perpage, current * perpage);
  let results: T[];
  if (items) {
    const byId = new Map(items.map((item) => [q.idOf(item), item]));
    results = slice.map((id) => byId.get(id)!);
  } else {
    // An id the index still has may have been deleted since it loaded: leave it out.
    const fetched = await Promise.all(slice.map((id) => q.get(id).catch(() => undefined)));
    results = fetched.filter((item): item is Awaited<T> => item !== undefined) as T[];
  }
  const missing = slice.length - results.length;
  return {
    count: ids.length - missing,
    next: null,
    previous: null,
    results,
    page_size: perpage,
    current_page_number: current,
    total_pages: total,
  };
}

/** `whose name contains "grafana"`, `whose username contains "al" and email contains "example"`. */
export function filterPhrase(filters: ReadonlyArray<{ argument: string; text: string }>): string | undefined {
  if (!filters.length) return undefined;
  return `whose ${filters.map((f) => `${f.argument} contains ${JSON.stringify(f.text)}`).join(' and ')} (case-insensitive)`;
}

const wordsOf = (s: string) => s.split(/[\s@._:-]+/).filter((w) => w.length > 2);

/** For an empty answer: the closest names of the kind, or a pointer to the unfiltered list. */
export async function nearMatches(directory: DirectoryIndex, kind: RefKind, text: string): Promise<string> {
  // Each word of a name counts too, so "grafanna" comes near "Grafana :blush:".
  const entries = (await directory.entries(kind)).map((e) => ({
    ...e,
    aliases: [...e.aliases, ...[e.name, ...e.aliases].flatMap(wordsOf)],
  }));
  const near = suggestions(entries, text);
  const words = KIND_WORDS[kind];
  if (!near.length) return `No ${words.one} name is close; ${words.finder} without filters shows them all.`;
  return `Near matches: ${near.map((e) => `"${e.name}" (${e.id})`).join(', ')}.`;
}

/** The usual filter: the `name` argument against an object's name. */
export function byName<T extends { name: string }>(text: string | undefined): TextFilter<T> | undefined {
  return text === undefined ? undefined : { argument: 'name', text, ofEntry: (e) => e.name, ofItem: (item) => item.name };
}

/** The text of a filtered page: the header says how it was filtered; an empty one suggests near names. */
export async function filteredText<T>(
  page: Page<T>,
  noun: string,
  line: (item: T) => string,
  filters: ReadonlyArray<{ argument: string; text: string }>,
  directory: DirectoryIndex,
  kind: RefKind,
  format: (page: Page<T>, noun: string, line: (item: T) => string, qualifier?: string) => string,
): Promise<string> {
  const text = format(page, noun, line, filterPhrase(filters));
  if (page.count || !filters.length) return text;
  return `${text} ${await nearMatches(directory, kind, filters[0]!.text)}`;
}
