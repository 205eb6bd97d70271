/**
 * Shift expansion and final-schedule resolution with Grafana OnCall's semantics
 * (semantics.md §2), as a pure library: plain data in, plain data out, no clock reads.
 */
export { expandShift, type PreparedShift, prepareShift } from './expand.js';
export { onCallAt } from './oncall-at.js';
export { finalEvents, resolveOccurrences } from './resolve.js';
export type {
  FinalEvent,
  FinalEventsInput,
  Frequency,
  Occurrence,
  OnCallAtInput,
  ResolveOptions,
  ShiftDefinition,
  ShiftProblem,
  ShiftSource,
  ShiftType,
  SwapNote,
  SwapRequest,
  Weekday,
} from './types.js';
export { validateShift } from './validate.js';
