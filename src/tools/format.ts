/**
 * The compact text every tool returns beside its structured content: the ids and names an agent
 * needs, one line per item. All formatting lives here, none in the tool handlers.
 */
import { formatSeconds } from '../api/durations.js';
import type { Page } from '../api/pagination.js';
import type {
  AlertGroup,
  ChainOnCall,
  EscalationChain,
  EscalationPolicy,
  Integration,
  OnCallShift,
  Route,
  Schedule,
  ShiftSwap,
  Team,
  TimelineItem,
  User,
  UserGroup,
  Webhook,
} from '../api/types.js';
import type { NameBook } from './names.js';
import { knownStep, TOOL_STEPS } from './step-types.js';
import type { Via as WhoVia, WhoIsOnCall as WhoIsOnCallAnswer } from './oncall/types.js';
import type { RouteRef, StepRef } from './delete-impact.js';
import type { Delivery, Notice } from './page-forecast.js';

function named(map: ReadonlyMap<string, string>, id: string | null | undefined): string {
  if (!id) return '(not set)';
  const name = map.get(id);
  return name ? `${name} (${id})` : id;
}

/** `"Primary Rotation" (SBM7DV7BKFUYU)`: quoted, since schedule and chain names have spaces. */
function quoted(map: ReadonlyMap<string, string>, id: string | null | undefined): string {
  if (!id) return '(not set)';
  const name = map.get(id);
  return name ? `"${name}" (${id})` : id;
}

const scheduleRef = (names: NameBook, id: string | null | undefined) => quoted(names.schedules, id);

/** `chain "default" (F5JU6KJET33FE)`, for the chain a policy belongs to. */
export function chainOf(names: NameBook, id: string): string {
  return `chain ${quoted(names.chains, id)}`;
}

/** `integration "Grafana :blush:" (CFRPV98RPR1U8)`. */
export function integrationRef(names: NameBook, id: string): string {
  return `integration ${quoted(names.integrations, id)}`;
}

function namedList(map: ReadonlyMap<string, string>, ids: readonly string[]): string {
  if (!ids.length) return '(nobody)';
  return ids.map((id) => map.get(id) ?? id).join(', ');
}

/**
 * A page header: `3 escalation chains (page 1 of 2, 50 per page; next: page=2)`. `qualifier` says
 * how the list was filtered: `whose name contains "grafana"`.
 */
/** `1 escalation policy`, `1 alert group`: the plural nouns lists are named by, for a count of one. */
export function countOf(count: number, noun: string): string {
  if (count !== 1) return `${count} ${noun}`;
  const one = noun.endsWith('ies') ? `${noun.slice(0, -3)}y` : noun.endsWith('s') ? noun.slice(0, -1) : noun;
  return `1 ${one}`;
}

export function formatPage<T>(page: Page<T>, noun: string, line: (item: T) => string, qualifier?: string): string {
  const head = `${countOf(page.count, noun)}${qualifier ? ` ${qualifier}` : ''}${page.total_pages > 1 ? ` (page ${page.current_page_number} of ${page.total_pages}${page.current_page_number < page.total_pages ? `; more with page=${page.current_page_number + 1}` : ''})` : ''}`;
  if (!page.results.length) return `${head}.`;
  return [`${head}:`, ...page.results.map(line)].join('\n');
}

export function formatChain(chain: EscalationChain, names: NameBook): string {
  return `${chain.id} "${chain.name}" team: ${chain.team_id ? named(names.teams, chain.team_id) : 'none'}`;
}

/** What one step does, in words: `notify persons: alice, bob (important)` (the type's own words). */
export function describePolicy(p: EscalationPolicy, names: NameBook): string {
  if (p.type === null) return 'no type set (does nothing)';
  if (!knownStep(p.type)) return `${p.type as string} (a step type this server does not know; its fields are in the structured result)`;
  return TOOL_STEPS[p.type].describe(p, {
    users: (ids) => namedList(names.users, ids),
    ref: (kind, id) => (kind === 'schedule' ? scheduleRef(names, id) : named(names[REF_NAMES[kind]], id)),
  });
}

/** The name book of each kind a step refers to. */
const REF_NAMES = { team: 'teams', userGroup: 'userGroups', webhook: 'webhooks' } as const;

export function formatPolicyLine(p: EscalationPolicy, names: NameBook): string {
  return `[${p.position}] ${describePolicy(p, names)}  (${p.id})`;
}

export function formatPolicy(p: EscalationPolicy, names: NameBook): string {
  return `${p.id} in ${chainOf(names, p.escalation_chain_id)}, position ${p.position}: ${describePolicy(p, names)}`;
}

export function formatChainWithPolicies(
  chain: EscalationChain & { policies: EscalationPolicy[] },
  names: NameBook,
): string {
  const steps = chain.policies.length
    ? chain.policies.map((p) => `  ${formatPolicyLine(p, names)}`)
    : ['  (no steps: alerts routed here notify nobody)'];
  return [`${formatChain(chain, names)}, ${chain.policies.length} steps in order:`, ...steps].join('\n');
}

