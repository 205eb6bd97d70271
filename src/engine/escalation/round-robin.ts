/**
 * Round robin (the notify_person_next_each_time step): its queue and who it picks next. Shared by
 * the policies resource (advance_round_robin), the runtime and who-is-on-call answers.
 */
import type { State, UserRecord } from '../core/state.js';

/** The queue: the step's users sorted by username, then id, in code-point order. */
export function roundRobinQueue(state: State, userIds: readonly string[]): UserRecord[] {
  const users = userIds
    .map((id) => state.users.get(id))
    .filter((u): u is UserRecord => u !== undefined);
  const key = (u: UserRecord) => [u.username, u.id] as const;
  return users.sort((a, b) => {
    const [ua, ia] = key(a);
    const [ub, ib] = key(b);
    if (ua !== ub) return ua < ub ? -1 : 1;
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  });
}

/** Who the step picks next: the user after the pointer, wrapping; the first when the pointer is unset or gone. */
export function nextInRoundRobin(
  queue: readonly UserRecord[],
  lastUserId: string | null,
): UserRecord | undefined {
  const at = queue.findIndex((u) => u.id === lastUserId);
  return at < 0 ? queue[0] : queue[(at + 1) % queue.length];
}
