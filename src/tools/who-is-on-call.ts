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
    'Who is on call now (or at `at`) and next, until and from when, through which schedule or chain; if nobody, why.',
  input: z.object({
    target: z
      .string()
      .min(1)
      .meta({ minLength: undefined })
      .describe('Team, schedule, chain, integration or user: name, username, email or id, e.g. payments.'),
    at: z
      .string()
      .optional()
      .describe('ISO instant with zone (default now).'),
    kind: z
      .enum(TARGET_KINDS)
      .optional()
      .describe('Only this kind, when a name is shared.'),
  }),
  output: WhoIsOnCall,
  annotations: READ_ONLY,
  run: (args, { backend, index }) => answer(backend, index, args),
  text: (out) => formatWhoIsOnCall(out),
});