export function formatUser(u: User, names: NameBook): string {
  const teams = u.teams.length ? `, teams: ${namedList(names.teams, u.teams)}` : '';
  return `${u.id} ${u.username} <${u.email}> ${u.role}, tz ${u.timezone ?? 'unset'}${u.is_phone_number_verified ? ', phone verified' : ''}${u.slack ? ', slack' : ''}${teams}`;
}

export function formatTeam(t: Team): string {
  return `${t.id} ${t.name}${t.email ? ` <${t.email}>` : ''}`;
}

export function formatUserGroup(g: UserGroup): string {
  return `${g.id} @${g.slack.handle} "${g.slack.name}" (slack ${g.slack.id})`;
}

export function formatWebhook(w: Webhook): string {
  return `${w.id} "${w.name}" ${w.http_method} ${w.url} on ${w.trigger_type}${w.is_webhook_enabled ? '' : ' (disabled)'}`;
}

function chainRef(names: NameBook, id: string | null): string {
  if (!id) return 'no escalation chain (nobody is notified)';
  const name = names.chains.get(id);
  return name ? `chain "${name}" (${id})` : `chain ${id}`;
}

export function formatIntegration(i: Integration, names: NameBook): string {
  const parts = [
    `${i.id} "${i.name}" (${i.type})`,
    `team ${i.team_id ? named(names.teams, i.team_id) : 'none'}`,
    `default route → ${chainRef(names, i.default_route.escalation_chain_id)}`,
  ];
  if (i.link) parts.push(`receives alerts at ${i.link}`);
  if (i.inbound_email) parts.push(`receives email at ${i.inbound_email}`);
  if (i.maintenance_mode) parts.push(`in ${i.maintenance_mode} mode until ${i.maintenance_end_at ? formatInstant(i.maintenance_end_at, null) : '(no end)'}`);
  return parts.join('; ');
}

export function describeRoute(r: Route, names: NameBook): string {
  if (r.is_the_last_route) return `[default] every other alert → ${chainRef(names, r.escalation_chain_id)}`;
  const how = r.routing_type === 'regex' ? 'payload matches regex' : 'template renders true';
  return `[${r.position}] ${how} ${JSON.stringify(r.routing_regex)} → ${chainRef(names, r.escalation_chain_id)}`;
}

export function formatRouteLine(r: Route, names: NameBook): string {
  return `${describeRoute(r, names)}  (${r.id})`;
}

