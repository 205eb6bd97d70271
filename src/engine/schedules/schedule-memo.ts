/**
 * What the engine has already worked out about one schedule, kept until a write could change it.
 *
 * A schedule's answers (final events of a window, its segments, who is on call) depend only on
 * its record, its shifts, its swap requests and which users may be notified. Those are read here
 * once (shifts parsed for expansion, swaps filtered, users' permissions looked up) and every answer
 * derived from them is kept, per schedule, until a commit names one of the kinds they come from:
 * `revisionOf` (core/revisions.ts) moves in the context's commits, the one place every write goes
 * through, so there is nothing to remember to invalidate. `now` changes an answer only through
 * untaken swap requests (one whose start has passed no longer counts), so that is part of a key.
 *
 * Under `ONCALL_MCP_VERIFY_COMMITS=1` (every test run) each reuse also compares the inputs with
 * what they were when read, and fails loudly if a change reached the state without a commit
 * naming its kind.
 */
import type { ConfigKind } from '../core/context.js';
import { revisionOf } from '../core/revisions.js';
import type { ScheduleRecord, State } from '../core/state.js';
import { type PreparedShift, prepareShift, type ShiftDefinition, type SwapRequest } from './math/index.js';
import { canBeNotified, scheduleShifts, scheduleSwaps } from './schedule-records.js';

/** The kinds a schedule's answers are computed from (a shift's zone may come from any schedule). */
const INPUT_KINDS: readonly ConfigKind[] = ['schedules', 'shifts', 'swaps', 'users'];

/** Answers kept per schedule (windows, instants), least recently used dropped first. */
const ANSWERS_PER_SCHEDULE = 32;

const VERIFY = process.env.ONCALL_MCP_VERIFY_COMMITS === '1';

export interface ScheduleInputs {
  readonly shifts: readonly ShiftDefinition[];
  readonly prepared: readonly (PreparedShift | null)[];
  readonly swaps: readonly SwapRequest[];
  isUserAllowed(userId: string): boolean;
  /** What `now` changes in this schedule's answers: which untaken swaps have started ('' if none). */
  phase(now: number): string;
  /** An answer computed from these inputs (and whatever `key` names), computed once per revision. */
  derive<T>(key: string, compute: () => T): T;
}

class Entry implements ScheduleInputs {
  readonly shifts: readonly ShiftDefinition[];
  readonly prepared: readonly (PreparedShift | null)[];
  readonly swaps: readonly SwapRequest[];
  private readonly untaken: readonly SwapRequest[];
  private readonly allowed = new Map<string, boolean>();
  private readonly answers = new Map<string, unknown>();
  readonly fingerprint: string | undefined;

  constructor(
    private readonly state: State,
    readonly revision: number,
    schedule: ScheduleRecord,
  ) {
    this.shifts = scheduleShifts(state, schedule);
    this.prepared = this.shifts.map(prepareShift);
    this.swaps = scheduleSwaps(state, schedule.id);
    this.untaken = this.swaps.filter((s) => s.benefactor === null && s.swapEnd > s.swapStart);
    this.fingerprint = VERIFY ? fingerprint(state, schedule) : undefined;
  }

  isUserAllowed = (userId: string): boolean => {
    let allowed = this.allowed.get(userId);
    if (allowed === undefined) this.allowed.set(userId, (allowed = canBeNotified(this.state, userId)));
    return allowed;
  };

  phase(now: number): string {
    let out = '';
    for (const swap of this.untaken) out += now > swap.swapStart ? '1' : '0';
    return out;
  }

  derive<T>(key: string, compute: () => T): T {
    if (this.answers.has(key)) {
      const hit = this.answers.get(key) as T;
      // Most recently used last, so the first key is the one to drop.
      this.answers.delete(key);
      this.answers.set(key, hit);
      return hit;
    }
    const value = compute();
    if (this.answers.size >= ANSWERS_PER_SCHEDULE) this.answers.delete(this.answers.keys().next().value!);
    this.answers.set(key, value);
    return value;
  }
}

/** Everything an answer reads, as text (only built to check reuse in tests). */
function fingerprint(state: State, schedule: ScheduleRecord): string {
  const shifts = scheduleShifts(state, schedule);
  const swaps = scheduleSwaps(state, schedule.id);
  const people = new Set([...shifts.flatMap((s) => [...s.users, ...(s.rollingUsers ?? []).flat()]), ...swaps.flatMap((s) => [s.beneficiary, s.benefactor ?? ''])]);
  return JSON.stringify([schedule, shifts, swaps, [...people].map((id) => [id, canBeNotified(state, id)])]);
}

const memos = new WeakMap<State, Map<string, Entry>>();

/**
 * The schedule's inputs, read once per revision of what they come from. A record that is not the
 * one the state holds under its id (a copy being edited) is read afresh every time.
 */
export function scheduleInputs(state: State, schedule: ScheduleRecord): ScheduleInputs {
  const revision = revisionOf(state, INPUT_KINDS);
  if (state.schedules.get(schedule.id) !== schedule) return new Entry(state, revision, schedule);
  let bySchedule = memos.get(state);
  if (!bySchedule) memos.set(state, (bySchedule = new Map()));
  const known = bySchedule.get(schedule.id);
  if (known && known.revision === revision) {
    if (VERIFY && known.fingerprint !== fingerprint(state, schedule)) {
      throw new Error(
        `schedule ${schedule.id}: its shifts, swaps, users or record changed without a commit naming that kind; `
        + 'a cached answer would have been stale',
      );
    }
    return known;
  }
  // A new revision makes every entry stale; those of schedules not asked for again go now.
  for (const [id, entry] of bySchedule) if (entry.revision !== revision) bySchedule.delete(id);
  const entry = new Entry(state, revision, schedule);
  bySchedule.set(schedule.id, entry);
  return entry;
}
