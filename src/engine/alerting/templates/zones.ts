/**
 * Time-zone tables for `datetimeformat_as_timezone`. QuickJS has no `Intl`, so the host, which
 * has the IANA database, hands the sandbox each zone a template names as data: the UTC offset and
 * abbreviation of every stretch between transitions, 2000-2040 (outside it the nearest stretch's
 * offset applies; changes less than two weeks apart are not resolved). A table is made once per
 * zone (a few ms) and cached; a template gets at most `MAX_ZONES_PER_TEMPLATE` of them, so naming
 * every zone cannot stall the host. Abbreviations are Node's English ones (`GMT+2` where pytz
 * would say `CEST`).
 */
export const MAX_ZONES_PER_TEMPLATE = 4;
const MAX_CACHED = 64;
const FROM = Date.UTC(2000, 0, 1);
const TO = Date.UTC(2040, 0, 1);
const STEP = 14 * 86_400_000;
const MINUTE = 60_000;

/** [from ms, offset minutes east of UTC, abbreviation] */
export type ZoneStretch = [number, number, string];

const ZONE_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){1,2}$/;
const validity = new Map<string, boolean>();

/** True for an IANA zone name (or alias, like Asia/Kolkata) this Node knows; UTC is the sandbox's. */
export function isZoneName(value: string): boolean {
  if (value.length > 64 || !ZONE_SHAPE.test(value)) return false;
  let valid = validity.get(value);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value });
      valid = true;
    } catch {
      valid = false;
    }
    if (validity.size >= 1024) validity.clear();
    validity.set(value, valid);
  }
  return valid;
}

/** Offsets come from one formatted string per instant; the abbreviation is read once per stretch. */
function offsetReader(zone: string): { offset(ms: number): number; abbreviation(ms: number): string } {
  const long = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  const short = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' });
  return {
    offset(ms) {
      const m = /GMT([+-])(\d{2}):(\d{2})/.exec(long.format(ms));
      return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
    },
    abbreviation(ms) {
      return short.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? '';
    },
  };
}

function buildTable(zone: string): ZoneStretch[] {
  const read = offsetReader(zone);
  let previous = read.offset(FROM);
  const table: ZoneStretch[] = [[Number.MIN_SAFE_INTEGER, previous, read.abbreviation(FROM)]];
  for (let t = FROM + STEP; t <= TO; t += STEP) {
    const current = read.offset(t);
    if (current === previous) continue;
    // The offset changed within this step: find the minute.
    let lo = t - STEP;
    let hi = t;
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (read.offset(mid) === previous) lo = mid;
      else hi = mid;
    }
    table.push([hi, current, read.abbreviation(hi)]);
    previous = current;
  }
  return table;
}

const cache = new Map<string, ZoneStretch[]>();

export function zoneTable(zone: string): ZoneStretch[] {
  let table = cache.get(zone);
  if (table) {
    cache.delete(zone);
  } else {
    table = buildTable(zone);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  }
  cache.set(zone, table);
  return table;
}