export function formatIntegrationWithRoutes(i: Integration & { routes: Route[] }, names: NameBook): string {
  return [
    `${formatIntegration(i, names)}`,
    'Routes, tried in order (the first match wins):',
    ...i.routes.map((r) => `  ${formatRouteLine(r, names)}`),
  ].join('\n');
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The one way text shows an instant: `2026-03-24 09:00 UTC (Tue 10:00 Europe/Berlin)`, the local
 * part only when the relevant zone (a schedule's, a user's) is not UTC. `seconds` for timelines,
 * whose steps are seconds apart: `2026-03-24 09:00:05 UTC`.
 */
export function formatInstant(iso: string, zone: string | null | undefined, opts: { seconds?: boolean } = {}): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms);
  const secs = opts.seconds ? `:${pad(d.getUTCSeconds())}` : '';
  const utc = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${secs} UTC`;
  if (!zone || zone === 'UTC' || zone === 'Etc/UTC') return utc;
  return `${utc} (${localFormat(zone, !!opts.seconds).format(d)} ${zone})`;
}

/** Building an Intl formatter costs far more than using one; a year of shifts needs two zones. */
const LOCAL_FORMATS = new Map<string, Intl.DateTimeFormat>();

function localFormat(zone: string, seconds: boolean): Intl.DateTimeFormat {
  const key = `${zone}|${seconds}`;
  let format = LOCAL_FORMATS.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' as const } : {}),
      hourCycle: 'h23',
    });
    if (LOCAL_FORMATS.size > 500) LOCAL_FORMATS.clear(); // zones come from data; keep it bounded
    LOCAL_FORMATS.set(key, format);
  }
  return format;
}

const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})/g;

/** ISO instants inside free text (an engine timeline line, say) in the same format. */
export function humanizeInstants(text: string, zone?: string | null): string {
  return text.replace(ISO_INSTANT, (iso) => formatInstant(iso, zone));
}

/** A wall-clock time of a shift definition (`2026-03-02T09:00:00` in its zone): `2026-03-02 09:00 Europe/Berlin`. */
function formatWallClock(local: string, zone: string | null): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?/.exec(local);
  const when = m ? `${m[1]} ${m[2]}${m[3] && m[3] !== '00' ? `:${m[3]}` : ''}` : local;
  return `${when} ${zone ?? '(schedule zone)'}`;
}

export function formatSchedule(s: Schedule, names: NameBook): string {
  const zone = s.time_zone ? `, ${s.time_zone}` : '';
  const team = s.team_id ? `, team ${named(names.teams, s.team_id)}` : '';
  return `${s.id} "${s.name}" (${s.type}${zone})${team}; on call now: ${namedList(names.users, s.on_call_now)}`;
}

export function formatShift(shift: OnCallShift, names: NameBook): string {
  const who = shift.rolling_users
    ? shift.rolling_users.map((g) => g.map((id) => names.users.get(id) ?? id).join('+')).join(' → ')
    : namedList(names.users, shift.users ?? []);
  const every = shift.frequency
    ? ` every ${shift.interval && shift.interval > 1 ? `${shift.interval} ` : ''}${shift.frequency}${shift.by_day ? ` on ${shift.by_day.join(',')}` : ''}`
    : '';
  const level = shift.level ? `, level ${shift.level}` : '';
  return `${shift.id} "${shift.name}" ${shift.type}: from ${formatWallClock(shift.start, shift.time_zone)} for ${formatSeconds(shift.duration)}${every}${level}; ${who}`;
}

export function formatSwap(s: ShiftSwap, names: NameBook): string {
  const taker = s.benefactor ? ` taken by ${named(names.users, s.benefactor)}` : '';
  const zone = names.scheduleZones.get(s.schedule);
  return `${s.id} ${s.status}: ${named(names.users, s.beneficiary)} gives away ${formatInstant(s.swap_start, zone)} → ${formatInstant(s.swap_end, zone)} in schedule ${scheduleRef(names, s.schedule)}${taker}`;
}

export function formatChainOnCall(result: ChainOnCall, names: NameBook, empty: string): string {
  if (!result.count) return empty;
  const people = result.users.map(
    (u) => `${u.username} (${u.id}, tz ${u.timezone ?? 'unset'}, phone ${u.phone_number_status === 'available' ? u.phone_number : u.phone_number_status.replace('_', ' ')})`,
  );
  const shifts = result.shifts.map((s) => {
    const zone = names.scheduleZones.get(s.schedule_id);
    return `  ${s.schedule_name} (${s.schedule_id}): ${formatInstant(s.shift_start, zone)} → ${formatInstant(s.shift_end, zone)}: ${namedList(names.users, s.users)}`;
  });
  return [`${result.count} ${result.count === 1 ? 'person' : 'people'}: ${people.join('; ')}`, ...(shifts.length ? ['Shifts:', ...shifts] : [])].join('\n');
}

/**
 * A chain on-call answer with the instant it is for (UTC and the relevant zone) first, and when
 * it is empty, the reasons why.
 */
export function formatChainOnCallAt(
  result: ChainOnCall,
  names: NameBook,
  opts: { now: number; zone: string | null; empty: string; reasons: readonly string[] },
): string {
  const head = `As of ${formatInstant(new Date(opts.now).toISOString(), opts.zone)}:`;
  const body = formatChainOnCall(result, names, opts.empty);
  return [head, body, ...opts.reasons.map((r) => `- ${r}`)].join('\n');
}

export function formatAlertGroup(g: AlertGroup, names: NameBook): string {
  const by = (id: string | null) => (id ? ` by ${names.users.get(id) ?? id}` : '');
  const status =
    g.state === 'acknowledged'
      ? `acknowledged${by(g.acknowledged_by)}`
      : g.state === 'resolved'
        ? `resolved${by(g.resolved_by)}`
        : g.state;
  const team = g.team_id ? `, team ${named(names.teams, g.team_id)}` : '';
  return `${g.id} ${status}: "${g.title ?? '(no title)'}", ${g.alerts_count} alert(s), started ${formatInstant(g.created_at, null)}, ${integrationRef(names, g.integration_id)}${team}`;
}

/** The names an alert group's line needs. */
export const ALERT_GROUP_NAMES = ['users', 'integrations', 'teams'] as const;

/** One timeline line per entry: `  2026-03-24 12:00:05 UTC  Wait 1m`. */
export function formatTimeline(items: readonly TimelineItem[]): string[] {
  return items.map((e) => `  ${formatInstant(e.at, null, { seconds: true })}  ${humanizeInstants(e.text)}`);
}

// ---- who is on call (src/tools/oncall/) ----

/** About 8 KB: what one answer may cost an agent's context. */
export const TEXT_BUDGET = 8_000;

/** Lines up to `budget` characters; when cut, a last line saying how to get the rest. */
export function withinBudget(lines: readonly string[], more: string, budget = TEXT_BUDGET): string {
  const out: string[] = [];
  let size = 0;
  for (const [i, line] of lines.entries()) {
    if (size + line.length + 1 > budget - more.length - 40) {
      out.push(`… ${lines.length - i} more lines cut at ${Math.round(budget / 1000)} KB. ${more}`);
      break;
    }
    out.push(line);
    size += line.length + 1;
  }
  return out.join('\n');
}

const KIND_WORD: Record<string, string> = {
  schedule: 'schedule',
  escalation_chain: 'chain',
  team: 'team',
  integration: 'integration',
  user: 'user',
};

const refText = (r: { kind: string; id: string; name: string }) => `${KIND_WORD[r.kind] ?? r.kind} "${r.name}" (${r.id})`;

/** `frank`, `alice, bob`, or `one of carol, frank, ivan` for a round robin whose next is unknown. */
function peopleText(people: ReadonlyArray<{ username: string; maybe?: boolean | undefined }>): string {
  const sure = people.filter((p) => !p.maybe).map((p) => p.username);
  const maybe = people.filter((p) => p.maybe).map((p) => p.username);
  return [...sure, ...(maybe.length ? [`one of ${maybe.join(', ')}`] : [])].join(' and ');
}

/** `at once` or `+6h04m` after the instant the answer is for. */
function offset(fromIso: string, toIso: string): string {
  const seconds = Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000);
  return seconds < 60 ? 'at once' : `+${formatSeconds(seconds - (seconds % 60))}`;
}

function groupByVia<T extends { via: { id: string } }>(people: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const p of people) groups.set(p.via.id, [...(groups.get(p.via.id) ?? []), p]);
  return [...groups.values()];
}

function viaLine(v: WhoVia, at: string, zone: string | null): string {
  const when = (iso: string) => formatInstant(iso, zone);
  if (v.kind === 'schedule') {
    const now = v.now.length ? `${peopleText(v.now)} on call${v.until ? ` until ${when(v.until)}` : ''}` : 'nobody on call';
    const next = v.next.length
      ? `; next ${peopleText(v.next)} from ${when(v.from!)}${v.next_until ? ` until ${when(v.next_until)}` : ''}`
      : '';
    return `${refText(v)}${v.time_zone ? `, ${v.time_zone}` : ''}: ${now}${next}.`;
  }
  const unlisted = v.unlisted.length ? `${v.now.length ? ' and ' : ''}${v.unlisted.join(' and ')}` : '';
  let first: string;
  if (v.now.length || unlisted) {
    first = `an alert now notifies first ${peopleText(v.now)}${unlisted}${v.now_at ? ` (${offset(at, v.now_at)})` : ''}`;
    if (v.until) first += `, the same until ${when(v.until)}`;
    if (v.next.length) first += `; next ${peopleText(v.next)} from ${when(v.from!)}`;
  } else if (v.next.length) {
    first = `an alert now notifies nobody yet; from ${when(v.from!)}: ${peopleText(v.next)}`;
  } else first = 'an alert now notifies nobody';
  return `${refText(v)}: ${first}.`;
}

function stepLines(v: WhoVia, at: string, zone: string | null): string[] {
  if (!v.steps?.length) return ['Steps: none.'];
  return [
    `Steps, for an alert at ${formatInstant(at, zone)}:`,
    ...v.steps.map((s) => {
      const when = s.at ? `${offset(at, s.at)}: ` : ''; // a step after a pause says when in its note
      // A round robin whose next is unknown already says "one of …" in its note.
      const listed = s.notifies.some((n) => !n.maybe);
      const who = listed ? ` → ${peopleText(s.notifies)}${s.important ? ' (important)' : ''}` : '';
      return `  [${s.position}] ${when}${s.note ?? s.type ?? 'unset'}${who}  (${s.policy_id})`;
    }),
  ];
}

function routeLine(r: NonNullable<WhoIsOnCallAnswer['routes']>[number], out: WhoIsOnCallAnswer): string {
  const chain = out.via.find((v) => v.id === r.escalation_chain_id);
  const to = r.escalation_chain_id ? `chain "${chain?.name ?? r.escalation_chain_id}" (${r.escalation_chain_id})` : 'no escalation chain: nobody is notified';
  if (r.is_the_last_route) return `  [default] every other alert → ${to}`;
  const how = r.routing_type === 'regex' ? 'payload matches regex' : 'template renders true';
  return `  [${r.position}] ${how} ${r.routing_regex ?? ''} → ${to}`;
}

/**
 * The text of `who_is_on_call`: the answer first (who now and until when, who next and from when,
 * through what), then why when it is empty, then each source; within about 8 KB.
 */
export function formatWhoIsOnCall(out: WhoIsOnCallAnswer): string {
  // A person's own zone for a user; otherwise each source's zone (a schedule's), else the answer's.
  const zoneOf = (viaId: string) =>
    out.target.kind === 'user' ? out.time_zone : (out.via.find((v) => v.id === viaId)?.time_zone ?? out.time_zone);
  const lines = [`Who is on call for ${refText(out.target)}, at ${formatInstant(out.at, out.time_zone)}:`];
  if (out.now.length) {
    for (const people of groupByVia(out.now)) {
      const { via } = people[0]!;
      const v = out.via.find((x) => x.id === via.id);
      const z = zoneOf(via.id);
      const until = v?.until ? ` until ${formatInstant(v.until, z)}` : '';
      const what = via.kind === 'schedule'
        ? `on call in ${refText(via)}`
        : `notified first by ${refText(via)}${v?.now_at ? `, ${offset(out.at, v.now_at)}` : ''}`;
      lines.push(`Now: ${peopleText(people)}${until} (${what})`);
    }
  } else {
    const unlisted = out.via.flatMap((v) => v.unlisted);
    lines.push(unlisted.length ? `Now: no listed person; notified: ${[...new Set(unlisted)].join(' and ')}.` : 'Now: nobody.');
  }
  for (const people of groupByVia(out.next)) {
    const { via, until } = people[0]!;
    const z = zoneOf(via.id);
    const how = via.kind === 'schedule' ? `in ${refText(via)}` : `notified first by ${refText(via)}`;
    lines.push(`Next: ${peopleText(people)} from ${formatInstant(out.from!, z)}${until ? ` until ${formatInstant(until, z)}` : ''} (${how})`);
  }
  if (out.unreachable.length) {
    lines.push('Can they be reached? Not all:');
    for (const u of out.unreachable) lines.push(...u.problems.map((p) => `  - ${u.username}: ${p}.`));
  }
  const explained = new Set<string>();
  if (out.reasons.length) {
    lines.push(out.now.length ? 'Notes:' : 'Why:');
    for (const r of out.reasons) {
      lines.push(`  - ${r.message}`);
      explained.add(r.message);
    }
  }
  if (out.routes?.length) lines.push('Routes, tried in order (the first match wins):', ...out.routes.map((r) => routeLine(r, out)));
  // Each other source on its own line, unless the lines above already said all it says.
  const said = (v: WhoVia) =>
    v.now.every((p) => out.now.some((n) => n.id === p.id && n.via.id === v.id))
    && v.next.every((p) => out.next.some((n) => n.id === p.id && n.via.id === v.id))
    && v.reasons.every((r) => explained.has(r.message));
  const single = out.target.kind === 'schedule' || out.target.kind === 'escalation_chain';
  const sources = single ? [] : out.via.filter((v) => !said(v));
  if (sources.length) {
    lines.push('By source:');
    for (const v of sources) {
      lines.push(viaLine(v, out.at, zoneOf(v.id)));
      for (const r of v.reasons) if (!explained.has(r.message)) lines.push(`  - ${r.message}`);
    }
  }
  if (out.target.kind === 'escalation_chain' && out.via[0]) {
    const v = out.via[0];
    for (const r of v.reasons) if (!explained.has(r.message)) lines.push(`Note: ${r.message}`);
    lines.push(...stepLines(v, out.at, zoneOf(v.id)));
  }
  if (out.target.kind === 'schedule' && out.via[0]) {
    for (const r of out.via[0].reasons) if (!explained.has(r.message)) lines.push(`Note: ${r.message}`);
  }
  if (out.also_matches.length) {
    lines.push(`"${out.target.name}" also names: ${out.also_matches.map(refText).join(', ')}; ask with an id for its own answer.`);
  }
  return withinBudget(lines, 'Ask who_is_on_call with target = the id of one schedule or chain for its full answer.');
}

// ---- truthful paging: who a page notifies, how and when ----

/** The user every write through the API is attributed to. */
export function formatActsAs(user: User | undefined): string {
  if (!user) return 'Acts as the API token\'s user (OnCall did not say who that is: whoami asks).';
  return `Acts as ${user.username} (${user.id}), the API token's user.`;
}

