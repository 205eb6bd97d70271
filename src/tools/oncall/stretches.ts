/**
 * Final shifts (one item per person per event, as `GET /schedules/<id>/final_shifts` returns them)
 * turned into stretches: maximal periods during which the same people are on call. Pure functions
 * over plain data, so they work on what any backend returns.
 *
 * Intervals are half-open, [start, end): at a handover instant the incoming people are on call.
 */
import type { FinalShift } from '../../api/types.js';

export interface Stretch {
  start: number;
  end: number;
  /** User ids, sorted, never empty (a period with nobody is a gap between stretches). */
  users: string[];
}

export interface Person {
  id: string;
  username: string;
}

const sameUsers = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((u, i) => u === b[i]);

/**
 * What was worked out from a frozen list of items, which cannot change: the embedded engine hands
 * out the same frozen page for a window until a write changes the schedule, so a question asked
 * again (a minute's worth of who_is_on_call) reuses it. Lists that are not frozen (a live OnCall's
 * answers) are read every time.
 */
const fromFrozen = new WeakMap<readonly FinalShift[], { stretches?: Stretch[]; people?: Map<string, Person> }>();

function reuse<K extends 'stretches' | 'people'>(
  items: readonly FinalShift[],
  key: K,
  compute: () => NonNullable<ReturnType<typeof fromFrozen.get>>[K],
) {
  if (!Object.isFrozen(items)) return compute()!;
  let known = fromFrozen.get(items);
  if (!known) fromFrozen.set(items, (known = {}));
  return (known[key] ??= compute())!;
}

/**
 * Sweep the items' starts and ends: between two consecutive boundaries the people on call are
 * constant. Neighbouring periods with the same people merge (a daily shift repeated by the same
 * person is one stretch); a period with nobody is left out. Read-only: the result may be shared.
 */
export function stretchesOf(items: readonly FinalShift[]): readonly Stretch[] {
  return reuse(items, 'stretches', () => {
    const out = sweep(items);
    for (const s of out) Object.freeze(Object.freeze(s.users) && s);
    return Object.freeze(out) as Stretch[];
  });
}

function sweep(items: readonly FinalShift[]): Stretch[] {
  const edges = new Map<number, Array<[string, 1 | -1]>>();
  const add = (at: number, user: string, delta: 1 | -1) => {
    const list = edges.get(at);
    if (list) list.push([user, delta]);
    else edges.set(at, [[user, delta]]);
  };
  // Every boundary is printed once per person and once more as the next shift's start.
  const parsed = new Map<string, number>();
  const instant = (text: string) => {
    let ms = parsed.get(text);
    if (ms === undefined) parsed.set(text, (ms = Date.parse(text)));
    return ms;
  };
  for (const item of items) {
    const start = instant(item.shift_start);
    const end = instant(item.shift_end);
    if (!(end > start)) continue;
    add(start, item.user_pk, 1);
    add(end, item.user_pk, -1);
  }
  const times = [...edges.keys()].sort((a, b) => a - b);
  const active = new Map<string, number>();
  const out: Stretch[] = [];
  for (let i = 0; i < times.length - 1; i++) {
    for (const [user, delta] of edges.get(times[i]!)!) {
      const count = (active.get(user) ?? 0) + delta;
      if (count > 0) active.set(user, count);
      else active.delete(user);
    }
    const users = [...active.keys()].sort();
    if (!users.length) continue;
    const [start, end] = [times[i]!, times[i + 1]!];
    const last = out.at(-1);
    if (last && last.end === start && sameUsers(last.users, users)) last.end = end;
    else out.push({ start, end, users });
  }
  return out;
}

/** Usernames of the items' people, for answers that name them. Read-only: the map may be shared. */
export function peopleOf(items: readonly FinalShift[]): ReadonlyMap<string, Person> {
  return reuse(items, 'people', () => {
    const people = new Map<string, Person>();
    for (const item of items) people.set(item.user_pk, { id: item.user_pk, username: item.user_username });
    return people;
  });
}

export interface ViewAt {
  /** The stretch that contains the instant, if anyone is on call then. */
  current: Stretch | undefined;
  /**
   * The stretch after the current one (or after the instant, when nobody is on call): its people
   * differ from the current ones when it follows on directly; after a gap they may be the same.
   */
  next: Stretch | undefined;
}

/** Who is on call at `at` (and until when), and who comes next (and from when). */
export function viewAt(stretches: readonly Stretch[], at: number): ViewAt {
  const current = stretches.find((s) => s.start <= at && at < s.end);
  const after = current ? current.end : at;
  const next = stretches.find((s) => s.start >= after && s.start > at);
  return { current, next };
}

/**
 * The periods during which one person is on call (whoever is on call beside them), merged: what
 * "their shifts" are for that person.
 */
export function personalStretches(stretches: readonly Stretch[], userId: string): Stretch[] {
  const out: Stretch[] = [];
  for (const s of stretches) {
    if (!s.users.includes(userId)) continue;
    const last = out.at(-1);
    if (last && last.end === s.start) last.end = s.end;
    else out.push({ start: s.start, end: s.end, users: [userId] });
  }
  return out;
}
