/**
 * Summaries for the two answers that grow with time rather than with the question: an escalation
 * timeline (a chain that repeats five times prints every repeat) and a year of final shifts. Part
 * of the tool text (format.ts), kept apart because each is a small algorithm of its own. Each leads
 * with what a human on call asks first and says how to get the rest.
 */
import * as z from 'zod';
import { formatSeconds } from '../api/durations.js';
import { type FinalShift, integer, type Simulation, type TimelineItem } from '../api/types.js';
import { formatInstant, humanizeInstants } from './format.js';
import type { NameBook } from './names.js';

// ---- simulate_escalation ----

const isRepeat = (e: TimelineItem) => e.step === 'repeat_escalation' && /^Repeat escalation \(\d+\/\d+\)/.test(e.text);

/** What a line says, without the parts that change from one repeat to the next. */
const gist = (e: TimelineItem) => e.text.replace(/^Repeat escalation \(\d+\/(\d+)\)/, 'Repeat escalation (n/$1)');

/** A line of the chain's own steps (or its end), not of one person's notification rules. */
const isStepLine = (e: TimelineItem) => !!e.policy_id || !e.user_id;

const seconds = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 1000);
const offset = (from: string, to: string) => `+${formatSeconds(Math.max(0, seconds(from, to)))}`;

interface Cycle {
  start: string;
  entries: TimelineItem[];
}

/** The timeline cut at each repeat: cycle 0 from the start, cycle k from the k-th repeat. */
function cycles(out: Simulation): Cycle[] {
  const found: Cycle[] = [{ start: out.started_at, entries: [] }];
  for (const e of out.timeline) {
    if (e.event === 'registered') continue;
    found.at(-1)!.entries.push(e);
    if (isRepeat(e)) found.push({ start: e.at, entries: [] });
  }
  return found.filter((c, i) => i === 0 || c.entries.length);
}

function stepLines(entries: readonly TimelineItem[], from: string): string[] {
  const offsets = entries.map((e) => offset(from, e.at));
  const width = Math.max(0, ...offsets.map((o) => o.length));
  return entries.map((e, i) => `  ${offsets[i]!.padEnd(width)}  ${humanizeInstants(e.text)}`);
}

/** `alice 18 (slack 12, phone call 6); bob 12 (email 12, 6 of them important)`. */
function notificationTotals(out: Simulation, names: NameBook): string | undefined {
  const people = new Map<string, Map<string, number>>();
  for (const e of out.timeline) {
    if (e.event !== 'notification' || !e.user_id) continue;
    const who = names.users.get(e.user_id) ?? e.user_id;
    const channel = `${(e.channel ?? 'unknown').replace(/_/g, ' ')}${e.important ? ' (important)' : ''}`;
    const byChannel = people.get(who) ?? new Map<string, number>();
    byChannel.set(channel, (byChannel.get(channel) ?? 0) + 1);
    people.set(who, byChannel);
  }
  if (!people.size) return undefined;
  return [...people]
    .map(([who, byChannel]) => {
      const total = [...byChannel.values()].reduce((a, b) => a + b, 0);
      return `${who} ${total}× (${[...byChannel].map(([c, n]) => `${c} ${n}`).join(', ')})`;
    })
    .join('; ');
}

function header(out: Simulation, names: NameBook): string {
  const chain = names.chains.get(out.escalation_chain_id);
  const label = chain ? `chain "${chain}" (${out.escalation_chain_id})` : `chain ${out.escalation_chain_id}`;
  const end = out.finished_at
    ? `it finishes at ${formatInstant(out.finished_at, null, { seconds: true })}, ${formatSeconds(seconds(out.started_at, out.finished_at))} after the start`
    : `it is still escalating at ${formatInstant(out.horizon, null)}, where the simulation stops`;
  return `Simulated escalation through ${label}${out.important ? ' (important)' : ''} of an alert group starting `
    + `${formatInstant(out.started_at, null, { seconds: true })}: ${end}. Nothing was sent.`;
}

/**
 * The summary: the first cycle step by step (times after the start), then how the repeats go —
 * "repeats 5× every 16m20s with the same notifications", or what differs in which cycle (a round
 * robin moving on, a shift changing) — then what happens after the last one, and who is notified
 * how often in all.
 */