/** `at once`, `after 1m1s`: how long after `base` something happens. */
function after(base: string, at: string): string {
  const seconds = Math.round((Date.parse(at) - Date.parse(base)) / 1000);
  return seconds <= 1 ? 'at once' : `after ${formatSeconds(seconds)}`;
}

function noticeTarget(n: Notice, names: NameBook): string {
  const how = n.channel ? ` by ${n.channel.replace(/_/g, ' ')}` : n.user_id ? ' by their own notification rules' : '';
  const who = n.user_id ? (names.users.get(n.user_id) ?? n.user_id) : describeReason(n.text, names);
  return `${who}${how}${n.important ? ' (important)' : ''}`;
}

/** One line per instant and cause: `after 1m6s (2026-03-24 12:01 UTC): alice by slack, bob by email (step: …)`. */
export function formatNotices(notices: readonly Notice[], base: string, names: NameBook): string[] {
  const lines: Array<{ key: string; head: string; who: string[]; why: string }> = [];
  for (const n of notices) {
    const why = !n.user_id ? '' : n.policy_id ? `step: ${describeReason(n.text, names)}` : n.text;
    const key = `${n.at}|${why}`;
    const last = lines.at(-1);
    if (last?.key === key) last.who.push(noticeTarget(n, names));
    else lines.push({ key, head: `${after(base, n.at)} (${formatInstant(n.at, null)})`, who: [noticeTarget(n, names)], why });
  }
  return lines.map((l) => `  ${l.head}: ${l.who.join(', ')}${l.why ? ` (${l.why})` : ''}`);
}

