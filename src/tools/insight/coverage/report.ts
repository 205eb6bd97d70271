/**
 * The numbers of `coverage_report` for one schedule over a window: gaps (intentional apart), each
 * person's hours (nights and weekends on their own clock), handovers and those outside working
 * hours, a fairness figure, and the Google SRE book's limits (no more than 25% of the time on
 * call; no more than two incidents per 12-hour shift). Backend reads only.
 */
import * as z from 'zod';
import type { OnCallBackend } from '../../../api/backend.js';
import type { AlertGroup, User } from '../../../api/types.js';
import { isoZ } from '../../oncall/schedule-answer.js';
import { peopleOf, personalStretches, type Stretch, stretchesOf } from '../../oncall/stretches.js';
import { gapsOf, layersOf } from '../schedule-gaps.js';
import { gini } from './fairness.js';
import { finalShiftsIn, type Window } from './final-shifts.js';
import { handoversOf, withinWorkingHours } from './handovers.js';
import { localHours, roundHours } from './hours.js';
import type { ScheduleIncidents } from './incidents.js';
import { HOUR, knownZone } from './local-time.js';

export const QUARTER = 0.25;
export const INCIDENTS_PER_SHIFT = 2;
const BLOCK = 12 * HOUR;

const Hours = z.number().describe('Hours, to 2 decimals');

export const CoveragePerson = z.object({
  user_id: z.string(),
  username: z.string(),
  time_zone: z.string(),
  zone_from: z.enum(['user', 'schedule', 'utc']).describe('Where time_zone came from: the user\'s own, else the schedule\'s'),
  hours: Hours,
  share: z.number().describe('Part of the window on call, 0 to 1, 3 decimals'),
  night_hours: Hours.describe('22:00–07:00 in time_zone'),
  weekend_hours: Hours.describe('Saturday and Sunday in time_zone, nights included'),
  stretches: z.number().int().describe('Separate periods on call'),
  incidents: z.number().int().describe('Alert groups created while on call (see incidents.counted)'),
  busiest_12h: z
    .object({ start: z.string(), incidents: z.number().int() })
    .nullable()
    .describe('The 12-hour block (from the start of a period on call) with most alert groups'),
});
export type CoveragePerson = z.infer<typeof CoveragePerson>;

export const CoverageGap = z.object({
  start: z.string(),
  end: z.string(),
  hours: Hours,
  intentional: z.boolean(),
  reason: z.string().optional(),
});

export const OffHoursHandover = z.object({
  at: z.string(),
  outgoing: z.array(z.string()),
  incoming: z.array(z.string()),
  outside_working_hours: z.array(z.object({ user_id: z.string(), local: z.string() })),
});

export const CoverageFlag = z.object({
  code: z.enum(['over_quarter_on_call', 'over_two_incidents_per_12h', 'real_gaps', 'nobody_on_call']),
  user_id: z.string().nullable(),
  message: z.string(),
});
export type CoverageFlag = z.infer<typeof CoverageFlag>;

export const ScheduleCoverage = z.object({
  schedule_id: z.string(),
  name: z.string(),
  time_zone: z.string().nullable(),
  window_hours: Hours,
  covered_hours: Hours,
  gap_hours: Hours,
  intentional_gap_hours: Hours,
  gaps: z.array(CoverageGap),
  people: z.array(CoveragePerson).describe('Everyone with hours on call, most hours first'),
  listed_without_hours: z.array(z.object({ user_id: z.string(), username: z.string() }))
    .describe('On a layer of the schedule but not on call in the window (not counted for fairness)'),
  handovers: z.object({
    count: z.number().int(),
    outside_working_hours: z.array(OffHoursHandover),
  }),
  fairness: z.object({
    counted: z.array(z.string()).describe('User ids counted: everyone with hours'),
    max: z.object({ user_id: z.string(), hours: Hours }).nullable(),
    min: z.object({ user_id: z.string(), hours: Hours }).nullable(),
    gini: z.number().describe('0 = equal hours; towards 1 = one person carries it all'),
  }),
  incidents: z.object({
    total: z.number().int(),
    chains: z.array(z.string()).describe('Chains that notify this schedule'),
    routes: z.array(z.string()).describe('Routes to those chains, whose alert groups count'),
    unattributed: z.number().int().describe('Created while nobody was on call here'),
  }),
  flags: z.array(CoverageFlag),
});
export type ScheduleCoverage = z.infer<typeof ScheduleCoverage>;

export interface ScheduleInfo {
  id: string;
  name: string;
  time_zone: string | null;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

const LABELS = new Map<string, Intl.DateTimeFormat>();

/** `Sun 03:00 Asia/Tokyo`: a person's own clock at an instant. */
export function localLabel(ms: number, zone: string): string {
  let format = LABELS.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    if (LABELS.size > 500) LABELS.clear();
    LABELS.set(zone, format);
  }
  return `${format.format(new Date(ms))} ${zone}`;
}

