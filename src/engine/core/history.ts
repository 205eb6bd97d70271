/**
 * Alert-group history that may live outside memory. With the database store, the state's
 * `alertGroups`, `alerts` and `resolutionNotes` maps hold only the resident part: every group that
 * is not resolved or still has pending work (what the runtime needs), plus recently used resolved
 * ones; older resolved groups, with their alerts and notes, are read from the database on demand.
 * Without a store (the in-memory demo) the maps hold everything and nothing here does any work.
 *
 * Two things connect the engine to the store, both keyed by the state object so `State` itself
 * stays plain data (the simulation copies it with `structuredClone`):
 * - the archive, which finds records that are not in memory;
 * - change marks: the history kinds are too large to compare record by record on every commit,
 *   so code that creates, changes or deletes an alert group, alert or resolution note says so with
 *   `markChanged`. The store writes exactly the marked records (a record gone from memory is
 *   deleted). Configuration needs no marks: the store compares it with what it last saved.
 */
import type { AlertGroupRecord, AlertRecord, ResolutionNoteRecord, State } from './state.js';
import { indexChanged } from './alert-group-index.js';

export type HistoryKind = 'alertGroups' | 'alerts' | 'resolutionNotes';

/** A record that is not in memory, with what a list needs to filter and order it. */
export interface ArchivedRef {
  id: string;
  /** Creation order (what the maps' insertion order is for resident records). */
  pos: number;
  /** Alert groups: their creation instant; resolution notes: their alert group's. */
  createdAt: number;
}

/** Filters of the alert-group list that the archive applies (every archived group is resolved). */
export interface ArchivedGroupFilter {
  id?: string | undefined;
  routeId?: string | undefined;
  /** Groups of these integrations only (the team filter, resolved to integrations). */
  integrationIds?: readonly string[] | undefined;
  createdFrom?: number | undefined;
  createdTo?: number | undefined;
}

export interface ArchivedAlertFilter {
  id?: string | undefined;
  alertGroupId?: string | undefined;
  /** Lower-case text that the payload's JSON, lower-cased, must contain. */
  search?: string | undefined;
}

export interface HistoryArchive {
  /** Bring an archived group, its alerts and notes into memory; undefined if there is none. */
  restoreGroup(id: string): AlertGroupRecord | undefined;
  /** The alert group an archived resolution note belongs to, if the note exists. */
  groupOfNote(id: string): string | undefined;
  /** Read-only copies of archived records, without making them resident (lists, representations). */
  peekGroup(id: string): AlertGroupRecord | undefined;
  peekAlert(id: string): AlertRecord | undefined;
  peekNote(id: string): ResolutionNoteRecord | undefined;
  /** True when an archived record has this id (so a new id does not collide with it). */
  holds(id: string): boolean;
  /** The creation rank of a resident record of `kind`. */
  pos(kind: HistoryKind, id: string): number;
  /** Archived records matching a filter, in creation order. */
  archivedGroups(filter: ArchivedGroupFilter): ArchivedRef[];
  archivedAlerts(filter: ArchivedAlertFilter): ArchivedRef[];
  archivedNotes(filter: { alertGroupId?: string | undefined }): ArchivedRef[];
  /** Record that a history record was created, changed or deleted (see the module comment). */
  markChanged(kind: HistoryKind, id: string): void;
}

const archives = new WeakMap<State, HistoryArchive>();

export function attachArchive(state: State, archive: HistoryArchive): void {
  archives.set(state, archive);
}

export function detachArchive(state: State): void {
  archives.delete(state);
}

export function archiveOf(state: State): HistoryArchive | undefined {
  return archives.get(state);
}

/**
 * Say that a history record was created, changed or deleted: the store writes it, and the alert-group
 * index (core/alert-group-index.ts) re-reads a group before its next lookup.
 */
export function markChanged(state: State, kind: HistoryKind, id: string): void {
  if (kind === 'alertGroups') indexChanged(state, id);
  archives.get(state)?.markChanged(kind, id);
}

/** An alert group, resident or brought back from the archive so it can be changed. */
export function findAlertGroup(state: State, id: string): AlertGroupRecord | undefined {
  return state.alertGroups.get(id) ?? archives.get(state)?.restoreGroup(id);
}

/** A resolution note, brought into memory (with its group) so it can be changed. */
export function findNote(state: State, id: string): ResolutionNoteRecord | undefined {
  const resident = state.resolutionNotes.get(id);
  if (resident) return resident;
  const archive = archives.get(state);
  const groupId = archive?.groupOfNote(id);
  if (groupId !== undefined) archive!.restoreGroup(groupId);
  return state.resolutionNotes.get(id);
}

/** An alert for reading (e.g. a group's last alert in its representation). */
export function readAlert(state: State, id: string): AlertRecord | undefined {
  return state.alerts.get(id) ?? archives.get(state)?.peekAlert(id);
}

/** An alert group for reading, without bringing it into memory. */
export function readAlertGroup(state: State, id: string): AlertGroupRecord | undefined {
  return state.alertGroups.get(id) ?? archives.get(state)?.peekGroup(id);
}

/** A resolution note for reading. */
export function readNote(state: State, id: string): ResolutionNoteRecord | undefined {
  return state.resolutionNotes.get(id) ?? archives.get(state)?.peekNote(id);
}

/** A list entry over resident and archived records; `record` is set for resident ones. */
export interface ListRef<T> {
  id: string;
  pos: number;
  createdAt: number;
  record: T | undefined;
}

/**
 * A list over resident and archived records: `resident` are the matching records in memory,
 * `archived` finds the matching ones that are not. Returns references in creation order (oldest
 * first), as the maps' insertion order is when everything is in memory.
 */
export function mergeByCreation<T extends { id: string }>(
  state: State,
  kind: HistoryKind,
  resident: readonly T[],
  createdAt: (record: T) => number,
  archived: (archive: HistoryArchive) => ArchivedRef[],
): Array<ListRef<T>> {
  const archive = archives.get(state);
  const refs: Array<ListRef<T>> = resident.map((record, i) => ({
    id: record.id,
    pos: archive ? archive.pos(kind, record.id) : i,
    createdAt: createdAt(record),
    record,
  }));
  if (!archive) return refs;
  for (const ref of archived(archive)) refs.push({ ...ref, record: undefined });
  return refs.sort((a, b) => a.pos - b.pos);
}
