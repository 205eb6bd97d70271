/**
 * `coverage_report`: how well one or more schedules are staffed over a window, and how fairly.
 * The numbers are in `coverage/report.ts`, the words in `coverage/text.ts`.
 */
import * as z from 'zod';
import { collectAll } from '../../api/pagination.js';
import type { User } from '../../api/types.js';
import { defineTool, READ_ONLY } from '../define.js';
import { isoZ } from '../oncall/schedule-answer.js';
import { incidentsFor } from './coverage/incidents.js';
import { ScheduleCoverage, scheduleCoverage } from './coverage/report.js';
import { formatCoverage } from './coverage/text.js';
import { MAX_DAYS, schedulesAsked, StartArg, windowOf } from './coverage/window-args.js';

export const ASSUMPTIONS = [
  'Hours come from final shifts (layers, overrides and taken swaps resolved); people on call together each count their hours.',
  'Nights are 22:00–07:00 and weekends Saturday and Sunday in each person\'s own time zone (else the schedule\'s).',
  'Working hours are assumed 09:00–18:00 Monday to Friday in each person\'s zone.',
  'Alert groups count when created on a route whose chain notifies the schedule, for whoever was on call in it then.',
  'Fairness counts everyone with hours in the window.',
];

export const coverageReport = defineTool({
  name: 'coverage_report',
  toolset: 'schedules',
  title: 'Coverage, load and fairness of schedules over a period',
  description:
    'Gaps (intentional apart), hours per person with nights and weekends in their zone, handovers, fairness (Gini) and SRE-limit flags.',
  input: z.object({
    schedule_ids: z.array(z.string()).optional().describe('Schedules (ids or names).'),
    team_id: z.string().optional().describe('Team id or name: all its schedules.'),
    start: StartArg.optional(),
    days: z.number().int().min(1).max(MAX_DAYS).optional().describe(`Window length, default 7 (max ${MAX_DAYS}).`),
  }),
  output: z.object({
    start: z.string(),
    end: z.string(),
    schedules: z.array(ScheduleCoverage),
    assumptions: z.array(z.string()),
  }),
  annotations: READ_ONLY,
  async run({ schedule_ids, team_id, start, days }, { backend, signal, progress }) {
    const window = windowOf(start, days ?? 7, backend.now());
    const schedules = await schedulesAsked(backend, schedule_ids, team_id);
    const everyone = await collectAll((page) => backend.users.list({ page }));
    const users = new Map<string, User>(everyone.map((u) => [u.id, u]));
    const incidents = await incidentsFor(backend, schedules.map((s) => s.id), window, signal);
    const out = [];
    for (const s of schedules) {
      progress(`schedule ${s.name}`);
      const info = { id: s.id, name: s.name, time_zone: s.time_zone ?? null };
      out.push(await scheduleCoverage(backend, info, window, users, incidents.get(s.id)!, signal));
    }
    return { start: isoZ(window.from), end: isoZ(window.to), schedules: out, assumptions: ASSUMPTIONS };
  },
  text: (out) => out.schedules.map((s) => formatCoverage(s, out.start, out.end)).join('\n\n'),
});
