/** Resolution notes (semantics.md §4.5) and the alerts list (semantics.md §4.1). */
import { badRequest, notFound } from '../../api/errors.js';
import type { OnCallBackend } from '../../api/backend.js';
import type { ResolutionNote } from '../../api/types.js';
import type { EngineContext } from '../core/context.js';
import { paginate, queryStrings } from '../core/pagination.js';
import type { ResolutionNoteRecord } from '../core/state.js';
import { isoZ } from '../core/time-format.js';
import { callerId, record } from './timeline.js';
import { findAlertGroup, findNote, markChanged, mergeByCreation, readAlertGroup, readNote } from '../core/history.js';
import { asBody, FieldErrors, readRelatedId, readString } from '../core/validation.js';

export function representNote(note: ResolutionNoteRecord): ResolutionNote {
  return {
    id: note.id,
    alert_group_id: note.alertGroupId,
    author: note.author,
    source: note.source,
    created_at: isoZ(note.createdAt),
    text: note.text,
  };
}

export function resolutionNotes(ctx: EngineContext): OnCallBackend['resolutionNotes'] {
  const { state } = ctx;
  /** A note to change, brought into memory with its group if it was archived. */
  const get = (id: string) => {
    const note = findNote(state, id);
    if (!note) throw notFound('resolution_note', id);
    return note;
  };
  const startedAt = (note: ResolutionNoteRecord) => readAlertGroup(state, note.alertGroupId)?.createdAt ?? 0;
  return {
    async list(query) {
      const resident = [...state.resolutionNotes.values()]
        .filter((n) => query.alert_group_id === undefined || n.alertGroupId === query.alert_group_id);
      // Newest alert group first; notes of one group (or equal instants) keep creation order.
      const items = mergeByCreation(state, 'resolutionNotes', resident, startedAt, (archive) =>
        archive.archivedNotes({ alertGroupId: query.alert_group_id }),
      ).sort((a, b) => b.createdAt - a.createdAt);
      return paginate(items, ctx.publicUrl, { path: '/api/v1/resolution_notes/', query: queryStrings(query), defaultSize: 50 }, (ref) =>
        representNote(ref.record ?? readNote(state, ref.id)!),
      );
    },
    async get(id) {
      const note = readNote(state, id);
      if (!note) throw notFound('resolution_note', id);
      return representNote(note);
    },
    async create(raw) {
      const body = asBody(raw);
      const errors = new FieldErrors();
      const groupId = readRelatedId(errors, body, 'alert_group_id', (id) => readAlertGroup(state, id) !== undefined, { required: true });
      const text = readString(errors, body, 'text', { required: true });
      errors.throwIfAny();
      const now = ctx.clock.now();
      const note: ResolutionNoteRecord = {
        id: ctx.newId('M'),
        alertGroupId: groupId!,
        author: callerId(state),
        source: 'Web',
        createdAt: now,
        text: text!,
      };
      const group = findAlertGroup(state, groupId!)!;
      state.resolutionNotes.set(note.id, note);
      record(group, { at: now, event: 'resolution_note', authorId: note.author, text: `Resolution note: ${text}` });
      markChanged(state, 'resolutionNotes', note.id);
      markChanged(state, 'alertGroups', group.id);
      ctx.commit([]);
      return representNote(note);
    },
    async update(id, raw, mode = 'put') {
      const note = get(id);
      const errors = new FieldErrors();
      // PUT needs the text; a PATCH without it changes nothing (DRF's partial update).
      const text = readString(errors, asBody(raw), 'text', { required: mode === 'put' });
      errors.throwIfAny();
      if (note.source !== 'Web') throw badRequest('Cannot update message with this source type');
      if (text !== undefined && text !== null) note.text = text;
      markChanged(state, 'resolutionNotes', note.id);
      ctx.commit([]);
      return representNote(note);
    },
    async delete(id) {
      get(id);
      state.resolutionNotes.delete(id);
      markChanged(state, 'resolutionNotes', id);
      ctx.commit([]);
    },
  };
}
