/**
 * Plain-data boundary of the schedule library (semantics.md §2). Everything that crosses it
 * is JSON-shaped: wall-clock strings for shift definitions, epoch milliseconds for instants.
 */
import type { PreparedShift } from './expand.js';

export type Weekday = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';

export type ShiftType = 'single_event' | 'recurrent_event' | 'rolling_users' | 'override';

/** `web` shifts expand in UTC and clip at rotation_start; `api`/`terraform` use local wall clock. */
export type ShiftSource = 'web' | 'api' | 'terraform';

export type Frequency = 'hourly' | 'daily' | 'weekly' | 'monthly';

export interface ShiftDefinition {
  id: string;
  type: ShiftType;
  source: ShiftSource;
  /** IANA zone the caller resolved (shift tz → schedule tz → 'UTC'). Ignored for web shifts (UTC). */
  timeZone: string;
  /** Layer priority (`priority_level`); higher wins. */
  level: number;
  /** `YYYY-MM-DDTHH:MM:SS`, wall clock in `timeZone` (UTC for web). */
  start: string;
  /** Seconds. */
  duration: number;
  /** Same format as `start`; null means `start`. */
  rotationStart: string | null;
  /** Same format as `start`; inclusive end of the recurrence. */
  until: string | null;
  frequency: Frequency | null;
  /** null means 1 when `frequency` is set. */
  interval: number | null;
  byDay: Weekday[] | null;
  byMonth: number[] | null;
  byMonthday: number[] | null;
  weekStart: Weekday;
  /** People of `single_event`, `recurrent_event` and `override` (all on call together). */
  users: string[];
  /** Ordered groups of `rolling_users`. */
  rollingUsers: string[][] | null;
  startRotationFromUserIndex: number | null;
}

/** One occurrence of one shift, before swaps and layering. */
export interface Occurrence {
  shiftId: string;
  start: number;
  end: number;
  users: string[];
  priority: number;
  isOverride: boolean;
}

/** Times are epoch ms; a swap is taken when `benefactor` is not null. */
export interface SwapRequest {
  id: string;
  beneficiary: string;
  benefactor: string | null;
  swapStart: number;
  swapEnd: number;
  createdAt: number;
}

/** Marks the part of an event a swap request covers (taken or not). */
export interface SwapNote {
  id: string;
  beneficiary: string;
  benefactor: string | null;
}

export interface FinalEvent {
  start: number;
  end: number;
  users: string[];
  /** The shift this piece comes from; empty for gaps. */
  shiftIds: string[];
  priority: number;
  isOverride: boolean;
  isGap: boolean;
  isEmpty: boolean;
  /** Swap requests applied to (or annotating) this piece, in the order they were applied. */
  swaps: SwapNote[];
}

/** A problem with a shift definition, naming the `ShiftDefinition` field at fault. */
export interface ShiftProblem {
  field: keyof ShiftDefinition;
  message: string;
}

/** How occurrences become the final schedule (semantics.md §3.1). Window times are epoch ms. */
export interface ResolveOptions {
  swaps?: readonly SwapRequest[];
  /** Half-open [windowStart, windowEnd); equal bounds mean the single instant windowStart. */
  windowStart: number;
  windowEnd: number;
  /** Decides whether an untaken swap is past due (semantics.md §3.1). */
  now: number;
  /** False for users that are missing or may not be notified (semantics.md §3.1); their seats become empty. */
  isUserAllowed?: (userId: string) => boolean;
  /** Add gap events for uncovered stretches of the window (default true, as OSS `final_events`). */
  withGaps?: boolean;
  /** Add occurrences whose users were all filtered out (default false; they never block layers). */
  withEmpty?: boolean;
}

export interface FinalEventsInput extends ResolveOptions {
  shifts: readonly ShiftDefinition[];
  /**
   * The same shifts already read by `prepareShift`, in the same order (null where it refused
   * one): a caller that resolves one schedule again and again reads its shifts once.
   */
  prepared?: readonly (PreparedShift | null)[];
}

export interface OnCallAtInput {
  shifts: readonly ShiftDefinition[];
  /** As in FinalEventsInput. */
  prepared?: readonly (PreparedShift | null)[];
  swaps?: readonly SwapRequest[];
  at: number;
  isUserAllowed?: (userId: string) => boolean;
}
