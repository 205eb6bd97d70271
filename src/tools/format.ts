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
  FinalShift,
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
import type { Via as WhoVia, WhoIsOnCall as WhoIsOnCallAnswer } from './oncall/types.js';

function named(map: ReadonlyMap<string, string>, id: string | null | undefined): string {
  if (!id) return '(not set)';
  const name = map.get(id);
  return name ? `${name} (${id})` : id;
}

function namedList(map: ReadonlyMap<string, string>, ids: readonly string[]): string {
  if (!ids.length) return '(nobody)';
  return ids.map((id) => map.get(id) ?? id).join(', ');
}

/** A page header: `3 escalation chains (page 1 of 2, 50 per page; next: page=2)`. */
export function formatPage<T>(page: Page<T>, noun: string, line: (item: T) => string): string {
  const head = `${page.count} ${noun}${page.total_pages > 1 ? ` (page ${page.current_page_number} of ${page.total_pages}${page.next ? `; more with page=${page.current_page_number + 1}` : ''})` : ''}`;
  if (!page.results.length) return `${head}.`;
  return [`${head}:`, ...page.results.map(line)].join('\n');
}

export function formatChain(chain: EscalationChain, names: NameBook): string {
  return `${chain.id} "${chain.name}" team: ${chain.team_id ? named(names.teams, chain.team_id) : 'none'}`;
}

/** What one step does, in words: `notify persons: alice, bob (important)`. */
export function describePolicy(p: EscalationPolicy, names: NameBook): string {
  const imp = p.important ? ' (important)' : '';
  switch (p.type) {
    case null:
      return 'no type set (does nothing)';
    case 'wait':
      return p.duration == null ? 'wait (duration not set: 5m default)' : `wait ${formatSeconds(p.duration)}`;
    case 'notify_persons':
      return `notify persons: ${namedList(names.users, p.persons_to_notify ?? [])}${imp}`;
    case 'notify_person_next_each_time':
      return `round robin, one each time: ${namedList(names.users, p.persons_to_notify_next_each_time ?? [])}${imp}`;
    case 'notify_on_call_from_schedule':
      return `notify who is on call in schedule ${p.notify_on_call_from_schedule ?? '(not set)'}${imp}`;
    case 'notify_next_on_call_from_schedule':
      return `notify who is next on call in schedule ${p.notify_on_call_from_schedule ?? '(not set)'}${imp}`;
    case 'notify_user_group':
      return `notify user group ${named(names.userGroups, p.group_to_notify)}${imp}`;
    case 'notify_team_members':
      return `notify all members of team ${named(names.teams, p.team_to_notify)}${imp}`;
    case 'trigger_webhook':
      return `trigger webhook ${named(names.webhooks, p.action_to_trigger)}`;
    case 'resolve':
      return 'resolve the alert group (escalation stops)';
    case 'notify_whole_channel':
      return 'notify everyone in the route\'s Slack channel';
    case 'notify_if_time_from_to':
      return `continue only between ${p.notify_if_time_from ?? '?'} and ${p.notify_if_time_to ?? '?'} UTC (else wait for the window)`;
    case 'notify_if_num_alerts_in_window':
      return `continue only after more than ${p.num_alerts_in_window ?? '?'} alerts in ${p.num_minutes_in_window ?? '?'} min (else pause)`;
    case 'repeat_escalation':
      return 'repeat from the first step (at most 5 times)';
    case 'declare_incident':
      return `declare an incident${p.severity ? ` (severity ${p.severity})` : ''}`;
  }
}

export function formatPolicyLine(p: EscalationPolicy, names: NameBook): string {
  return `[${p.position}] ${describePolicy(p, names)}  (${p.id})`;
}

export function formatPolicy(p: EscalationPolicy, names: NameBook): string {
  return `${p.id} in chain ${p.escalation_chain_id}, position ${p.position}: ${describePolicy(p, names)}`;
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
  if (i.maintenance_mode) parts.push(`in ${i.maintenance_mode} mode until ${i.maintenance_end_at}`);
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

/** `2026-03-24 09:00 UTC (10:00 Europe/Berlin)`; the local part only when the zone is not UTC. */
export function formatInstant(iso: string, zone: string | null | undefined): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms);
  const utc = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
  if (!zone || zone === 'UTC' || zone === 'Etc/UTC') return utc;
  const local = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(d);
  return `${utc} (${local} ${zone})`;
}

export function formatSchedule(s: Schedule, names: NameBook): string {
  const zone = s.time_zone ? `, ${s.time_zone}` : '';
  const team = s.team_id ? `, team ${named(names.teams, s.team_id)}` : '';
  return `${s.id} "${s.name}" (${s.type}${zone})${team}; on call now: ${namedList(names.users, s.on_call_now)}`;
}

/** Final shifts, one line per stretch, people of the same stretch together. */
export function formatFinalShifts(items: readonly FinalShift[], zone: string | null): string[] {
  const byStretch = new Map<string, string[]>();
  for (const item of items) {
    const key = `${item.shift_start}|${item.shift_end}`;
    byStretch.set(key, [...(byStretch.get(key) ?? []), item.user_username]);
  }
  return [...byStretch].map(([key, users]) => {
    const [start, end] = key.split('|') as [string, string];
    return `${formatInstant(start, zone)} → ${formatInstant(end, zone)}: ${users.join(', ')}`;
  });
}

export function formatShift(shift: OnCallShift, names: NameBook): string {
  const who = shift.rolling_users
    ? shift.rolling_users.map((g) => g.map((id) => names.users.get(id) ?? id).join('+')).join(' → ')
    : namedList(names.users, shift.users ?? []);
  const every = shift.frequency
    ? ` every ${shift.interval && shift.interval > 1 ? `${shift.interval} ` : ''}${shift.frequency}${shift.by_day ? ` on ${shift.by_day.join(',')}` : ''}`
    : '';
  const level = shift.level ? `, level ${shift.level}` : '';
  return `${shift.id} "${shift.name}" ${shift.type}: from ${shift.start} ${shift.time_zone ?? '(schedule zone)'} for ${formatSeconds(shift.duration)}${every}${level}; ${who}`;
}

export function formatSwap(s: ShiftSwap, names: NameBook): string {
  const taker = s.benefactor ? ` taken by ${named(names.users, s.benefactor)}` : '';
  return `${s.id} ${s.status}: ${named(names.users, s.beneficiary)} gives away ${formatInstant(s.swap_start, null)} → ${formatInstant(s.swap_end, null)} in schedule ${s.schedule}${taker}`;
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
  return `${g.id} ${status}: "${g.title ?? '(no title)'}", ${g.alerts_count} alert(s), started ${formatInstant(g.created_at, null)}, integration ${g.integration_id}`;
}

export function formatTimeline(items: readonly TimelineItem[]): string[] {
  return items.map((e) => `  ${e.at.slice(0, 19).replace('T', ' ')}Z ${e.text}`);
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