/** `12s ago`, measured on this server's clock (the engine's clock may be elsewhere in time). */
function ago(iso: string): string {
  return `${formatSeconds(Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000)))} ago`;
}

/** A team's members, for "page them directly" when the team's page reaches nobody. */
function membersOf(teamId: string, members: ReadonlyMap<string, readonly string[]>): string[] {
  return members.get(teamId)?.slice() ?? [];
}

/** Whom a page is for, with ids (names already resolved). */
export interface PageTarget {
  team?: string | undefined;
  users?: Array<{ id: string; important: boolean }> | undefined;
  alert_group_id?: string | undefined;
}

export interface PageTextContext {
  names: NameBook;
  /** The page's target as the agent gave it (after names became ids). */
  args: PageTarget;
  /** Team id → member usernames (for the advice when a team page reaches nobody). */
  members: ReadonlyMap<string, readonly string[]>;
  /** Preview: the text asks the human before anything is sent. */
  preview?: { title: string | null; actsAs: string | null };
}

/**
 * The text of a page, first line first: who will be notified, how and when, or, LOUDLY, that
 * nobody will be. The same words serve the human's confirmation (before) and the result (after).
 */
export function formatDelivery(d: Delivery, base: string, ctx: PageTextContext): string[] {
  const { names, args } = ctx;
  const preview = ctx.preview !== undefined;
  const teamName = args.team ? named(names.teams, args.team) : '';
  const target = args.team
    ? `team ${teamName}`
    : (args.users ?? []).map((u) => `${names.users.get(u.id) ?? u.id}${u.important ? ' (important)' : ''}`).join(', ')
      + (args.alert_group_id ? ` into alert group ${args.alert_group_id}` : '');
  const chain = d.escalation_chain_id ? `chain ${chainRefName(names, d.escalation_chain_id)}` : null;
  const lines: string[] = [];
  const verb = preview ? 'would be' : 'will be';

  if (d.nobody_notified) {
    const why = d.reasons.map((r) => describeReason(r, names)).join('; ');
    lines.push(`NOBODY ${verb.toUpperCase()} NOTIFIED${preview ? ' by this page' : ''}: ${args.team ? `team ${teamName}: ${why}` : why}.`);
    lines.push(
      preview
        ? `OnCall would still create a firing alert group for ${target}, but it pages no one.`
        : 'The alert group below exists and is firing (as in OnCall), but it is NOT a page: nobody has been or will be notified.',
    );
    if (args.team) {
      const members = membersOf(args.team, ctx.members);
      const who = members.length ? ` (members: ${members.join(', ')})` : '';
      const fix = d.escalation_chain_id
        ? 'give that chain a notify step (create_escalation_policy)'
        : 'give the team\'s Direct Paging route an escalation chain (list_routes shows it; update_route)';
      lines.push(`To reach ${teamName}: page people directly with create_escalation users${who}, or ${fix}, then page again.`);
    }
    return lines;
  }

  const unknown = d.reasons.filter((r) => r.startsWith('unknown: ')).map((r) => r.slice('unknown: '.length));
  const chainNotices = d.first_notifications.filter((n) => n.policy_id !== null || n.text !== 'direct page');
  const first = d.first_notifications[0];
  const lead = preview ? `Page ${target}` : `Paged ${target}`;
  if (unknown.length && !first) {
    lines.push(`${lead}, but who will be notified could NOT be determined: ${unknown.join('; ')}. Check get_alert_group before relying on it.`);
  } else if (d.forecast === 'chain_steps' && !d.deliveries_visible && chain) {
    const step = first ? `${after(base, first.at)}: ${noticeTarget(first, names)}` : 'no notify step in its first pass';
    lines.push(`${lead} through ${chain}; its first notification is due ${step}${d.held_back_by.length ? ` (held by: ${d.held_back_by.join(', ')})` : ''}. From the chain's steps: OnCall decides who exactly when each step runs.`);
  } else if (first) {
    const via = chain && chainNotices.length ? ` through ${chain}` : '';
    const held = d.held_back_by.length && first.policy_id !== null ? `, held by ${d.held_back_by.join(', ')}; nobody is notified before that` : '';
    lines.push(`${lead}${via}: first ${noticeTarget(first, names)} ${after(base, first.at)} (${formatInstant(first.at, null)})${held}.`);
  } else {
    // Users on a live OnCall: the rules are theirs, and the API does not show them.
    const people = (args.users ?? []).map((u) => `${names.users.get(u.id) ?? u.id}${u.important ? ' (important rules)' : ''}`);
    lines.push(`${lead}: OnCall notifies ${people.join(', ')} by their own notification rules, at once${preview ? '' : '; this OnCall\'s API shows neither the rules nor the deliveries'}.`);
  }
  for (const r of d.reasons) if (!r.startsWith('unknown: ')) lines.push(`NOT NOTIFIED: ${describeReason(r, names)}.`);
  if (d.first_notifications.length) {
    const source = d.forecast === 'simulation' ? ' (the chain simulated on the same engine; direct pages as recorded)' : d.forecast === 'chain_steps' ? ' (from the chain\'s steps)' : '';
    lines.push(`First notifications${source}:`, ...formatNotices(d.first_notifications, base, names));
    if (d.more_notifications) lines.push(`  … and ${d.more_notifications} more in the first pass (simulate_escalation shows them all).`);
  }
  if (d.chain_repeats) lines.push('Then the chain starts again from its first step, until someone acknowledges.');
  if (unknown.length && first) lines.push(`Could not be determined: ${unknown.join('; ')}.`);
  return lines;
}