export async function scheduleCoverage(
  backend: OnCallBackend,
  schedule: ScheduleInfo,
  window: Window,
  users: ReadonlyMap<string, User>,
  incidents: ScheduleIncidents,
  signal?: AbortSignal,
): Promise<ScheduleCoverage> {
  const items = await finalShiftsIn(backend, schedule.id, window, signal);
  const layers = await layersOf(backend, schedule.id, signal);
  const stretches = stretchesOf(items);
  const names = peopleOf(items);
  const windowHours = (window.to - window.from) / HOUR;
  const gaps = gapsOf(items, window, layers)
    .map((g) => ({ ...g, hours: roundHours((Date.parse(g.end) - Date.parse(g.start)) / HOUR) }));

  const zoneOf = (userId: string): { zone: string; from: CoveragePerson['zone_from'] } => {
    const own = users.get(userId)?.timezone;
    if (knownZone(own)) return { zone: own, from: 'user' };
    if (knownZone(schedule.time_zone)) return { zone: schedule.time_zone, from: 'schedule' };
    return { zone: 'UTC', from: 'utc' };
  };

  const onCallAt = (at: number) => stretches.find((s) => s.start <= at && at < s.end);
  const groupTimes = incidents.groups.map((g: AlertGroup) => Date.parse(g.created_at)).sort((a, b) => a - b);
  const unattributed = groupTimes.filter((t) => !onCallAt(t)).length;

  const people: CoveragePerson[] = [...names.values()].map((person) => {
    const { zone, from } = zoneOf(person.id);
    const mine = personalStretches(stretches, person.id);
    let hours = 0;
    let night = 0;
    let weekend = 0;
    for (const s of mine) {
      const h = localHours(s.start, s.end, zone);
      hours += h.hours;
      night += h.night;
      weekend += h.weekend;
    }
    const { count, busiest } = incidentsOf(mine, groupTimes);
    return {
      user_id: person.id,
      username: users.get(person.id)?.username ?? person.username,
      time_zone: zone,
      zone_from: from,
      hours: roundHours(hours),
      share: round3(hours / windowHours),
      night_hours: roundHours(night),
      weekend_hours: roundHours(weekend),
      stretches: mine.length,
      incidents: count,
      busiest_12h: busiest,
    };
  }).sort((a, b) => b.hours - a.hours || a.username.localeCompare(b.username));

  const handovers = handoversOf(stretches);
  const offHours = handovers.flatMap((hv) => {
    const sides = [
      ...hv.outgoing.map((userId) => ({ userId, side: 'outgoing' as const })),
      ...hv.incoming.map((userId) => ({ userId, side: 'incoming' as const })),
    ];
    const outside = sides
      .map(({ userId, side }) => ({ userId, side, zone: zoneOf(userId).zone }))
      .filter(({ zone, side }) => !withinWorkingHours(hv.at, zone, side))
      .map(({ userId, zone }) => ({ user_id: userId, local: localLabel(hv.at, zone) }));
    if (!outside.length) return [];
    return [{ at: isoZ(hv.at), outgoing: hv.outgoing, incoming: hv.incoming, outside_working_hours: outside }];
  });

  const listed = [...new Set(layers.flatMap((l) => l.users))]
    .filter((id) => !names.has(id))
    .map((id) => ({ user_id: id, username: users.get(id)?.username ?? id }));

  const most = people[0];
  const fewest = people.at(-1);
  const gapHours = gaps.reduce((sum, g) => sum + g.hours, 0);
  const coveredMs = stretches.reduce((sum, s) => sum + (s.end - s.start), 0);
  const report: ScheduleCoverage = {
    schedule_id: schedule.id,
    name: schedule.name,
    time_zone: schedule.time_zone,
    window_hours: roundHours(windowHours),
    covered_hours: roundHours(coveredMs / HOUR),
    gap_hours: roundHours(gapHours),
    intentional_gap_hours: roundHours(gaps.filter((g) => g.intentional).reduce((sum, g) => sum + g.hours, 0)),
    gaps,
    people,
    listed_without_hours: listed,
    handovers: { count: handovers.length, outside_working_hours: offHours },
    fairness: {
      counted: people.map((p) => p.user_id),
      max: most ? { user_id: most.user_id, hours: most.hours } : null,
      min: fewest ? { user_id: fewest.user_id, hours: fewest.hours } : null,
      gini: round3(gini(people.map((p) => p.hours))),
    },
    incidents: {
      total: groupTimes.length,
      chains: incidents.chains,
      routes: incidents.routes.map((r) => r.id),
      unattributed,
    },
    flags: [],
  };
  report.flags = flagsOf(report);
  return report;
}

/** Alert groups created while the person was on call, and their busiest 12-hour block. */
function incidentsOf(mine: readonly Stretch[], groupTimes: readonly number[]) {
  let count = 0;
  let busiest: { start: string; incidents: number } | null = null;
  for (const s of mine) {
    for (let block = s.start; block < s.end; block += BLOCK) {
      const end = Math.min(block + BLOCK, s.end);
      const n = groupTimes.filter((t) => t >= block && t < end).length;
      count += n;
      if (n && (!busiest || n > busiest.incidents)) busiest = { start: isoZ(block), incidents: n };
    }
  }
  return { count, busiest };
}

function flagsOf(r: ScheduleCoverage): CoverageFlag[] {
  const flags: CoverageFlag[] = [];
  if (!r.people.length) {
    flags.push({ code: 'nobody_on_call', user_id: null, message: 'nobody is on call at any time in the window' });
  }
  const real = r.gaps.filter((g) => !g.intentional);
  if (real.length && r.people.length) {
    const hours = roundHours(real.reduce((sum, g) => sum + g.hours, 0));
    flags.push({ code: 'real_gaps', user_id: null, message: `${real.length} gap${real.length === 1 ? '' : 's'} (${hours} h) the schedule does not intend: nobody is paged through it then` });
  }
  for (const p of r.people) {
    if (p.share > QUARTER) {
      flags.push({
        code: 'over_quarter_on_call',
        user_id: p.user_id,
        message: `${p.username} is on call ${Math.round(p.share * 1000) / 10}% of the window (limit 25%)`,
      });
    }
    if (p.busiest_12h && p.busiest_12h.incidents > INCIDENTS_PER_SHIFT) {
      flags.push({
        code: 'over_two_incidents_per_12h',
        user_id: p.user_id,
        message: `${p.username} had ${p.busiest_12h.incidents} alert groups in the 12 hours from ${p.busiest_12h.start} (limit 2 per 12-hour shift)`,
      });
    }
  }
  return flags;
}
