/**
 * What is inside an alert group and what is said about it: its alerts (with a search of their
 * payloads), resolution notes, and deleting a group. A delete asks the human first and says what
 * goes with the group, because nothing brings it back.
 */
import * as z from 'zod';
import { pageSchema } from '../api/pagination.js';
import { AlertShape, ResolutionNote } from '../api/types.js';
import { continuePage } from './budget.js';
import { confirmDelete } from './delete-impact.js';
import { CREATE, defineTool, DESTRUCTIVE, READ_ONLY, UPDATE } from './define.js';
import { ALERT_GROUP_NAMES, formatAlertGroup, formatInstant, formatPage } from './format.js';
import { AlertGroupId, id, Page, PerPage } from './params.js';

const NoteId = id('Resolution note id (M…), from get_alert_group.');
const NoteText = z.string().min(1).meta({ minLength: undefined }).describe('What was found or done.');

/** Payloads are shown cut to this many characters each; the structured output has them whole. */
const PAYLOAD_CHARS = 300;

function payloadText(payload: unknown): string {
  const json = JSON.stringify(payload) ?? 'null';
  return json.length > PAYLOAD_CHARS ? `${json.slice(0, PAYLOAD_CHARS)}… (${json.length} characters)` : json;
}

export const listAlerts = defineTool({
  name: 'list_alerts',
  toolset: 'paging',
  title: 'List the alerts of an alert group',
  description: 'The alerts grouped into an alert group, newest first, with their payloads; search finds text in them.',
  input: z.object({
    alert_group_id: AlertGroupId.optional(),
    search: z.string().optional().describe('Text the payload contains.'),
    page: Page.optional(),
    perpage: PerPage.optional(),
  }),
  output: pageSchema(AlertShape),
  annotations: READ_ONLY,
  run: (args, { backend }) => backend.alerts.list(args),
  text: (page) =>
    formatPage(page, 'alerts', (a) => `${a.id} in ${a.alert_group_id} at ${formatInstant(a.created_at, null)}: ${payloadText(a.payload)}`),
  continuation: ({ out, cut }) => continuePage(out, cut),
});

function noteLine(n: ResolutionNote, users: ReadonlyMap<string, string>): string {
  const author = n.author ? (users.get(n.author) ?? n.author) : 'unknown';
  return `${n.id} on ${n.alert_group_id} by ${author} (${n.source}), ${formatInstant(n.created_at, null)}: ${n.text}`;
}

export const createResolutionNote = defineTool({
  name: 'create_resolution_note',
  toolset: 'paging',
  title: 'Add a resolution note',
  description: 'Note on an alert group what was found or done (shown in its timeline and in OnCall).',
  input: z.object({ alert_group_id: AlertGroupId, text: NoteText }),
  output: ResolutionNote,
  annotations: CREATE,
  run: (args, { backend }) => backend.resolutionNotes.create(args),
  async text(note, { names }) {
    return `Added: ${noteLine(note, (await names.book('users')).users)}`;
  },
});

export const updateResolutionNote = defineTool({
  name: 'update_resolution_note',
  toolset: 'paging',
  title: 'Change a resolution note',
  description: 'Replace a note\'s text (notes written in OnCall\'s web UI only).',
  input: z.object({ resolution_note_id: NoteId, text: NoteText }),
  output: ResolutionNote,
  annotations: UPDATE,
  run: ({ resolution_note_id, text }, { backend }) => backend.resolutionNotes.update(resolution_note_id, { text }),
  async text(note, { names }) {
    return `Updated: ${noteLine(note, (await names.book('users')).users)}`;
  },
});

export const deleteResolutionNote = defineTool({
  name: 'delete_resolution_note',
  toolset: 'paging',
  title: 'Remove a resolution note',
  description: 'Delete a resolution note.',
  input: z.object({ resolution_note_id: NoteId }),
  output: ResolutionNote.extend({ deleted: z.literal(true) }),
  annotations: DESTRUCTIVE,
  async run({ resolution_note_id }, ctx) {
    const note = await ctx.backend.resolutionNotes.get(resolution_note_id);
    await confirmDelete(ctx, async () => `Delete this resolution note? ${noteLine(note, (await ctx.names.book('users')).users)}`);
    await ctx.backend.resolutionNotes.delete(resolution_note_id);
    return { ...note, deleted: true as const };
  },
  async text(note, { names }) {
    return `Deleted: ${noteLine(note, (await names.book('users')).users)}`;
  },
});

export const deleteAlertGroup = defineTool({
  name: 'delete_alert_group',
  toolset: 'paging',
  title: 'Delete or wipe an alert group',
  description:
    'Stops its escalation. wipe (default): clears its alerts\' content, it stays listed; '
    + 'delete: removes it with alerts and notes. To stop paging only, resolve it (update_alert_group).',
  input: z.object({
    alert_group_id: AlertGroupId,
    mode: z.enum(['wipe', 'delete']).optional().describe('Default wipe.'),
  }),
  output: z.object({
    id: z.string(),
    mode: z.enum(['wipe', 'delete']),
    state: z.string().describe('Its state before'),
    alerts_count: z.number(),
  }),
  annotations: DESTRUCTIVE,
  async run({ alert_group_id, mode = 'wipe' }, ctx) {
    const group = await ctx.backend.alertGroups.get(alert_group_id);
    await confirmDelete(ctx, async () => {
      const book = await ctx.names.book(...ALERT_GROUP_NAMES);
      const what = mode === 'delete' ? 'Delete for good, with its alerts and resolution notes' : 'Wipe the content of';
      return `${what}: ${formatAlertGroup(group, book)}? Its escalation stops.`;
    });
    await ctx.backend.alertGroups.delete(alert_group_id, { mode });
    return { id: group.id, mode, state: group.state, alerts_count: group.alerts_count };
  },
  text: (out) =>
    out.mode === 'delete'
      ? `Deleted alert group ${out.id} (was ${out.state}) with its ${out.alerts_count} alert(s) and its resolution notes; `
      + 'nothing brings it back. Nobody more is notified for it.'
      : `Wiped alert group ${out.id} (was ${out.state}): its ${out.alerts_count} alert(s) keep no content and it has no `
        + 'title; it stays listed. Nobody more is notified for it.',
});
