/** Writing an alert group's timeline, and knowing who the API caller is. */
import type { AlertGroupRecord, State, TimelineEntry } from '../core/state.js';

export function record(group: AlertGroupRecord, entry: TimelineEntry): void {
  group.timeline.push(entry);
}

/**
 * The user the embedded engine acts for, as an OnCall API key acts for its owner: the configured
 * `organization.api_user_id`, else the first admin, else the first user.
 */
export function callerId(state: State): string | null {
  const configured = state.organization.api_user_id;
  if (configured && state.users.has(configured)) return configured;
  for (const user of state.users.values()) if (user.role === 'admin') return user.id;
  return state.users.keys().next().value ?? null;
}

export function username(state: State, userId: string | null | undefined): string {
  if (!userId) return 'nobody';
  return state.users.get(userId)?.username ?? userId;
}

/** "a", "a and b", "a, b and c". */
export function humanList(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