function chainRefName(names: NameBook, id: string): string {
  const name = names.chains.get(id);
  return name ? `"${name}" (${id})` : id;
}

/** A structured reason (`U…: role viewer…`, `chain F… notifies nobody: …`) with names for the ids in it. */
function describeReason(reason: string, names: NameBook): string {
  return reason.replace(/\b([UFSG])[A-Z0-9]{12}\b/g, (id: string, kind: string) => {
    if (kind === 'U') return names.users.get(id) ?? id;
    if (kind === 'F') return chainRefName(names, id);
    return named(kind === 'S' ? names.schedules : names.userGroups, id);
  });
}

/** The whole text of `create_escalation`: the delivery first, then the alert group, then what to do next. */
export function formatPageResult(
  g: AlertGroup & { delivery: Delivery },
  ctx: PageTextContext,
  duplicate?: { by: 'idempotency_key' | 'identical_page'; firstAt: string; key?: string | undefined },
): string {
  const lines: string[] = [];
  if (duplicate) {
    lines.push(
      duplicate.by === 'idempotency_key'
        ? `ALREADY PAGED, NOT SENT AGAIN: a call with idempotency_key "${duplicate.key ?? ''}" paged ${ago(duplicate.firstAt)} (alert group ${g.id}). This is that page, as it was answered then:`
        : `ALREADY PAGED, NOT SENT AGAIN: an identical page (same people or team, title, message and link) went out ${ago(duplicate.firstAt)} (alert group ${g.id}). To page again anyway, call again with force: true. The first page, as it was answered then:`,
    );
  }
  lines.push(...formatDelivery(g.delivery, g.created_at, ctx));
  lines.push(`Alert group: ${formatAlertGroup(g, ctx.names)}.`);
  if (!g.delivery.nobody_notified) {
    lines.push(g.delivery.deliveries_visible ? 'get_alert_group shows who has been notified so far.' : `OnCall shows the deliveries at ${g.permalinks.web}.`);
  }
  return lines.join('\n');
}

