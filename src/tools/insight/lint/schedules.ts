/**
 * Schedules the scope's chains page from: nobody on call at all in the days ahead (every step on
 * it fails), or gaps in them (an alert then pages nobody through it). Gaps the schedule itself
 * means (a business-hours layer's nights) are left out; `findScheduleGaps` tells them apart.
 */
import { formatInstant } from '../../format.js';
import { call } from './fix.js';
import { scheduleObject, span } from './describe.js';
import type { Org } from './org.js';
import type { Scope } from './scope.js';
import type { Finding } from './types.js';

/** At most this many gaps are named in one finding (all of them are in `gaps`' count). */
const SHOWN_GAPS = 3;

/** The wall clock of an instant in a zone, as create_on_call_shift takes it (YYYY-MM-DDTHH:MM:SS). */
function wallClock(ms: number, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(ms);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}`;
}

export async function scheduleRules(org: Org, scope: Scope): Promise<Finding[]> {
  const findings: Finding[] = [];
  await Promise.all(
    scope.schedules.map(async (id) => {
      if (!org.schedules.has(id) && org.loaded.schedules) return; // a deleted schedule: the step rules say so
      const [loaded, gaps] = await Promise.all([org.shifts(id), org.gaps(id)]);
      if (loaded === null || gaps === null) {
        org.unchecked.add(`schedule ${id}: its final shifts could not be read`);
        return;
      }
      const zone = org.schedules.get(id)?.timeZone ?? 'UTC';
      const real = gaps.filter((g) => !g.intentional);
      if (!real.length) return;
      const people = [...loaded.people.keys()];
      const teamId = org.schedules.get(id)?.teamIds?.[0];
      const cover = people[0] ?? org.userList.find((u) => teamId && u.teamIds?.includes(teamId))?.id;
      const first = real[0]!;
      const start = Date.parse(first.start);
      const seconds = Math.round((Date.parse(first.end) - start) / 1000);
      const name = `Cover ${org.schedules.get(id)?.name ?? id} ${first.start.slice(0, 16)}`;
      const fix = cover
        ? [
            call('create_on_call_shift', {
              name,
              type: 'override',
              start: wallClock(start, zone),
              duration: seconds,
              time_zone: zone,
              users: [cover],
              ...(teamId ? { team_id: teamId } : {}),
            }),
            call('update_schedule', { schedule_id: id, shifts: ['…its current shifts', '<the new shift id>'], enable_web_overrides: true }),
          ]
        : [];
      if (!loaded.stretches.length) {
        findings.push({
          rule: 'schedule-nobody-on-call',
          severity: 'error',
          object: scheduleObject(org, id),
          problem: `nobody is on call in it in the next ${org.days} days`,
          why: 'every step that pages from it fails: an alert reaching those steps pages nobody',
          fix,
          ...(fix.length ? { fix_note: 'covers the window with an override; update_schedule needs the shift id the first call returns, added to its current shifts (get_schedule)' } : {}),
        });
        return;
      }
      const shown = real.slice(0, SHOWN_GAPS).map((g) => {
        const length = Math.round((Date.parse(g.end) - Date.parse(g.start)) / 1000);
        return `${formatInstant(g.start, zone)} to ${formatInstant(g.end, zone)} (${span(length)}${g.reason ? `; ${g.reason}` : ''})`;
      });
      const more = real.length > SHOWN_GAPS ? ` and ${real.length - SHOWN_GAPS} more` : '';
      findings.push({
        rule: 'schedule-gap',
        severity: 'warning',
        object: scheduleObject(org, id),
        problem: `${real.length} gap${real.length === 1 ? '' : 's'} in the next ${org.days} days: ${shown.join('; ')}${more}`,
        why: 'an alert during a gap pages nobody through this schedule',
        fix,
        ...(fix.length ? { fix_note: 'covers the first gap with an override; update_schedule needs the shift id the first call returns, added to its current shifts (get_schedule)' } : {}),
      });
    }),
  );
  return findings;
}
