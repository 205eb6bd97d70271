import * as z from 'zod';
import { defineTool, READ_ONLY } from './define.js';
import { formatWhoIsOnCall } from './format.js';
import { TARGET_KINDS, WhoIsOnCall } from './oncall/types.js';
import { whoIsOnCall as answer } from './oncall/who.js';

export const whoIsOnCall = defineTool({
  name: 'who_is_on_call',
  toolset: 'oncall',
  title: 'Who is on call for a team, schedule, chain, integration or user',
  description:
    'One call: who is on call now (or at `at`) and until when, who is next and from when, and through which schedule '
    + 'or escalation chain; when nobody is, why (a closed time gate and when it opens, a schedule gap, a chain without '
    + 'schedule). `target` is a name or id of any of those kinds, e.g. "payments" or "alice".',
  input: z.object({
    target: z
      .string()
      .min(1)
      .describe('A team, schedule, escalation chain, integration or user: name, username, email or id; case-insensitive, e.g. "Payments".'),
    at: z
      .string()
      .optional()
      .describe('The instant to answer for, ISO with a zone, e.g. 2026-03-24T18:30:00Z (default: now).'),
    kind: z
      .enum(TARGET_KINDS)
      .optional()
      .describe('Only look among objects of this kind, when a name is shared (e.g. a team and a schedule).'),
  }),
  output: WhoIsOnCall,
  annotations: READ_ONLY,
  run: (args, { backend, index }) => answer(backend, index, args),
  text: (out) => formatWhoIsOnCall(out),
});
