import { ApiError, notFound, type ResourceKind } from '../../api/errors.js';
import type { Clock } from './clock.js';
import { generateId } from './ids.js';
import { archiveOf } from './history.js';
import { idMaps, type State } from './state.js';

/** Where committed changes go (`--db`, `--persist`); see storage/database.ts for the two kinds of commit. */
export interface StateStore {
  /** A request's change: throws (after rolling memory back) if it cannot be saved. */
  save(state: State): void;
  /** Work the engine did on its own: never throws; a failed save is retried. */
  saveInBackground(state: State): void;
  /** Save now what a failed background save still owes (shutdown). */
  flush?(): void;
  /** True when everything in memory is stored. */
  readonly saved?: boolean;
  /** Stop retrying and release the store (its lock). */
  close?(): void;
}

/**
 * What every resource module of the engine works with: the state, the clock, the public base URL
 * (for pagination links), id generation, and the two commits: `commit()` once after each
 * successful request mutation, `commitBackground()` after work the runtime did by itself.
 */
export interface EngineContext {
  state: State;
  clock: Clock;
  publicUrl: string;
  newId(prefix: string): string;
  commit(): void;
  commitBackground(): void;
  /** How many request commits there have been (what a cache of names checks). */
  readonly revision: number;
}

export function createContext(opts: {
  state: State;
  clock: Clock;
  publicUrl: string;
  store?: StateStore | undefined;
  /** Told after every commit of either kind that went through (the backend's change feed). */
  changed?: () => void;
}): EngineContext {
  const { state, store, changed } = opts;
  let revision = 0;
  return {
    state,
    clock: opts.clock,
    publicUrl: opts.publicUrl,
    // Archived history is not in the maps, but its ids are taken too.
    newId: (prefix) =>
      generateId(prefix, (id) => idMaps(state).some((m) => m.has(id)) || archiveOf(state)?.holds(id) === true),
    commit: () => {
      revision++; // before the save: a failed save rolls memory back, which is a change too
      store?.save(state);
      changed?.();
    },
    commitBackground: () => {
      store?.saveInBackground(state);
      changed?.();
    },
    get revision() {
      return revision;
    },
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
