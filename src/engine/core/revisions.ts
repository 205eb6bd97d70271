/**
 * How many commits have named each configuration kind, per state: what caches of derived answers
 * (final schedules) check instead of comparing content. The counters move in the one place every
 * write goes through, the context's commits (request and background alike), before the save, so a
 * rolled-back save counts as a change too. The commit's kinds are a required argument and the
 * tests' store checks them against what really changed (`ONCALL_MCP_VERIFY_COMMITS`), so a cache
 * keyed on them cannot miss a write that a save would not miss as well.
 */
import type { State } from './state.js';

/** A configuration kind, as commits name them (`ConfigKind` in context.ts). */
type Kind = keyof State;

const counters = new WeakMap<State, Map<Kind, number>>();

/** Called by the context's commits with the kinds the change touched. */
export function noteCommit(state: State, changed: readonly Kind[]): void {
  let perKind = counters.get(state);
  if (!perKind) counters.set(state, (perKind = new Map()));
  for (const kind of changed) perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
}

/** The sum of the kinds' counters: it moves whenever a commit names any of them. */
export function revisionOf(state: State, kinds: readonly Kind[]): number {
  const perKind = counters.get(state);
  if (!perKind) return 0;
  let sum = 0;
  for (const kind of kinds) sum += perKind.get(kind) ?? 0;
  return sum;
}
