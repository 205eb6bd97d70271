/** The compact text of `handoff_brief`, one block per schedule, each list bounded. */
import { formatInstant } from '../../format.js';
import type { ScheduleHandoff } from '../handoff-brief.js';

const MAX_GROUPS = 12;
const MAX_ITEMS = 6;

type Person = { user_id: string; username: string };
const who = (people: readonly Person[]) => (people.length ? people.map((p) => `${p.username} (${p.user_id})`).join(', ') : 'nobody');
const more = (total: number, shown: number) => (total > shown ? [`  … ${total - shown} more in the structured result`] : []);

export function formatHandoff(b: ScheduleHandoff): string {
  const when = (iso: string) => formatInstant(iso, b.time_zone);
  const lines: string[] = [];
  const label = `"${b.name}" (${b.schedule_id})`;
  const s = b.shift;
  if (!s) {
    lines.push(`Handoff for ${label} at ${when(b.at)}: nobody was on call in it in the last 31 days, so there is no shift to hand off.`);
  } else {
    const from = `${s.start_before_window ? 'before ' : ''}${when(s.start)}`;
    const to = b.shift_status === 'ending' ? `ending ${s.end_after_window ? 'after ' : ''}${when(s.end)}` : `ended ${when(s.end)} (nobody is on call now)`;
    lines.push(`Handoff for ${label} at ${when(b.at)}: shift of ${who(s.people)} from ${from}, ${to}.`);
  }

  if (s) {
    const open = b.alert_groups.filter((g) => g.state !== 'resolved');
    if (!b.counted_from.chains.length) {
      lines.push('Alert groups: none counted; no escalation chain has a step notifying this schedule.');
    } else if (!b.alert_groups_total) {
      lines.push(`Alert groups: none in this shift on the ${b.counted_from.routes.length} route(s) to chains that notify this schedule (${b.counted_from.chains.join(', ')}), and none carried over open.`);
    } else {
      lines.push(`Alert groups: ${b.alert_groups_total} (${open.length} still open), from routes to chains that notify this schedule (${b.counted_from.chains.join(', ')}):`);
      for (const g of b.alert_groups.slice(0, MAX_GROUPS)) {
        const parts = [`  ${g.id} "${g.title ?? '(no title)'}" ${g.state.toUpperCase()}, opened ${when(g.created_at)}${g.carried_over ? ' (before this shift)' : ''}`];
        if (g.acknowledged_by) parts.push(`acknowledged by ${g.acknowledged_by.username}${g.acknowledged_at ? ` at ${when(g.acknowledged_at)}` : ''}`);
        else if (g.state !== 'resolved') parts.push('not acknowledged');
        if (g.resolved_at) parts.push(`resolved${g.resolved_by ? ` by ${g.resolved_by.username}` : ''} at ${when(g.resolved_at)}`);
        if (g.pages === null) parts.push('pages unknown (the backend publishes no timeline)');
        else if (!g.pages.length) parts.push('nobody was paged');
        else {
          const paged = [...new Map(g.pages.map((p) => [p.user_id, p])).values()];
          parts.push(`paged ${paged.map((p) => p.username).join(', ')}`);
        }
        lines.push(parts.join('; '));
      }
      lines.push(...more(b.alert_groups_total, Math.min(b.alert_groups.length, MAX_GROUPS)));
    }
  }

  const n = b.next;
  if (!n) lines.push('Next: nobody is on call in the next 31 days.');
  else {
    const until = n.end_after_window ? `past ${when(n.end)}` : `until ${when(n.end)}`;
    lines.push(`Next: ${who(n.people)} from ${when(n.start)} ${until}.`);
    for (const u of b.upcoming.slice(1)) lines.push(`  then ${who(u.people)} from ${when(u.start)} until ${when(u.end)}`);
    const range = `from ${when(n.start)} to ${when(b.horizon ?? n.end)}`;
    if (b.upcoming_swaps.length) {
      lines.push(`Swap requests ${range}:`);
      for (const w of b.upcoming_swaps.slice(0, MAX_ITEMS)) {
        const taker = w.benefactor ? `taken by ${w.benefactor.username}` : 'OPEN: nobody has taken it, so the beneficiary stays on call';
        lines.push(`  ${w.id} ${w.beneficiary.username} gives away ${when(w.swap_start)} → ${when(w.swap_end)}, ${w.status}; ${taker}${w.description ? ` ("${w.description}")` : ''}`);
      }
      lines.push(...more(b.upcoming_swaps.length, MAX_ITEMS));
    } else lines.push(`No swap requests ${range}.`);
    if (b.upcoming_overrides.length) {
      lines.push(`Overrides ${range}:`);
      for (const o of b.upcoming_overrides.slice(0, MAX_ITEMS)) lines.push(`  "${o.name}" (${o.id}) ${when(o.start)} → ${when(o.end)}: ${who(o.people)}`);
      lines.push(...more(b.upcoming_overrides.length, MAX_ITEMS));
    } else lines.push(`No overrides ${range}.`);
  }
  return lines.join('\n');
}