/** What the human is asked before a page goes out. */
export function formatPageConfirmation(d: Delivery, base: string, ctx: PageTextContext): string {
  const lines = formatDelivery(d, base, ctx);
  const p = ctx.preview;
  if (p?.title) lines.push(`Title: "${p.title}"`);
  if (p?.actsAs) lines.push(`Sent as ${p.actsAs}.`);
  lines.push(d.nobody_notified ? 'Create the alert group anyway?' : 'Send this page now?');
  return lines.join('\n');
}

/** What each legacy role may do through these tools (OnCall's minimum roles, without RBAC). */
const ROLE_POWERS: Record<User['role'], string> = {
  admin: 'may do everything these tools do',
  editor: 'may page, acknowledge and resolve, and edit schedules; escalation chains, integrations and routes need admin',
  viewer: 'may only read: pages and edits will be refused (403), and OnCall notifies no viewer',
  none: 'has no role: nearly every call will be refused (403)',
};

export function formatWhoami(u: User, names: NameBook): string {
  const teams = u.teams.length ? namedList(names.teams, u.teams) : 'none';
  return [
    `This server acts as ${u.username} (${u.id}) <${u.email}>, role ${u.role}, teams: ${teams}, tz ${u.timezone ?? 'unset'}.`,
    `OnCall attributes every write made through it to ${u.username}: pages, acknowledgements, resolutions, edits.`,
    `With role ${u.role} the token ${ROLE_POWERS[u.role]} (where RBAC is on, its permissions decide).`,
  ].join('\n');
}

// ---- truthful deletes: what a delete leaves behind ----

/** `"Grafana :blush:" (C…) default route (R…)`, `"Alertmanager" (C…) route [0] "severity" (R…)`. */
export function formatRouteRef(r: RouteRef, names: NameBook): string {
  const integration = names.integrations.get(r.integration_id);
  const where = integration ? `"${integration}" (${r.integration_id})` : `integration ${r.integration_id}`;
  const which = r.is_the_last_route ? 'default route' : `route [${r.position}] ${JSON.stringify(r.routing_regex)}`;
  return `${where} ${which} (${r.route_id})`;
}

/** `step [2] notify_on_call_from_schedule (E…) of chain "default" (F…)`. */
export function formatStepRef(s: StepRef, names: NameBook): string {
  return `step [${s.position}] ${s.type ?? 'unset'} (${s.policy_id}) of chain ${chainRefName(names, s.escalation_chain_id)}`;
}

/** One line per item, capped; `(none)` when empty. */
export function formatRefList<T>(items: readonly T[], line: (item: T) => string, max = 20): string[] {
  const shown = items.slice(0, max).map((i) => `  ${line(i)}`);
  if (items.length > max) shown.push(`  … and ${items.length - max} more`);
  return shown;
}

export function formatChainDeleteQuestion(
  chain: EscalationChain,
  steps: number,
  routes: readonly RouteRef[],
  names: NameBook,
): string {
  const head = `Delete escalation chain "${chain.name}" (${chain.id}) and its ${steps} steps? This cannot be undone.`;
  if (!routes.length) return `${head}\nNo route uses it.`;
  return [
    head,
    `${routes.length} ${routes.length === 1 ? 'route uses it and would' : 'routes use it and would'} escalate to NOBODY afterwards:`,
    ...formatRefList(routes, (r) => formatRouteRef(r, names)),
  ].join('\n');
}

