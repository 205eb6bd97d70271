/** Organisations of a chosen size for the benchmarks: the demo plus generated users. */
import { demoState } from '../src/demo/state.js';
import type { State } from '../src/engine/core/state.js';

/** The demo with `total` users: copies of its first user with their own ids, names and emails. */
export function withUsers(total: number): State {
  const state = demoState();
  const template = [...state.users.values()][0]!;
  for (let i = state.users.size; i < total; i++) {
    const id = `U${String(i).padStart(12, 'X')}`;
    state.users.set(id, { ...structuredClone(template), id, username: `user${i}`, email: `user${i}@example.com` });
  }
  return state;
}
