import { DateTime } from 'luxon';

/**
 * Datetimes as OnCall's API prints them (semantics.md §1.2): UTC with `Z`, microseconds only when
 * non-zero (Python's isoformat), or whole seconds for the few fields that are always truncated.
 */
export function isoZ(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : `${iso.slice(0, 23)}000Z`;
}

export function isoSecondsZ(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** An ISO datetime that says which zone it is in (a bare wall-clock time is ambiguous). */
export function parseZonedInstant(raw: unknown): number | undefined {
  if (typeof raw !== 'string' || !/(Z|[+-]\d{2}:?\d{2})$/.test(raw)) return undefined;
  const parsed = DateTime.fromISO(raw, { setZone: true });
  return parsed.isValid ? parsed.toMillis() : undefined;
}