export function formatSimulationSummary(out: Simulation, names: NameBook): string {
  const all = cycles(out);
  const [first, ...repeats] = all as [Cycle, ...Cycle[]];
  const lines = [header(out, names)];
  if (!first.entries.length) return [...lines, 'Nothing happens: the chain has no steps.'].join('\n');
  lines.push(repeats.length ? 'First cycle (times after the alert group starts):' : 'Step by step (times after the alert group starts):');
  lines.push(...stepLines(first.entries, out.started_at));
  if (repeats.length) {
    // Between two repeats; the first cycle is a few seconds shorter (its first step comes 1 s after the start).
    const starts = all.slice(1).map((c) => c.start);
    const periods = starts.length > 1
      ? starts.slice(1).map((t, i) => seconds(starts[i]!, t))
      : [seconds(out.started_at, starts[0]!)];
    const low = Math.min(...periods);
    const high = Math.max(...periods);
    const every = low === high ? formatSeconds(low) : `${formatSeconds(low)}–${formatSeconds(high)}`;
    // Steps are compared, not personal notification lines: those follow from who a step notifies,
    // and a person notified again restarts their rules, so their lines shift between cycles.
    const base = first.entries.filter(isStepLine).map(gist);
    const baseSet = new Set(base);
    // The last cycle runs on past the repeat step (the steps after it, or the end): shown on its own.
    const last = repeats.at(-1)!;
    const middle = repeats.slice(0, -1);
    const differing = middle
      .map((c, i) => {
        const steps = c.entries.filter(isStepLine);
        return { n: i + 2, c, steps, extra: steps.filter((e) => !baseSet.has(gist(e))) };
      })
      .filter((d) => d.steps.map(gist).join('\n') !== base.join('\n'));
    lines.push(
      `Then it repeats ${repeats.length}× every ${every} (the repeat_escalation step)${differing.length ? ', with these differences:' : ', with the same steps each time.'}`,
    );
    for (const d of differing.slice(0, 8)) {
      const what = d.extra.length ? d.extra.slice(0, 4).map((e) => humanizeInstants(e.text)).join('; ') : 'the same steps in another order';
      lines.push(`  cycle ${d.n} (from ${offset(out.started_at, d.c.start)}): ${what}${d.extra.length > 4 ? `; and ${d.extra.length - 4} more` : ''}`);
    }
    if (differing.length > 8) lines.push(`  and ${differing.length - 8} more cycles that differ (detail=true shows them)`);
    const after = last.entries.filter((e) => isStepLine(e) && !baseSet.has(gist(e)));
    lines.push(`Last cycle (from ${offset(out.started_at, last.start)}): ${after.length ? 'what differs from the first:' : 'the same steps.'}`);
    lines.push(...stepLines(after, out.started_at));
  }
  const totals = notificationTotals(out, names);
  lines.push(totals ? `Notifications in all: ${totals}.` : 'Nobody is notified.');
  lines.push(`detail=true lists all ${out.timeline.length} timeline entries with their times.`);
  return lines.join('\n');
}

/** Every entry with its instant, from entry `offset` (0-based) on. */
export function formatSimulationDetail(out: Simulation, names: NameBook, from = 0): string {
  const entries = out.timeline.slice(from);
  const head = from
    ? `${header(out, names)}\nEntries ${from + 1}–${out.timeline.length} of ${out.timeline.length}:`
    : `${header(out, names)}\nAll ${out.timeline.length} entries:`;
  return [head, ...entries.map((e) => `  ${formatInstant(e.at, null, { seconds: true })}  ${offset(out.started_at, e.at).padEnd(10)} ${humanizeInstants(e.text)}`)].join('\n');
}

/** Lines before the first entry line in the detail text (the continuation counts entries after them). */
export const DETAIL_HEADER_LINES = 2;

// ---- list_schedule_shifts ----

/** How many stretches the text lists; the per-person summary always covers them all. */
export const STRETCH_CAP = 40;

