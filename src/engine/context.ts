import { ApiError, notFound, type ResourceKind } from '../api/errors.js';
import type { Clock } from './clock.js';
import { generateId } from './ids.js';
import { idMaps, type State } from './state.js';

/**
 * What every resource module of the engine works with: the state, the clock, the public base URL
 * (for pagination links), id generation, and `commit()`, called once after each successful
 * mutation (persistence hooks in there).
 */
export interface EngineContext {
  state: State;
  clock: Clock;
  publicUrl: string;
  newId(prefix: string): string;
  commit(): void;
}

export function createContext(opts: {
  state: State;
  clock: Clock;
  publicUrl: string;
  onCommit?: () => void;
}): EngineContext {
  const { state } = opts;
  return {
    state,
    clock: opts.clock,
    publicUrl: opts.publicUrl,
    newId: (prefix) => generateId(prefix, (id) => idMaps(state).some((m) => m.has(id))),
    commit: () => opts.onCommit?.(),
  };
}

/** Look an object up or throw OnCall's 404. */
export function getOr404<T>(map: ReadonlyMap<string, T>, kind: ResourceKind, id: string): T {
  const found = map.get(id);
  if (found === undefined) throw notFound(kind, id);
  return found;
}

/** django-filter's message for a choice filter given a value it does not know. */
export function invalidChoice(field: string): ApiError {
  return new ApiError(400, {
    [field]: ['Select a valid choice. That choice is not one of the available choices.'],
  });
}

/**
 * `team_id` as a list filter: a known team id, or the literal "null" for objects without a team.
 * Returns a predicate, or undefined when no filter was given.
 */
export function teamFilter(
  state: State,
  raw: string | undefined,
): ((teamId: string | null) => boolean) | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'null') return (teamId) => teamId === null;
  if (!state.teams.has(raw)) throw invalidChoice('team_id');
  return (teamId) => teamId === raw;
}
