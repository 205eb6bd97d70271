/**
 * The compact text of `coverage_report`: per schedule, the gaps, each person's hours, handovers,
 * fairness and the flags, each section bounded (the structured result has all of it).
 */
import { formatInstant } from '../../format.js';
import type { ScheduleCoverage } from './report.js';

const MAX_GAPS = 6;
const MAX_PEOPLE = 12;
const MAX_HANDOVERS = 4;

const more = (total: number, shown: number) => (total > shown ? [`  … ${total - shown} more in the structured result`] : []);
const h = (hours: number) => `${hours} h`;

export function formatCoverage(r: ScheduleCoverage, from: string, to: string): string {
  const zone = r.time_zone;
  const when = (iso: string) => formatInstant(iso, zone);
  const lines = [`Coverage of "${r.name}" (${r.schedule_id}) from ${when(from)} to ${when(to)} (${h(r.window_hours)}):`];
  const name = (id: string) => r.people.find((p) => p.user_id === id)?.username ?? id;

  const real = r.gaps.filter((g) => !g.intentional);
  if (!r.gaps.length) lines.push(`Covered all ${h(r.window_hours)}: no gaps.`);
  else {
    lines.push(`Covered ${h(r.covered_hours)}; gaps ${h(r.gap_hours)}: ${real.length} real, ${r.gaps.length - real.length} intentional (${h(r.intentional_gap_hours)}).`);
    // Real gaps first: they are the ones that page nobody by mistake.
    const ordered = [...real, ...r.gaps.filter((g) => g.intentional)];
    for (const g of ordered.slice(0, MAX_GAPS)) {
      const reason = g.reason ? `: ${g.reason}` : '';
      lines.push(`  ${g.intentional ? 'intentional' : 'GAP'} ${when(g.start)} → ${when(g.end)} (${h(g.hours)})${reason}`);
    }
    lines.push(...more(ordered.length, MAX_GAPS));
  }

  if (r.people.length) {
    lines.push('On call (night 22:00–07:00 and weekend in each person\'s own zone):');
    for (const p of r.people.slice(0, MAX_PEOPLE)) {
      const zoneNote = p.zone_from === 'user' ? p.time_zone : `${p.time_zone}, the ${p.zone_from === 'schedule' ? 'schedule\'s' : 'default'} zone: user has none`;
      const busiest = p.busiest_12h ? `, busiest 12 h: ${p.busiest_12h.incidents} from ${when(p.busiest_12h.start)}` : '';
      lines.push(
        `  ${p.username} (${p.user_id}) ${h(p.hours)} = ${Math.round(p.share * 1000) / 10}%, night ${h(p.night_hours)}, weekend ${h(p.weekend_hours)} (${zoneNote}); ${p.incidents} alert group${p.incidents === 1 ? '' : 's'}${busiest}`,
      );
    }
    lines.push(...more(r.people.length, MAX_PEOPLE));
  }
  if (r.listed_without_hours.length) {
    lines.push(`On a layer but not on call in the window (not counted): ${r.listed_without_hours.map((u) => `${u.username} (${u.user_id})`).join(', ')}.`);
  }

  const off = r.handovers.outside_working_hours;
  lines.push(`Handovers: ${r.handovers.count}; ${off.length} outside someone's working hours (assumed 09:00–18:00 Mon–Fri in their own zone)${off.length ? ':' : '.'}`);
  for (const hv of off.slice(0, MAX_HANDOVERS)) {
    const who = `${hv.outgoing.map(name).join(', ') || '(same people)'} → ${hv.incoming.map(name).join(', ') || '(same people)'}`;
    lines.push(`  ${when(hv.at)} ${who}: ${hv.outside_working_hours.map((o) => `${name(o.user_id)} ${o.local}`).join(', ')}`);
  }
  lines.push(...more(off.length, MAX_HANDOVERS));

  const f = r.fairness;
  if (f.max && f.min && f.max.hours === f.min.hours) {
    lines.push(`Fairness over the ${f.counted.length} people with hours: everyone ${h(f.max.hours)}, Gini 0 (equal).`);
  } else if (f.max && f.min) {
    lines.push(`Fairness over the ${f.counted.length} people with hours: most ${name(f.max.user_id)} ${h(f.max.hours)}, fewest ${name(f.min.user_id)} ${h(f.min.hours)}, Gini ${f.gini} (0 = equal).`);
  }

  const i = r.incidents;
  lines.push(
    i.chains.length
      ? `Alert groups: ${i.total} created on ${i.routes.length} route${i.routes.length === 1 ? '' : 's'} to the chain${i.chains.length === 1 ? ' that notifies' : 's that notify'} this schedule (${i.chains.join(', ')}), each counted for whoever was on call here when it was created${i.unattributed ? `; ${i.unattributed} while nobody was` : ''}.`
      : 'Alert groups: none counted; no escalation chain has a step notifying this schedule.',
  );

  if (r.flags.length) {
    lines.push('Flags (Google SRE book limits: ≤ 25% of the time on call, ≤ 2 incidents per 12-hour shift):');
    for (const flag of r.flags) lines.push(`  ! ${flag.message}`);
  } else lines.push('No flags: nobody over 25% of the window, nobody over 2 alert groups in 12 hours, no real gaps.');
  return lines.join('\n');
}