const hours = (ms: number) => {
  const h = ms / 3_600_000;
  return Number.isInteger(h) ? `${h} h` : `${h.toFixed(1)} h`;
};

/** `2026-03-24T09:00` for a continuation argument (the tool takes UTC YYYY-MM-DDTHH:MM). */
export const dateArgument = (iso: string) => new Date(Date.parse(iso)).toISOString().slice(0, 16);

export interface Stretch {
  start: string;
  end: string;
  users: string[];
}

/** Final-shift items grouped into stretches (the people of one start and end together), in order. */
export function stretchesOf(items: readonly FinalShift[]): Stretch[] {
  const byKey = new Map<string, Stretch>();
  for (const item of items) {
    const key = `${item.shift_start}|${item.shift_end}`;
    const stretch = byKey.get(key) ?? { start: item.shift_start, end: item.shift_end, users: [] };
    stretch.users.push(item.user_username);
    byKey.set(key, stretch);
  }
  return [...byKey.values()].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

export const PersonOnCall = z.object({
  user_id: z.string(),
  username: z.string(),
  seconds: integer().describe('Time on call in the period'),
  shifts: integer().describe('Final shifts'),
  first_start: z.string(),
  last_start: z.string(),
});
export type PersonOnCall = z.infer<typeof PersonOnCall>;

/** Each person's time on call over all of `items`, most first (then by name). */
export function perPerson(items: readonly FinalShift[]): PersonOnCall[] {
  const people = new Map<string, PersonOnCall>();
  for (const item of items) {
    const start = item.shift_start;
    const p = people.get(item.user_pk) ?? {
      user_id: item.user_pk,
      username: item.user_username,
      seconds: 0,
      shifts: 0,
      first_start: start,
      last_start: start,
    };
    p.seconds += Math.round((Date.parse(item.shift_end) - Date.parse(item.shift_start)) / 1000);
    p.shifts += 1;
    if (Date.parse(item.shift_start) < Date.parse(p.first_start)) p.first_start = item.shift_start;
    if (Date.parse(item.shift_start) > Date.parse(p.last_start)) p.last_start = item.shift_start;
    people.set(item.user_pk, p);
  }
  return [...people.values()].sort((a, b) => b.seconds - a.seconds || a.username.localeCompare(b.username));
}

/**
 * Per person (from `people`, which covers the whole period): hours on call, number of stretches,
 * first and last; then the stretches of `items`, at most STRETCH_CAP of them, and the
 * `start_date` that lists the rest.
 */
export function formatFinalShiftSummary(
  items: readonly FinalShift[],
  people: readonly PersonOnCall[],
  period: { scheduleLabel: string; start: string; end: string; zone: string | null },
  continueWith: (startDate: string) => string,
  complete = true,
): string {
  const stretches = stretchesOf(items);
  const zone = period.zone;
  // `items` may be the first part of the period only (the tool's structured cap): count then what is known.
  const counted = complete ? `${stretches.length} stretch${stretches.length === 1 ? '' : 'es'}, ` : '';
  const lines = [
    `${period.scheduleLabel} from ${formatInstant(period.start, zone)} to ${formatInstant(period.end, zone)}: `
    + `${counted}${people.length} ${people.length === 1 ? 'person' : 'people'}.`,
    'Per person (hours on call, stretches, first and last start):',
    ...people.map((p) => `  ${p.username} (${p.user_id}): ${hours(p.seconds * 1000)} in ${p.shifts} stretch${p.shifts === 1 ? '' : 'es'}, first ${formatInstant(p.first_start, zone)}, last ${formatInstant(p.last_start, zone)}`),
  ];
  const listed = stretches.slice(0, STRETCH_CAP);
  const of = complete ? ` of ${stretches.length}` : '';
  lines.push(stretches.length > listed.length || !complete ? `Stretches (the first ${listed.length}${of}):` : 'Stretches:');
  lines.push(...listed.map((s) => `  ${formatInstant(s.start, zone)} → ${formatInstant(s.end, zone)}: ${s.users.join(', ')}`));
  const next = stretches[listed.length];
  if (next) lines.push(continueWith(dateArgument(next.start)));
  return lines.join('\n');
}