export function formatChainDeleted(
  out: EscalationChain & { policies_deleted: number; routes_left_without_chain: RouteRef[] },
  names: NameBook,
): string {
  const head = `Deleted escalation chain ${out.id} "${out.name}" and its ${out.policies_deleted} steps.`;
  const routes = out.routes_left_without_chain;
  if (!routes.length) return `${head} No route used it.`;
  return [
    head,
    `${routes.length} ${routes.length === 1 ? 'ROUTE NOW ESCALATES' : 'ROUTES NOW ESCALATE'} TO NOBODY (no chain): alerts they catch notify no one.`,
    ...formatRefList(routes, (r) => formatRouteRef(r, names)),
    'Give them a chain with update_route (escalation_chain_id).',
  ].join('\n');
}

export function formatScheduleDeleteQuestion(s: Schedule, steps: readonly StepRef[], names: NameBook): string {
  const head = `Delete schedule "${s.name}" (${s.id})? This cannot be undone.`;
  if (!steps.length) return `${head}\nNo escalation step uses it.`;
  return [
    head,
    `${steps.length} escalation ${steps.length === 1 ? 'step uses it and would' : 'steps use it and would'} notify NOBODY afterwards:`,
    ...formatRefList(steps, (step) => formatStepRef(step, names)),
  ].join('\n');
}

export function formatScheduleDeleted(
  s: Schedule & { steps_left_without_schedule: StepRef[] },
  names: NameBook,
): string {
  const head = `Deleted schedule ${s.id} "${s.name}".`;
  const steps = s.steps_left_without_schedule;
  if (!steps.length) return `${head} No escalation step used it.`;
  return [
    head,
    `${steps.length} ESCALATION ${steps.length === 1 ? 'STEP NOW NOTIFIES' : 'STEPS NOW NOTIFY'} NOBODY (no schedule):`,
    ...formatRefList(steps, (step) => formatStepRef(step, names)),
    'Give them a schedule with update_escalation_policy (notify_on_call_from_schedule), or delete them.',
  ].join('\n');
}

export function formatIntegrationDeleteQuestion(
  i: Integration,
  routes: readonly RouteRef[],
  unused: readonly string[],
  names: NameBook,
): string {
  const lines = [
    `Delete integration "${i.name}" (${i.id}, ${i.type})? It stops accepting alerts; its ${routes.length} routes go with it. This cannot be undone.`,
  ];
  if (unused.length) lines.push(`No other route would escalate through: ${unused.map((c) => chainRefName(names, c)).join(', ')}.`);
  return lines.join('\n');
}

export function formatIntegrationDeleted(
  i: Integration & { routes_deleted: RouteRef[]; chains_no_longer_used: string[] },
  names: NameBook,
): string {
  const lines = [
    `Deleted integration ${i.id} "${i.name}" (${i.type}); it no longer accepts alerts. Its ${i.routes_deleted.length} routes were deleted:`,
    ...formatRefList(i.routes_deleted, (r) => `${r.is_the_last_route ? 'default route' : `route [${r.position}] ${JSON.stringify(r.routing_regex)}`} (${r.route_id}) → ${r.escalation_chain_id ? chainRefName(names, r.escalation_chain_id) : 'no chain'}`),
  ];
  if (i.chains_no_longer_used.length) {
    lines.push(`No route escalates through these chains any more (they are kept): ${i.chains_no_longer_used.map((c) => chainRefName(names, c)).join(', ')}.`);
  }
  return lines.join('\n');
}

export function formatStepDeleteQuestion(
  p: EscalationPolicy,
  chainNotifiesNobody: boolean,
  routes: readonly RouteRef[],
  names: NameBook,
): string {
  const lines = [`Delete step ${p.id} of chain ${chainRefName(names, p.escalation_chain_id)}: ${describePolicy(p, names)}?`];
  if (chainNotifiesNobody) {
    lines.push(`It is the chain's last step that notifies anyone: afterwards the chain notifies NOBODY${routes.length ? `, and ${routes.length} ${routes.length === 1 ? 'route escalates' : 'routes escalate'} through it:` : '.'}`);
    lines.push(...formatRefList(routes, (r) => formatRouteRef(r, names)));
  }
  return lines.join('\n');
}

export function formatStepDeleted(
  p: EscalationPolicy & { chain_notifies_nobody: boolean; routes_using_chain: RouteRef[] },
  names: NameBook,
): string {
  const lines = [`Deleted ${formatPolicy(p, names)}`];
  if (p.chain_notifies_nobody) {
    const routes = p.routes_using_chain;
    lines.push(`CHAIN ${chainRefName(names, p.escalation_chain_id)} NOW NOTIFIES NOBODY: that was its last step that notifies anyone.${routes.length ? ` ${routes.length} ${routes.length === 1 ? 'route escalates' : 'routes escalate'} through it:` : ' No route uses it.'}`);
    lines.push(...formatRefList(routes, (r) => formatRouteRef(r, names)));
    lines.push('Add a notify step with create_escalation_policy.');
  }
  return lines.join('\n');
}
