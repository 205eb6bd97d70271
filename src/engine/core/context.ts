import { ApiError, notFound, type ResourceKind } from '../../api/errors.js';
import type { Clock } from './clock.js';
import { generateId } from './ids.js';
import { archiveOf } from './history.js';
import type { HistoryKind } from './history.js';
import { noteCommit } from './revisions.js';
import { idMaps, type State } from './state.js';

/** The parts of the state that are configuration (everything but history). */
export type ConfigKind = Exclude<keyof State, HistoryKind | 'webhookResponses'>;

/**
 * What a commit may have changed in the configuration, so a store writes in time proportional to
 * the change, not to the organisation: the kinds whose records the change touched (compared
 * record by record). History is not listed: its records are marked where they change
 * (`markChanged`), and webhook responses are only appended. `[]`: only history changed.
 */
export type ConfigChange = readonly ConfigKind[];

/** Where committed changes go (`--db`, `--persist`); see storage/database.ts for the two kinds of commit. */
export interface StateStore {
  /** A request's change: throws (after rolling memory back) if it cannot be saved. */
  save(state: State, changed: ConfigChange): void;
  /** Work the engine did on its own: never throws; a failed save is retried. */
  saveInBackground(state: State, changed: ConfigChange): void;
  /** Save now what a failed background save still owes (shutdown). */
  flush?(): void;
  /** True when everything in memory is stored. */
  readonly saved?: boolean;
  /** Stop retrying and release the store (its lock). */
  close?(): void;
}

/**
 * What every resource module of the engine works with: the state, the clock, the public base URL
 * (for pagination links), id generation, and the two commits: `commit(changed)` once after each
 * successful request mutation, `commitBackground(changed)` after work the runtime did by itself;
 * `changed` names the configuration kinds touched (see ConfigChange).
 */
export interface EngineContext {
  state: State;
  clock: Clock;
  publicUrl: string;
  newId(prefix: string): string;
  commit(changed: ConfigChange): void;
  commitBackground(changed: ConfigChange): void;
  /** How many request commits there have been (what a cache of names checks). */
  readonly revision: number;
}

export function createContext(opts: {
  state: State;
  clock: Clock;
  publicUrl: string;
  store?: StateStore | undefined;
  /** Told after every commit of either kind that went through (the backend's change feed). */
  onCommit?: () => void;
}): EngineContext {
  const { state, store, onCommit } = opts;
  let revision = 0;
  return {
    state,
    clock: opts.clock,
    publicUrl: opts.publicUrl,
    // Archived history is not in the maps, but its ids are taken too.
    newId: (prefix) =>
      generateId(prefix, (id) => idMaps(state).some((m) => m.has(id)) || archiveOf(state)?.holds(id) === true),
    commit: (changed) => {
      revision++; // before the save: a failed save rolls memory back, which is a change too
      noteCommit(state, changed);
      store?.save(state, changed);
      onCommit?.();
    },
    commitBackground: (changed) => {
      noteCommit(state, changed);
      store?.saveInBackground(state, changed);
      onCommit?.();
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
